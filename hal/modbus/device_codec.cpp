#include "hal/modbus/device_codec.hpp"

namespace tractus::hal::modbus {

using namespace regmap;

std::uint16_t controlword(const DriveCommand &cmd) noexcept {
  std::uint16_t cw = cia402::kShutdown;
  if (cmd.enable) cw = cmd.quick_stop ? cia402::kQuickStop : cia402::kEnableOperation;
  return with_bit(cw, cia402::kCwFaultReset, cmd.fault_reset);
}

void encode_drive_command(const DriveMap &m, const DriveCommand &cmd,
                          std::uint16_t *regs) noexcept {
  const Span span = drive_command_span(m);
  regs[m.controlword_address - span.start] = controlword(cmd);
  encode(m.target_speed, cmd.enable ? cmd.cable_speed.si() : 0.0,
         regs + (m.target_speed.address - span.start));
}

void decode_drive_status(const DriveMap &m, const std::uint16_t *regs, bool watchdog_configured,
                         DriveStatus &out) noexcept {
  const std::uint16_t base = drive_status_span(m).start;
  const std::uint16_t sw = regs[m.statusword_address - base];
  out.fault = bit(sw, cia402::kSwFault);
  out.fault_code = regs[m.fault_code_address - base];
  out.sto_active = regs[m.sto_address - base] != 0;
  out.ready = bit(sw, cia402::kSwReadyToSwitchOn) && !out.fault && !out.sto_active;
  out.operation_enabled = bit(sw, cia402::kSwOperationEnabled);
  out.watchdog_armed = m.watchdog_armed_bit ? bit(sw, *m.watchdog_armed_bit) : watchdog_configured;
  out.cable_position = Length(decode(m.actual_position, regs + (m.actual_position.address - base)));
  out.cable_speed = Speed(decode(m.actual_speed, regs + (m.actual_speed.address - base)));
  out.motor_current_a = decode(m.current, regs + (m.current.address - base));
}

void decode_load_cell(const LoadCellMap &m, const std::uint16_t *regs,
                      LoadCellSample &out) noexcept {
  const std::uint16_t base = load_cell_span(m).start;
  out.raw_counts = static_cast<std::int32_t>(get_raw(m.counts, regs + (m.counts.address - base)));
  const std::uint16_t st = regs[m.status_address - base];
  out.status.adc_ok = bit(st, m.adc_ok_bit);
  out.status.overload = bit(st, m.overload_bit);
  out.status.excitation_fault = bit(st, m.excitation_fault_bit);
  out.sample_counter = regs[m.sample_counter_address - base];
}

void decode_safety_inputs(const SafetyIoMap &m, std::uint16_t word, SafetyInputs &out) noexcept {
  out.estop_chain_closed = bit(word, m.estop_chain_closed_bit);
  out.patient_switch_a = bit(word, m.patient_switch_a_bit);
  out.patient_switch_b = bit(word, m.patient_switch_b_bit);
  out.patient_switch_connected = bit(word, m.patient_switch_connected_bit);
  out.table_locked = bit(word, m.table_locked_bit);
}

DeviceIdentity decode_identity(const std::uint16_t *regs) noexcept {
  DeviceIdentity id;
  id.known = true;
  id.model = regs[ident::kModel];
  id.serial = get_u32(regs + ident::kSerial, WordOrder::HighFirst);
  id.firmware = regs[ident::kFirmware];
  return id;
}

FactoryCalibration decode_factory_calibration(const std::uint16_t *regs) noexcept {
  FactoryCalibration f;
  f.offset_counts = get_i32(regs + factory_cal::kOffset, WordOrder::HighFirst);
  f.gain_counts_per_n =
      static_cast<double>(get_i32(regs + factory_cal::kGain, WordOrder::HighFirst)) *
      factory_cal::kGainScale;
  f.capacity =
      newtons(static_cast<double>(get_u32(regs + factory_cal::kCapacity, WordOrder::HighFirst)) *
              factory_cal::kCapacityScale);
  return f;
}

Calibration simulator_calibration(const FactoryCalibration &f) {
  if (!(f.gain_counts_per_n > 0)) return Calibration{};
  Calibration cal = Calibration::from_gain_offset(f.gain_counts_per_n, f.offset_counts);
  cal.id = "sim-factory";
  cal.source = "simulator factory calibration (read over Modbus)";
  cal.full_scale = f.capacity;
  cal.expires_unix = 0; // the simulator's calibration never expires
  return cal;
}

} // namespace tractus::hal::modbus
