#include "controller/pull_rate_governor.hpp"

#include <cmath>
#include <limits>

namespace tractus::controller {

Speed PullRateGovernor::update(double force, double position, Duration dt) noexcept {
  constexpr double kNoLimit = std::numeric_limits<double>::infinity();
  if (!primed_ || force <= trough_force_) {
    // A new trough: the rise is measured from the lowest force, with the cable where it was then.
    trough_force_ = force;
    trough_position_ = position;
    primed_ = true;
    engaged_ = false;
    return Speed(kNoLimit);
  }
  // Force and position follow with the same first-order lag (exact for any dt), so ΔF/Δx on a
  // steady pull is the stiffness. The coefficient is kept for the nominal period, as LowPass
  // keeps its own: an exp() a cycle is a measurable share of a simulated cycle.
  if (dt.si() != coefficient_dt_) {
    coefficient_dt_ = dt.si();
    coefficient_ = 1.0 - std::exp(-dt.si() / params_.trough_lag.si());
  }
  trough_force_ += (force - trough_force_) * coefficient_;
  trough_position_ += (position - trough_position_) * coefficient_;
  const double rise = force - trough_force_;
  engaged_ = rise > (engaged_ ? params_.release_rise : params_.engage_rise).si();
  if (!engaged_) return Speed(kNoLimit);
  const double drawn_in = position - trough_position_;
  if (drawn_in < params_.min_travel.si()) return Speed{};
  return Speed(params_.allowed_rate.si() * drawn_in / rise); // allowed rate / (ΔF/Δx)
}

} // namespace tractus::controller
