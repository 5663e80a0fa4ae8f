// The force loop against a small plant of its own (DESIGN §5): a velocity drive with lag
// driving a linear spring through the cable, read by a noisy load cell. One behaviour per test,
// each with the figure it holds. docs/force-loop.md explains the figures.
#include "controller/force_loop.hpp"
#include "spring_plant.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <limits>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace tractus::controller {
namespace {

constexpr Duration kPeriod = milliseconds(1);
constexpr double kTrueStiffness = 20'000.0; // N/m

// The spring on a drive (spring_plant.hpp), at 20 kN/m unless a test says otherwise.
using test_plant::SpringPlant;

// A setpoint trajectory: force and its rate at time t.
struct Setpoint {
  double force;
  double rate;
};
using Trajectory = std::function<Setpoint(double)>;

Trajectory hold(double f) {
  return [f](double) { return Setpoint{f, 0.0}; };
}

// Hold `from` for `start` seconds, then ramp at `rate` to `to` and hold there.
Trajectory ramp(double from, double to, double rate, double start) {
  return [=](double t) {
    const double f = from + rate * std::max(t - start, 0.0);
    return f >= to ? Setpoint{to, 0.0} : Setpoint{f, t >= start ? rate : 0.0};
  };
}

// Runs loop and plant together for `duration`, from plant time t0; observe(t, setpoint, plant)
// is called after each cycle.
void run(ForceLoop &loop, SpringPlant &plant, const Trajectory &trajectory, double t0,
         double duration,
         const std::function<void(double, const Setpoint &, const SpringPlant &)> &observe = {}) {
  const auto cycles = static_cast<int>(std::lround(duration / kPeriod.si()));
  for (int i = 1; i <= cycles; ++i) {
    const double t = t0 + i * kPeriod.si();
    const Setpoint sp = trajectory(t);
    const Speed v = loop.update(newtons(sp.force), newtons_per_second(sp.rate), plant.measured(),
                                metres(plant.position), kPeriod);
    plant.advance(v, kPeriod.si());
    if (observe) observe(t, sp, plant);
  }
}

// A loop enabled at rest on a plant pre-tensioned to `force`.
ForceLoop started_loop(SpringPlant &plant, double force, ForceLoopParams params = {}) {
  plant.settle_at(force);
  ForceLoop loop(params);
  loop.reset(metres_per_second(0.0));
  return loop;
}

TEST(ForceLoop, StepIsTrackedWithBoundedOvershootAndSettlesWithinOneAndAHalfSeconds) {
  SpringPlant plant;
  ForceLoopParams linear; // the PI alone: spasm relief would clip the overshoot it measures
  linear.relief_gain = 0.0;
  ForceLoop loop = started_loop(plant, 100.0, linear);
  run(loop, plant, hold(100.0), 0.0, 1.0);

  double peak = 0.0, settled_at = -1.0;
  run(loop, plant, hold(150.0), 1.0, 3.0, [&](double t, const Setpoint &, const SpringPlant &p) {
    peak = std::max(peak, p.force());
    if (std::abs(p.force() - 150.0) > 1.0)
      settled_at = -1.0;
    else if (settled_at < 0.0)
      settled_at = t - 1.0;
  });
  // 50 N step with no rate: overshoot measured 6.5 N (13 %, the PI zero at 1/Ti on an
  // integrating plant), within ±1 N from 1.21 s on. Trajectories are ramps with feedforward,
  // which overshoot by 0.4 N (next test).
  EXPECT_LT(peak - 150.0, 8.0);
  EXPECT_GT(settled_at, 0.0);
  EXPECT_LT(settled_at, 1.5);
}

TEST(ForceLoop, RampAt30NewtonsPerSecondIsTrackedWithin2Newtons) {
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 20.0);
  double worst = 0.0;
  // Ramp 20 → 400 N at 30 N/s from t = 1 s to 13.67 s, then hold; judged from 1 s into the
  // ramp, through the corner into the hold.
  run(loop, plant, ramp(20.0, 400.0, 30.0, 1.0), 0.0, 16.0,
      [&](double t, const Setpoint &sp, const SpringPlant &p) {
        if (t >= 2.0) worst = std::max(worst, std::abs(p.force() - sp.force));
      });
  EXPECT_LT(worst, 2.0); // measured 0.36 N (at the corner into the hold)
}

TEST(ForceLoop, HoldAt400NewtonsHasErrorRmsBelowOnePercentWithLoadCellNoise) {
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 400.0);
  run(loop, plant, hold(400.0), 0.0, 1.0);
  double sum_true = 0.0, sum_measured = 0.0;
  int n = 0;
  run(loop, plant, hold(400.0), 1.0, 20.0, [&](double, const Setpoint &sp, const SpringPlant &p) {
    const double e = p.force() - sp.force;
    const double m = p.last_reading - sp.force;
    sum_true += e * e;
    sum_measured += m * m;
    ++n;
  });
  const double rms_true = std::sqrt(sum_true / n);
  const double rms_measured = std::sqrt(sum_measured / n);
  // 1 % of 400 N is 4 N. Measured: true force 0.033 N RMS; as the load cell sees it 0.40 N,
  // i.e. its own noise.
  EXPECT_LT(rms_true, 0.01 * 400.0);
  EXPECT_LT(rms_measured, 0.01 * 400.0);
  EXPECT_LT(rms_true, 0.2);
}

TEST(ForceLoop, StiffnessEstimateConvergesWithin20PercentFromEitherSide) {
  for (double initial : {10'000.0, 40'000.0}) {
    SCOPED_TRACE(initial);
    ForceLoopParams params;
    params.initial_stiffness = newtons_per_metre(initial);
    SpringPlant plant;
    ForceLoop loop = started_loop(plant, 20.0, params);
    double converged_at = -1.0;
    run(loop, plant, ramp(20.0, 400.0, 30.0, 1.0), 0.0, 13.0,
        [&](double t, const Setpoint &, const SpringPlant &) {
          const double k = loop.stiffness_estimate().si();
          if (std::abs(k - kTrueStiffness) > 0.2 * kTrueStiffness)
            converged_at = -1.0;
          else if (converged_at < 0.0)
            converged_at = t - 1.0;
        });
    // Measured: within ±20 % for good 0.75 s (from 10 kN/m) and 0.77 s (from 40 kN/m) into
    // the ramp, the RLS trusted from 0.70 s (ΔF/Δx alone: 0.83 s and 1.34 s); the final
    // estimate is within 0.1 % of 20 kN/m.
    EXPECT_GT(converged_at, 0.0);
    EXPECT_LT(converged_at, 2.0);
    EXPECT_NEAR(loop.stiffness_estimate().si(), kTrueStiffness, 0.05 * kTrueStiffness);
  }
}

TEST(ForceLoop, SpasmAt400NewtonHoldGivesBoundedOvershoot) {
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 400.0);
  run(loop, plant, hold(400.0), 0.0, 2.0);
  const double estimate_before = loop.stiffness_estimate().si();

  double peak = 0.0, recovered_at = -1.0;
  // Stiffness rises ×1.5 over 1 s, as a muscle contracting against the pull, and stays there.
  run(loop, plant, hold(400.0), 2.0, 5.0, [&](double t, const Setpoint &, const SpringPlant &) {
    plant.stiffness = kTrueStiffness * (1.0 + 0.5 * std::clamp(t - 2.0, 0.0, 1.0));
    peak = std::max(peak, plant.force());
    if (std::abs(plant.force() - 400.0) > 2.0)
      recovered_at = -1.0;
    else if (recovered_at < 0.0)
      recovered_at = t - 2.0;
  });
  // Left alone the force would rise to 600 N. The linear loop alone (relief off) peaks at
  // 414.8 N (+3.7 %); with spasm relief it is 403.8 N (+0.95 %), back within ±2 N after 1.33 s.
  EXPECT_LT(peak, 408.0);
  EXPECT_GT(peak, 400.0);
  EXPECT_GT(recovered_at, 0.0);
  EXPECT_LT(recovered_at, 2.5);
  // The hold never feeds the estimate: a spasm must not read as a soft spring.
  EXPECT_EQ(loop.stiffness_estimate().si(), estimate_before);
}

TEST(ForceLoop, LoopBandwidthIsTheSameForSoftAndStiffPatients) {
  // Gain scheduling keeps the crossover at ωc = 15 rad/s: a 10 N step reaches 63 % in about
  // 1/ωc whatever the stiffness, once the estimate is right.
  for (double k : {5'000.0, 40'000.0}) {
    SCOPED_TRACE(k);
    ForceLoopParams params;
    params.initial_stiffness = newtons_per_metre(k);
    SpringPlant plant;
    plant.stiffness = k;
    ForceLoop loop = started_loop(plant, 100.0, params);
    run(loop, plant, hold(100.0), 0.0, 0.5);
    double rise = -1.0;
    run(loop, plant, hold(110.0), 0.5, 1.0, [&](double t, const Setpoint &, const SpringPlant &p) {
      if (rise < 0.0 && p.force() >= 106.3) rise = t - 0.5;
    });
    EXPECT_GT(rise, 0.04); // measured 0.059 s at both 5 kN/m and 40 kN/m (1/ωc = 0.067 s)
    EXPECT_LT(rise, 0.09);
  }
}

TEST(ForceLoop, SlackHarnessLeavesTheStiffnessEstimateAlone) {
  SpringPlant plant;
  plant.position = -0.02; // 20 mm of slack: the load cell reads noise around 0 N
  ForceLoop loop(ForceLoopParams{});
  loop.reset(metres_per_second(0.0));
  run(loop, plant, ramp(0.0, 15.0, 30.0, 0.0), 0.0, 0.5);
  EXPECT_EQ(loop.estimator().accepted_slopes(), 0u);
  EXPECT_EQ(loop.stiffness_estimate().si(), ForceLoopParams{}.initial_stiffness.si());
}

TEST(ForceLoop, IdentificationIsTheFallbackUntilTheRlsIsTrusted) {
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 20.0);
  Identification id = loop.identification();
  EXPECT_FALSE(id.trusted);
  EXPECT_EQ(id.damping_ns_per_m, 0.0);
  EXPECT_EQ(id.stiffness, ForceLoopParams{}.initial_stiffness);
  double trusted_at = -1.0;
  run(loop, plant, ramp(20.0, 400.0, 30.0, 1.0), 0.0, 4.0,
      [&](double t, const Setpoint &, const SpringPlant &) {
        const Identification now = loop.identification();
        EXPECT_EQ(now.stiffness, loop.stiffness_estimate());
        EXPECT_EQ(now.stiffness,
                  now.trusted ? loop.rls().stiffness() : loop.estimator().estimate());
        if (now.trusted && trusted_at < 0.0) trusted_at = t - 1.0;
      });
  // Measured: trusted 0.70 s into the ramp (0.5 s of excitation + 0.2 s settling), k̂ within
  // 0.1 % of 20 kN/m; the plant has no damper, ĉ measured 0 N·s/m.
  EXPECT_GT(trusted_at, 0.6);
  EXPECT_LT(trusted_at, 1.0);
  id = loop.identification();
  EXPECT_TRUE(id.trusted);
  EXPECT_NEAR(id.stiffness.si(), kTrueStiffness, 0.01 * kTrueStiffness);
  EXPECT_LT(id.damping_ns_per_m, 200.0);
}

TEST(ForceLoop, AFrozenEncoderHoldsTheLastTrustedStiffnessUntilTheRlsEarnsTrustAgain) {
  // The drive's position reading stops for 3 s in the middle of a ramp, then counts on from
  // where it stopped (missed counts: an offset from then on). While frozen the force rises
  // with no travel: the RLS cannot see k and must give up; the gains keep the k̂ it last
  // earned (never the distrusted one, never a stale window of ΔF/Δx).
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 20.0);
  double lost_at = -1.0, regained_at = -1.0, worst = 0.0;
  double frozen_at = 0.0, missed = 0.0; // m: the reading that stuck, the counts missed
  bool was_trusted = false;
  Stiffness last_trusted{};
  const Trajectory trajectory = ramp(20.0, 400.0, 30.0, 1.0);
  for (int i = 1; i <= 16'000; ++i) {
    const double t = i * kPeriod.si();
    const Setpoint sp = trajectory(t);
    const bool frozen = t >= 4.0 && t < 7.0;
    if (t < 4.0) frozen_at = plant.position;
    if (t < 7.0) missed = plant.position - frozen_at;
    const double reading = frozen ? frozen_at : plant.position - missed;
    const Speed v = loop.update(newtons(sp.force), newtons_per_second(sp.rate), plant.measured(),
                                metres(reading), kPeriod);
    plant.advance(v, kPeriod.si());
    const Identification id = loop.identification();
    if (t >= 2.0) worst = std::max(worst, std::abs(plant.force() - sp.force));
    if (t >= 4.0 && was_trusted && !id.trusted && lost_at < 0.0) lost_at = t - 4.0;
    if (t >= 7.0 && id.trusted && regained_at < 0.0) regained_at = t - 7.0;
    was_trusted = id.trusted;
    if (id.trusted) last_trusted = id.stiffness;
    if (!id.trusted && last_trusted.si() > 0.0) {
      EXPECT_EQ(id.stiffness, last_trusted) << t;
    }
  }
  // Measured: trust lost 0.042 s into the freeze, regained 0.50 s after it; the force stayed
  // within 0.36 N of the ramp throughout (the corner into the hold, as without the freeze).
  EXPECT_GT(lost_at, 0.0);
  EXPECT_LT(lost_at, 1.0);
  EXPECT_GT(regained_at, 0.0);
  EXPECT_LT(regained_at, 3.0);
  EXPECT_NEAR(loop.stiffness_estimate().si(), kTrueStiffness, 0.05 * kTrueStiffness);
  EXPECT_LT(worst, 5.0);
}

TEST(ForceLoop, ResetIsBumpless) {
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 200.0);
  run(loop, plant, hold(250.0), 0.0, 0.05); // some history, mid-transient

  loop.reset(metres_per_second(0.003)); // resuming while the drive turns at 3 mm/s
  const Speed first = loop.update(newtons(300.0), newtons_per_second(30.0), plant.measured(),
                                  metres(plant.position), kPeriod);
  EXPECT_NEAR(first.si(), 0.003, 1e-9);
}

// The spasm relief's gain is capped for the loop's period (at 100 Hz, 1.5 ωc), never for one
// cycle's measured dt: a cycle cut short after a late one (a busy PC) paid out five times harder
// for the whole period that followed, and the jitter set the loop ringing until 302 tripped.
TEST(ForceLoop, TheReliefOfACycleCutShortIsTheNominalPeriods) {
  const ForceLoopParams params = force_loop_params_for(milliseconds(10));
  const auto pay_out = [&](Duration dt) {
    ForceLoop loop(params);
    loop.reset(Speed{});
    // 30 N over a 200 N setpoint for 100 ms (the force filter settled), then one cycle of dt:
    // the P term, the relief's payout and the integral, which alone may differ (by ki·e·8 ms).
    for (int i = 0; i < 10; ++i)
      loop.update(newtons(200), {}, newtons(230), metres(0.05), milliseconds(10));
    return loop.update(newtons(200), {}, newtons(230), metres(0.05), dt).si();
  };
  const double nominal = pay_out(milliseconds(10));
  EXPECT_LT(nominal, -0.002); // paying out, over 2 mm/s
  EXPECT_NEAR(pay_out(milliseconds(2)), nominal, 0.0005) << "m/s";
}

TEST(ForceLoop, BadCycleHoldsTheLastCommand) {
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 200.0);
  run(loop, plant, hold(210.0), 0.0, 0.05);
  const Speed held = loop.command();
  const Length x = metres(plant.position);
  EXPECT_EQ(loop.update(newtons(210.0), {}, newtons(std::nan("")), x, kPeriod), held);
  EXPECT_EQ(loop.update(newtons(210.0), {}, plant.measured(), x, Duration(0.0)), held);
  EXPECT_EQ(loop.update(newtons(210.0), {}, plant.measured(), x, milliseconds(-1)), held);
  EXPECT_EQ(loop.pid().rejected_updates(), 3u);
}

TEST(ForceLoop, GainsFollowTheStiffnessEstimate) {
  const ForceLoopParams params;
  const PidGains g = force_loop_gains(params, newtons_per_metre(20'000.0));
  EXPECT_DOUBLE_EQ(g.kp, 15.0 / 20'000.0); // ωc / k: 0.75 mm/s per newton of error
  EXPECT_DOUBLE_EQ(g.ki, g.kp / 0.5);      // kp / Ti
  EXPECT_EQ(g.kd, 0.0);
  EXPECT_EQ(g.tracking_time.si(), 0.5); // Tt = Ti
  EXPECT_EQ(g.output_min, -0.05);
  EXPECT_EQ(g.output_max, 0.05);
  EXPECT_TRUE(g.valid());
}

// A section that sticks on the table, then slips: the cable pulls the stiff harness alone
// (274 kN/m, while the loop's k̂ is 26 kN/m) and the slip drops the force 25 N within 25 ms.
// Fault 302 trips when the force rises faster than 250 N/s over 50 ms while the cable is drawn
// in faster than 1 mm/s (plausibility.hpp). Here the harness stays stuck for the whole second,
// ten times stiffer than the gains believe: the loop rings at about 17 Hz either way (in the
// simulator the section moves again and the identification catches up). What the governor
// changes is how hard each swing pulls.
struct SlipRebound {
  double fastest_rise = 0.0; // N/s over 50 ms, while pulling faster than 1 mm/s
  double peak = 0.0;         // N, the true force's highest after the slip
};

SlipRebound rebound_after_a_slip(bool governor) {
  constexpr double kHarness = 274'000.0;
  ForceLoopParams params;
  params.initial_stiffness = newtons_per_metre(26'000.0);
  params.pull_rate_governor_enabled = governor;
  SpringPlant plant;
  plant.stiffness = kHarness;
  plant.drive_lag = 0.020;
  ForceLoop loop = started_loop(plant, 300.0, params);
  run(loop, plant, hold(300.0), 0.0, 1.0);
  SlipRebound r;
  std::vector<double> history; // the true force, one sample a cycle
  run(loop, plant, hold(300.0), 1.0, 1.0, [&](double, const Setpoint &, const SpringPlant &p) {
    if (history.size() < 25) plant.position -= 25.0 / kHarness / 25.0; // slips 0.09 mm in 25 ms
    history.push_back(p.force());
    r.peak = std::max(r.peak, p.force());
    if (history.size() > 50 && p.speed > 0.001)
      r.fastest_rise =
          std::max(r.fastest_rise, (history.back() - history[history.size() - 51]) / 0.05);
  });
  return r;
}

TEST(ForceLoop, TheGovernorWinsBackASlipOnAStuckSectionWithoutAForceRateTrip) {
  const SlipRebound governed = rebound_after_a_slip(true);
  const SlipRebound ungoverned = rebound_after_a_slip(false);
  // Measured: 137 N/s governed; 584 N/s without the governor.
  EXPECT_LT(governed.fastest_rise, 200.0);
  EXPECT_GT(ungoverned.fastest_rise, 250.0); // the loop alone would trip 302 here
  // 301 (over-force) trips at the highest setpoint + 4 %, 312 N: measured 308.3 N governed,
  // 387.5 N without.
  EXPECT_LT(governed.peak, 312.0);
  EXPECT_GT(ungoverned.peak, 312.0);
}

// A cycle with no cable position (a drive reply that did not decode, an encoder re-homed) makes
// the governor forget its trough: a position after the gap means nothing against one before it.
// Here the position is unreadable for 1 s while the setpoint climbs 50 N/s from 200 N, and comes
// back 50 mm lower (re-homed). A trough kept across the gap would see the force 50 N above it
// with the cable 50 mm short of it, "a rise with no cable drawn in", and allow no pulling until
// it had followed the force up. Measured with the reset removed: 191 cycles (ms) that did not
// pull, the force 7.4 N behind the ramp; with it, the force is never behind the ramp.
TEST(ForceLoop, TheGovernorForgetsItsTroughAcrossAGapInTheCablePosition) {
  SpringPlant plant;
  ForceLoop loop = started_loop(plant, 200.0);
  run(loop, plant, hold(200.0), 0.0, 1.0);
  const Trajectory climb = ramp(200.0, 300.0, 50.0, 1.0);
  const auto cycle = [&](double t, Length position) {
    const Setpoint sp = climb(t);
    const Speed v = loop.update(newtons(sp.force), newtons_per_second(sp.rate), plant.measured(),
                                position, kPeriod);
    plant.advance(v, kPeriod.si());
    return v;
  };
  double t = 1.0;
  for (int i = 0; i < 1000; ++i)
    cycle(t += kPeriod.si(), metres(std::nan("")));
  int held = 0; // cycles after the gap that did not pull while the force lagged the ramp
  double worst_lag = 0.0;
  for (int i = 0; i < 300; ++i) {
    const double lag = climb(t + kPeriod.si()).force - plant.force();
    const Speed v = cycle(t += kPeriod.si(), metres(plant.position - 0.050));
    worst_lag = std::max(worst_lag, lag);
    if (lag > 1.0 && v <= Speed{}) ++held;
  }
  EXPECT_EQ(held, 0);
  EXPECT_LT(worst_lag, 3.0) << "the ramp was not followed after the gap";
}

// Through an oscillating hold the loop identifies nothing and feeds forward at the sine's own
// stiffness, not the ramp's k̂. Until the sine's first reversal it is the loop a standing
// setpoint would have, to the last bit; from then on its feedforward is rate / (ΔF/Δx) of the
// half period before. The plant is a spring stiffer than the ramp's (the harness alone, the
// section held by its friction, as in the simulator); a frictionless one is the ramp's spring.
void expect_oscillating_hold_feeds_forward_at(double plant_stiffness) {
  SpringPlant ramp_plant;
  ForceLoop identified = started_loop(ramp_plant, 20.0);
  run(identified, ramp_plant, ramp(20.0, 200.0, 30.0, 1.0), 0.0, 8.0);
  ASSERT_TRUE(identified.identification().trusted);
  const Stiffness k_ramp = identified.stiffness_estimate();
  const auto slopes = identified.estimator().accepted_slopes();
  const Duration informative = identified.rls().informative_time();

  ForceLoop oscillating = identified; // the same loop, state and all, twice
  ForceLoop standing = identified;
  SpringPlant a = ramp_plant, b = ramp_plant;
  for (SpringPlant *p : {&a, &b}) {
    p->stiffness = plant_stiffness;
    p->settle_at(200.0);
  }
  const double w = 2.0 * M_PI * 0.25; // a 7 N sine at 0.25 Hz, from its rising zero crossing
  int differing_before_reversal = 0;
  double worst_error = 0.0;
  for (int i = 1; i <= 12'000; ++i) { // three periods
    const double t = i * kPeriod.si();
    const Force sp = newtons(200.0 + 7.0 * std::sin(w * t));
    const ForceRate rate = newtons_per_second(7.0 * w * std::cos(w * t));
    oscillating.set_oscillating_hold(true);
    const Force measured = a.measured();
    const Speed va = oscillating.update(sp, rate, measured, metres(a.position), kPeriod);
    if (t < 1.0) { // before the first reversal, at 1 s
      const Speed vb = standing.update(sp, ForceRate{}, b.measured(), metres(b.position), kPeriod);
      b.advance(vb, kPeriod.si());
      differing_before_reversal += va != vb ? 1 : 0;
    } else if (t > 3.0) { // a whole half period measured: the loop follows the sine
      worst_error = std::max(worst_error, std::abs(a.force() - sp.si()));
      const Speed ff = rate / oscillating.oscillation_stiffness();
      EXPECT_NEAR(oscillating.pid().terms().feedforward, ff.si(), 1e-12);
    }
    a.advance(va, kPeriod.si());
  }
  EXPECT_EQ(differing_before_reversal, 0);
  EXPECT_NEAR(oscillating.oscillation_stiffness().si(), plant_stiffness, 0.1 * plant_stiffness);
  EXPECT_LT(worst_error, 1.5) << "7 N sine at 0.25 Hz on " << plant_stiffness << " N/m";
  EXPECT_EQ(oscillating.stiffness_estimate(), k_ramp);
  EXPECT_EQ(oscillating.estimator().accepted_slopes(), slopes);
  EXPECT_EQ(oscillating.rls().informative_time(), informative);

  // A cycle without the cable's position (an encoder gap, a re-homing): the sine's stiffness is
  // forgotten and nothing is fed forward until a new half period has been measured.
  oscillating.set_oscillating_hold(true);
  oscillating.update(newtons(200.0), newtons_per_second(10.0), a.measured(),
                     metres(std::numeric_limits<double>::quiet_NaN()), kPeriod);
  EXPECT_EQ(oscillating.oscillation_stiffness().si(), 0.0);
  EXPECT_EQ(oscillating.pid().terms().feedforward, 0.0);

  // Cleared, the rate is a ramp's again: rate / k̂ (within 0.1 %: the cycle identifies again and
  // may move k̂), and the sine's stiffness is forgotten.
  oscillating.set_oscillating_hold(false);
  oscillating.update(newtons(200.0), newtons_per_second(30.0), a.measured(), metres(a.position),
                     kPeriod);
  EXPECT_NEAR(oscillating.pid().terms().feedforward, 30.0 / k_ramp.si(), 1e-3 * 30.0 / k_ramp.si());
  EXPECT_EQ(oscillating.oscillation_stiffness().si(), 0.0);
}

TEST(ForceLoop, AnOscillatingHoldFeedsForwardAtTheSinesStiffnessAndIdentifiesNothing) {
  expect_oscillating_hold_feeds_forward_at(150'000.0);      // the section held: the harness alone
  expect_oscillating_hold_feeds_forward_at(kTrueStiffness); // the section sliding
}

} // namespace
} // namespace tractus::controller
