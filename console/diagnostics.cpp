#include "console/diagnostics.hpp"

#include "controller/journal.hpp"

namespace tractus::console {

namespace {
using controller::journal_number;
double ms(Duration d) { return journal_number(d.si() * 1e3, 3); }
} // namespace

controller::Readings read_devices(hal::Table table) noexcept {
  controller::Readings r;
  r.load_cell = table.load_cell.read();
  r.safety = table.safety.read();
  r.drive = table.drive.exchange(hal::DriveCommand::disabled());
  return r;
}

nlohmann::json devices_json(const controller::Readings &r) {
  const auto &lc = r.load_cell;
  const auto &s = r.safety;
  const auto &d = r.drive;
  const char *sw = "discrepant";
  if (hal::patient_switch_state(s) == hal::PatientSwitch::Released) sw = "released";
  if (hal::patient_switch_state(s) == hal::PatientSwitch::Pressed) sw = "pressed";
  return {{"load_cell",
           {{"io", hal::to_string(lc.io)},
            {"raw_counts", lc.raw_counts},
            {"adc_ok", lc.status.adc_ok},
            {"overload", lc.status.overload},
            {"excitation_fault", lc.status.excitation_fault},
            {"sample_counter", lc.sample_counter},
            {"age_ms", ms(lc.age)}}},
          {"safety",
           {{"io", hal::to_string(s.io)},
            {"estop_chain_closed", s.estop_chain_closed},
            {"patient_switch_a", s.patient_switch_a},
            {"patient_switch_b", s.patient_switch_b},
            {"patient_switch", sw},
            {"patient_switch_connected", s.patient_switch_connected},
            {"table_locked", s.table_locked},
            {"age_ms", ms(s.age)}}},
          {"drive",
           {{"io", hal::to_string(d.io)},
            {"ready", d.ready},
            {"operation_enabled", d.operation_enabled},
            {"fault", d.fault},
            {"fault_code", d.fault_code},
            {"sto_active", d.sto_active},
            {"watchdog_armed", d.watchdog_armed},
            {"cable_position_mm", journal_number(d.cable_position.si() * 1e3, 3)},
            {"cable_speed_mm_s", journal_number(d.cable_speed.si() * 1e3, 3)},
            {"motor_current_a", journal_number(d.motor_current_a, 3)},
            {"age_ms", ms(d.age)}}}};
}

nlohmann::json timing_json(const LoopTiming &t) {
  const auto &h = t.lateness;
  return {{"period_ms", ms(t.period)},
          {"cycles", t.cycles},
          {"overruns", t.overruns},
          {"worst_lateness_ms", ms(t.worst_lateness)},
          {"period_error_ms",
           {{"p50", ms(h.percentile(0.5))},
            {"p99", ms(h.percentile(0.99))},
            {"p99_9", ms(h.percentile(0.999))}}}};
}

} // namespace tractus::console
