// The RLS identification of F ≈ k·x + c·ẋ + b (controller/stiffness_rls.hpp) on prescribed cable
// motions, without a loop: one behaviour per test, each with the figure it holds.
// docs/force-loop.md, "Stiffness and damping identification (RLS)", explains the figures.
#include "controller/force_loop.hpp"
#include "controller/stiffness_rls.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <functional>
#include <limits>
#include <numbers>
#include <random>

namespace tractus::controller {
namespace {

constexpr double kDt = 0.001;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// A prescribed cable motion x(t), ẋ(t) and the force a given patient model answers with, read by
// a load cell with Gaussian noise. `rate` is the setpoint rate the gate sees.
struct Motion {
  std::function<double(double)> x, v;
  std::function<double(double, double)> force; // F(x, ẋ)
  double noise = 0.4;                          // N RMS
  double rate = 30.0;                          // N/s
  bool measured_speed = true;                  // false: the RLS differentiates the position
  std::mt19937 rng{7u};

  void drive(StiffnessRls &rls, double t0, double duration, double fallback = 20'000.0,
             const std::function<void(double)> &observe = {}) {
    std::normal_distribution<double> n(0.0, noise);
    const auto cycles = static_cast<int>(std::lround(duration / kDt));
    for (int i = 1; i <= cycles; ++i) {
      const double t = t0 + i * kDt;
      const double f = force(x(t), v(t)) + (noise > 0.0 ? n(rng) : 0.0);
      rls.update(newtons(f), metres(x(t)), metres_per_second(measured_speed ? v(t) : kNaN),
                 newtons_per_second(rate), seconds(kDt), newtons_per_metre(fallback));
      if (observe) observe(t);
    }
  }
};

// 1.5 mm/s of travel (30 N/s at 20 kN/m) with a 0.5 mm, 1 Hz wobble, which varies ẋ by ±3.1
// mm/s: without a varying speed, c·ẋ cannot be told from b.
Motion spring_and_damper(double k, double c, double b) {
  constexpr double w = 2.0 * std::numbers::pi;
  return Motion{[](double t) { return 0.040 + 0.0015 * t + 0.0005 * std::sin(w * t); },
                [](double t) { return 0.0015 + 0.0005 * w * std::cos(w * t); },
                [=](double x, double v) { return k * x + c * v + b; }};
}

TEST(StiffnessRls, RecoversAKnownSpringAndDamper) {
  for (bool measured_speed : {true, false}) {
    SCOPED_TRACE(measured_speed ? "drive speed" : "differentiated position");
    StiffnessRls rls{ForceLoopParams{}};
    Motion m = spring_and_damper(20'000.0, 2'000.0, -700.0);
    m.measured_speed = measured_speed;
    m.drive(rls, 0.0, 5.0);
    // Measured: with the drive's speed k −0.01 %, c +0.1 %; differentiating the position
    // k −0.17 %, c +2.0 %.
    EXPECT_NEAR(rls.raw_stiffness(), 20'000.0, 0.01 * 20'000.0);
    EXPECT_NEAR(rls.raw_damping(), 2'000.0, 0.10 * 2'000.0);
    EXPECT_TRUE(rls.trusted());
    EXPECT_NEAR(rls.damping_ns_per_m(), rls.raw_damping(), 1e-9);
  }
}

TEST(StiffnessRls, FollowsAStiffeningSpring) {
  // F = 5000·x + 5·10⁵·x², 11→29 kN/m over a 30 N/s ramp (the docs' stiffening spring).
  StiffnessRls rls{ForceLoopParams{}};
  Motion m{[](double t) { return 0.006 + 0.001 * t; }, [](double) { return 0.001; },
           [](double x, double) { return 5'000.0 * x + 5e5 * x * x; }};
  double worst_lag = 0.0;
  m.drive(rls, 0.0, 18.0, 20'000.0, [&](double t) {
    const double k_true = 5'000.0 + 1e6 * m.x(t);
    if (t >= 2.0) worst_lag = std::max(worst_lag, std::abs(rls.raw_stiffness() / k_true - 1.0));
  });
  // Measured: at most 6.8 % behind from 2 s on, 2·T·ẋ·dk/dx = 1 kN/m as expected of a 0.5 s
  // memory (the ΔF/Δx estimator: 5-10 %).
  EXPECT_LT(worst_lag, 0.08);
  EXPECT_TRUE(rls.trusted());
}

TEST(StiffnessRls, AHoldLeavesTheEstimateAndCovarianceExactlyAlone) {
  StiffnessRls rls{ForceLoopParams{}};
  Motion m = spring_and_damper(20'000.0, 2'000.0, -700.0);
  m.drive(rls, 0.0, 3.0);
  const double k = rls.raw_stiffness(), c = rls.raw_damping(), b = rls.offset();
  const auto p = rls.covariance();
  const bool trusted = rls.trusted();
  // 60 s of hold: the cable creeps out 2 mm while the force is regulated, which ΔF/Δx would read
  // as a very soft spring.
  Motion hold{[](double t) { return 0.0445 + 2e-3 * (t - 3.0) / 60.0; },
              [](double) { return 2e-3 / 60.0; }, [](double, double) { return 400.0; }};
  hold.rate = 0.0;
  hold.drive(rls, 3.0, 60.0);
  EXPECT_EQ(rls.raw_stiffness(), k);
  EXPECT_EQ(rls.raw_damping(), c);
  EXPECT_EQ(rls.offset(), b);
  EXPECT_EQ(rls.covariance(), p);
  EXPECT_EQ(rls.trusted(), trusted);
}

TEST(StiffnessRls, ACableThatDoesNotMoveCannotWindTheCovarianceUp) {
  // The setpoint moves but the cable is stuck (a drive that does not follow): no excitation
  // for 30 s. Forgetting alone would multiply P by e^30; the bound holds each variance at its
  // prior, so k's standard error grows to the prior's and trust is withdrawn.
  const ForceLoopParams params;
  StiffnessRls rls{params};
  Motion m = spring_and_damper(20'000.0, 2'000.0, -700.0);
  m.drive(rls, 0.0, 3.0);
  ASSERT_TRUE(rls.trusted());
  Motion stuck{[](double) { return 0.045; }, [](double) { return 0.0; },
               [](double, double) { return 200.0; }};
  const std::array<double, 3> prior{std::pow(params.rls_prior_stiffness_sd.si(), 2),
                                    std::pow(params.rls_prior_damping_sd_ns_per_m, 2),
                                    std::pow(params.rls_prior_offset_sd.si(), 2)};
  std::array<double, 3> worst{};
  stuck.drive(rls, 3.0, 30.0, 20'000.0, [&](double) {
    const auto p = rls.covariance();
    for (std::size_t i = 0; i < 3; ++i)
      worst[i] = std::max(worst[i], p[i * 4] / prior[i]);
  });
  // Measured: k's variance peaks at 3.9 % of its prior (a standard error of 20 % of k), c's
  // and b's at their priors; k relaxes towards the fallback (18.3 kN/m).
  for (double w : worst)
    EXPECT_LE(w, 1.0 + 1e-9);
  EXPECT_TRUE(std::isfinite(rls.raw_stiffness()));
  EXPECT_EQ(rls.distrust(), RlsDistrust::covariance);
}

TEST(StiffnessRls, NoiseFiveTimesTheLoadCellsCostsLittle) {
  for (double noise : {0.0, 0.4, 2.0}) {
    SCOPED_TRACE(noise);
    StiffnessRls rls{ForceLoopParams{}};
    Motion m = spring_and_damper(20'000.0, 2'000.0, -700.0);
    m.noise = noise;
    m.drive(rls, 0.0, 5.0);
    // Measured at 2 N RMS (five times the load cell's): k −0.05 %, c +0.5 %.
    EXPECT_NEAR(rls.raw_stiffness(), 20'000.0, 0.01 * 20'000.0);
    EXPECT_NEAR(rls.raw_damping(), 2'000.0, 0.05 * 2'000.0);
  }
}

TEST(StiffnessRls, NonFiniteInputsAreRefusedAndLeaveTheStateAlone) {
  StiffnessRls rls{ForceLoopParams{}};
  Motion m = spring_and_damper(20'000.0, 2'000.0, -700.0);
  m.drive(rls, 0.0, 3.0);
  const double k = rls.raw_stiffness(), c = rls.raw_damping(), b = rls.offset();
  const auto p = rls.covariance();
  constexpr double inf = std::numeric_limits<double>::infinity();
  const Stiffness fallback = newtons_per_metre(20'000.0);
  EXPECT_FALSE(rls.update(newtons(kNaN), metres(0.045), {}, newtons_per_second(30.0), seconds(kDt),
                          fallback));
  EXPECT_FALSE(rls.update(newtons(inf), metres(0.045), {}, newtons_per_second(30.0), seconds(kDt),
                          fallback));
  EXPECT_FALSE(rls.update(newtons(200.0), metres(kNaN), {}, newtons_per_second(30.0), seconds(kDt),
                          fallback));
  EXPECT_FALSE(rls.update(newtons(200.0), metres(0.045), {}, newtons_per_second(kNaN), seconds(kDt),
                          fallback));
  EXPECT_FALSE(rls.update(newtons(200.0), metres(0.045), {}, newtons_per_second(30.0),
                          seconds(kNaN), fallback));
  EXPECT_FALSE(rls.update(newtons(200.0), metres(0.045), {}, newtons_per_second(30.0), seconds(0.0),
                          fallback));
  EXPECT_EQ(rls.raw_stiffness(), k);
  EXPECT_EQ(rls.raw_damping(), c);
  EXPECT_EQ(rls.offset(), b);
  EXPECT_EQ(rls.covariance(), p);
  // A non-finite drive speed means "not measured": the position is differentiated instead.
  m.measured_speed = false;
  m.drive(rls, 3.0, 2.0);
  EXPECT_NEAR(rls.raw_stiffness(), 20'000.0, 0.01 * 20'000.0);
  EXPECT_TRUE(rls.trusted());
}

TEST(StiffnessRls, TrustNeedsExcitationAndAgreementAndIsWithdrawnAtOnce) {
  const ForceLoopParams params;
  StiffnessRls rls{params};
  Motion m = spring_and_damper(20'000.0, 2'000.0, -700.0);
  EXPECT_EQ(rls.distrust(), RlsDistrust::few_samples);
  m.drive(rls, 0.0, 0.4);
  EXPECT_EQ(rls.distrust(), RlsDistrust::few_samples); // < rls_min_excitation of motion
  m.drive(rls, 0.4, 0.6);
  EXPECT_TRUE(rls.trusted());
  // A fallback that disagrees by more than 1.5× withdraws trust on the next cycle ...
  m.drive(rls, 1.0, kDt, 20'000.0 * 1.6);
  EXPECT_EQ(rls.distrust(), RlsDistrust::disagreement);
  m.drive(rls, 1.0 + kDt, kDt, 20'000.0 / 1.6);
  EXPECT_EQ(rls.distrust(), RlsDistrust::disagreement);
  // ... and agreement gives it back after rls_trust_delay of motion, not before.
  m.drive(rls, 1.002, 0.19, 20'000.0 * 1.4);
  EXPECT_EQ(rls.distrust(), RlsDistrust::settling);
  m.drive(rls, 1.192, 0.011, 20'000.0 * 1.4);
  EXPECT_TRUE(rls.trusted());
  // Out of the stiffness range: distrusted whatever the fallback says.
  StiffnessRls stiff{params};
  Motion steel = spring_and_damper(120'000.0, 0.0, -4'000.0);
  steel.drive(stiff, 0.0, 2.0, 120'000.0);
  EXPECT_EQ(stiff.distrust(), RlsDistrust::out_of_bounds);
  EXPECT_EQ(stiff.stiffness(), params.max_stiffness);
}

} // namespace
} // namespace tractus::controller
