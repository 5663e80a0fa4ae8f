// The client's side of the register map: hal values to and from register words.
//
// Pure functions (no I/O, no allocation), so every encoding rule is unit-tested without a
// network. `regs` always points at the first register of the span the function is about
// (hal/register_map.hpp: load_cell_span, drive_command_span, drive_status_span).
#pragma once

#include "hal/calibration.hpp"
#include "hal/hal.hpp"
#include "hal/register_map.hpp"

#include <cstdint>

namespace tractus::hal::modbus {

// CiA 402 device control: Shutdown when disabled, Enable operation, or Quick stop while enabled
// (bit 2 is active low); bit 7 carries fault_reset (the drive acts on its rising edge).
std::uint16_t controlword(const DriveCommand &cmd) noexcept;
void encode_drive_command(const regmap::DriveMap &m, const DriveCommand &cmd,
                          std::uint16_t *regs) noexcept;

// `watchdog_configured`: what configure_watchdog() established, used for watchdog_armed when
// the map has no statusword bit for it. io and age are the caller's.
void decode_drive_status(const regmap::DriveMap &m, const std::uint16_t *regs,
                         bool watchdog_configured, DriveStatus &out) noexcept;
void decode_load_cell(const regmap::LoadCellMap &m, const std::uint16_t *regs,
                      LoadCellSample &out) noexcept;
void decode_safety_inputs(const regmap::SafetyIoMap &m, std::uint16_t word,
                          SafetyInputs &out) noexcept;

// What a device's identification block says (regmap::ident).
struct DeviceIdentity {
  bool known = false; // the block was mapped and read
  std::uint16_t model = 0;
  std::uint32_t serial = 0;
  std::uint16_t firmware = 0;
  [[nodiscard]] bool is_simulator() const { return known && model == regmap::kSimulatorModelCode; }
};
DeviceIdentity decode_identity(const std::uint16_t *regs) noexcept;

// The transmitter's factory calibration registers (regmap::factory_cal).
struct FactoryCalibration {
  std::int32_t offset_counts = 0;
  double gain_counts_per_n = 0;
  Force capacity{};
};
FactoryCalibration decode_factory_calibration(const std::uint16_t *regs) noexcept;
// As a calibration record: F = (counts − offset) / gain, never expiring (the simulator's own;
// DESIGN §8). Empty id when the gain is not positive.
Calibration simulator_calibration(const FactoryCalibration &f);

} // namespace tractus::hal::modbus
