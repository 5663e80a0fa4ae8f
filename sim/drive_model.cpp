#include "sim/drive_model.hpp"

#include <cstdio>

namespace tractus::sim {

void DriveModel::command(const hal::DriveCommand &cmd, Micros now, bool sto) noexcept {
  last_command_us_ = now;
  sto_ = sto;
  // The cause of a watchdog fault is gone once commands arrive again, and injected faults
  // model a transient (an over-current trip): a reset edge clears either.
  if (cmd.fault_reset && !last_fault_reset_ && fault_code_ != 0) {
    fault_code_ = 0;
    needs_enable_low_ = true;
  }
  last_fault_reset_ = cmd.fault_reset;
  if (!cmd.enable) needs_enable_low_ = false;

  const bool may_enable = fault_code_ == 0 && !sto_ && !needs_enable_low_;
  // A refused enable must be withdrawn before it can count: torque never comes on by itself
  // when a fault or STO goes away under a standing enable.
  if (cmd.enable && !may_enable) needs_enable_low_ = true;
  enabled_ = cmd.enable && may_enable;
  quick_stop_ = enabled_ && cmd.quick_stop;
  target_ = enabled_ ? (runaway_ ? kRunawaySpeed : cmd.cable_speed) : Speed{};
}

std::string DriveModel::configure_watchdog(Duration timeout, Micros now) {
  char message[160];
  if (timeout <= Duration{}) {
    std::snprintf(message, sizeof message,
                  "watchdog timeout must be above 0 s (0 leaves the drive's watchdog disabled)");
    return message;
  }
  if (timeout > kMaxWatchdogTimeout) {
    std::snprintf(message, sizeof message,
                  "watchdog timeout %g s is beyond the drive's range (at most %g s)", timeout.si(),
                  kMaxWatchdogTimeout.si());
    return message;
  }
  watchdog_us_ = to_micros(timeout);
  last_command_us_ = now; // configuring is itself a transaction: the timeout starts here
  return {};
}

void DriveModel::inject_fault(std::uint16_t code) noexcept {
  fault_code_ = code;
  drop_torque();
}

void DriveModel::drop_torque() noexcept {
  needs_enable_low_ = true;
  enabled_ = false;
  quick_stop_ = false;
  target_ = Speed{};
}

} // namespace tractus::sim
