// The table's Modbus register map: one header, two users (DESIGN §1, §4).
//
// hal/modbus reads and writes these registers as a client; sim/server (tractus-sim) serves them
// from the plant. Both take every address, bit and scale from here, so the two cannot drift
// apart; docs/register-map.md is the same map for people, and docs/examples/ shows how an
// installation with other vendors' devices overrides it with a configuration file.
//
// Conventions (docs/register-map.md has the tables):
// - Holding registers (function 3 to read; 6, 16 and 23 to write), protocol addresses from 0.
// - 32-bit values take two registers, high word first (as Laumas/Flintec transmitters and most
//   drives send them), unless a map says otherwise.
// - Scaled integers: the SI value is counts × scale, e.g. cable speed in 0.01 mm/s (scale 1e-5
//   m/s per count), position in µm (1e-6 m), current in 0.01 A.
// - Every register a control cycle needs from one device lies within one span of at most 32
//   registers (transmitters answer about 32 per query, REFERENCE.md), and the drive's command
//   registers sit right before its status registers, so one function-23 transaction
//   (write_and_read_registers) does the drive's whole cycle.
#pragma once

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>

namespace tractus::hal::regmap {

// ---- words and scaled fields -----------------------------------------------------------------

enum class RegType : std::uint8_t { Int16, Uint16, Int32, Uint32 };
enum class WordOrder : std::uint8_t { HighFirst, LowFirst };

constexpr int words_of(RegType t) { return t == RegType::Int32 || t == RegType::Uint32 ? 2 : 1; }

// A numeric value in one or two registers: SI value = counts × scale.
struct Field {
  std::uint16_t address = 0;
  RegType type = RegType::Int32;
  WordOrder order = WordOrder::HighFirst;
  double scale = 1.0; // SI units (N, m, m/s, A, s) per count

  [[nodiscard]] constexpr int words() const { return words_of(type); }
};

constexpr void put_u32(std::uint16_t *dst, std::uint32_t v, WordOrder order) noexcept {
  const auto hi = static_cast<std::uint16_t>(v >> 16U);
  const auto lo = static_cast<std::uint16_t>(v & 0xFFFFU);
  dst[0] = order == WordOrder::HighFirst ? hi : lo;
  dst[1] = order == WordOrder::HighFirst ? lo : hi;
}
constexpr std::uint32_t get_u32(const std::uint16_t *src, WordOrder order) noexcept {
  const std::uint32_t hi = order == WordOrder::HighFirst ? src[0] : src[1];
  const std::uint32_t lo = order == WordOrder::HighFirst ? src[1] : src[0];
  return (hi << 16U) | lo;
}
constexpr void put_i32(std::uint16_t *dst, std::int32_t v, WordOrder order) noexcept {
  put_u32(dst, static_cast<std::uint32_t>(v), order);
}
constexpr std::int32_t get_i32(const std::uint16_t *src, WordOrder order) noexcept {
  return static_cast<std::int32_t>(get_u32(src, order));
}

// The integer range a register type holds.
constexpr std::int64_t min_raw(RegType t) {
  switch (t) {
  case RegType::Int16: return std::numeric_limits<std::int16_t>::min();
  case RegType::Int32: return std::numeric_limits<std::int32_t>::min();
  default: return 0;
  }
}
constexpr std::int64_t max_raw(RegType t) {
  switch (t) {
  case RegType::Int16: return std::numeric_limits<std::int16_t>::max();
  case RegType::Uint16: return std::numeric_limits<std::uint16_t>::max();
  case RegType::Int32: return std::numeric_limits<std::int32_t>::max();
  case RegType::Uint32: return std::numeric_limits<std::uint32_t>::max();
  }
  return 0;
}

// Writes a raw integer (clamped to the type's range) into the field's word(s) at dst.
constexpr void put_raw(const Field &f, std::int64_t raw, std::uint16_t *dst) noexcept {
  raw = std::clamp(raw, min_raw(f.type), max_raw(f.type));
  if (f.words() == 2)
    put_u32(dst, static_cast<std::uint32_t>(raw), f.order);
  else
    dst[0] = static_cast<std::uint16_t>(raw);
}
constexpr std::int64_t get_raw(const Field &f, const std::uint16_t *src) noexcept {
  switch (f.type) {
  case RegType::Int16: return static_cast<std::int16_t>(src[0]);
  case RegType::Uint16: return src[0];
  case RegType::Int32: return get_i32(src, f.order);
  case RegType::Uint32: return get_u32(src, f.order);
  }
  return 0;
}

// SI value → counts (rounded to nearest, saturated at the type's range: a speed beyond the
// register's range is sent as the largest the register holds, never wrapped to the other sign).
inline void encode(const Field &f, double si, std::uint16_t *dst) noexcept {
  const double counts = std::round(si / f.scale);
  const double lo = static_cast<double>(min_raw(f.type));
  const double hi = static_cast<double>(max_raw(f.type));
  const double c = std::isnan(counts) ? 0.0 : std::clamp(counts, lo, hi);
  put_raw(f, static_cast<std::int64_t>(c), dst);
}
constexpr double decode(const Field &f, const std::uint16_t *src) noexcept {
  return static_cast<double>(get_raw(f, src)) * f.scale;
}

constexpr bool bit(std::uint16_t word, unsigned n) noexcept {
  return ((static_cast<unsigned>(word) >> n) & 1U) != 0;
}
constexpr std::uint16_t with_bit(std::uint16_t word, unsigned n, bool on) noexcept {
  const auto mask = static_cast<std::uint16_t>(1U << n);
  return on ? static_cast<std::uint16_t>(word | mask) : static_cast<std::uint16_t>(word & ~mask);
}

// ---- common blocks -----------------------------------------------------------------------------

// Default unit ids (DESIGN §4): one per device, on one RS-485 line or behind one TCP endpoint.
inline constexpr std::uint8_t kLoadCellUnit = 1;
inline constexpr std::uint8_t kDriveUnit = 2;
inline constexpr std::uint8_t kSafetyUnit = 3;

// Identification block (4 registers): model code, serial number (uint32), firmware (major<<8 |
// minor). A table says what it is here; tractus-sim answers with kSimulatorModelCode.
namespace ident {
inline constexpr std::uint16_t kModel = 0;
inline constexpr std::uint16_t kSerial = 1; // 2 words, high first
inline constexpr std::uint16_t kFirmware = 3;
inline constexpr std::uint16_t kSize = 4;
} // namespace ident
inline constexpr std::uint16_t kSimulatorModelCode = 0x5453; // "TS": tractus-sim

// The transmitter's factory calibration (6 registers), as Laumas/Flintec transmitters keep their
// zero and span: zero offset in counts (int32), gain in 0.001 counts per newton (int32), rated
// capacity in 0.1 N (uint32). Force = (counts − offset) / gain.
namespace factory_cal {
inline constexpr std::uint16_t kOffset = 0;
inline constexpr std::uint16_t kGain = 2;
inline constexpr std::uint16_t kCapacity = 4;
inline constexpr std::uint16_t kSize = 6;
inline constexpr double kGainScale = 1e-3;    // counts per N, per register count
inline constexpr double kCapacityScale = 0.1; // N per register count
} // namespace factory_cal

// ---- the three devices -------------------------------------------------------------------------

// Load-cell transmitter: one read of registers 0–3 per cycle.
struct LoadCellMap {
  std::uint8_t unit = kLoadCellUnit;
  Field counts{0, RegType::Int32, WordOrder::HighFirst, 1.0}; // raw ADC counts
  std::uint16_t status_address = 2;
  std::uint8_t adc_ok_bit = 0;
  std::uint8_t overload_bit = 1;
  std::uint8_t excitation_fault_bit = 2;
  std::uint16_t sample_counter_address = 3; // +1 per conversion, wraps at 16 bits
  std::optional<std::uint16_t> identification = 100;
  std::optional<std::uint16_t> factory_calibration = 110;
};

// CiA 402 controlword and statusword bits (REFERENCE.md, "Devices on the bus").
namespace cia402 {
inline constexpr unsigned kCwSwitchOn = 0;
inline constexpr unsigned kCwEnableVoltage = 1;
inline constexpr unsigned kCwQuickStop = 2; // active LOW: 0 = quick stop requested
inline constexpr unsigned kCwEnableOperation = 3;
inline constexpr unsigned kCwFaultReset = 7; // acts on a rising edge
inline constexpr unsigned kCwHalt = 8;
// Device-control commands (CiA 402 §10.1.1): what tractus writes.
inline constexpr std::uint16_t kShutdown = 0x0006;        // torque off, ready to switch on
inline constexpr std::uint16_t kEnableOperation = 0x000F; // torque on, follow the target speed
inline constexpr std::uint16_t kQuickStop = 0x000B;       // enabled, quick-stop bit cleared

inline constexpr unsigned kSwReadyToSwitchOn = 0;
inline constexpr unsigned kSwSwitchedOn = 1;
inline constexpr unsigned kSwOperationEnabled = 2;
inline constexpr unsigned kSwFault = 3;
inline constexpr unsigned kSwVoltageEnabled = 4;
inline constexpr unsigned kSwQuickStop = 5; // active LOW: 0 = quick stop active
inline constexpr unsigned kSwSwitchOnDisabled = 6;
inline constexpr unsigned kSwWarning = 7;
inline constexpr unsigned kSwInternalLimit = 11;
inline constexpr unsigned kSwWatchdogArmed = 15; // manufacturer-specific bit in tractus's map
} // namespace cia402

// What the drive does when its communication watchdog expires (after Delta's fault-treatment
// and VFD timeout settings). A traction table wants its safe state, zero tension, so tractus
// writes kDisable: torque off at once and the tension back-drives the motor. kQuickStop would
// hold zero speed, and with it the patient under tension, before disabling.
namespace watchdog_action {
inline constexpr std::uint16_t kWarnOnly = 0; // as shipped with a timeout: keeps running
inline constexpr std::uint16_t kQuickStopThenDisable = 1;
inline constexpr std::uint16_t kDisable = 2;
} // namespace watchdog_action

// Servo drive in velocity mode. Command block 10–12, status block 13–20 (one function 23),
// watchdog configuration 30–31.
struct DriveMap {
  std::uint8_t unit = kDriveUnit;
  std::uint16_t controlword_address = 10;
  Field target_speed{11, RegType::Int32, WordOrder::HighFirst, 1e-5}; // 0.01 mm/s
  std::uint16_t statusword_address = 13;
  Field actual_position{14, RegType::Int32, WordOrder::HighFirst, 1e-6}; // µm
  Field actual_speed{16, RegType::Int32, WordOrder::HighFirst, 1e-5};    // 0.01 mm/s
  Field current{18, RegType::Int16, WordOrder::HighFirst, 0.01};         // 0.01 A
  std::uint16_t fault_code_address = 19; // CiA 402 error code, 0 = none
  std::uint16_t sto_address = 20;        // non-zero: safe torque off (the chain removed power)
  // Statusword bit saying the watchdog runs; none: trust the configuration's read-back.
  std::optional<std::uint8_t> watchdog_armed_bit = cia402::kSwWatchdogArmed;
  Field watchdog_timeout{30, RegType::Uint16, WordOrder::HighFirst, 1e-3}; // ms; 0 = disabled
  std::uint16_t watchdog_action_address = 31;
  std::uint16_t watchdog_action_value = watchdog_action::kDisable;
  std::optional<std::uint16_t> identification = 100;
};

// Safety I/O module: one input word, read once per cycle.
struct SafetyIoMap {
  std::uint8_t unit = kSafetyUnit;
  std::uint16_t inputs_address = 0;
  std::uint8_t estop_chain_closed_bit = 0;
  std::uint8_t patient_switch_a_bit = 1; // closed while the switch is released
  std::uint8_t patient_switch_b_bit = 2; // closed while it is pressed
  std::uint8_t patient_switch_connected_bit = 3;
  std::uint8_t table_locked_bit = 4;
  std::optional<std::uint16_t> identification = 100;
};

struct RegisterMap {
  LoadCellMap load_cell;
  DriveMap drive;
  SafetyIoMap safety;
};
inline constexpr RegisterMap kDefaultMap{};

// ---- the spans one cycle transfers -----------------------------------------------------------

inline constexpr int kMaxSpan = 32; // registers per query a transmitter answers (REFERENCE.md)

struct Span {
  std::uint16_t start = 0;
  std::uint16_t count = 0;
  [[nodiscard]] constexpr bool contains(std::uint16_t a) const {
    return a >= start && a < start + count;
  }
};
constexpr Span span_of(std::uint16_t lo, int hi_exclusive) {
  return {lo, static_cast<std::uint16_t>(hi_exclusive - lo)};
}
constexpr Span load_cell_span(const LoadCellMap &m) {
  const int a = m.counts.address, b = m.status_address, c = m.sample_counter_address;
  const int lo = std::min({a, b, c});
  const int hi = std::max({a + m.counts.words(), b + 1, c + 1});
  return span_of(static_cast<std::uint16_t>(lo), hi);
}
constexpr Span drive_command_span(const DriveMap &m) {
  const int a = m.controlword_address, t = m.target_speed.address;
  return span_of(static_cast<std::uint16_t>(std::min(a, t)),
                 std::max(a + 1, t + m.target_speed.words()));
}
constexpr Span drive_status_span(const DriveMap &m) {
  const int lo = std::min({int{m.statusword_address}, int{m.actual_position.address},
                           int{m.actual_speed.address}, int{m.current.address},
                           int{m.fault_code_address}, int{m.sto_address}});
  const int hi = std::max(
      {m.statusword_address + 1, m.actual_position.address + m.actual_position.words(),
       m.actual_speed.address + m.actual_speed.words(), m.current.address + m.current.words(),
       m.fault_code_address + 1, m.sto_address + 1});
  return span_of(static_cast<std::uint16_t>(lo), hi);
}

static_assert(load_cell_span(kDefaultMap.load_cell).count == 4);
static_assert(drive_command_span(kDefaultMap.drive).start == 10);
static_assert(drive_command_span(kDefaultMap.drive).count == 3);
static_assert(drive_status_span(kDefaultMap.drive).start == 13, "status follows the command");
static_assert(drive_status_span(kDefaultMap.drive).count == 8);

// ---- simulator only ----------------------------------------------------------------------------

// tractus-sim's own unit: the truth no sensor sees (for tests) and the triggers that make the
// simulated devices misbehave on the wire, in the spirit of libmodbus's unit-test server. A real
// table has no such unit; hal/modbus addresses it only to hang calibration weights
// (ModbusTable::write_simulator_control, on a table that identifies as tractus-sim).
namespace sim_control {
inline constexpr std::uint8_t kUnit = 247;
// Diagnostics (read-only).
inline constexpr std::uint16_t kTimeMs = 0;         // uint32: simulated time since start
inline constexpr std::uint16_t kTrueTension = 2;    // int32, 0.01 N
inline constexpr std::uint16_t kTrueTravel = 4;     // int32, µm (sliding section)
inline constexpr std::uint16_t kCablePosition = 6;  // int32, µm
inline constexpr std::uint16_t kDriveFlags = 8;     // bits below
inline constexpr std::uint16_t kDriveFaultCode = 9; // uint16
inline constexpr std::uint16_t kLastCommandMs = 10; // uint32: last command-block write
inline constexpr std::uint16_t kTorqueOffMs = 12;   // uint32: torque last lost; 0xFFFFFFFF never
inline constexpr std::uint16_t kClients = 14;       // TCP connections open
inline constexpr std::uint16_t kRequests = 15;      // requests served (wraps)
inline constexpr std::uint16_t kDiagnosticsSize = 16;
inline constexpr unsigned kFlagEnabled = 0, kFlagFault = 1, kFlagSto = 2, kFlagWatchdogArmed = 3,
                          kFlagWatchdogTripped = 4;
inline constexpr std::uint32_t kNever = 0xFFFFFFFFU;
inline constexpr double kTensionScale = 0.01; // N per count
inline constexpr double kLengthScale = 1e-6;  // m per count
// Wire-level triggers for device d (1 load cell, 2 drive, 3 safety I/O), at kTriggers + 10·(d−1);
// each stays in effect until written back to 0.
inline constexpr std::uint16_t kTriggers = 100;
inline constexpr std::uint16_t kDelayMs = 0;   // every reply delayed by this many ms
inline constexpr std::uint16_t kDrop = 1;      // 1: no reply at all
inline constexpr std::uint16_t kException = 2; // non-zero: answer with this exception code
inline constexpr std::uint16_t kCorrupt = 3;   // 1: RTU CRC (TCP byte count) corrupted
inline constexpr std::uint16_t kTriggerStride = 10;
// Plant events.
inline constexpr std::uint16_t kFreezeLoadCell = 130;  // 1: value and sample counter stop
inline constexpr std::uint16_t kDriveFault = 131;      // write a code: the drive trips with it
inline constexpr std::uint16_t kEstopOpen = 132;       // 1: E-stop chain open (drive in STO)
inline constexpr std::uint16_t kPressSwitchMs = 133;   // write N: patient presses for N ms
inline constexpr std::uint16_t kSwitchUnplugged = 134; // 1: patient switch disconnected
// uint32, 0.1 N: a dead weight hung on the load cell, off the cable (calibration); 0 = none.
inline constexpr std::uint16_t kReferenceLoad = 135;
inline constexpr double kReferenceLoadScale = 0.1; // N per count
inline constexpr std::uint16_t kEventsEnd = 137;
constexpr std::uint16_t trigger_address(std::uint8_t device_unit, std::uint16_t which) {
  return static_cast<std::uint16_t>(kTriggers + kTriggerStride * (device_unit - 1) + which);
}
} // namespace sim_control

} // namespace tractus::hal::regmap
