// The campaign's report: the table `tractus-campaign` prints (sessions, faults by kind,
// violations, worst detection latency per kind) and the flagged sessions, described for replay.
#include "campaign.hpp"

#include <cstdio>
#include <sstream>
#include <string>

namespace tractus::campaign {

namespace {

using controller::FaultCode;

std::string describe_plan(const SessionPlan &p) {
  char buf[256];
  std::snprintf(buf, sizeof buf, "%s (%.0f min), %s %.1f kg, seed %llu", p.profile.c_str(),
                p.duration.si() / 60.0, std::string(p.preset->name).c_str(), p.body_mass.si(),
                static_cast<unsigned long long>(p.seed));
  return buf;
}

// A bound with its cycles counted as cycles: "1 cyc", "20 ms+1 cyc", "100 ms".
std::string cycles_bound_text(const KindRule &rule) {
  const Micros time_part = rule.bound - rule.cycles * kMicrosPerMs;
  std::string text = time_part > 0 ? format_micros(time_part) : "";
  if (rule.cycles > 0) text += (text.empty() ? "" : "+") + std::to_string(rule.cycles) + " cyc";
  return text;
}

std::string micros_or_dash(const std::optional<Micros> &us) {
  return us ? format_micros(*us) : "-";
}

} // namespace

std::string format_report(const CampaignResult &r, std::size_t max_listed) {
  std::ostringstream out;
  char line[512];
  const bool modbus = r.table == TableKind::ModbusTcp;
  if (modbus) {
    std::snprintf(line, sizeof line,
                  "tractus safety fault campaign through Modbus TCP (tractus-sim on loopback, "
                  "real time): %llu sessions, seed %llu, one at a time\n",
                  static_cast<unsigned long long>(r.sessions),
                  static_cast<unsigned long long>(r.seed));
    out << line;
    std::snprintf(line, sizeof line,
                  "protocols: the stock library's short forms (holds and rests 5 s, no steps, "
                  "ramps up to 45 N/s) cut after %.0f s of treatment, then released\n",
                  r.treatment.si());
    out << line;
    const LiveFigures &l = r.live;
    std::snprintf(line, sizeof line,
                  "%.1f s wall (longest session %.1f s); %llu cycles at 1 kHz, %llu overruns, "
                  "worst lateness %.2f ms; loop thread: %s\n",
                  r.wall_seconds, r.longest_session_s, static_cast<unsigned long long>(l.cycles),
                  static_cast<unsigned long long>(l.overruns),
                  static_cast<double>(l.worst_lateness) / 1e3, l.scheduling.c_str());
    out << line;
    std::snprintf(line, sizeof line,
                  "longest time between two cycles %.2f ms (#%llu at %s, in %s)\n",
                  static_cast<double>(l.longest_cycle) / 1e3,
                  static_cast<unsigned long long>(r.longest_cycle_session),
                  format_micros(l.longest_cycle_at).c_str(), l.longest_cycle_state);
    out << line;
    std::snprintf(line, sizeof line,
                  "truth (unit 247, own connection): %llu samples, %llu failed reads, worst gap "
                  "to a cycle %.2f ms; slowest fault write between two cycles %.2f ms\n\n",
                  static_cast<unsigned long long>(l.truth_samples),
                  static_cast<unsigned long long>(l.truth_failures),
                  static_cast<double>(l.worst_truth_gap) / 1e3,
                  static_cast<double>(l.trigger_write) / 1e3);
    out << line;
  } else {
    std::snprintf(line, sizeof line,
                  "tractus safety fault campaign: %llu sessions, seed %llu, %d jobs, slip "
                  "response %s\n",
                  static_cast<unsigned long long>(r.sessions),
                  static_cast<unsigned long long>(r.seed), r.jobs,
                  controller::to_string(r.slip_response));
    out << line;
    out << (r.session_length.si() > 0 ? "protocols shortened to:"
                                      : "protocols at stock durations:");
    for (const auto &[id, d] : r.durations) {
      std::snprintf(line, sizeof line, " %s %.0f min", id.c_str(), d.si() / 60.0);
      out << line;
    }
    out << "\n";
    std::snprintf(line, sizeof line, "%.1f s wall, %.1f h simulated (%.0fx real time)\n\n",
                  r.wall_seconds, r.simulated_seconds / 3600.0,
                  r.wall_seconds > 0 ? r.simulated_seconds / r.wall_seconds : 0.0);
    out << line;
  }

  // Over Modbus a bound's cycles are the loop's cycles as they came (invariants.hpp), and the
  // latency is shown in milliseconds and in cycles.
  out << (modbus
              ? "kind               runs  inj  det/req  bound       worst lat       <15N worst  "
                "at 3 s   torque-off  excess over max  a  b  c  d  e  answers (first code "
                "after the event)\n"
              : "kind               runs  inj  det/req  bound      worst lat  <15N worst  at 3 s "
                "  torque-off  excess over max  a  b  c  d  e  answers (first code after the "
                "event)\n");
  for (const KindRow &row : r.rows) {
    if (row.runs == 0) continue;
    std::string det = "-";
    std::string bound = "-";
    if (row.rule != nullptr && row.rule->response != Response::None) {
      det = std::to_string(row.detected) + "/" + std::to_string(row.required);
      bound = modbus ? cycles_bound_text(*row.rule) : format_micros(row.rule->bound);
      if (row.rule->response == Response::FaultBeforeOverForce) bound = "trip+" + bound;
      if (row.rule->pending) bound += "*";
    }
    std::string answers;
    for (const auto &[code, n] : row.answers)
      answers += (answers.empty() ? "" : " ") + std::to_string(code) + "x" + std::to_string(n);
    if (row.pending > 0) answers += " | pending miss " + std::to_string(row.pending);
    if (row.ended > 0) answers += " | ended first " + std::to_string(row.ended);
    char at3s[24] = "-";
    if (row.worst_after_3s) std::snprintf(at3s, sizeof at3s, "%.1f N", row.worst_after_3s->si());
    char excess[40] = "-";
    if (row.worst_excess)
      std::snprintf(excess, sizeof excess, "%+.1f N %+.1f%%", row.worst_excess->si(),
                    row.worst_excess_percent);
    std::string latency = micros_or_dash(row.worst_latency);
    if (modbus && row.worst_latency) {
      char text[40];
      std::snprintf(text, sizeof text, "%.1f ms %llu cyc",
                    static_cast<double>(*row.worst_latency) / 1e3,
                    static_cast<unsigned long long>(row.worst_latency_cycles.value_or(0)));
      latency = text;
    }
    std::snprintf(line, sizeof line,
                  modbus ? "%-18s %5llu %4llu %7s  %-11s %-15s %-11s %-8s %-11s %-16s %2llu %2llu "
                           "%2llu %2llu %2llu  %s\n"
                         : "%-18s %5llu %4llu %7s  %-10s %-10s %-11s %-8s %-11s %-16s %2llu %2llu "
                           "%2llu %2llu %2llu  %s\n",
                  row.kind.c_str(), static_cast<unsigned long long>(row.runs),
                  static_cast<unsigned long long>(row.injected), det.c_str(), bound.c_str(),
                  latency.c_str(), micros_or_dash(row.worst_release).c_str(), at3s,
                  micros_or_dash(row.worst_torque_off).c_str(), excess,
                  static_cast<unsigned long long>(row.violations[0]),
                  static_cast<unsigned long long>(row.violations[1]),
                  static_cast<unsigned long long>(row.violations[2]),
                  static_cast<unsigned long long>(row.violations[3]),
                  static_cast<unsigned long long>(row.violations[4]), answers.c_str());
    out << line;
  }

  out << "\nviolations (sessions):";
  for (Invariant i : kInvariants)
    out << "  " << letter(i) << " " << to_string(i) << " "
        << r.violations[static_cast<std::size_t>(i)];
  out << "  | total " << r.total_violations() << "\n";
  if (r.errors > 0) out << "sessions that could not run: " << r.errors << "\n";
  std::snprintf(line, sizeof line,
                "worst true-force excess over the highest setpoint (drive able to pull): %+.1f N "
                "(#%llu), %+.2f %% (#%llu); a allows +5 %% or +10 N\n",
                r.worst_excess.si(), static_cast<unsigned long long>(r.worst_excess_session),
                r.worst_excess_percent,
                static_cast<unsigned long long>(r.worst_excess_percent_session));
  out << line;
  std::snprintf(line, sizeof line,
                "force over a's limit with the drive unpowered > 50 ms (the patient's own, not "
                "counted in a): %llu sessions, worst %.1f N\n",
                static_cast<unsigned long long>(r.plant_excess), r.plant_excess_worst.si());
  out << line;
  if (r.recoil.slips > 0) {
    const RecoilFigures &rc = r.recoil;
    std::snprintf(line, sizeof line,
                  "recoil after a harness slip (true force from 305 on, powered or not): %llu "
                  "slips, above the force before the slip %llu, above a's limit %llu; worst "
                  "%.1f N (#%llu, %.1f N before the slip, a's limit %.1f N); worst ratio to the "
                  "force before %.2f (#%llu)\n",
                  static_cast<unsigned long long>(rc.slips),
                  static_cast<unsigned long long>(rc.above_before),
                  static_cast<unsigned long long>(rc.above_limit), rc.worst_peak.si(),
                  static_cast<unsigned long long>(rc.worst_peak_session), rc.worst_peak_before.si(),
                  rc.worst_peak_limit.si(), rc.worst_ratio,
                  static_cast<unsigned long long>(rc.worst_ratio_session));
    out << line;
  }
  out << "pending monitors (reported, not counted in b): " << r.pending_misses;
  for (const KindRow &row : r.rows)
    if (row.pending > 0) out << "  " << row.kind << " " << row.pending;
  out << "\ninjections by phase:";
  for (const auto &[phase, n] : r.phases)
    out << "  " << phase << " " << n;
  out << "\nfaults and stops with no campaign event behind them:";
  if (r.unprovoked.empty()) out << " none";
  for (const auto &[code, n] : r.unprovoked)
    out << "  " << code << " " << controller::info(static_cast<FaultCode>(code)).name << " x" << n;
  for (const auto &[code, sessions] : r.unprovoked_sessions)
    for (const SessionReport &s : sessions) {
      for (const FaultRecord &f : s.verdict.faults)
        if (controller::number(f.code) == code &&
            (!s.verdict.injected || f.t < s.verdict.injected_at)) {
          out << "\n    " << code << " at " << format_micros(f.t) << " in #" << s.plan.index << " "
              << describe_plan(s.plan) << ", planned "
              << (s.plan.kind.empty() ? "no fault" : s.plan.kind);
          if (modbus)
            out << " (longest cycle " << format_micros(s.live.longest_cycle) << ", at "
                << format_micros(s.live.longest_cycle_at) << ")";
          break;
        }
    }
  out << "\nstart requests after a fault, stop or end: " << r.restart_requests
      << " (any that restarted a session is a d violation)\n";
  for (const KindRow &row : r.rows)
    if (row.rule != nullptr && row.rule->pending) {
      out << "bounds marked * belong to monitors not implemented yet (docs/fault-codes.md "
             "\"reserved\")\n";
      break;
    }

  if (!r.flagged.empty()) {
    out << "\nflagged sessions (" << r.flagged.size() << ")";
    if (r.flagged.size() > max_listed) out << ", first " << max_listed;
    out << ":\n";
    std::size_t listed = 0;
    for (const SessionReport &s : r.flagged) {
      if (listed++ == max_listed) break;
      const SessionVerdict &v = s.verdict;
      out << "#" << s.plan.index << "  " << describe_plan(s.plan) << ", "
          << (s.plan.kind.empty() ? "no fault" : s.plan.kind);
      if (v.injected) {
        std::snprintf(line, sizeof line, " at %s (%s, true force %.1f N)",
                      format_micros(v.injected_at).c_str(), std::string(v.phase).c_str(),
                      v.force_at_injection.si());
        out << line << ": " << to_string(v.detection);
        if (v.latency)
          out << ", answered " << controller::number(v.answer) << " "
              << controller::info(v.answer).name << " after " << format_micros(*v.latency);
      }
      out << "\n";
      if (!s.error.empty()) out << "    error: " << s.error << "\n";
      for (const Violation &x : v.violations)
        out << "    " << letter(x.invariant) << " (" << to_string(x.invariant) << "): " << x.what
            << "\n";
      if (v.plant_excess) out << "    a-plant (not counted): " << *v.plant_excess << "\n";
      std::snprintf(line, sizeof line,
                    "    peak true force %.1f N, outcome %s, end state %s, release %s\n",
                    v.peak_true.si(), controller::to_string(v.outcome),
                    controller::to_string(v.final_state), micros_or_dash(v.release_time).c_str());
      out << line;
      if (modbus) {
        const LiveFigures &l = s.live;
        std::snprintf(line, sizeof line,
                      "    live: %.1f s wall, %llu cycles, %llu overruns, worst lateness %.2f ms, "
                      "longest cycle %.2f ms at %s, truth gap %.2f ms\n",
                      l.wall_seconds, static_cast<unsigned long long>(l.cycles),
                      static_cast<unsigned long long>(l.overruns),
                      static_cast<double>(l.worst_lateness) / 1e3,
                      static_cast<double>(l.longest_cycle) / 1e3,
                      format_micros(l.longest_cycle_at).c_str(),
                      static_cast<double>(l.worst_truth_gap) / 1e3);
        out << line;
      }
      out << "    replay: tractus-campaign --seed " << r.seed << " --only " << s.plan.index;
      if (modbus) out << " --table modbus-tcp --seconds " << r.treatment.si();
      if (!modbus && r.session_length != minutes(4))
        out << " --minutes " << r.session_length.si() / 60.0;
      for (const std::string &k : r.kinds)
        out << " --kind " << k;
      if (r.slip_response != controller::SlipPayOutParams{}.response)
        out << " --slip-response " << controller::to_string(r.slip_response);
      out << " --keep-journals --journal-dir DIR\n";
      if (!s.journal.empty()) out << "    journal: " << s.journal.string() << "\n";
    }
  }
  return out.str();
}

} // namespace tractus::campaign
