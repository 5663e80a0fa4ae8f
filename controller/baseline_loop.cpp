#include "controller/baseline_loop.hpp"

#include "controller/pid.hpp" // append_problem: the controller's one message format

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tractus::controller {
namespace {

bool finite_non_negative(double v) { return std::isfinite(v) && v >= 0.0; }

// The one list of rules, shared by validate() and valid() (see pid.cpp).
template <class Report> void check_params(const BaselineLoopParams &p, Report &&report) {
  if (!finite_non_negative(p.kp)) report("kp", "must be finite and >= 0 (m/s)/N");
  if (!finite_non_negative(p.ki)) report("ki", "must be finite and >= 0 (m/s)/(N·s)");
  if (!finite_non_negative(p.kd)) report("kd", "must be finite and >= 0 m/N");
  if (p.kp == 0.0 && p.ki == 0.0 && p.kd == 0.0)
    report("kp", "kp, ki and kd must not all be 0 (the loop would never move the cable)");
  if (!(std::isfinite(p.min_speed.si()) && p.min_speed.si() < 0.0))
    report("min_speed", "must be finite and < 0 m/s (the loop must be able to release)");
  if (!(std::isfinite(p.max_speed.si()) && p.max_speed.si() > 0.0))
    report("max_speed", "must be finite and > 0 m/s (the loop must be able to pull)");
  if (!(std::isfinite(p.max_dt.si()) && p.max_dt.si() > 0.0))
    report("max_dt", "must be finite and > 0 s");
}

const BaselineLoopParams &checked(const BaselineLoopParams &params) {
  if (const std::string problem = params.validate(); !problem.empty())
    throw std::invalid_argument("baseline loop parameters: " + problem);
  return params;
}

} // namespace

std::string BaselineLoopParams::validate() const {
  std::string message;
  check_params(*this, [&message](const char *field, const char *problem) {
    append_problem(message, field, problem);
  });
  return message;
}

bool BaselineLoopParams::valid() const noexcept {
  bool ok = true;
  check_params(*this, [&ok](const char *, const char *) { ok = false; });
  return ok;
}

BaselineLoop::BaselineLoop(const BaselineLoopParams &params) : params_(checked(params)) {
  reset(Speed{});
}

void BaselineLoop::reset(Speed current_speed) noexcept {
  // Initialize(): the integral carries the output the actuator has now, so the first update
  // continues from it instead of from whatever the loop last computed.
  const double u0 = std::isfinite(current_speed.si()) ? current_speed.si() : 0.0;
  integral_ = std::clamp(u0, params_.min_speed.si(), params_.max_speed.si());
  output_ = integral_; // what a rejected first cycle holds
  have_last_measured_ = false;
}

Speed BaselineLoop::update(Force setpoint, ForceRate /*setpoint_rate: no feedforward*/,
                           Force measured, Length /*position: no stiffness estimate*/, Duration dt,
                           Speed ceiling) noexcept {
  const double upper = upper_limit(ceiling.si());
  const double h = dt.si();
  if (!(std::isfinite(h) && h > 0.0) || !std::isfinite(setpoint.si()) ||
      !std::isfinite(measured.si())) {
    // Hold, but never above this cycle's ceiling: a stop's release must not reel in because
    // its first reading was bad. The capped hold is what the drive got, so command() says so.
    // The derivative restarts on the next good reading: its difference would span two cycles.
    ++rejected_updates_;
    output_ = std::min(output_, upper);
    have_last_measured_ = false;
    return Speed(output_);
  }
  const double lower = params_.min_speed.si();
  const double y = measured.si();
  const double error = setpoint.si() - y;

  // Reset-windup clamp: the integral is kept inside what the output may be this cycle, so the
  // moment the error reverses the output leaves the limit (P alone takes it off).
  integral_ += params_.ki * error * std::min(h, params_.max_dt.si());
  integral_ = std::clamp(integral_, lower, upper);

  // Derivative on the measurement (a setpoint step never kicks it), over the real h.
  const double rate = have_last_measured_ ? (y - last_measured_) / h : 0.0;
  last_measured_ = y;
  have_last_measured_ = true;

  output_ = std::clamp(params_.kp * error + integral_ - params_.kd * rate, lower, upper);
  return Speed(output_);
}

// A NaN ceiling is the lowest one, min_speed: a limit that cannot be read must not let the
// cable reel in (paying out is the safe direction), as Pid::upper_limit.
double BaselineLoop::upper_limit(double ceiling) const noexcept {
  if (std::isnan(ceiling)) return params_.min_speed.si();
  return std::max(std::min(params_.max_speed.si(), ceiling), params_.min_speed.si());
}

BaselineLoopParams baseline_loop_params_for(Duration period) {
  BaselineLoopParams p;
  // The margins at 100 Hz ask for 10 rad/s (docs/force-loop.md), as force_loop_params_for.
  const double bandwidth =
      period > milliseconds(2) ? kBaselineBandwidthSlow : kBaselineBandwidthFast;
  p.kp = bandwidth / kBaselineDesignStiffness.si();
  p.ki = p.kp / kBaselineIntegralTime.si();
  return p;
}

} // namespace tractus::controller
