// A first-order low-pass filter for signals sampled at a (possibly varying) period.
#pragma once

#include "units/units.hpp"

namespace tractus::controller {

// First-order low-pass, exact for an input held over each (variable) dt. The first sample after
// construction or reset() passes straight through, so a filter never starts from zero.
class LowPass {
public:
  explicit LowPass(Duration time_constant) noexcept : time_constant_(time_constant) {}
  void reset() noexcept { primed_ = false; }
  double update(double input, Duration dt) noexcept {
    // The common case inline (several filters run every cycle): primed, with the coefficient
    // already computed for this dt.
    if (primed_ && dt.si() == coefficient_dt_ && time_constant_.si() > 0.0) {
      value_ += coefficient_ * (input - value_);
      return value_;
    }
    return update_slow(input, dt);
  }
  [[nodiscard]] double value() const noexcept { return value_; }

private:
  double update_slow(double input, Duration dt) noexcept;

  Duration time_constant_;
  double value_ = 0.0;
  bool primed_ = false;
  double coefficient_dt_ = -1.0; // the dt the coefficient below was computed for
  double coefficient_ = 0.0;
};

} // namespace tractus::controller
