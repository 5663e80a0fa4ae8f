#include "controller/session_stats.hpp"
#include "controller/journal.hpp"

#include <cmath>

namespace tractus::controller {

void SessionStats::add(const CycleOutput &out, Duration dt) noexcept {
  ++cycles_;
  time_in_[static_cast<std::size_t>(out.state)] += dt;
  if (is_active(out.state)) peak_ = max(peak_, out.measured);
  const bool holding = out.state == State::Treating &&
                       (out.phase == profiles::Phase::Hold || out.phase == profiles::Phase::Rest);
  if (holding && out.setpoint.si() > 0) {
    const double e = (out.measured - out.setpoint).si();
    hold_sq_ += e * e;
    hold_rel_sq_ += (e / out.setpoint.si()) * (e / out.setpoint.si());
    ++hold_n_;
  }
  if (out.guarding) guarding_time_ += dt;
  for (std::uint8_t i = 0; i < out.event_count; ++i) {
    const Event &e = out.events[i];
    if (e.kind == EventKind::GuardingOnset) ++guarding_events_;
    if (e.kind == EventKind::WatchdogReset) ++watchdog_resets_;
    if (e.kind == EventKind::GuardingEnd)
      guarding_largest_ = max(guarding_largest_, Force(e.value));
  }
}

Force SessionStats::hold_rms_error() const noexcept {
  return Force(hold_n_ == 0 ? 0.0 : std::sqrt(hold_sq_ / static_cast<double>(hold_n_)));
}

double SessionStats::hold_rms_error_percent() const noexcept {
  return hold_n_ == 0 ? 0.0 : 100.0 * std::sqrt(hold_rel_sq_ / static_cast<double>(hold_n_));
}

nlohmann::ordered_json SessionStats::to_json() const {
  nlohmann::ordered_json j;
  j["peak_force_n"] = journal_number(peak_.si(), 2);
  j["hold_rms_error_n"] = journal_number(hold_rms_error().si(), 3);
  j["hold_rms_error_percent"] = journal_number(hold_rms_error_percent(), 3);
  nlohmann::ordered_json states;
  for (int i = 0; i < kStateCount; ++i) {
    const auto s = static_cast<State>(i);
    if (time_in(s).si() > 0) states[to_string(s)] = journal_number(time_in(s).si(), 3);
  }
  j["seconds_in_state"] = states;
  j["guarding"] = {{"events", guarding_events_},
                   {"largest_n", journal_number(guarding_largest_.si(), 1)},
                   {"seconds", journal_number(guarding_time_.si(), 1)}};
  j["watchdog_resets"] = watchdog_resets_;
  j["cycles"] = cycles_;
  return j;
}

} // namespace tractus::controller
