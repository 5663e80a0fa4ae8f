// Every stock protocol on every simulated patient: the measured force follows the protocol.
//
// Figures held (issue "Simulated decompression session"), all on the simulator's TRUE cable
// tension, not on what the controller believed:
//   - the session completes;
//   - during holds and rests the RMS tracking error is at most 2 % of the target;
//   - the peak force is at most the protocol's highest setpoint + 2 % (or + 5 N, whichever is
//     larger), and never above the region's hard cap.
// The presets keep their random muscle guarding (a spasm every 5 min on average): riding
// through spasms is part of following the protocol.
//
// The same protocols on patients at the corners of the envelope a patient file may describe
// (docs/simulator.md, "Patient files"; tests/data/patients/envelope-*.json), which is what the
// loop is designed for: they complete and track within 2 % as well. Their spasms are stronger
// and come every minute, so their peak is held to the over-force margin (the session completes)
// rather than to 2 %.
#include "session_harness.hpp"

#include "profiles/limits.hpp"

#include <gtest/gtest.h>

#include <filesystem>

namespace tractus {
namespace {

struct Case {
  const char *profile;
  const char *preset;
  double body_mass_kg;
};

std::string name_of(const ::testing::TestParamInfo<Case> &info) {
  const std::string patient = std::filesystem::path(info.param.preset).stem().string();
  std::string n = std::string(info.param.profile) + "_" + patient;
  for (char &c : n)
    if (c == '-') c = '_';
  return n;
}

std::vector<Case> all_cases() {
  std::vector<Case> cases;
  for (const char *profile : {"lumbar-static", "lumbar-intermittent", "lumbar-cyclic",
                              "lumbar-progressive", "cervical-static", "cervical-intermittent"})
    for (const auto &[preset, mass] : {std::pair{"light", 55.0}, std::pair{"average", 80.0},
                                       std::pair{"heavy", 185.0}, std::pair{"cervical", 80.0}})
      cases.push_back({profile, preset, mass});
  return cases;
}

std::vector<Case> envelope_corners() {
  std::vector<Case> cases;
  for (const char *profile : {"lumbar-static", "lumbar-intermittent", "lumbar-cyclic",
                              "lumbar-progressive", "lumbar-static-oscillating"})
    for (const char *patient : {TRACTUS_TEST_DATA "/patients/envelope-stiff-lumbar.json",
                                TRACTUS_TEST_DATA "/patients/envelope-soft-lumbar.json"})
      cases.push_back({profile, patient, 185.0});
  for (const char *profile : {"cervical-static", "cervical-intermittent"})
    for (const char *patient : {TRACTUS_TEST_DATA "/patients/envelope-stiff-cervical.json",
                                TRACTUS_TEST_DATA "/patients/envelope-soft-cervical.json"})
      cases.push_back({profile, patient, 80.0});
  return cases;
}

// The session of case `c`, which completed and tracked holds and rests within 2 % of the target.
testing::SessionRun completed_within_two_percent(const Case &c) {
  testing::SessionSpec spec;
  spec.profile = c.profile;
  spec.preset = c.preset;
  spec.body_mass = kilograms(c.body_mass_kg);
  spec.seed = 11;
  const auto run = testing::run_session(spec);
  EXPECT_EQ(run.report.last.outcome, controller::Outcome::Completed)
      << "fault " << controller::info(run.report.last.fault).name;
  EXPECT_LE(run.true_hold_rms_percent, 2.0);
  EXPECT_LE(run.stats.hold_rms_error_percent(), 2.0); // as the controller measured it
  EXPECT_EQ(run.report.overruns, 0u);                 // virtual time: a cycle is never late
  return run;
}

class StockProtocol : public ::testing::TestWithParam<Case> {};

TEST_P(StockProtocol, CompletesAndTracksWithinTwoPercent) {
  const Case c = GetParam();
  const auto run = completed_within_two_percent(c);
  const Force allowance = max(run.max_setpoint * 0.02, newtons(5));
  EXPECT_LE(run.true_peak, run.max_setpoint + allowance)
      << "peak " << run.true_peak.si() << " N for a highest setpoint of " << run.max_setpoint.si()
      << " N";
  const auto region = c.profile[0] == 'l' ? profiles::Region::Lumbar : profiles::Region::Cervical;
  EXPECT_LE(run.true_peak, profiles::hard_cap(profiles::kDefaultLimits, region));
}

INSTANTIATE_TEST_SUITE_P(EveryPreset, StockProtocol, ::testing::ValuesIn(all_cases()), name_of);

class EnvelopeCorner : public ::testing::TestWithParam<Case> {};

TEST_P(EnvelopeCorner, CompletesAndTracksWithinTwoPercent) {
  completed_within_two_percent(GetParam());
}

INSTANTIATE_TEST_SUITE_P(PatientFiles, EnvelopeCorner, ::testing::ValuesIn(envelope_corners()),
                         name_of);

TEST(StockProtocolRepeatability, SameSeedGivesTheSameSession) {
  testing::SessionSpec spec;
  spec.profile = "lumbar-intermittent";
  spec.seed = 5;
  const auto a = testing::run_session(spec);
  const auto b = testing::run_session(spec);
  EXPECT_EQ(a.true_peak.si(), b.true_peak.si());
  EXPECT_EQ(a.stats.hold_rms_error().si(), b.stats.hold_rms_error().si());
  EXPECT_EQ(a.report.cycles, b.report.cycles);
}

} // namespace
} // namespace tractus
