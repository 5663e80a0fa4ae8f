#include "sim/server/table_registers.hpp"

#include <cmath>

namespace tractus::sim::server {

namespace {

namespace rm = hal::regmap;
namespace sc = hal::regmap::sim_control;
constexpr const rm::RegisterMap &kMap = rm::kDefaultMap;

constexpr std::uint16_t kFirmware = 0x0100; // 1.0
constexpr std::uint32_t kSerialBase = 100000;

std::uint32_t ms(Micros us) { return us < 0 ? sc::kNever : static_cast<std::uint32_t>(us / 1000); }

} // namespace

TableRegisters::TableRegisters(const PlantConfig &config, std::uint64_t seed,
                               std::vector<Injection> after_arming)
    : sim_(config, seed), after_arming_(std::move(after_arming)) {}

Micros TableRegisters::now() const noexcept { return to_micros(sim_.elapsed()); }

void TableRegisters::advance_to(Micros t) noexcept {
  // One step at a time, so the moment the drive loses torque is known to the millisecond.
  while (now() + 1000 <= t) {
    sim_.advance(milliseconds(1));
    track_torque();
  }
}

void TableRegisters::track_torque() noexcept {
  const bool enabled = sim_.drive_enabled();
  if (was_enabled_ && !enabled) torque_off_ = now();
  was_enabled_ = enabled;
}

bool TableRegisters::serves(std::uint8_t unit) const noexcept {
  return unit == kMap.load_cell.unit || unit == kMap.drive.unit || unit == kMap.safety.unit ||
         unit == sc::kUnit;
}

WireFault TableRegisters::wire_fault(std::uint8_t unit) const noexcept {
  if (unit >= 1 && unit <= 3) return wire_[unit - 1U];
  return {};
}

bool TableRegisters::silent(std::uint8_t unit) noexcept {
  const LinkFaults &l = sim_.links();
  return (unit == kMap.load_cell.unit && l.load_cell_timeout) ||
         (unit == kMap.drive.unit && l.drive_timeout) ||
         (unit == kMap.safety.unit && l.safety_timeout);
}

void TableRegisters::image(std::uint8_t unit, Image &img, Mapped &mapped) {
  const auto set = [&](std::uint16_t a, std::uint16_t v) {
    img[a] = v;
    mapped[a] = true;
  };
  const auto set32 = [&](std::uint16_t a, std::uint32_t v) {
    rm::put_u32(&img[a], v, rm::WordOrder::HighFirst);
    mapped[a] = mapped[a + 1U] = true;
  };
  const auto ident = [&](std::optional<std::uint16_t> at) {
    if (!at) return;
    set(static_cast<std::uint16_t>(*at + rm::ident::kModel), rm::kSimulatorModelCode);
    set32(static_cast<std::uint16_t>(*at + rm::ident::kSerial), kSerialBase + unit);
    set(static_cast<std::uint16_t>(*at + rm::ident::kFirmware), kFirmware);
  };
  const auto field = [&](const rm::Field &f, double si) {
    rm::encode(f, si, &img[f.address]);
    for (int i = 0; i < f.words(); ++i)
      mapped[f.address + static_cast<std::size_t>(i)] = true;
  };

  if (unit == kMap.load_cell.unit) {
    const auto &m = kMap.load_cell;
    const hal::LoadCellSample s = sim_.load_cell().read();
    rm::put_raw(m.counts, s.raw_counts, &img[m.counts.address]);
    mapped[m.counts.address] = mapped[m.counts.address + 1U] = true;
    std::uint16_t st = 0;
    st = rm::with_bit(st, m.adc_ok_bit, s.status.adc_ok);
    st = rm::with_bit(st, m.overload_bit, s.status.overload);
    st = rm::with_bit(st, m.excitation_fault_bit, s.status.excitation_fault);
    set(m.status_address, st);
    set(m.sample_counter_address, s.sample_counter);
    ident(m.identification);
    const LoadCellParams &lc = sim_.plant().config().load_cell;
    const std::uint16_t cal = *m.factory_calibration;
    set32(static_cast<std::uint16_t>(cal + rm::factory_cal::kOffset),
          static_cast<std::uint32_t>(lc.offset_counts));
    set32(static_cast<std::uint16_t>(cal + rm::factory_cal::kGain),
          static_cast<std::uint32_t>(
              std::lround(lc.gain_counts_per_n / rm::factory_cal::kGainScale)));
    set32(static_cast<std::uint16_t>(cal + rm::factory_cal::kCapacity),
          static_cast<std::uint32_t>(
              std::lround(lc.full_scale.si() / rm::factory_cal::kCapacityScale)));
  } else if (unit == kMap.drive.unit) {
    namespace cia = rm::cia402;
    const auto &m = kMap.drive;
    const DriveModel &d = sim_.drive_model();
    const hal::DriveStatus s = d.status();
    std::uint16_t sw = 0;
    sw = rm::with_bit(sw, cia::kSwReadyToSwitchOn, s.ready || s.operation_enabled);
    sw = rm::with_bit(sw, cia::kSwSwitchedOn, s.operation_enabled);
    sw = rm::with_bit(sw, cia::kSwOperationEnabled, s.operation_enabled);
    sw = rm::with_bit(sw, cia::kSwFault, s.fault);
    sw = rm::with_bit(sw, cia::kSwVoltageEnabled, !s.sto_active);
    sw = rm::with_bit(sw, cia::kSwQuickStop, d.motor_mode() != MotorMode::QuickStop);
    sw = rm::with_bit(sw, cia::kSwSwitchOnDisabled, !s.ready && !s.fault);
    sw = rm::with_bit(sw, *m.watchdog_armed_bit, s.watchdog_armed);
    set(m.controlword_address, command_[0]);
    set(m.target_speed.address, command_[1]);
    set(static_cast<std::uint16_t>(m.target_speed.address + 1), command_[2]);
    set(m.statusword_address, sw);
    field(m.actual_position, sim_.plant().cable_position().si());
    field(m.actual_speed, sim_.plant().cable_speed().si());
    field(m.current, sim_.plant().motor_current_a());
    set(m.fault_code_address, s.fault_code);
    set(m.sto_address, s.sto_active ? 1 : 0);
    set(m.watchdog_timeout.address, watchdog_ms_);
    set(m.watchdog_action_address, watchdog_action_);
    ident(m.identification);
  } else if (unit == kMap.safety.unit) {
    const auto &m = kMap.safety;
    const hal::SafetyInputs in = sim_.safety().read();
    std::uint16_t w = 0;
    w = rm::with_bit(w, m.estop_chain_closed_bit, in.estop_chain_closed);
    w = rm::with_bit(w, m.patient_switch_a_bit, in.patient_switch_a);
    w = rm::with_bit(w, m.patient_switch_b_bit, in.patient_switch_b);
    w = rm::with_bit(w, m.patient_switch_connected_bit, in.patient_switch_connected);
    w = rm::with_bit(w, m.table_locked_bit, in.table_locked);
    set(m.inputs_address, w);
    ident(m.identification);
  } else if (unit == sc::kUnit) {
    const DriveModel &d = sim_.drive_model();
    set32(sc::kTimeMs, ms(now()));
    set32(sc::kTrueTension,
          static_cast<std::uint32_t>(std::lround(sim_.true_force().si() / sc::kTensionScale)));
    set32(sc::kTrueTravel,
          static_cast<std::uint32_t>(std::lround(sim_.true_travel().si() / sc::kLengthScale)));
    set32(sc::kCablePosition, static_cast<std::uint32_t>(std::lround(
                                  sim_.plant().cable_position().si() / sc::kLengthScale)));
    std::uint16_t flags = 0;
    flags = rm::with_bit(flags, sc::kFlagEnabled, d.operation_enabled());
    flags = rm::with_bit(flags, sc::kFlagFault, d.fault());
    flags = rm::with_bit(flags, sc::kFlagSto, d.sto_active());
    flags = rm::with_bit(flags, sc::kFlagWatchdogArmed, d.watchdog_armed());
    flags = rm::with_bit(flags, sc::kFlagWatchdogTripped,
                         d.fault_code() == DriveModel::kFaultCommWatchdog);
    set(sc::kDriveFlags, flags);
    set(sc::kDriveFaultCode, d.fault_code());
    set32(sc::kLastCommandMs, ms(last_command_));
    set32(sc::kTorqueOffMs, ms(torque_off_));
    set(sc::kClients, static_cast<std::uint16_t>(clients_));
    set(sc::kRequests, static_cast<std::uint16_t>(requests_ & 0xFFFFU));
    for (std::uint8_t dev = 1; dev <= 3; ++dev) {
      const WireFault &w = wire_[dev - 1U];
      set(sc::trigger_address(dev, sc::kDelayMs), static_cast<std::uint16_t>(w.delay / 1000));
      set(sc::trigger_address(dev, sc::kDrop), w.drop ? 1 : 0);
      set(sc::trigger_address(dev, sc::kException), w.exception);
      set(sc::trigger_address(dev, sc::kCorrupt), w.corrupt ? 1 : 0);
    }
    for (std::uint16_t i = 0; i < events_.size(); ++i)
      set(static_cast<std::uint16_t>(sc::kFreezeLoadCell + i), events_[i]);
    set(sc::kDriveFault, d.fault_code());
  }
}

Access TableRegisters::read(std::uint8_t unit, std::uint16_t address, std::uint16_t count,
                            std::uint16_t *out) {
  if (silent(unit)) return Access::NoReply;
  ++requests_;
  if (std::size_t{address} + count > kImageSize) return Access::IllegalAddress;
  Image img{};
  Mapped mapped{};
  image(unit, img, mapped);
  for (std::uint16_t i = 0; i < count; ++i) {
    if (!mapped[address + i]) return Access::IllegalAddress;
    out[i] = img[address + i];
  }
  return Access::Ok;
}

Access TableRegisters::write(std::uint8_t unit, std::uint16_t address, std::uint16_t count,
                             const std::uint16_t *values) {
  if (silent(unit)) return Access::NoReply;
  ++requests_;
  if (unit == kMap.drive.unit) return write_drive(address, count, values);
  if (unit == sc::kUnit) return write_control(address, count, values);
  return Access::IllegalAddress; // the transmitter and the safety I/O are read-only here
}

Access TableRegisters::write_drive(std::uint16_t address, std::uint16_t count,
                                   const std::uint16_t *values) {
  const auto &m = kMap.drive;
  const rm::Span cmd = rm::drive_command_span(m);
  const rm::Span wd{m.watchdog_timeout.address, 2};
  bool touches_cmd = false, touches_wd = false;
  std::array<std::uint16_t, 3> command = command_;
  std::array<std::uint16_t, 2> watchdog{watchdog_ms_, watchdog_action_};
  for (std::uint16_t i = 0; i < count; ++i) {
    const auto a = static_cast<std::uint16_t>(address + i);
    if (cmd.contains(a)) {
      command[a - cmd.start] = values[i];
      touches_cmd = true;
    } else if (wd.contains(a)) {
      watchdog[a - wd.start] = values[i];
      touches_wd = true;
    } else {
      return Access::IllegalAddress;
    }
  }
  if (touches_wd) {
    if (const Access a = arm_watchdog(watchdog[0], watchdog[1]); a != Access::Ok) return a;
  }
  if (touches_cmd) {
    namespace cia = rm::cia402;
    command_ = command;
    const std::uint16_t cw = command_[0];
    hal::DriveCommand c;
    c.enable = rm::bit(cw, cia::kCwSwitchOn) && rm::bit(cw, cia::kCwEnableVoltage) &&
               rm::bit(cw, cia::kCwEnableOperation);
    c.quick_stop = c.enable && !rm::bit(cw, cia::kCwQuickStop);
    c.fault_reset = rm::bit(cw, cia::kCwFaultReset);
    const bool halt = rm::bit(cw, cia::kCwHalt);
    c.cable_speed = halt ? Speed{} : Speed(rm::decode(m.target_speed, &command_[1]));
    sim_.drive().exchange(c); // the drive model takes the command and feeds its watchdog
    last_command_ = now();
    track_torque();
  }
  return Access::Ok;
}

Access TableRegisters::arm_watchdog(std::uint16_t timeout_ms, std::uint16_t action) {
  namespace wa = rm::watchdog_action;
  DriveModel &d = sim_.drive_model();
  if (timeout_ms == 0) {
    // As shipped the watchdog is off; once armed, the simulated drive keeps it armed.
    if (d.watchdog_armed()) return Access::IllegalValue;
    watchdog_ms_ = 0;
    watchdog_action_ = action;
    return Access::Ok;
  }
  // Both stopping actions end with the torque off (the drive model disables at once; a quick
  // stop from ≤ 0.1 m/s at 2 m/s² would last ≤ 50 ms). Warn-only is not simulated.
  if (action != wa::kQuickStopThenDisable && action != wa::kDisable) return Access::IllegalValue;
  if (!sim_.drive().configure_watchdog(milliseconds(timeout_ms)).empty())
    return Access::IllegalValue;
  watchdog_ms_ = timeout_ms;
  watchdog_action_ = action;
  const Micros t = now();
  sim_.inject(Injection{find_injection_kind("patient-switch"), t + kPressTestDelay});
  if (!armed_once_) {
    armed_once_ = true;
    for (const Injection &i : after_arming_)
      sim_.inject(Injection{i.kind, t + i.at});
  }
  return Access::Ok;
}

Access TableRegisters::write_control(std::uint16_t address, std::uint16_t count,
                                     const std::uint16_t *values) {
  bool reference_load = false;
  for (std::uint16_t i = 0; i < count; ++i) {
    const auto a = static_cast<std::uint16_t>(address + i);
    const std::uint16_t v = values[i];
    if (a >= sc::kTriggers && a < sc::kTriggers + 3 * sc::kTriggerStride) {
      const auto offset = static_cast<std::size_t>(a - sc::kTriggers);
      const std::size_t dev = offset / sc::kTriggerStride;
      WireFault &w = wire_[dev];
      switch (offset % sc::kTriggerStride) {
      case sc::kDelayMs:
        if (v > 10000) return Access::IllegalValue;
        w.delay = Micros{v} * 1000;
        break;
      case sc::kDrop: w.drop = v != 0; break;
      case sc::kException:
        if (v > 11) return Access::IllegalValue;
        w.exception = static_cast<std::uint8_t>(v);
        break;
      case sc::kCorrupt: w.corrupt = v != 0; break;
      default: return Access::IllegalAddress;
      }
      continue;
    }
    if (a < sc::kFreezeLoadCell || a >= sc::kEventsEnd) return Access::IllegalAddress;
    events_[a - sc::kFreezeLoadCell] = v;
    switch (a) {
    case sc::kFreezeLoadCell: sim_.plant().freeze_load_cell(v != 0); break;
    case sc::kDriveFault:
      if (v != 0) sim_.drive_model().inject_fault(v);
      track_torque();
      break;
    case sc::kEstopOpen:
      if (v != 0) {
        sim_.safety_model().open_estop();
        sim_.drive_model().tick(now(), true); // the relay removes power at once
        track_torque();
      } else {
        sim_.safety_model().close_estop();
      }
      break;
    case sc::kPressSwitchMs:
      sim_.safety_model().press_patient_switch(now(), milliseconds(v));
      break;
    case sc::kSwitchUnplugged: sim_.safety_model().disconnect_patient_switch(v != 0); break;
    case sc::kReferenceLoad:
    case sc::kReferenceLoad + 1: reference_load = true; break;
    default: break;
    }
  }
  if (reference_load) { // the pair as it stands after the write: 0 = take the weight off
    const std::uint32_t load =
        rm::get_u32(&events_[sc::kReferenceLoad - sc::kFreezeLoadCell], rm::WordOrder::HighFirst);
    if (load == 0)
      sim_.remove_reference_load();
    else
      sim_.hang_reference_load(newtons(static_cast<double>(load) * sc::kReferenceLoadScale));
  }
  return Access::Ok;
}

} // namespace tractus::sim::server
