// The table as the controller sees it: three devices behind small interfaces.
//
// Modelled on real classes of products (DESIGN §4): a load-cell weight transmitter, a servo
// drive in velocity mode (CiA 402-style) with a communication watchdog, and a safety I/O module
// that reads back the hardwired E-stop chain and the patient hand switch.
//
// Rules every implementation keeps (they are what makes the control cycle bounded):
// - read()/exchange() are noexcept, never allocate, and never retry: a timeout or an exception
//   reply is reported as a fault reading (io != Ok) and the controller decides what it means.
// - Every reading carries its age, so a value that is old is never mistaken for a fresh one.
// - The drive exchange is one transaction: write the command, read back the status (Modbus
//   function 23 on the wire). The status returned is the one the controller sees next cycle.
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <string>

namespace tractus::hal {

enum class IoStatus : std::uint8_t {
  Ok,
  Timeout,      // no reply within the response timeout
  Exception,    // the device answered with a Modbus exception
  BadReply,     // a reply that does not decode (CRC, length, wrong unit)
  Disconnected, // no link to the device at all
};
const char *to_string(IoStatus s);

// ---- load-cell transmitter ---------------------------------------------------------------

struct LoadCellStatus {
  bool adc_ok = false;
  bool overload = false;         // input beyond the transmitter's measuring range
  bool excitation_fault = false; // bridge supply or cable fault
};

struct LoadCellSample {
  IoStatus io = IoStatus::Disconnected;
  std::int32_t raw_counts = 0;
  LoadCellStatus status{};
  // Increments with every conversion of the transmitter's ADC (wraps at 16 bits). A value that
  // stays the same while this counter moves is a steady load; a counter that stops is a frozen
  // transmitter, even if the force looks plausible.
  std::uint16_t sample_counter = 0;
  Duration age{}; // how long ago the transmitter produced this value
};

class LoadCell {
public:
  virtual ~LoadCell() = default;
  virtual LoadCellSample read() noexcept = 0;
};

// ---- servo drive, velocity mode ----------------------------------------------------------

// What the controller asks of the drive each cycle. Positive cable speed reels the cable in
// (raises tension); negative pays it out.
struct DriveCommand {
  bool enable = false;      // CiA 402 "enable operation": torque on the motor
  bool quick_stop = false;  // decelerate at the quick-stop ramp and hold zero speed
  bool fault_reset = false; // a rising edge asks the drive to clear a (gone) fault
  Speed cable_speed{};

  static constexpr DriveCommand disabled() { return {}; }
};

// CiA 301 emergency code 0x8130, "life guard error or heartbeat error": what a drive reports
// once its communication watchdog expired, no command having come within its timeout
// (docs/register-map.md). Its cause is the controller's own silence.
inline constexpr std::uint16_t kDriveWatchdogExpired = 0x8130;

struct DriveStatus {
  IoStatus io = IoStatus::Disconnected;
  bool ready = false;             // switched on, no fault, able to enable
  bool operation_enabled = false; // torque on
  bool fault = false;
  std::uint16_t fault_code = 0; // the drive's own code, 0 = none
  bool sto_active = false;      // safe torque off: the hardwired chain removed power
  bool watchdog_armed = false;  // communication watchdog configured and running
  Length cable_position{};      // cable drawn in since power-up (drum encoder)
  Speed cable_speed{};          // measured
  double motor_current_a = 0.0;
  Duration age{};
};

class Drive {
public:
  virtual ~Drive() = default;
  // One transaction per cycle: writes the command, returns the drive's status.
  virtual DriveStatus exchange(const DriveCommand &cmd) noexcept = 0;
  // Start-up only (may block): enable the drive's communication watchdog so that a controller
  // that falls silent for longer than `timeout` gets the drive quick-stopped and disabled.
  // Returns an empty string on success, otherwise what went wrong.
  virtual std::string configure_watchdog(Duration timeout) = 0;
};

// ---- safety I/O --------------------------------------------------------------------------

// The patient hand switch has two antivalent channels: A is closed (true) while the switch is
// released, B is closed while it is pressed. A == B means a broken wire or a stuck contact.
struct SafetyInputs {
  IoStatus io = IoStatus::Disconnected;
  bool estop_chain_closed = false; // read back from the hardwired safety relay
  bool patient_switch_a = false;
  bool patient_switch_b = false;
  bool patient_switch_connected = false;
  bool table_locked = false;
  Duration age{};
};

enum class PatientSwitch : std::uint8_t { Released, Pressed, Discrepant };
constexpr PatientSwitch patient_switch_state(const SafetyInputs &in) {
  if (in.patient_switch_a == in.patient_switch_b) return PatientSwitch::Discrepant;
  return in.patient_switch_b ? PatientSwitch::Pressed : PatientSwitch::Released;
}

class SafetyIo {
public:
  virtual ~SafetyIo() = default;
  virtual SafetyInputs read() noexcept = 0;
};

// The three devices of one table, and whether they are the simulator.
struct Table {
  LoadCell &load_cell;
  Drive &drive;
  SafetyIo &safety;
  bool simulated = false;
};

} // namespace tractus::hal
