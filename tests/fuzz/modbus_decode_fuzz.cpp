// libFuzzer target: register words as a device (or a misbehaving device, or a corrupted reply
// that passed its CRC) returns them. Decoding must never crash or produce a non-finite value,
// and a decoded drive status or load-cell sample must be usable as it is.
#include "hal/modbus/device_codec.hpp"

#include <array>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace tractus::hal;
  std::array<std::uint16_t, 64> regs{};
  std::memcpy(regs.data(), data, std::min(size, sizeof regs));
  const auto &map = regmap::kDefaultMap;

  LoadCellSample cell;
  modbus::decode_load_cell(map.load_cell, regs.data(), cell);
  DriveStatus drive;
  modbus::decode_drive_status(map.drive, regs.data(), (regs[63] & 1U) != 0, drive);
  if (!std::isfinite(drive.cable_position.si()) || !std::isfinite(drive.cable_speed.si()) ||
      !std::isfinite(drive.motor_current_a))
    std::abort();
  SafetyInputs safety;
  modbus::decode_safety_inputs(map.safety, regs[0], safety);
  (void)patient_switch_state(safety);

  const auto identity = modbus::decode_identity(regs.data());
  (void)identity.is_simulator();
  const auto factory = modbus::decode_factory_calibration(regs.data() + 8);
  const Calibration cal = modbus::simulator_calibration(factory);
  if (!cal.id.empty()) {
    const double f = cal.to_force(cell.raw_counts).si();
    if (!std::isfinite(f)) std::abort();
  }
  // Encoding is the other direction: any command fits its registers.
  DriveCommand cmd;
  cmd.enable = (regs[1] & 1U) != 0;
  cmd.quick_stop = (regs[1] & 2U) != 0;
  cmd.fault_reset = (regs[1] & 4U) != 0;
  double speed = 0;
  std::memcpy(&speed, regs.data() + 2, sizeof speed);
  cmd.cable_speed = tractus::Speed(speed);
  std::array<std::uint16_t, 8> out{};
  modbus::encode_drive_command(map.drive, cmd, out.data());
  return 0;
}
