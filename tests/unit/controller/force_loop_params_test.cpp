// ForceLoopParams' validation: every bad field is named with why, and a ForceLoop refuses to be
// built from parameters that fail it.
#include "controller/force_loop.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace tractus::controller {
namespace {

TEST(ForceLoopParams, DefaultsAreValid) { EXPECT_EQ(ForceLoopParams{}.validate(), ""); }

TEST(ForceLoopParams, TheGovernorsFieldsAreNamedWhenBad) {
  ForceLoopParams p;
  p.pull_rate_governor.engage_rise = newtons(0.0);
  p.pull_rate_governor.release_rise = newtons(5.0);
  p.pull_rate_governor.allowed_rate = newtons_per_second(std::nan(""));
  p.pull_rate_governor.trough_lag = Duration(0.0);
  p.pull_rate_governor.min_travel = Length(-1.0);
  EXPECT_EQ(p.validate(), "pull_rate_governor.engage_rise: must be finite and > 0 N; "
                          "pull_rate_governor.release_rise: must be finite, > 0 N and <= "
                          "engage_rise; "
                          "pull_rate_governor.allowed_rate: must be finite and > 0 N/s; "
                          "pull_rate_governor.trough_lag: must be finite and > 0 s; "
                          "pull_rate_governor.min_travel: must be finite and > 0 m");
  EXPECT_FALSE(p.valid());
  p.pull_rate_governor = {};
  p.pull_rate_governor.release_rise = p.pull_rate_governor.engage_rise; // no gap: allowed
  EXPECT_EQ(p.validate(), "");
}

TEST(ForceLoopParams, ConstructionWithInvalidParamsThrowsTheValidationMessage) {
  ForceLoopParams p;
  p.max_speed = metres_per_second(0.0);
  EXPECT_THROW(ForceLoop{p}, std::invalid_argument);
}

// Each bad field gives a message naming it and why; valid() agrees with validate().
struct BadParams {
  const char *name;
  void (*spoil)(ForceLoopParams &);
  const char *message;
};

class ForceLoopParamsValidation : public ::testing::TestWithParam<BadParams> {};

TEST_P(ForceLoopParamsValidation, NamesTheBadFieldAndWhy) {
  ForceLoopParams p;
  GetParam().spoil(p);
  EXPECT_EQ(p.validate(), GetParam().message);
  EXPECT_FALSE(p.valid());
}

INSTANTIATE_TEST_SUITE_P(
    EachField, ForceLoopParamsValidation,
    ::testing::Values(
        BadParams{"ZeroBandwidth", [](ForceLoopParams &p) { p.bandwidth_rad_per_s = 0.0; },
                  "bandwidth_rad_per_s: must be finite and > 0 (8-15 rad/s is the design range)"},
        BadParams{"ZeroIntegralTime", [](ForceLoopParams &p) { p.integral_time = Duration(0.0); },
                  "integral_time: must be finite and > 0 s"},
        BadParams{"NegativeDerivativeTime",
                  [](ForceLoopParams &p) { p.derivative_time = milliseconds(-1); },
                  "derivative_time: must be finite and >= 0 s"},
        BadParams{"UnfilteredDerivative",
                  [](ForceLoopParams &p) {
                    p.derivative_time = milliseconds(20);
                    p.derivative_filter = Duration(0.0);
                  },
                  "derivative_filter: must be > 0 s when derivative_time > 0"},
        BadParams{"CannotRelease", [](ForceLoopParams &p) { p.min_speed = metres_per_second(0.0); },
                  "min_speed: must be finite and < 0 m/s (the loop must be able to release)"},
        BadParams{"CannotPull", [](ForceLoopParams &p) { p.max_speed = metres_per_second(-0.01); },
                  "max_speed: must be finite and > 0 m/s (the loop must be able to pull)"},
        BadParams{"ZeroMaxDt", [](ForceLoopParams &p) { p.max_dt = Duration(0.0); },
                  "max_dt: must be finite and > 0 s"},
        BadParams{"NegativeForceFilter",
                  [](ForceLoopParams &p) { p.force_filter = milliseconds(-5); },
                  "force_filter: must be finite and >= 0 s"},
        BadParams{"ZeroMinStiffness",
                  [](ForceLoopParams &p) { p.min_stiffness = newtons_per_metre(0.0); },
                  "min_stiffness: must be finite and > 0 N/m"},
        BadParams{"MaxStiffnessBelowMin",
                  [](ForceLoopParams &p) { p.max_stiffness = newtons_per_metre(4'000.0); },
                  "max_stiffness: must be > min_stiffness; initial_stiffness: must be within "
                  "[min_stiffness, max_stiffness]"},
        BadParams{"InitialStiffnessOutOfRange",
                  [](ForceLoopParams &p) { p.initial_stiffness = newtons_per_metre(100'000.0); },
                  "initial_stiffness: must be within [min_stiffness, max_stiffness]"},
        BadParams{"NegativeEstimatorFilter",
                  [](ForceLoopParams &p) { p.estimator_filter = milliseconds(-1); },
                  "estimator_filter: must be finite and >= 0 s"},
        BadParams{"NegativeEstimatorMinForce",
                  [](ForceLoopParams &p) { p.estimator_min_force = newtons(-1.0); },
                  "estimator_min_force: must be finite and >= 0 N"},
        BadParams{"EstimatingDuringHolds",
                  [](ForceLoopParams &p) { p.estimator_min_setpoint_rate = ForceRate(0.0); },
                  "estimator_min_setpoint_rate: must be finite and > 0 N/s (a hold must never "
                  "feed the estimate)"},
        BadParams{"ZeroMinForceChange",
                  [](ForceLoopParams &p) { p.estimator_min_force_change = newtons(0.0); },
                  "estimator_min_force_change: must be finite and > 0 N"},
        BadParams{"ZeroMinTravel", [](ForceLoopParams &p) { p.estimator_min_travel = metres(0.0); },
                  "estimator_min_travel: must be finite and > 0 m"},
        BadParams{"ZeroWindow", [](ForceLoopParams &p) { p.estimator_max_window = Duration(0.0); },
                  "estimator_max_window: must be finite and > 0 s"},
        BadParams{"EstimatorGainAboveOne", [](ForceLoopParams &p) { p.estimator_gain = 1.5; },
                  "estimator_gain: must be in (0, 1]"},
        BadParams{"ZeroForgetting",
                  [](ForceLoopParams &p) { p.rls_forgetting_time = Duration(0.0); },
                  "rls_forgetting_time: must be finite and > 0 s"},
        BadParams{"ZeroResidual", [](ForceLoopParams &p) { p.rls_residual_sd = newtons(0.0); },
                  "rls_residual_sd: must be finite and > 0 N"},
        BadParams{"NanPriors",
                  [](ForceLoopParams &p) {
                    p.rls_prior_stiffness_sd = newtons_per_metre(std::nan(""));
                    p.rls_prior_damping_sd_ns_per_m = -1.0;
                    p.rls_prior_offset_sd = newtons(0.0);
                  },
                  "rls_prior_stiffness_sd: must be finite and > 0 N/m; "
                  "rls_prior_damping_sd_ns_per_m: must be finite and > 0 N·s/m; "
                  "rls_prior_offset_sd: must be finite and > 0 N"},
        BadParams{"NoDampingRange", [](ForceLoopParams &p) { p.rls_max_damping_ns_per_m = 0.0; },
                  "rls_max_damping_ns_per_m: must be finite and > 0 N·s/m"},
        BadParams{"NegativeExcitation",
                  [](ForceLoopParams &p) { p.rls_min_excitation = seconds(-1.0); },
                  "rls_min_excitation: must be finite and >= 0 s"},
        BadParams{"LooseStandardError", [](ForceLoopParams &p) { p.rls_max_relative_sd = 0.8; },
                  "rls_max_relative_sd: must be in (0, 0.5]"},
        BadParams{"DisagreementBelowOne", [](ForceLoopParams &p) { p.rls_max_disagreement = 0.9; },
                  "rls_max_disagreement: must be in [1, 4] (4: the 1 kHz phase margin table's "
                  "worst case)"},
        BadParams{"NegativeTrustDelay",
                  [](ForceLoopParams &p) { p.rls_trust_delay = seconds(-0.1); },
                  "rls_trust_delay: must be finite and >= 0 s"}),
    [](const ::testing::TestParamInfo<BadParams> &param) { return std::string(param.param.name); });

} // namespace
} // namespace tractus::controller
