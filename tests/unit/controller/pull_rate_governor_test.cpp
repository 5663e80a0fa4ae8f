// The pull-rate governor alone, on force and cable signals whose stiffness is known
// (pull_rate_governor.hpp; docs/force-loop.md, "The pull-rate governor").
#include "controller/pull_rate_governor.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

namespace tractus::controller {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

TEST(PullRateGovernor, TheFastestTreatmentRampNeverEngagesIt) {
  // 50 N/s on a 20 kN/m patient at 1 kHz, 200 Hz and 100 Hz, with the load cell's noise as the
  // loop's 5 ms filter leaves it at each rate (0.25 N at the cell; fewer samples per filter
  // time at the slower rates smooth less).
  for (const auto &[period, sigma] : {std::pair{0.001, 0.10}, {0.005, 0.2}, {0.010, 0.25}}) {
    SCOPED_TRACE(period);
    PullRateGovernor governor{PullRateGovernorParams{}};
    std::mt19937 rng(7);
    std::normal_distribution<double> noise(0.0, sigma);
    int engaged = 0;
    for (double t = 0; t < 20.0; t += period) {
      const double force = 50.0 + 50.0 * t;
      const Speed limit = governor.update(force + noise(rng), force / 20'000.0, seconds(period));
      if (governor.engaged() || limit.si() < kInf) ++engaged;
    }
    EXPECT_EQ(engaged, 0);
  }
}

TEST(PullRateGovernor, AFastRiseOnAStiffCableLimitsPullingToTheAllowedRate) {
  // The cable drawn in at 10 mm/s on a 300 kN/m harness (the section stuck) from 250 N:
  // 3,000 N/s. Once 4 N above the trough, pulling is limited to 100 N/s over the stiffness it
  // saw (ΔF/Δx, not F/x: the force does not start from zero), 0.33 mm/s.
  for (const double period : {0.001, 0.005, 0.010}) {
    SCOPED_TRACE(period);
    PullRateGovernor governor{PullRateGovernorParams{}};
    double x = 0.030, limit = kInf, engaged_at = -1;
    for (double t = 0; t < 0.05; t += period) {
      x += 0.010 * period;
      limit = governor.update(250.0 + 300'000.0 * (x - 0.030), x, seconds(period)).si();
      if (engaged_at < 0 && governor.engaged()) engaged_at = t;
    }
    EXPECT_GE(engaged_at, 0.0);
    EXPECT_LE(engaged_at, 0.0025 + period); // 4 N at 3,000 N/s is 1.3 ms
    EXPECT_NEAR(limit, 100.0 / 300'000.0, 0.05 * 100.0 / 300'000.0);
  }
}

TEST(PullRateGovernor, OnceEngagedItHoldsUntilTheForceIsBackWithinTwoNewtonsOfItsTrough) {
  // A 6 N jump with 0.2 mm drawn in, then force and cable still: the trough closes in with its
  // 50 ms lag, so the rise is 6·e^(−t/50 ms). It passes back under 4 N after 20 ms and under
  // 2 N after 55 ms; the limit stays on until then rather than switching off at 4 N and on
  // again with the next newton of noise.
  PullRateGovernor governor{PullRateGovernorParams{}};
  (void)governor.update(200.0, 0.0100, milliseconds(1));
  (void)governor.update(206.0, 0.0102, milliseconds(1));
  ASSERT_TRUE(governor.engaged());
  int engaged_ms = 0;
  while (engaged_ms < 1000) {
    const Speed limit = governor.update(206.0, 0.0102, milliseconds(1));
    if (!governor.engaged()) break;
    EXPECT_GT(limit.si(), 0.0); // the cable was drawn in: some pulling is allowed
    ++engaged_ms;
  }
  EXPECT_GE(engaged_ms, 50);
  EXPECT_LE(engaged_ms, 58);
}

TEST(PullRateGovernor, AForceRisingWhileTheCableIsPaidOutAllowsNoPulling) {
  // A spasm: the force rises 150 N/s while the loop pays out. Pulling would only add to it.
  PullRateGovernor governor{PullRateGovernorParams{}};
  double limit = kInf;
  for (double t = 0; t < 0.2; t += 0.001)
    limit = governor.update(300.0 + 150.0 * t, 0.02 - 0.002 * t, milliseconds(1)).si();
  EXPECT_TRUE(governor.engaged());
  EXPECT_EQ(limit, 0.0);
}

TEST(PullRateGovernor, AFallingForceAndAResetLeaveItDisengaged) {
  PullRateGovernor governor{PullRateGovernorParams{}};
  for (double t = 0; t < 0.2; t += 0.001) {
    const double force = 300.0 - 400.0 * t; // a release
    EXPECT_EQ(governor.update(force, force / 20'000.0, milliseconds(1)).si(), kInf);
  }
  // A reset forgets the trough: the next force, however high, starts a new one.
  governor.reset();
  EXPECT_EQ(governor.update(800.0, 0.04, milliseconds(1)).si(), kInf);
  EXPECT_FALSE(governor.engaged());
}

} // namespace
} // namespace tractus::controller
