// The servo drive's own logic, in virtual time: a simplified CiA 402 state machine and the
// communication watchdog (DESIGN §4). Shared by the in-process SimTable and the Modbus server,
// which translates controlword/statusword registers to and from these commands.
//
// Behaviour (what a real drive does, and what the controller must cope with):
// - Torque only when enable is commanded, no fault is latched and STO is not active.
// - After torque was lost to a fault or STO, or an enable was refused, enable must be seen
//   false once (with the cause gone) before it takes effect again: a drive never re-powers a loaded
//   table on its own (IEC 60204-1 §7.5, no automatic restart; CiA 402 returns to "switch on
//   disabled").
// - A fault latches, drops torque at once (the table is released by back-driving), and clears
//   only on a rising edge of fault_reset.
// - quick_stop while enabled: decelerate at the quick-stop ramp, then hold zero speed.
// - Watchdog: shipped disabled; once configured, if no command arrives for longer than the
//   timeout the drive faults with kFaultCommWatchdog and drops torque.
#pragma once

#include "hal/hal.hpp"
#include "sim/plant.hpp"
#include "sim/virtual_time.hpp"

#include <cstdint>
#include <string>

namespace tractus::sim {

class DriveModel {
public:
  // CiA 301 emergency code 0x8130 "life guard error or heartbeat error".
  static constexpr std::uint16_t kFaultCommWatchdog = 0x8130;
  // CiA 402 error code 0x2310 "continuous over current": what `drive-fault` injects.
  static constexpr std::uint16_t kFaultOverCurrent = 0x2310;
  // A speed-reference fault (a corrupted target or a failed encoder): while enabled, the drive
  // reels in at this speed whatever it is told. Disabling still removes torque.
  static constexpr Speed kRunawaySpeed = metres_per_second(0.04);
  // Delta ASDA communication watchdog range: 0 (disabled) to 20 s.
  static constexpr Duration kMaxWatchdogTimeout = seconds(20.0);

  // One command from the controller at virtual time `now`; `sto` is the hardwired chain state.
  void command(const hal::DriveCommand &cmd, Micros now, bool sto) noexcept;
  // Every plant step: STO and the watchdog act without any command arriving.
  void tick(Micros now, bool sto) noexcept {
    sto_ = sto;
    if (watchdog_us_ > 0 && fault_code_ == 0 && now - last_command_us_ > watchdog_us_) {
      fault_code_ = kFaultCommWatchdog;
    }
    if (sto_ || fault_code_ != 0) drop_torque();
  }
  // Empty on success, otherwise why the timeout was refused.
  std::string configure_watchdog(Duration timeout, Micros now);
  void inject_fault(std::uint16_t code) noexcept;
  void run_away() noexcept { runaway_ = true; }

  // The drive's registers, without the plant's measurements (position, speed, current).
  [[nodiscard]] hal::DriveStatus status() const noexcept {
    hal::DriveStatus s;
    s.io = hal::IoStatus::Ok;
    s.fault = fault_code_ != 0;
    s.fault_code = fault_code_;
    s.sto_active = sto_;
    s.ready = !s.fault && !sto_;
    s.operation_enabled = enabled_;
    s.watchdog_armed = watchdog_armed();
    return s;
  }
  [[nodiscard]] MotorMode motor_mode() const noexcept {
    if (!enabled_) return MotorMode::Unpowered;
    return quick_stop_ ? MotorMode::QuickStop : MotorMode::Velocity;
  }
  [[nodiscard]] Speed target_speed() const noexcept { return target_; }
  [[nodiscard]] bool operation_enabled() const noexcept { return enabled_; }
  [[nodiscard]] bool fault() const noexcept { return fault_code_ != 0; }
  [[nodiscard]] std::uint16_t fault_code() const noexcept { return fault_code_; }
  [[nodiscard]] bool sto_active() const noexcept { return sto_; }
  [[nodiscard]] bool watchdog_armed() const noexcept { return watchdog_us_ > 0; }

private:
  void drop_torque() noexcept;

  bool enabled_ = false;
  bool quick_stop_ = false;
  bool runaway_ = false;
  bool sto_ = false;
  bool needs_enable_low_ = false; // "switch on disabled" until enable is seen false
  bool last_fault_reset_ = false;
  std::uint16_t fault_code_ = 0;
  Speed target_{};
  Micros watchdog_us_ = 0; // 0: disabled, as shipped
  Micros last_command_us_ = 0;
};

} // namespace tractus::sim
