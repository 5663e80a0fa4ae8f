// Logarithmic and S-curve ramps (docs/profiles.md "Ramp shapes") followed on the simulated
// patients as the stock protocols are (stock_sessions_test.cpp): completed, holds tracked
// within 2 % RMS and the peak within the highest setpoint + 2 % (or + 5 N), on the simulator's
// true tension. A logarithmic ramp is steepest at its start (3.9 times the linear rate), which
// is where an overshoot would come from if the loop did not follow the feedforward.
#include "session_harness.hpp"

#include <gtest/gtest.h>

#include <fstream>

namespace tractus {
namespace {

struct Case {
  const char *shape;
  const char *preset;
  double body_mass_kg;
};

class RampShapeSession : public ::testing::TestWithParam<Case> {};

std::string name_of(const ::testing::TestParamInfo<Case> &param) {
  std::string n = std::string(param.param.shape) + "_" + param.param.preset;
  for (char &ch : n)
    if (ch == '-') ch = '_';
  return n;
}

TEST_P(RampShapeSession, CompletesTracksWithinTwoPercentAndDoesNotOvershoot) {
  const Case c = GetParam();
  // The test profile with the shape of this case.
  const auto source = std::filesystem::path(TRACTUS_TEST_DATA) /
                      "profiles/good/lumbar-intermittent-logarithmic.json";
  std::ifstream in(source);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::string from = "\"logarithmic\"";
  text.replace(text.find(from), from.size(), "\"" + std::string(c.shape) + "\"");
  const auto file = std::filesystem::temp_directory_path() /
                    ("tractus-ramp-" + std::string(c.shape) + "-" + c.preset + ".json");
  std::ofstream(file) << text;

  testing::SessionSpec spec;
  spec.profile = file.string();
  spec.preset = c.preset;
  spec.body_mass = kilograms(c.body_mass_kg);
  spec.seed = 5;
  const auto run = testing::run_session(spec);
  std::filesystem::remove(file);

  EXPECT_EQ(run.report.last.outcome, controller::Outcome::Completed)
      << "fault " << controller::info(run.report.last.fault).name;
  EXPECT_LE(run.true_hold_rms_percent, 2.0);
  const Force allowance = max(run.max_setpoint * 0.02, newtons(5));
  EXPECT_LE(run.true_peak, run.max_setpoint + allowance)
      << "peak " << run.true_peak.si() << " N for a highest setpoint of " << run.max_setpoint.si()
      << " N";
}

INSTANTIATE_TEST_SUITE_P(LumbarPatients, RampShapeSession,
                         ::testing::Values(Case{"logarithmic", "light", 55.0},
                                           Case{"logarithmic", "average", 80.0},
                                           Case{"logarithmic", "heavy", 185.0},
                                           Case{"s-curve", "light", 55.0},
                                           Case{"s-curve", "heavy", 185.0}),
                         name_of);

} // namespace
} // namespace tractus
