#include "controller/slip_pay_out.hpp"

namespace tractus::controller {

const char *to_string(SlipResponse r) {
  switch (r) {
  case SlipResponse::TorqueOff: return "torque-off";
  case SlipResponse::PayOut: return "pay-out";
  case SlipResponse::HoldZero: return "hold-zero";
  }
  return "unknown";
}

void SlipPayOut::begin(Duration now, bool drive_enabled) noexcept {
  active_ = params_.response != SlipResponse::TorqueOff && drive_enabled;
  began_ = now;
}

SlipCommand SlipPayOut::step(Duration now, Force measured, bool fault_present,
                             bool drive_enabled) noexcept {
  if (!active_) return {};
  const bool caught = measured > params_.recatch;
  if (fault_present || !drive_enabled || caught || now - began_ >= params_.max_time) {
    active_ = false;
    return {};
  }
  SlipCommand c;
  c.enable = true;
  // Out only: a pay-out that could reel in would be a pull nobody asked for.
  c.cable_speed = params_.response == SlipResponse::PayOut ? -abs(params_.speed) : Speed{};
  return c;
}

} // namespace tractus::controller
