#include "controller/low_pass.hpp"

#include <cmath>

namespace tractus::controller {

double LowPass::update_slow(double input, Duration dt) noexcept {
  const double tau = time_constant_.si();
  if (!primed_ || tau <= 0.0) {
    value_ = input;
    primed_ = true;
  } else {
    // The loop's dt is nearly always the nominal period: reuse the coefficient for it rather
    // than computing exp() three times a cycle (a tenth of a simulated cycle's cost).
    if (dt.si() != coefficient_dt_) {
      coefficient_dt_ = dt.si();
      coefficient_ = 1.0 - std::exp(-dt.si() / tau);
    }
    value_ += coefficient_ * (input - value_);
  }
  return value_;
}

} // namespace tractus::controller
