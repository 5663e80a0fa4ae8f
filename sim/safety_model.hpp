// The safety I/O module's inputs as the simulated table sets them: E-stop chain, patient hand
// switch (two antivalent channels + a "connected" contact) and table lock (DESIGN §4).
// Default: chain closed, switch connected and released (A closed, B open), table locked.
#pragma once

#include "hal/hal.hpp"
#include "sim/virtual_time.hpp"

namespace tractus::sim {

class SafetyModel {
public:
  [[nodiscard]] hal::SafetyInputs inputs(Micros now) const noexcept {
    hal::SafetyInputs in;
    in.io = hal::IoStatus::Ok;
    in.estop_chain_closed = !estop_open_;
    in.table_locked = table_locked_;
    in.patient_switch_connected = !disconnected_;
    if (!disconnected_) { // unplugged: both channels read open
      const bool pressed = now < pressed_until_;
      in.patient_switch_a = !pressed;
      in.patient_switch_b = pressed || b_stuck_closed_;
    }
    return in;
  }
  [[nodiscard]] bool estop_chain_closed() const noexcept { return !estop_open_; }

  void open_estop() noexcept { estop_open_ = true; }
  void close_estop() noexcept { estop_open_ = false; }
  // The patient presses the switch at `now` and lets go after `hold`.
  void press_patient_switch(Micros now, Duration hold) noexcept {
    pressed_until_ = now + to_micros(hold);
  }
  void disconnect_patient_switch(bool unplugged) noexcept { disconnected_ = unplugged; }
  // Channel B welded closed: A and B agree (both closed) while the switch is released.
  void stick_patient_switch(bool stuck) noexcept { b_stuck_closed_ = stuck; }
  void lock_table(bool locked) noexcept { table_locked_ = locked; }

private:
  bool estop_open_ = false;
  bool disconnected_ = false;
  bool b_stuck_closed_ = false;
  bool table_locked_ = true;
  Micros pressed_until_ = -1;
};

} // namespace tractus::sim
