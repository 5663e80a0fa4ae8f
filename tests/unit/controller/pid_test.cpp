// The PID's properties from DESIGN §5, one behaviour per test, each with the figure it holds.
#include "controller/pid.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>
#include <vector>

namespace tractus::controller {
namespace {

constexpr Duration kPeriod = milliseconds(1);

// Gains of the force loop at 20 kN/m (ωc = 10 rad/s, Ti = Tt = 0.5 s), with a derivative
// (Td = 50 ms) so that derivative behaviour is visible.
PidGains force_like_gains() {
  PidGains g;
  g.kp = 5e-4;
  g.ki = 1e-3;
  g.kd = 2.5e-5;
  g.derivative_filter = milliseconds(10);
  g.tracking_time = seconds(0.5);
  g.output_min = -0.05;
  g.output_max = 0.05;
  return g;
}

// A running controller: enabled at rest and settled for 100 cycles at setpoint = measurement.
Pid settled_pid(const PidGains &gains, double level) {
  Pid pid(gains);
  pid.reset(0.0);
  for (int i = 0; i < 100; ++i)
    pid.update(level, level, kPeriod);
  return pid;
}

TEST(Pid, SetpointStepGivesNoDerivativeKick) {
  const PidGains g = force_like_gains();
  Pid pid = settled_pid(g, 100.0);
  const double before = pid.output();

  const double after = pid.update(150.0, 100.0, kPeriod); // 50-unit setpoint step

  EXPECT_EQ(pid.terms().derivative, 0.0);
  // Only P and one cycle of I react: (kp + ki · 1 ms) · 50 = 0.02505, kp · step plus 0.2 %.
  // A derivative on the error would have added kd · 50 / Tf · (1 - e^-0.1) = 0.0119 more.
  EXPECT_NEAR(after - before, (g.kp + g.ki * kPeriod.si()) * 50.0, 1e-12);
}

TEST(Pid, DerivativeActsOnTheFilteredMeasurementRate) {
  const PidGains g = force_like_gains();
  Pid pid = settled_pid(g, 100.0);
  // Measurement rising at 10 units/s for 100 ms = 10 filter time constants.
  for (int i = 1; i <= 100; ++i)
    pid.update(100.0, 100.0 + 10.0 * i * kPeriod.si(), kPeriod);
  EXPECT_NEAR(pid.terms().derivative, -g.kd * 10.0, 1e-4 * g.kd * 10.0);
}

TEST(Pid, AsymmetricLimitsDoNotWindUpAndRecoveryTakesOneCycle) {
  PidGains g = force_like_gains();
  g.output_min = -0.05;
  g.output_max = 0.01;
  Pid pid(g);
  pid.reset(0.0);
  // 10 s pinned at the upper limit by a 100-unit error. A plain integrator would have stored
  // ki·100·10 = 1.0, a hundred times the limit.
  for (int i = 0; i < 10'000; ++i)
    pid.update(200.0, 100.0, kPeriod);
  ASSERT_EQ(pid.saturation(), Saturation::high);
  EXPECT_LE(pid.terms().integral, g.output_max + 1e-9);

  pid.update(95.0, 100.0, kPeriod); // error reverses to -5
  EXPECT_LT(pid.output(), g.output_max);
  EXPECT_EQ(pid.saturation(), Saturation::none);

  // Same on the lower limit: 10 s pinned at -0.05 by a -1000 error, then +5.
  for (int i = 0; i < 10'000; ++i)
    pid.update(0.0, 1000.0, kPeriod);
  ASSERT_EQ(pid.saturation(), Saturation::low);
  EXPECT_GE(pid.terms().integral, g.output_min - 1e-9);
  pid.update(1005.0, 1000.0, kPeriod);
  EXPECT_GT(pid.output(), g.output_min);
}

TEST(Pid, AtACeilingTheIntegratorIsLimitedAndTheForceAboveTheTargetIsPaidOutAtOnce) {
  const PidGains g = force_like_gains();
  Pid pid = settled_pid(g, 100.0);
  // A stop's descent on a soft patient: the setpoint's feedforward (-0.08) is beyond the
  // output's limit, and back-calculation settles I at u_min - ff = +0.03.
  for (int i = 0; i < 5'000; ++i)
    pid.update(100.0, 100.0, kPeriod, -0.08, 0.0);
  ASSERT_EQ(pid.output(), g.output_min);
  EXPECT_NEAR(pid.terms().integral, 0.03, 1e-4);
  // The ramp ends with the force 2 above the target. That +0.03 would hold the cable (0) until
  // it bled off; at the ceiling it is limited to the ceiling, and the loop pays out kp·2 now.
  EXPECT_NEAR(pid.update(98.0, 100.0, kPeriod, 0.0, 0.0), -g.kp * 2.0, 1e-6);
  EXPECT_EQ(pid.terms().integral, 0.0);
  EXPECT_EQ(pid.saturation(), Saturation::none); // paying out: off the ceiling
  // 10 s with the force 5 below the target, asking to pull: held at 0, nothing winds up (plain
  // integration would hold ki·5·10 = 0.05).
  for (int i = 0; i < 10'000; ++i)
    EXPECT_EQ(pid.update(105.0, 100.0, kPeriod, 0.0, 0.0), 0.0);
  EXPECT_EQ(pid.saturation(), Saturation::high);
  EXPECT_NEAR(pid.terms().integral, 0.0, 1e-9);
  // The force 1 above: kp·1 out, plus one cycle's integration and tracking (6e-6).
  EXPECT_NEAR(pid.update(99.0, 100.0, kPeriod, 0.0, 0.0), -g.kp * 1.0, 1e-5);
  // Without a ceiling the loop may pull again: the limit was those cycles' alone.
  EXPECT_GT(pid.update(110.0, 100.0, kPeriod), 0.0);
}

TEST(Pid, AHeldOutputKeepsTheCeilingAndAnUnreadableCeilingIsTheLowest) {
  const PidGains g = force_like_gains();
  Pid pid = settled_pid(g, 100.0);
  pid.update(400.0, 100.0, kPeriod);
  ASSERT_EQ(pid.output(), g.output_max);
  // A rejected cycle holds its output, but never above this cycle's ceiling; what it held is
  // what the actuator has, so the next rejected cycle holds that.
  EXPECT_EQ(pid.update(100.0, 100.0, Duration{}, 0.0, 0.0), 0.0);
  EXPECT_EQ(pid.output(), 0.0);
  EXPECT_EQ(pid.update(100.0, 100.0, Duration{}), 0.0);
  // A ceiling below output_min stops at output_min; so does a NaN ceiling, a limit that cannot
  // be read (rejected cycle and normal cycle alike).
  EXPECT_EQ(pid.update(400.0, 100.0, kPeriod, 0.0, -1.0), g.output_min);
  EXPECT_EQ(pid.update(400.0, 100.0, kPeriod, 0.0, std::nan("")), g.output_min);
  pid.update(400.0, 100.0, kPeriod);
  ASSERT_EQ(pid.output(), g.output_max);
  EXPECT_EQ(pid.update(400.0, 100.0, Duration{}, 0.0, std::nan("")), g.output_min);
  EXPECT_EQ(pid.output(), g.output_min); // a capped hold is reported as what was output
}

TEST(Pid, FeedforwardIsAddedBeforeSaturation) {
  const PidGains g = force_like_gains();
  Pid pid = settled_pid(g, 100.0);
  EXPECT_NEAR(pid.update(100.0, 100.0, kPeriod, 0.03), 0.03, 1e-12);
  EXPECT_EQ(pid.update(100.0, 100.0, kPeriod, 0.08), g.output_max);
  EXPECT_EQ(pid.saturation(), Saturation::high);
}

// A measurement that moves (a 1 Hz, 50-unit sinusoid) so that P, I and D all work.
double moving_measurement(double t) { return 100.0 + 50.0 * std::sin(2.0 * std::numbers::pi * t); }

struct Sample {
  double t;
  double u;
};

// Runs the controller over the given update instants (s) and records each output.
std::vector<Sample> run_at(const std::vector<double> &instants) {
  Pid pid(force_like_gains());
  pid.reset(0.0);
  std::vector<Sample> out;
  double previous = 0.0;
  for (double t : instants) {
    const double u = pid.update(120.0, moving_measurement(t), seconds(t - previous));
    out.push_back({t, u});
    previous = t;
  }
  return out;
}

std::vector<double> nominal_instants() {
  std::vector<double> ts;
  for (int k = 1; k <= 1000; ++k)
    ts.push_back(k * kPeriod.si());
  return ts;
}

// Largest output difference from the nominal run at the instants both runs share.
double largest_difference_from_nominal(const std::vector<Sample> &run) {
  const std::vector<Sample> nominal = run_at(nominal_instants());
  double worst = 0.0;
  for (const Sample &s : run) {
    const auto k = static_cast<std::size_t>(std::lround(s.t / kPeriod.si())) - 1;
    if (std::abs(nominal[k].t - s.t) < 1e-12) worst = std::max(worst, std::abs(nominal[k].u - s.u));
  }
  return worst;
}

// The nominal run's output swings by 0.061 over the second; a cycle-to-cycle step is ~1.8e-4.
// A PID that used the nominal 1 ms instead of the measured dt is off by 7.2e-4 after a missed
// cycle and by 6.3e-4 at a late one: those are the spikes these tests exclude.

TEST(Pid, LateCycleDoesNotSpikeTheOutput) {
  std::vector<double> ts = nominal_instants();
  ts[499] = 0.5009; // cycle 500 runs 0.9 ms late: dt = 1.9 ms, then 0.1 ms
  const std::vector<Sample> late = run_at(ts);
  EXPECT_LT(largest_difference_from_nominal(late), 1e-6); // measured 2.5e-7

  // The late output itself lies between the nominal outputs at 0.500 s and 0.501 s.
  const std::vector<Sample> nominal = run_at(nominal_instants());
  EXPECT_GT(late[499].u, nominal[499].u);
  EXPECT_LT(late[499].u, nominal[500].u);
}

TEST(Pid, MissedCycleDoesNotSpikeTheOutput) {
  std::vector<double> ts = nominal_instants();
  ts.erase(ts.begin() + 499); // cycle 500 never runs: the next one sees dt = 2 ms
  EXPECT_LT(largest_difference_from_nominal(run_at(ts)), 1e-6); // measured 3.1e-7
}

TEST(Pid, NonPositiveOrNonFiniteDtHoldsTheLastOutputAndLeavesStateUntouched) {
  const PidGains g = force_like_gains();
  Pid reference = settled_pid(g, 100.0);
  Pid pid = settled_pid(g, 100.0);
  const double held = pid.update(130.0, 101.0, kPeriod);
  reference.update(130.0, 101.0, kPeriod);

  for (Duration bad : {Duration(0.0), milliseconds(-1), Duration(std::nan("")),
                       Duration(std::numeric_limits<double>::infinity())})
    EXPECT_EQ(pid.update(130.0, 180.0, bad), held);
  EXPECT_EQ(pid.update(std::nan(""), 101.0, kPeriod), held);
  EXPECT_EQ(pid.rejected_updates(), 5u);

  EXPECT_EQ(pid.update(130.0, 102.0, kPeriod), reference.update(130.0, 102.0, kPeriod));
}

TEST(Pid, StalledCycleIntegratesAtMostMaxDt) {
  const PidGains g = force_like_gains(); // max_dt 100 ms
  Pid pid = settled_pid(g, 100.0);
  pid.update(110.0, 100.0, kPeriod);
  const double integral_before = pid.terms().integral;
  pid.update(110.0, 100.0, seconds(10.0)); // the loop stalled for 10 s
  // ki · 10 · 0.1 s = 1e-3, not ki · 10 · 10 s = 0.1 (twice the output range).
  EXPECT_NEAR(pid.terms().integral - integral_before, g.ki * 10.0 * 0.1, 1e-12);
}

TEST(Pid, EnablingIsBumpless) {
  const PidGains g = force_like_gains();
  Pid pid(g);
  for (int i = 0; i < 50; ++i)
    pid.update(300.0, 250.0, kPeriod); // history to forget
  pid.reset(0.0123);                   // the drive is running at 12.3 mm/s under manual control

  const double first = pid.update(337.0, 300.0, kPeriod, 0.002); // error 37, feedforward 2 mm/s
  EXPECT_NEAR(first, 0.0123, 1e-9);
  EXPECT_EQ(pid.terms().derivative, 0.0);
  // The next cycle moves only by the integration of one cycle: ki · 37 · 1 ms = 3.7e-5.
  const double second = pid.update(337.0, 300.0, kPeriod, 0.002);
  EXPECT_NEAR(second - first, g.ki * 37.0 * kPeriod.si(), 1e-12);
}

TEST(Pid, BadCycleRightAfterEnablingHoldsTheCurrentOutput) {
  Pid pid = settled_pid(force_like_gains(), 100.0);
  pid.update(150.0, 100.0, kPeriod); // output 0.025 before the switch to manual
  pid.reset(-0.004);
  EXPECT_EQ(pid.output(), -0.004);
  EXPECT_EQ(pid.update(150.0, 100.0, Duration(0.0)), -0.004);
}

TEST(Pid, EnablingOutsideTheLimitsStartsAtTheLimit) {
  Pid pid(force_like_gains());
  pid.reset(0.2);
  EXPECT_EQ(pid.update(100.0, 100.0, kPeriod), 0.05);
}

TEST(Pid, RetuningWhileRunningDoesNotBumpTheOutput) {
  const PidGains g = force_like_gains();
  Pid pid = settled_pid(g, 100.0);
  // Measurement ramping at 5 units/s with a 20-unit error: P, I and D are all non-zero.
  double y = 100.0;
  for (int i = 0; i < 200; ++i) {
    y += 0.005;
    pid.update(y + 20.0, y, kPeriod);
  }
  const double before = pid.output();

  PidGains retuned = g;
  retuned.kp *= 2.0;
  retuned.ki *= 3.0;
  retuned.kd *= 0.5;
  ASSERT_TRUE(pid.set_gains(retuned));
  y += 0.005;
  const double after = pid.update(y + 20.0, y, kPeriod);

  // The output moves only by this cycle's integration with the new ki, 3 · 1e-3 · 20 · 1 ms =
  // 6e-5, as any cycle would; a retune that ignored the bump would step it by kp · 20 = 1e-2.
  EXPECT_NEAR(after - before, retuned.ki * 20.0 * kPeriod.si(), 1e-9);
}

TEST(Pid, InvalidGainsAreRefusedWhileRunningAndTheOldOnesKept) {
  const PidGains g = force_like_gains();
  Pid pid = settled_pid(g, 100.0);
  PidGains bad = g;
  bad.kp = -1.0;
  EXPECT_FALSE(pid.set_gains(bad));
  EXPECT_EQ(pid.gains().kp, g.kp);
}

TEST(Pid, ConstructionWithInvalidGainsThrowsTheValidationMessage) {
  PidGains g = force_like_gains();
  g.output_min = 1.0;
  g.output_max = 1.0;
  try {
    Pid pid(g);
    FAIL() << "expected std::invalid_argument";
  } catch (const std::invalid_argument &e) {
    EXPECT_NE(std::string(e.what()).find("output_min: must be < output_max"), std::string::npos);
  }
}

TEST(PidGains, DefaultsAndForceLoopGainsAreValid) {
  EXPECT_EQ(PidGains{}.validate(), "");
  EXPECT_EQ(force_like_gains().validate(), "");
  EXPECT_TRUE(force_like_gains().valid());
}

// Each bad field gives a message naming it and why; valid() agrees with validate().
struct BadGains {
  const char *name;
  void (*spoil)(PidGains &);
  const char *message;
};

class PidGainsValidation : public ::testing::TestWithParam<BadGains> {};

TEST_P(PidGainsValidation, NamesTheBadFieldAndWhy) {
  PidGains g = force_like_gains();
  GetParam().spoil(g);
  EXPECT_EQ(g.validate(), GetParam().message);
  EXPECT_FALSE(g.valid());
}

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

INSTANTIATE_TEST_SUITE_P(
    EachField, PidGainsValidation,
    ::testing::Values(
        BadGains{"NegativeKp", [](PidGains &g) { g.kp = -1e-4; }, "kp: must be finite and >= 0"},
        BadGains{"NaNKi", [](PidGains &g) { g.ki = kNaN; }, "ki: must be finite and >= 0"},
        BadGains{"NegativeKd", [](PidGains &g) { g.kd = -1.0; }, "kd: must be finite and >= 0"},
        BadGains{"UnfilteredDerivative", [](PidGains &g) { g.derivative_filter = Duration(0.0); },
                 "derivative_filter: must be > 0 s when kd > 0 (an unfiltered derivative "
                 "amplifies load-cell noise without bound)"},
        BadGains{"NegativeDerivativeFilter",
                 [](PidGains &g) { g.derivative_filter = milliseconds(-1); },
                 "derivative_filter: must be finite and >= 0 s"},
        BadGains{"ZeroTrackingTime", [](PidGains &g) { g.tracking_time = Duration(0.0); },
                 "tracking_time: must be finite and > 0 s (anti-windup needs it)"},
        BadGains{"MinNotBelowMax",
                 [](PidGains &g) {
                   g.output_min = 0.05;
                   g.output_max = 0.01;
                 },
                 "output_min: must be < output_max"},
        BadGains{"InfiniteMax",
                 [](PidGains &g) { g.output_max = std::numeric_limits<double>::infinity(); },
                 "output_max: must be finite"},
        BadGains{"NaNMin", [](PidGains &g) { g.output_min = kNaN; }, "output_min: must be finite"},
        BadGains{"ZeroMaxDt", [](PidGains &g) { g.max_dt = Duration(0.0); },
                 "max_dt: must be finite and > 0 s"},
        BadGains{"TwoProblemsAtOnce",
                 [](PidGains &g) {
                   g.kp = -1.0;
                   g.max_dt = Duration(kNaN);
                 },
                 "kp: must be finite and >= 0; max_dt: must be finite and > 0 s"}),
    [](const ::testing::TestParamInfo<BadGains> &param) { return std::string(param.param.name); });

} // namespace
} // namespace tractus::controller
