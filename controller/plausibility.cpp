#include "controller/plausibility.hpp"

#include <cmath>

namespace tractus::controller {

const PlausibilityMonitor::Sample *PlausibilityMonitor::lagged(std::uint64_t &cursor,
                                                               double t) const noexcept {
  if (pushed_ == 0) return nullptr;
  const std::uint64_t oldest = pushed_ > kHistory ? pushed_ - kHistory : 0;
  if (cursor < oldest) cursor = oldest;
  while (cursor + 1 < pushed_ && history_[(cursor + 1) % kHistory].t <= t)
    ++cursor;
  const Sample &s = history_[cursor % kHistory];
  return s.t <= t ? &s : nullptr;
}

void PlausibilityMonitor::observe(Duration now, Force measured, Length cable_position,
                                  Speed cable_speed, bool taut) noexcept {
  verdict_ = Implausibility::None;
  if (!taut || !std::isfinite(measured.si()) || !std::isfinite(cable_position.si())) {
    pushed_ = drop_cursor_ = rate_cursor_ = 0;
    primed_ = false;
    filter_.reset();
    return;
  }
  const double t = now.si();
  const double x = cable_position.si();
  const Duration dt = pushed_ > 0 ? seconds(t - history_[(pushed_ - 1) % kHistory].t) : Duration{};
  filtered_ = filter_.update(measured.si(), dt);
  if (!primed_) {
    travel_ref_ = {t, filtered_, x};
    primed_ = true;
  }
  history_[pushed_ % kHistory] = {t, filtered_, x};
  ++pushed_;

  // Sudden drop: more than the paid-out cable explains even on the stiffest patient.
  if (const Sample *old = lagged(drop_cursor_, t - limits_.drop_window.si()); old != nullptr) {
    const double drop = old->force - filtered_;
    const double paid_out = std::max(0.0, old->position - x);
    const double explained = limits_.max_stiffness.si() * paid_out;
    const double threshold = std::max(limits_.drop_margin.si(), limits_.drop_fraction * old->force);
    if (drop > threshold && drop > explained + limits_.drop_margin.si())
      verdict_ = Implausibility::SuddenDrop;
  }
  // Force rising much faster than treatment allows while the drive pulls: a runaway.
  // (The cursor moves every cycle; the division only while the drive pulls.)
  if (const Sample *old = lagged(rate_cursor_, t - limits_.rate_window.si());
      old != nullptr && cable_speed > limits_.pulling_speed) {
    const double rate = (filtered_ - old->force) / (t - old->t);
    if (rate > limits_.max_rise_rate.si()) verdict_ = Implausibility::RiseTooFast;
  }
  // Travel without force, measured from a reference that restarts when the cable pays out or
  // the window grows old (creep draws cable in slowly at a constant force).
  if (x < travel_ref_.position || t - travel_ref_.t > limits_.travel_max_time.si())
    travel_ref_ = {t, filtered_, x};
  if (x - travel_ref_.position >= limits_.travel_window.si()) {
    const double expected = limits_.min_stiffness.si() * (x - travel_ref_.position);
    if (filtered_ - travel_ref_.force < expected) verdict_ = Implausibility::TravelWithoutForce;
    travel_ref_ = {t, filtered_, x};
  }
}

} // namespace tractus::controller
