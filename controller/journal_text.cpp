#include "controller/journal_text.hpp"

#include "controller/journal.hpp"
#include "profiles/quantity_text.hpp"
#include "text/patient_id.hpp"
#include "text/utc_text.hpp"

#include <algorithm>
#include <random>

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

const char *outcome_text(const CycleOutput &last) noexcept {
  const bool never_started =
      last.outcome == Outcome::None && (last.state == State::Idle || last.state == State::Ready);
  return never_started ? "not started" : to_string(last.outcome);
}

nlohmann::ordered_json session_journal_summary(const LoopReport &report, const SessionStats &stats,
                                               int exit_code) {
  nlohmann::ordered_json s;
  s["outcome"] = outcome_text(report.last);
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
  s["events_dropped"] = report.events_dropped;
  s["worst_lateness_ms"] = journal_number(report.worst_lateness.si() * 1e3, 3);
  // Readings that failed and were ridden through (a fault only past the monitors' window).
  s["failed_readings"] = {{"load_cell", report.failed.load_cell},
                          {"drive", report.failed.drive},
                          {"safety", report.failed.safety}};
  // Where the cycle's time went (real clock only): the evidence behind a stall.
  if (report.phases[static_cast<std::size_t>(LoopPhase::LoadCellRead)].histogram.total() > 0) {
    nlohmann::ordered_json phases;
    for (std::size_t i = 0; i < kLoopPhases; ++i) {
      const PhaseTiming &p = report.phases[i];
      phases[to_string(static_cast<LoopPhase>(i))] = {
          {"cycles", p.histogram.total()}, // for `wake`, the cycles that slept
          {"p99_ms", journal_number(p.histogram.percentile(0.99).si() * 1e3, 3)},
          {"p99.9_ms", journal_number(p.histogram.percentile(0.999).si() * 1e3, 3)},
          {"max_ms", journal_number(p.worst.si() * 1e3, 3)}};
    }
    s["loop_phases"] = phases;
  }
  return s;
}

namespace {
std::string random_hex(int digits) {
  std::random_device rd;
  std::string s;
  for (int i = 0; i < digits; ++i)
    s += "0123456789abcdef"[rd() % 16];
  return s;
}
} // namespace

bool valid_patient_id(const std::string &id) { return text::patient_id_problem(id).empty(); }

std::string anonymous_patient_id() {
  // Drawn again in the 0.3 % of cases with no digit ("anon-abcdef"), which is not an id.
  std::string hex;
  do {
    hex = random_hex(6);
  } while (hex.find_first_of("0123456789") == std::string::npos);
  return "anon-" + hex;
}

nlohmann::ordered_json journal_limits(const SessionSetup &setup) {
  const Force peak = setup.trajectory != nullptr ? setup.trajectory->peak_force() : newtons(0);
  return {{"hard_cap_n", journal_number(setup.hard_cap.si(), 2)},
          {"over_force_n", journal_number(over_force_limit(peak, setup.hard_cap).si(), 2)},
          {"treatment_rate_n_per_s", journal_number(setup.timings.treatment_rate.si(), 2)},
          {"min_cord_tension_n", journal_number(setup.timings.min_cord_tension.si(), 2)}};
}

std::string new_session_id(std::string_view profile_id, std::int64_t now_unix) {
  return text::utc_compact(now_unix) + "-" + std::string(profile_id) + "-" + random_hex(4);
}

} // namespace tractus::controller
