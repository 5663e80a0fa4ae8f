#include "console/telemetry.hpp"

#include "controller/journal.hpp"

namespace tractus::console {

namespace {

using controller::journal_number;

// The outcome as a kebab-case word for the page (controller::to_string(Outcome) is prose for
// people); null while the session runs.
nlohmann::json outcome_json(controller::Outcome o) {
  switch (o) {
  case controller::Outcome::None: return nullptr;
  case controller::Outcome::Completed: return "completed";
  case controller::Outcome::PatientStop: return "patient-stop";
  case controller::Outcome::OperatorStop: return "operator-stop";
  case controller::Outcome::Faulted: return "fault";
  }
  return nullptr;
}

nlohmann::json fault_json(controller::FaultCode code) {
  if (code == controller::FaultCode::None) return nullptr;
  const controller::FaultInfo &i = controller::info(code);
  return {{"code", controller::number(code)}, {"name", i.name}, {"meaning", i.meaning}};
}

bool is_guarding(controller::EventKind k) {
  return k == controller::EventKind::GuardingOnset || k == controller::EventKind::GuardingEnd;
}

nlohmann::json event_json(const controller::Event &e) {
  const bool coded = e.code != controller::FaultCode::None;
  nlohmann::json j = {
      {"kind", controller::to_string(e.kind)}, // the journal's event names
      {"state", controller::to_string(e.state)},
      {"code", controller::number(e.code)},
      {"name", coded ? nlohmann::json(controller::info(e.code).name) : nlohmann::json()},
      {"detail", e.detail != nullptr ? e.detail : ""}};
  // A guarding event's size, N, as the journal's size_n: at onset, at its end the largest.
  if (is_guarding(e.kind)) j["size_N"] = journal_number(e.value, 1);
  if (e.kind == controller::EventKind::WatchdogReset)
    j["stall_ms"] = journal_number(e.value * 1e3, 1);
  return j;
}

} // namespace

nlohmann::json to_json(const TelemetryFrame &f) {
  nlohmann::json events = nlohmann::json::array();
  for (std::uint8_t i = 0; i < f.event_count && i < f.events.size(); ++i)
    events.push_back(event_json(f.events[i]));
  return {{"type", "telemetry"},
          {"seq", f.seq},
          {"wall_ms", journal_number(f.wall_ms, 1)},
          {"t_s", journal_number(f.protocol_s, 3)},
          {"setpoint_N", journal_number(f.setpoint_n, 2)},
          {"force_N", journal_number(f.force_n, 2)},
          {"state", controller::to_string(f.state)},
          {"phase", std::string(profiles::to_string(f.phase))},
          {"outcome", outcome_json(f.outcome)},
          {"fault", fault_json(f.fault)},
          {"alarm", f.alarm},
          {"reminder", f.reminder},
          {"press_test", f.press_test_passed},
          {"estop_closed", f.estop_chain_closed},
          {"switch_connected", f.patient_switch_connected},
          {"simulated", f.simulated},
          {"loop_running", f.loop_running},
          {"guarding", f.guarding},
          {"guarding_N",
           f.guarding ? nlohmann::json(journal_number(f.guarding_n, 1)) : nlohmann::json()},
          {"guarding_events", f.guarding_events},
          {"events", std::move(events)}};
}

} // namespace tractus::console
