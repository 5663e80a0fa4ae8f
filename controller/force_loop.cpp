#include "controller/force_loop.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tractus::controller {
namespace {

bool finite_positive(double v) { return std::isfinite(v) && v > 0.0; }
bool finite_non_negative(double v) { return std::isfinite(v) && v >= 0.0; }

// The one list of rules, shared by validate() and valid() (see pid.cpp).
template <class Report> void check_params(const ForceLoopParams &p, Report &&report) {
  if (!finite_positive(p.bandwidth_rad_per_s))
    report("bandwidth_rad_per_s", "must be finite and > 0 (8-15 rad/s is the design range)");
  if (!finite_positive(p.integral_time.si())) report("integral_time", "must be finite and > 0 s");
  if (!finite_non_negative(p.derivative_time.si()))
    report("derivative_time", "must be finite and >= 0 s");
  if (!finite_non_negative(p.derivative_filter.si()))
    report("derivative_filter", "must be finite and >= 0 s");
  else if (p.derivative_time.si() > 0.0 && p.derivative_filter.si() <= 0.0)
    report("derivative_filter", "must be > 0 s when derivative_time > 0");
  if (!(std::isfinite(p.min_speed.si()) && p.min_speed.si() < 0.0))
    report("min_speed", "must be finite and < 0 m/s (the loop must be able to release)");
  if (!(std::isfinite(p.max_speed.si()) && p.max_speed.si() > 0.0))
    report("max_speed", "must be finite and > 0 m/s (the loop must be able to pull)");
  if (!finite_positive(p.max_dt.si())) report("max_dt", "must be finite and > 0 s");
  if (!finite_positive(p.period.si())) report("period", "must be finite and > 0 s");
  if (!finite_non_negative(p.force_filter.si()))
    report("force_filter", "must be finite and >= 0 s");
  const double k0 = p.initial_stiffness.si();
  const double kmin = p.min_stiffness.si();
  const double kmax = p.max_stiffness.si();
  if (!finite_positive(kmin)) report("min_stiffness", "must be finite and > 0 N/m");
  if (!finite_positive(kmax))
    report("max_stiffness", "must be finite and > 0 N/m");
  else if (finite_positive(kmin) && !(kmin < kmax))
    report("max_stiffness", "must be > min_stiffness");
  if (!(std::isfinite(k0) && k0 >= kmin && k0 <= kmax))
    report("initial_stiffness", "must be within [min_stiffness, max_stiffness]");
  if (!finite_non_negative(p.estimator_filter.si()))
    report("estimator_filter", "must be finite and >= 0 s");
  if (!finite_non_negative(p.estimator_min_force.si()))
    report("estimator_min_force", "must be finite and >= 0 N");
  if (!finite_positive(p.estimator_min_setpoint_rate.si()))
    report("estimator_min_setpoint_rate",
           "must be finite and > 0 N/s (a hold must never feed the estimate)");
  if (!finite_positive(p.estimator_min_force_change.si()))
    report("estimator_min_force_change", "must be finite and > 0 N");
  if (!finite_positive(p.estimator_min_travel.si()))
    report("estimator_min_travel", "must be finite and > 0 m");
  if (!finite_positive(p.estimator_max_window.si()))
    report("estimator_max_window", "must be finite and > 0 s");
  if (!(std::isfinite(p.estimator_gain) && p.estimator_gain > 0.0 && p.estimator_gain <= 1.0))
    report("estimator_gain", "must be in (0, 1]");
  if (!finite_positive(p.rls_forgetting_time.si()))
    report("rls_forgetting_time", "must be finite and > 0 s");
  if (!finite_positive(p.rls_residual_sd.si()))
    report("rls_residual_sd", "must be finite and > 0 N");
  if (!finite_positive(p.rls_prior_stiffness_sd.si()))
    report("rls_prior_stiffness_sd", "must be finite and > 0 N/m");
  if (!finite_positive(p.rls_prior_damping_sd_ns_per_m))
    report("rls_prior_damping_sd_ns_per_m", "must be finite and > 0 N·s/m");
  if (!finite_positive(p.rls_prior_offset_sd.si()))
    report("rls_prior_offset_sd", "must be finite and > 0 N");
  if (!finite_positive(p.rls_max_damping_ns_per_m))
    report("rls_max_damping_ns_per_m", "must be finite and > 0 N·s/m");
  if (!finite_non_negative(p.rls_min_excitation.si()))
    report("rls_min_excitation", "must be finite and >= 0 s");
  if (!(std::isfinite(p.rls_max_relative_sd) && p.rls_max_relative_sd > 0.0 &&
        p.rls_max_relative_sd <= 0.5))
    report("rls_max_relative_sd", "must be in (0, 0.5]");
  if (!(std::isfinite(p.rls_max_disagreement) && p.rls_max_disagreement >= 1.0 &&
        p.rls_max_disagreement <= 4.0))
    report("rls_max_disagreement",
           "must be in [1, 4] (4: the 1 kHz phase margin table's worst case)");
  if (!finite_non_negative(p.rls_trust_delay.si()))
    report("rls_trust_delay", "must be finite and >= 0 s");
  if (!(std::isfinite(p.relief_gain) && p.relief_gain >= 0.0 && p.relief_gain <= 10.0))
    report("relief_gain", "must be in [0, 10]");
  if (!(std::isfinite(p.relief_band) && p.relief_band >= 0.0 && p.relief_band <= 0.1))
    report("relief_band", "must be in [0, 0.1]");
  if (!(std::isfinite(p.relief_band_min.si()) && p.relief_band_min.si() >= 0.0))
    report("relief_band_min", "must be finite and >= 0 N");
  const PullRateGovernorParams &g = p.pull_rate_governor;
  if (!finite_positive(g.engage_rise.si()))
    report("pull_rate_governor.engage_rise", "must be finite and > 0 N");
  if (!(finite_positive(g.release_rise.si()) && g.release_rise <= g.engage_rise))
    report("pull_rate_governor.release_rise", "must be finite, > 0 N and <= engage_rise");
  if (!finite_positive(g.allowed_rate.si()))
    report("pull_rate_governor.allowed_rate", "must be finite and > 0 N/s");
  if (!finite_positive(g.trough_lag.si()))
    report("pull_rate_governor.trough_lag", "must be finite and > 0 s");
  if (!finite_positive(g.min_travel.si()))
    report("pull_rate_governor.min_travel", "must be finite and > 0 m");
}

const ForceLoopParams &checked(const ForceLoopParams &params) {
  if (const std::string problem = params.validate(); !problem.empty())
    throw std::invalid_argument("force loop parameters: " + problem);
  return params;
}

bool valid_duration(Duration dt) { return std::isfinite(dt.si()) && dt.si() > 0.0; }

} // namespace

std::string ForceLoopParams::validate() const {
  std::string message;
  check_params(*this, [&message](const char *field, const char *problem) {
    append_problem(message, field, problem);
  });
  return message;
}

bool ForceLoopParams::valid() const noexcept {
  bool ok = true;
  check_params(*this, [&ok](const char *, const char *) { ok = false; });
  return ok;
}

ForceLoopParams force_loop_params_for(Duration period) {
  ForceLoopParams p;
  // docs/force-loop.md, "Default tuning": the margins at 100 Hz ask for 10 rad/s.
  if (period > milliseconds(2)) p.bandwidth_rad_per_s = 10.0;
  p.period = period;
  return p;
}

PidGains force_loop_gains(const ForceLoopParams &params, Stiffness k) noexcept {
  PidGains g;
  g.kp = params.bandwidth_rad_per_s / k.si(); // (m/s)/N: dF/dt = k·kp·e crosses over at ωc
  g.ki = g.kp / params.integral_time.si();
  g.kd = g.kp * params.derivative_time.si();
  g.derivative_filter = params.derivative_filter;
  g.tracking_time = params.integral_time; // Tt = Ti: leaves saturation when the error reverses
  g.output_min = params.min_speed.si();
  g.output_max = params.max_speed.si();
  g.max_dt = params.max_dt;
  return g;
}

StiffnessEstimator::StiffnessEstimator(const ForceLoopParams &params) noexcept
    : params_(params), estimate_(params.initial_stiffness), force_(params.estimator_filter),
      position_(params.estimator_filter) {}

void StiffnessEstimator::restart() noexcept {
  force_.reset();
  position_.reset();
  window_open_ = false;
}

bool StiffnessEstimator::update(Force measured, Length position, ForceRate setpoint_rate,
                                Duration dt) noexcept {
  const double f = force_.update(measured.si(), dt);
  const double x = position_.update(position.si(), dt);
  const bool informative_motion =
      f >= params_.estimator_min_force.si() &&
      std::abs(setpoint_rate.si()) >= params_.estimator_min_setpoint_rate.si();
  if (!informative_motion || !window_open_ || window_age_ >= params_.estimator_max_window) {
    window_open_ = informative_motion;
    window_force_ = f;
    window_position_ = x;
    window_age_ = Duration{};
    return false;
  }
  window_age_ += dt;
  const double df = f - window_force_;
  const double dx = x - window_position_;
  if (std::abs(df) < params_.estimator_min_force_change.si() ||
      std::abs(dx) < params_.estimator_min_travel.si())
    return false;

  // The window has seen enough; start the next one here whatever this one yields.
  window_force_ = f;
  window_position_ = x;
  window_age_ = Duration{};
  if (df * dx <= 0.0) return false; // force and travel disagree: not the spring we drive

  const Stiffness slope = clamp(Stiffness(df / dx), params_.min_stiffness, params_.max_stiffness);
  estimate_ += (slope - estimate_) * params_.estimator_gain;
  ++accepted_slopes_;
  return true;
}

ForceLoop::ForceLoop(const ForceLoopParams &params)
    : params_(checked(params)), estimator_(params_), rls_(params_),
      stiffness_(params_.initial_stiffness), force_filter_(params_.force_filter),
      governor_(params_.pull_rate_governor),
      pid_(force_loop_gains(params_, params_.initial_stiffness)) {}

void ForceLoop::reset(Speed current_speed) noexcept {
  pid_.reset(current_speed.si());
  force_filter_.reset();
  governor_.reset();
  estimator_.restart();
  rls_.restart();
}

Identification ForceLoop::identification() const noexcept {
  const bool trusted = rls_.trusted();
  return Identification{stiffness_, trusted ? rls_.damping_ns_per_m() : 0.0, trusted};
}

Speed ForceLoop::update(Force setpoint, ForceRate setpoint_rate, Force measured, Length position,
                        Duration dt, Speed ceiling, Speed cable_speed) noexcept {
  if (!valid_duration(dt) || !std::isfinite(measured.si())) {
    rls_.restart(); // its derivative must not span the gap
    // Let the PID refuse the cycle: it holds the last output and counts the rejection.
    return Speed(pid_.update(setpoint.si(), measured.si(), dt, 0.0, ceiling.si()));
  }
  // An oscillating hold is a setpoint standing still to both: their windows close as in a hold,
  // while their filters keep up with the signals.
  const ForceRate identified_rate = oscillating_hold_ ? ForceRate{} : setpoint_rate;
  if (std::isfinite(position.si()) && std::isfinite(setpoint_rate.si()))
    estimator_.update(measured, position, identified_rate, dt);
  rls_.update(measured, position, cable_speed, identified_rate, dt, estimator_.estimate());
  // The gains never follow an estimate that failed a test. Once the RLS has been trusted, a
  // later distrust keeps the k̂ it last earned rather than handing the gains to ΔF/Δx: each ramp
  // starts the RLS afresh (few samples), and a ΔF/Δx window across a reversal reads the harness
  // alone while the section sticks (58 kN/m on a 10 kN/m cable), which its 0.3 smoothing keeps
  // for seconds. Before the first trust the fallback is all there is.
  if (rls_.trusted()) rls_was_trusted_ = true;
  const Stiffness in_use =
      rls_.trusted() ? rls_.stiffness() : (rls_was_trusted_ ? stiffness_ : estimator_.estimate());
  if (in_use != stiffness_) {
    stiffness_ = in_use;
    pid_.set_gains(force_loop_gains(params_, stiffness_)); // bumpless retune
  }
  const double force = force_filter_.update(measured.si(), dt);
  const Speed ff = feedforward(setpoint_rate, force, position.si());
  Speed limit = ceiling;
  if (!std::isfinite(position.si()))
    governor_.reset(); // its trough's position means nothing across a gap (or a re-homing)
  else if (params_.pull_rate_governor_enabled)
    limit = std::min(limit, governor_.update(force, position.si(), dt));
  const Speed command(
      pid_.update(setpoint.si(), force, dt, (ff + relief(setpoint, force)).si(), limit.si()));
  // Held at a ceiling (a stop's, or the governor's zero), the cable does not move as the loop
  // asked while the force still changes (the patient relaxing into a stop's hold): a window
  // over that would read a stiff spring, up to max_stiffness, and cut the gains just when the
  // release needs them. Held at the governor's positive limit, the cable moves as commanded and
  // what the identification reads is the spring it pulls.
  if (pid_.saturation() == Saturation::high && (ceiling < params_.max_speed || limit <= Speed{})) {
    estimator_.restart();
    rls_.restart();
  }
  return command;
}

// rate / k̂ on a ramp. Through an oscillating hold, rate / (ΔF/Δx) of the sine's last half period,
// measured at each reversal of the setpoint's rate from the filtered force and the cable; none
// until a half period of at least kMinSwing has been seen, or across a gap in the position.
Speed ForceLoop::feedforward(ForceRate setpoint_rate, double filtered_force,
                             double position) noexcept {
  if (!oscillating_hold_ || !std::isfinite(position)) {
    oscillation_ = Oscillation{};
    return oscillating_hold_ ? Speed{} : setpoint_rate / stiffness_;
  }
  constexpr double kMinSwing = 2.0; // N: 30 times the filtered noise
  Oscillation &o = oscillation_;
  const double rate = setpoint_rate.si();
  if (rate * o.last_rate < 0.0) { // a reversal
    const double df = filtered_force - o.force;
    const double dx = position - o.position;
    if (std::isfinite(df) && std::abs(df) >= kMinSwing && df * dx > 0.0)
      o.stiffness = Stiffness(std::max(df / dx, params_.min_stiffness.si()));
    o.force = filtered_force;
    o.position = position;
  } else if (!std::isfinite(o.force)) { // the hold's first cycle: a half period starts here
    o.force = filtered_force;
    o.position = position;
  }
  if (rate != 0.0) o.last_rate = rate;
  return o.stiffness.si() > 0.0 ? setpoint_rate / o.stiffness : Speed{};
}

// Extra payout, proportional to how far the force is above the setpoint beyond a small band.
// Paying out is always the safe direction, so this gain can be much higher than the linear
// loop's: a muscle spasm that stiffens the patient 1.8x in 0.5 s raises the force at about
// 1.6 F/s, which a 10 rad/s loop alone lets through as a 5-15 % overshoot (docs/force-loop.md).
// The term is zero inside the band and continuous at its edge, so it never kicks; below the
// setpoint it does nothing (tension is only ever added at the linear loop's pace).
// Its loop gain per cycle, relief_gain · ωc · period, is capped at kMaxReliefStep: at 1 kHz the
// configured gain applies (8 · 15 · 0.001 = 0.12), at 100 Hz (Modbus RTU) it is cut to 1.5 · ωc,
// because 8 · ωc sampled every 10 ms oscillated at the sampling rate and tripped 302. The cap is
// the nominal period's: a cycle cut short after a late one, capped for its own dt, paid out up
// to five times harder for a whole period, and a busy PC's jitter set the loop ringing (302).
Speed ForceLoop::relief(Force setpoint, double filtered_force) const noexcept {
  if (params_.relief_gain <= 0.0) return Speed{};
  constexpr double kMaxReliefStep = 0.15;
  const double multiple = std::min(
      params_.relief_gain, kMaxReliefStep / (params_.bandwidth_rad_per_s * params_.period.si()));
  const double band = std::max(params_.relief_band * setpoint.si(), params_.relief_band_min.si());
  const double excess = filtered_force - setpoint.si() - band;
  if (excess <= 0.0) return Speed{};
  const double gain = multiple * params_.bandwidth_rad_per_s / stiffness_.si();
  return Speed(-gain * excess);
}

} // namespace tractus::controller
