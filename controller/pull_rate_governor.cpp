#include "controller/pull_rate_governor.hpp"

#include <algorithm>

namespace tractus::controller {

Speed PullRateGovernor::update(double force, double position, Duration dt) noexcept {
  constexpr double kNoLimit = std::numeric_limits<double>::infinity();
  engaged_ = false;
  if (!primed_ || force <= trough_force_) {
    // A new trough: the rise is measured from the lowest force, with the cable where it was then.
    trough_force_ = force;
    trough_position_ = position;
    primed_ = true;
    return Speed(kNoLimit);
  }
  // Force and position follow with the same lag, so ΔF/Δx on a steady pull is the stiffness.
  const double a = std::min(1.0, dt.si() / params_.trough_lag.si());
  trough_force_ += (force - trough_force_) * a;
  trough_position_ += (position - trough_position_) * a;
  const double rise = force - trough_force_;
  if (rise <= params_.rise.si()) return Speed(kNoLimit);
  engaged_ = true;
  const double drawn_in = position - trough_position_;
  if (drawn_in < params_.min_travel.si()) return Speed{};
  return Speed(params_.rate.si() * drawn_in / rise); // rate / (ΔF/Δx)
}

} // namespace tractus::controller
