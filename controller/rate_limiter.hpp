// A setpoint that moves toward its target no faster than a given rate.
//
// Every force the supervisor commands passes through one of these, so a pause, a resume or an
// emergency release can never ask the force loop for a step: each has its own documented rate
// (treatment ≤ 50 N/s, emergency release 400 N/s).
#pragma once

#include "units/units.hpp"

namespace tractus::controller {

class RateLimiter {
public:
  void reset(Force value) noexcept {
    value_ = value;
    rate_ = ForceRate{};
  }
  // Moves toward `target` by at most `max_rate`·dt; returns the new value.
  Force update(Force target, ForceRate max_rate, Duration dt) noexcept {
    const Force step = max_rate * dt;
    const Force next = clamp(target, value_ - step, value_ + step);
    rate_ = dt.si() > 0 ? (next - value_) / dt : ForceRate{};
    value_ = next;
    return value_;
  }
  [[nodiscard]] Force value() const noexcept { return value_; }
  [[nodiscard]] ForceRate rate() const noexcept { return rate_; }

private:
  Force value_{};
  ForceRate rate_{};
};

} // namespace tractus::controller
