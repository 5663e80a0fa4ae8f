#include "controller/journal_text.hpp"

#include "controller/journal.hpp"
#include "profiles/quantity_text.hpp"

namespace tractus::controller {

nlohmann::ordered_json session_journal_header(const profiles::Profile &profile,
                                              const profiles::Trajectory &trajectory,
                                              const std::string &patient_id, Mass body_mass,
                                              const hal::Calibration &calibration) {
  nlohmann::ordered_json h;
  h["software_version"] = TRACTUS_VERSION;
  const auto &f = trajectory.forces();
  nlohmann::ordered_json resolved;
  resolved["max_force_n"] = journal_number(f.max.si(), 2);
  if (f.rest) resolved["rest_force_n"] = journal_number(f.rest->si(), 2);
  if (f.oscillation_amplitude)
    resolved["oscillation_amplitude_n"] = journal_number(f.oscillation_amplitude->si(), 2);
  resolved["ceiling_n"] = journal_number(f.ceiling.si(), 2);
  resolved["peak_setpoint_n"] = journal_number(trajectory.peak_force().si(), 2);
  resolved["cycles"] = trajectory.cycle_count();
  resolved["total_duration_s"] = journal_number(trajectory.total_duration().si(), 3);
  h["profile"] = {{"source", profile.source},
                  {"as_run", nlohmann::ordered_json::parse(profiles::to_json_text(profile))},
                  {"resolved", resolved}};
  h["patient"] = {{"id", patient_id}, {"body_mass_kg", journal_number(body_mass.si(), 2)}};
  h["calibration"] = {{"id", calibration.id}, {"source", calibration.source}};
  return h;
}

nlohmann::ordered_json session_journal_summary(const LoopReport &report, const SessionStats &stats,
                                               int exit_code) {
  nlohmann::ordered_json s;
  s["outcome"] = to_string(report.last.outcome);
  s["exit_code"] = exit_code;
  if (report.last.fault != FaultCode::None) {
    s["code"] = number(report.last.fault);
    s["fault"] = info(report.last.fault).name;
  }
  s["alarm_unacknowledged"] = report.last.alarm;
  const nlohmann::ordered_json figures = stats.to_json();
  for (const auto &[k, v] : figures.items())
    s[k] = v;
  s["overruns"] = report.overruns;
  s["worst_lateness_ms"] = journal_number(report.worst_lateness.si() * 1e3, 3);
  return s;
}

} // namespace tractus::controller
