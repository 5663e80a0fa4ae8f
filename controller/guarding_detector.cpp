#include "controller/guarding_detector.hpp"

#include "controller/pid.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tractus::controller {
namespace {

bool finite_positive(double v) { return std::isfinite(v) && v > 0.0; }

// The one list of rules, shared by validate() and valid() (see pid.cpp).
template <class Report> void check_params(const GuardingDetectorParams &p, Report &&report) {
  if (!(std::isfinite(p.filter.si()) && p.filter.si() >= 0.0))
    report("filter", "must be finite and >= 0 s");
  if (!(std::isfinite(p.min_force.si()) && p.min_force.si() >= 0.0))
    report("min_force", "must be finite and >= 0 N");
  if (!(std::isfinite(p.onset_fraction) && p.onset_fraction > 0.0 && p.onset_fraction <= 0.5))
    report("onset_fraction", "must be in (0, 0.5]");
  if (!finite_positive(p.onset_min.si())) report("onset_min", "must be finite and > 0 N");
  if (!(std::isfinite(p.ramp_allowance) && p.ramp_allowance >= 0.0 && p.ramp_allowance <= 1.0))
    report("ramp_allowance", "must be in [0, 1]");
  if (!(std::isfinite(p.end_fraction) && p.end_fraction > 0.0 && p.end_fraction < 1.0))
    report("end_fraction", "must be in (0, 1)");
  if (!finite_positive(p.baseline_rise_time.si()))
    report("baseline_rise_time", "must be finite and > 0 s");
  if (!finite_positive(p.max_event.si())) report("max_event", "must be finite and > 0 s");
  if (!finite_positive(p.falling_rate.si())) report("falling_rate", "must be finite and > 0 N/s");
  if (!(std::isfinite(p.falling_hold.si()) && p.falling_hold.si() >= 0.0))
    report("falling_hold", "must be finite and >= 0 s");
  if (!finite_positive(p.pulling_stiffness.si()))
    report("pulling_stiffness", "must be finite and > 0 N/m");
}

const GuardingDetectorParams &checked(const GuardingDetectorParams &params) {
  if (const std::string problem = params.validate(); !problem.empty())
    throw std::invalid_argument("guarding detector parameters: " + problem);
  return params;
}

} // namespace

std::string GuardingDetectorParams::validate() const {
  std::string message;
  check_params(*this, [&message](const char *field, const char *problem) {
    append_problem(message, field, problem);
  });
  return message;
}

bool GuardingDetectorParams::valid() const noexcept {
  bool ok = true;
  check_params(*this, [&ok](const char *, const char *) { ok = false; });
  return ok;
}

GuardingDetector::GuardingDetector(const GuardingDetectorParams &params)
    : params_(checked(params)), force_(params_.filter), position_(params_.filter),
      since_fall_(params_.falling_hold) {}

GuardingChange GuardingDetector::stop() noexcept {
  const bool was_active = active_;
  active_ = false;
  primed_ = false;
  force_.reset();
  position_.reset();
  unexplained_ = 0.0;
  baseline_ = 0.0;
  allowed_rate_ = 0.0;
  since_fall_ = params_.falling_hold;
  event_age_ = Duration{};
  return was_active ? GuardingChange::End : GuardingChange::None;
}

GuardingChange GuardingDetector::update(Force setpoint, ForceRate setpoint_rate, Force measured,
                                        Length position, Stiffness stiffness,
                                        Duration dt) noexcept {
  if (!(std::isfinite(measured.si()) && std::isfinite(position.si()) &&
        std::isfinite(setpoint.si()) && std::isfinite(setpoint_rate.si()) &&
        finite_positive(stiffness.si()) && finite_positive(dt.si())))
    return GuardingChange::None;
  const double f = force_.update(measured.si(), dt);
  const double x = position_.update(position.si(), dt);
  if (!primed_) {
    // The sum starts here; nothing is unexplained before the first movement.
    primed_ = true;
    last_force_ = f;
    last_position_ = x;
    return GuardingChange::None;
  }
  const double df = f - last_force_;
  const double dx = x - last_position_;
  last_force_ = f;
  last_position_ = x;
  // A slack harness: the cable's movement explains nothing, and nothing is held against it.
  if (f < params_.min_force.si()) {
    baseline_ = unexplained_;
    return active_ ? stop() : GuardingChange::None;
  }
  const double k =
      dx > 0.0 ? std::max(stiffness.si(), params_.pulling_stiffness.si()) : stiffness.si();
  unexplained_ += df - k * dx;

  // The ramp's allowance outlasts the ramp by the baseline's own lag: the drift the baseline
  // has not yet caught up with is still there when the setpoint levels off.
  if (dt.si() != decay_dt_) {
    decay_dt_ = dt.si();
    decay_ = std::exp(-dt.si() / params_.baseline_rise_time.si());
  }
  allowed_rate_ = std::max(std::abs(setpoint_rate.si()), allowed_rate_ * decay_);
  const bool falls = setpoint_rate.si() < -params_.falling_rate.si();
  if (falls)
    since_fall_ = Duration{};
  else if (since_fall_ < params_.falling_hold)
    since_fall_ += dt;
  if ((falls || since_fall_ < params_.falling_hold) && !active_) baseline_ = unexplained_;
  const double evidence = unexplained_ - baseline_;
  if (active_) {
    event_age_ += dt;
    size_ = std::max(size_, evidence);
    if (evidence <= params_.end_fraction * size_ || event_age_ >= params_.max_event) {
      active_ = false;
      baseline_ = unexplained_; // whatever is left is the new normal
      return GuardingChange::End;
    }
    return GuardingChange::None;
  }
  // Down at once (creep, a release, friction letting go are never spasms); up slowly.
  if (evidence < 0.0) {
    baseline_ = unexplained_;
    return GuardingChange::None;
  }
  const double threshold =
      std::max(params_.onset_fraction * setpoint.si(), params_.onset_min.si()) +
      params_.ramp_allowance * allowed_rate_ * params_.baseline_rise_time.si();
  if (evidence >= threshold) {
    active_ = true;
    size_ = evidence;
    event_age_ = Duration{};
    return GuardingChange::Onset;
  }
  baseline_ += evidence * std::min(1.0, dt.si() / params_.baseline_rise_time.si());
  return GuardingChange::None;
}

} // namespace tractus::controller
