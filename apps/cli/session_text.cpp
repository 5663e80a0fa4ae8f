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
  out << "Outcome   " << controller::outcome_text(last);
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
  // Muscle guarding the force loop eased off for: a notice, said only when there was some.
  if (const auto n = stats.guarding_events(); n > 0)
    out << "Guarding  " << n << " muscle-guarding event" << (n == 1 ? "" : "s") << ", largest "
        << format_force_n_lbf(stats.guarding_largest()) << ", "
        << profiles::format_duration(stats.guarding_time()) << " in all\n";
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
