// An oscillating hold (lumbar-static-oscillating: 30 %bw with a 3 %max sine at 0.25 Hz) is
// followed by feedback alone, with the stiffness the ramp identified kept (force_loop.hpp,
// ForceLoop::set_oscillating_hold; docs/force-loop.md). Held on the simulator's truth, on the
// average and the heavy patient, calm:
//   - over the oscillating hold the true force stays within 0.06 % RMS of the setpoint (with
//     the ramp's feedforward it was 0.13 % and 0.09 %: the force led the sine and missed its
//     amplitude);
//   - the stiffness the gains use does not change from the hold's first cycle to its last (the
//     RLS, identifying across the sine's reversals, had drifted to twice the ramp's k̂);
//   - why: over one whole period of the sine the section does not move (its friction holds it),
//     so the cable stretches the harness alone, at more than five times the k̂ of the ramp.
#include "session_harness.hpp"

#include "controller/session.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <utility>

namespace tractus {
namespace {

// Lowest and highest of a signal over a window.
struct Span {
  double lo = 1e300, hi = -1e300;
  void add(double v) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  [[nodiscard]] double size() const { return hi - lo; }
};

struct HoldFigures {
  int cycles = 0;
  double rms_percent = 0;
  double first_k = -1, last_k = -1;
  Span period_force, period_cable, period_section; // one whole period, 300 to 304 s
};

HoldFigures oscillating_hold(const std::string &preset, double body_mass_kg) {
  testing::SessionSpec spec;
  spec.profile = "lumbar-static-oscillating";
  spec.preset = preset;
  spec.body_mass = kilograms(body_mass_kg);
  spec.calm = true; // the figure is the sine's tracking, not a spasm's
  spec.seed = 11;
  HoldFigures h;
  double sum_sq = 0;
  spec.truth_observer = [&](const controller::CycleOutput &out, const sim::SimTable &sim) {
    if (out.state != controller::State::Treating || out.phase != profiles::Phase::Hold) return;
    const double k = out.identification.stiffness.si();
    if (h.first_k < 0) h.first_k = k;
    h.last_k = k;
    // The sine from 100 s of the session's clock on (the hold starts at about 40 s): settling
    // out of the ramp is the ramp's business.
    const double t = sim.elapsed().si();
    if (t < 100.0) return;
    const double e = (sim.true_force() - out.setpoint).si() / out.setpoint.si();
    sum_sq += e * e;
    ++h.cycles;
    if (t >= 300.0 && t < 304.0) {
      h.period_force.add(sim.true_force().si());
      h.period_cable.add(sim.plant().cable_position().si());
      h.period_section.add(sim.plant().table_travel().si());
    }
  };
  const auto run = testing::run_session(spec);
  EXPECT_EQ(run.report.last.outcome, controller::Outcome::Completed);
  h.rms_percent = h.cycles > 0 ? 100.0 * std::sqrt(sum_sq / h.cycles) : 1e9;
  std::printf("%s: true RMS %.3f %% over %d cycles of the hold; k̂ %.0f → %.0f N/m; one period: "
              "force %.2f N peak to peak, cable %.4f mm, section %.4f mm (%.0f N/m)\n",
              preset.c_str(), h.rms_percent, h.cycles, h.first_k, h.last_k, h.period_force.size(),
              1000.0 * h.period_cable.size(), 1000.0 * h.period_section.size(),
              h.period_force.size() / h.period_cable.size());
  return h;
}

TEST(OscillatingHold,
     TheSineIsFollowedByFeedbackWithinPointZeroSixPercentAndTheRampsStiffnessKept) {
  for (const auto &[preset, mass] : {std::pair{"average", 80.0}, std::pair{"heavy", 185.0}}) {
    SCOPED_TRACE(preset);
    const HoldFigures h = oscillating_hold(preset, mass);
    ASSERT_GT(h.cycles, 500'000); // most of the 11-minute hold was measured, at 1 kHz
    EXPECT_LE(h.rms_percent, 0.06);
    EXPECT_EQ(h.first_k, h.last_k);
    // The case the feedforward is off for: the section held, the harness alone stretched.
    EXPECT_GT(h.period_force.size(), 10.0); // a whole period of the 3 %max sine was seen
    EXPECT_LT(h.period_section.size(), 0.01e-3);
    EXPECT_GT(h.period_force.size() / h.period_cable.size(), 5.0 * h.last_k);
  }
}

} // namespace
} // namespace tractus
