#include "cli/session_text.hpp"

#include "controller/journal.hpp"
#include "profiles/quantity_text.hpp"

#include <cmath>
#include <cstdio>

namespace tractus::cli {

namespace {
std::string clock_text(double s) {
  const int total = static_cast<int>(std::max(0.0, s));
  char buf[16];
  std::snprintf(buf, sizeof buf, "%02d:%02d", total / 60, total % 60);
  return buf;
}
} // namespace

std::string progress_line(const controller::LoopProgress &p, Duration total) {
  const auto state = static_cast<controller::State>(p.state.load());
  char buf[160];
  std::snprintf(buf, sizeof buf, "%-10s %s / %s   force %6.1f N (%5.1f lbf)   setpoint %6.1f N",
                controller::to_string(state), clock_text(p.protocol_time.load()).c_str(),
                clock_text(total.si()).c_str(), p.measured.load(), in_lbf(Force(p.measured.load())),
                p.setpoint.load());
  return buf;
}

nlohmann::ordered_json journal_header(const profiles::Profile &profile,
                                      const profiles::Trajectory &trajectory,
                                      const std::string &patient_id, Mass body_mass,
                                      const hal::Calibration &calibration) {
  nlohmann::ordered_json h;
  h["software_version"] = TRACTUS_VERSION;
  const auto &f = trajectory.forces();
  nlohmann::ordered_json resolved;
  resolved["max_force_n"] = controller::journal_number(f.max.si(), 2);
  if (f.rest) resolved["rest_force_n"] = controller::journal_number(f.rest->si(), 2);
  if (f.oscillation_amplitude)
    resolved["oscillation_amplitude_n"] = controller::journal_number(f.oscillation_amplitude->si(), 2);
  resolved["ceiling_n"] = controller::journal_number(f.ceiling.si(), 2);
  resolved["peak_setpoint_n"] = controller::journal_number(trajectory.peak_force().si(), 2);
  resolved["cycles"] = trajectory.cycle_count();
  resolved["total_duration_s"] = controller::journal_number(trajectory.total_duration().si(), 3);
  h["profile"] = {{"source", profile.source},
                  {"as_run", nlohmann::ordered_json::parse(profiles::to_json_text(profile))},
                  {"resolved", resolved}};
  h["patient"] = {{"id", patient_id}, {"body_mass_kg", controller::journal_number(body_mass.si(), 2)}};
  h["calibration"] = {{"id", calibration.id}, {"source", calibration.source}};
  return h;
}

nlohmann::ordered_json summary_json(const controller::LoopReport &report,
                                    const controller::SessionStats &stats, int exit_code) {
  nlohmann::ordered_json s;
  s["outcome"] = controller::to_string(report.last.outcome);
  s["exit_code"] = exit_code;
  if (report.last.fault != controller::FaultCode::None) {
    s["code"] = controller::number(report.last.fault);
    s["fault"] = controller::info(report.last.fault).name;
  }
  s["alarm_unacknowledged"] = report.last.alarm;
  const nlohmann::ordered_json figures = stats.to_json();
  for (const auto &[k, v] : figures.items())
    s[k] = v;
  s["overruns"] = report.overruns;
  s["worst_lateness_ms"] = controller::journal_number(report.worst_lateness.si() * 1e3, 3);
  return s;
}

void print_summary(std::ostream &out, const std::string &session_id,
                   const profiles::Profile &profile, const profiles::Trajectory &trajectory,
                   const std::string &patient_id, Mass body_mass,
                   const controller::LoopReport &report, const controller::SessionStats &stats,
                   const std::string &journal_path) {
  using profiles::format_force_n_lbf;
  const auto &last = report.last;
  out << "Session   " << session_id << "\n";
  out << "Protocol  " << profile.id << " (" << profile.name << ")\n";
  out << "Patient   " << patient_id << ", " << profiles::format_mass(body_mass) << "\n";
  out << "Outcome   " << controller::to_string(last.outcome);
  if (last.fault != controller::FaultCode::None)
    out << " — " << controller::number(last.fault) << " " << controller::info(last.fault).name
        << ": " << controller::info(last.fault).meaning;
  out << "\n";
  out << "Peak      " << format_force_n_lbf(stats.peak_force()) << " (highest setpoint "
      << format_force_n_lbf(trajectory.peak_force()) << ")\n";
  char buf[128];
  std::snprintf(buf, sizeof buf, "%.2f N RMS (%.2f %% of target)", stats.hold_rms_error().si(),
                stats.hold_rms_error_percent());
  out << "Holds     tracking error " << buf << "\n";
  out << "Time     ";
  for (int i = 0; i < controller::kStateCount; ++i) {
    const auto s = static_cast<controller::State>(i);
    if (stats.time_in(s).si() > 0)
      out << " " << controller::to_string(s) << " " << profiles::format_duration(stats.time_in(s));
  }
  out << "\n";
  if (last.alarm) out << "ALARM     raised and not acknowledged (acknowledge at the table)\n";
  out << "Journal   " << journal_path << "\n";
}

} // namespace tractus::cli
