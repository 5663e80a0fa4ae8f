#include "campaign_tally.hpp"

#include "invariants.hpp"

#include <algorithm>
#include <string>

namespace tractus::campaign {

namespace {

KindRow &row_of(CampaignResult &result, const std::string &kind) {
  for (KindRow &r : result.rows)
    if (r.kind == (kind.empty() ? "none" : kind)) return r;
  KindRow other;
  other.kind = kind;
  result.rows.push_back(other);
  return result.rows.back();
}

template <class T> void keep_worst(std::optional<T> &worst, const std::optional<T> &v) {
  if (v && (!worst || *v > *worst)) worst = v;
}

// A session over Modbus: its loop's timing and the truth read back from tractus-sim.
void add_live(const SessionReport &s, CampaignResult &result) {
  LiveFigures &l = result.live;
  l.cycles += s.live.cycles;
  l.overruns += s.live.overruns;
  l.truth_samples += s.live.truth_samples;
  l.truth_failures += s.live.truth_failures;
  l.worst_lateness = std::max(l.worst_lateness, s.live.worst_lateness);
  if (s.live.longest_cycle > l.longest_cycle) {
    l.longest_cycle = s.live.longest_cycle;
    l.longest_cycle_at = s.live.longest_cycle_at;
    l.longest_cycle_state = s.live.longest_cycle_state;
    result.longest_cycle_session = s.plan.index;
  }
  l.worst_truth_gap = std::max(l.worst_truth_gap, s.live.worst_truth_gap);
  l.trigger_write = std::max(l.trigger_write, s.live.trigger_write);
  l.wall_seconds += s.live.wall_seconds;
  if (l.scheduling.empty()) l.scheduling = s.live.scheduling;
  result.longest_session_s = std::max(result.longest_session_s, s.live.wall_seconds);
}

// The injected fault: its phase, the code that answered it, how fast, and whether an answer
// was required.
void add_detection(const SessionVerdict &v, KindRow &row, CampaignResult &result) {
  if (v.injected) {
    ++row.injected;
    ++result.phases[std::string(v.phase)];
    if (v.latency) ++row.answers[controller::number(v.answer)];
    // Latency is a figure only where an answer is required (noise, spasm: not a fault).
    const bool timed = v.detection == Detection::Detected || v.detection == Detection::Late ||
                       v.detection == Detection::PendingMiss;
    if (timed) {
      keep_worst(row.worst_latency, v.latency);
      keep_worst(row.worst_latency_cycles, v.latency_cycles);
    }
  }
  switch (v.detection) {
  case Detection::Detected:
    ++row.detected;
    ++row.required;
    break;
  case Detection::Late:
  case Detection::Missed: ++row.required; break;
  case Detection::Ended: ++row.ended; break;
  case Detection::PendingMiss:
    ++row.required;
    ++row.pending;
    ++result.pending_misses;
    break;
  case Detection::NoInjection:
  case Detection::NotRequired: break;
  }
}

// Faults raised before any injection (or in a session without one): the controller's own.
void add_unprovoked(const SessionReport &s, CampaignResult &result) {
  const SessionVerdict &v = s.verdict;
  for (const FaultRecord &f : v.faults) {
    if (v.injected && f.t >= v.injected_at) continue;
    const int code = controller::number(f.code);
    ++result.unprovoked[code];
    auto &examples = result.unprovoked_sessions[code];
    if (examples.size() < 5) examples.push_back(s);
  }
}

// The release, torque-off and excess figures, for the row and the campaign.
void add_worst_figures(const SessionReport &s, KindRow &row, CampaignResult &result) {
  const SessionVerdict &v = s.verdict;
  keep_worst(row.worst_release, v.release_time);
  keep_worst(row.worst_torque_off, v.torque_off);
  keep_worst(row.worst_after_3s, v.force_after_release_window);
  const double percent = 100.0 * (v.worst_excess / v.force_base);
  if (v.worst_excess > result.worst_excess) {
    result.worst_excess = v.worst_excess;
    result.worst_excess_session = s.plan.index;
  }
  if (percent > result.worst_excess_percent) {
    result.worst_excess_percent = percent;
    result.worst_excess_percent_session = s.plan.index;
  }
  if (!row.worst_excess || v.worst_excess > *row.worst_excess) {
    row.worst_excess = v.worst_excess;
    row.worst_excess_percent = percent;
  }
}

// A harness slip answered as one (305): how far the patient recoiled (hazard H3).
void add_recoil(const SessionReport &s, RecoilFigures &rc) {
  const SessionVerdict &v = s.verdict;
  if (s.plan.kind != "harness-slip" || !v.latency ||
      v.answer != controller::FaultCode::ForceImplausible)
    return;
  ++rc.slips;
  if (v.peak_after_end > v.force_at_injection) ++rc.above_before;
  const Force limit = force_limit(v.force_base);
  if (v.peak_after_end > limit) ++rc.above_limit;
  if (rc.slips == 1 || v.peak_after_end > rc.worst_peak) {
    rc.worst_peak = v.peak_after_end;
    rc.worst_peak_session = s.plan.index;
    rc.worst_peak_before = v.force_at_injection;
    rc.worst_peak_limit = limit;
  }
  if (v.force_at_injection > newtons(1)) {
    const double ratio = v.peak_after_end / v.force_at_injection;
    if (ratio > rc.worst_ratio) {
      rc.worst_ratio = ratio;
      rc.worst_ratio_session = s.plan.index;
    }
  }
}

void tally_session(const SessionReport &s, bool modbus, CampaignResult &result) {
  ++result.sessions;
  const SessionVerdict &v = s.verdict;
  KindRow &row = row_of(result, s.plan.kind);
  ++row.runs;
  if (!s.error.empty()) {
    ++result.errors;
    result.flagged.push_back(s);
    return;
  }
  result.simulated_seconds += static_cast<double>(v.cycles) * 1e-3;
  result.restart_requests += s.restart_requests;
  if (modbus) add_live(s, result);
  add_detection(v, row, result);
  add_unprovoked(s, result);
  add_worst_figures(s, row, result);
  add_recoil(s, result.recoil);
  if (v.plant_excess) {
    ++result.plant_excess;
    result.plant_excess_worst = max(result.plant_excess_worst, v.plant_excess_worst);
  }
  for (Invariant i : kInvariants)
    if (v.has(i)) {
      ++row.violations[static_cast<std::size_t>(i)];
      ++result.violations[static_cast<std::size_t>(i)];
    }
  if (s.flagged()) result.flagged.push_back(s);
}

} // namespace

void tally_sessions(const std::vector<SessionReport> &reports, std::span<const KindRule> rules,
                    bool modbus, CampaignResult &result) {
  for (const KindRule &rule : rules) {
    KindRow row;
    row.kind = std::string(rule.kind);
    row.rule = &rule;
    result.rows.push_back(row);
  }
  KindRow none;
  none.kind = "none";
  result.rows.push_back(none);
  for (const SessionReport &s : reports)
    tally_session(s, modbus, result);
}

} // namespace tractus::campaign
