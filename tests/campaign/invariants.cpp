#include "invariants.hpp"

#include "sim/injection.hpp"

#include <cstdio>
#include <map>
#include <utility>

namespace tractus::campaign {

namespace {

using controller::EventKind;
using controller::FaultCode;
using controller::State;

// The margin around the over-force trip inside which a reading may or may not trip 301
// (load-cell noise is bounded at ±3.46 σ = ±0.9 N; drift is < 0.1 N in a session).
constexpr Force kOverTripMargin = newtons(3.0);

std::string newtons_text(Force f) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f N", f.si());
  return buf;
}

bool is_stop_event(const controller::Event &e) {
  return (e.kind == EventKind::Alarm && e.code == FaultCode::PatientSwitchPressed) ||
         (e.kind == EventKind::OperatorAction && e.code == FaultCode::OperatorStop);
}

std::string_view phase_name(State s, profiles::Phase p) {
  switch (s) {
  case State::Pretension: return "pretension";
  case State::Paused: return "paused";
  case State::Releasing: return "release";
  case State::Treating: break;
  default: return "inactive";
  }
  switch (p) {
  case profiles::Phase::Ramp: return "ramp";
  case profiles::Phase::Hold: return "hold";
  case profiles::Phase::Rest: return "rest";
  case profiles::Phase::Release: return "release";
  case profiles::Phase::Done: break;
  }
  return "treating";
}

} // namespace

char letter(Invariant i) { return static_cast<char>('a' + static_cast<int>(i)); }

std::string_view to_string(Invariant i) {
  switch (i) {
  case Invariant::Force: return "force";
  case Invariant::Disable: return "disable";
  case Invariant::Release: return "release";
  case Invariant::NoRestart: return "no-restart";
  case Invariant::Journal: return "journal";
  }
  return "?";
}

std::string_view to_string(Detection d) {
  switch (d) {
  case Detection::NoInjection: return "no injection";
  case Detection::NotRequired: return "not required";
  case Detection::Detected: return "detected";
  case Detection::Late: return "late";
  case Detection::Missed: return "missed";
  case Detection::Ended: return "session ended first";
  case Detection::PendingMiss: return "pending monitor";
  }
  return "?";
}

Force force_base(const SessionLimits &l) { return min(l.peak_setpoint, l.ceiling); }

Force force_limit(const SessionLimits &l) { return force_limit(force_base(l)); }

Force force_limit(Force base) { return base + max(base * 0.05, newtons(10)); }

std::string format_micros(Micros us) {
  char buf[32];
  if (us > -1'000'000 && us < 1'000'000)
    std::snprintf(buf, sizeof buf, "%.0f ms", static_cast<double>(us) / 1e3);
  else
    std::snprintf(buf, sizeof buf, "%.3f s", static_cast<double>(us) / 1e6);
  return buf;
}

bool SessionVerdict::has(Invariant i) const {
  for (const Violation &v : violations)
    if (v.invariant == i) return true;
  return false;
}

SessionLimits limits_for(const controller::SessionSetup &setup,
                         const profiles::Trajectory &trajectory) {
  SessionLimits limits;
  limits.peak_setpoint = trajectory.peak_force();
  limits.ceiling = min(trajectory.forces().ceiling, setup.hard_cap);
  limits.over_force_trip = controller::over_force_limit(limits.peak_setpoint, setup.hard_cap);
  limits.min_cord_tension = setup.timings.min_cord_tension;
  limits.period = sim::to_micros(setup.period);
  limits.slip_pay_out = setup.slip.response == controller::SlipResponse::TorqueOff
                            ? 0
                            : sim::to_micros(setup.slip.max_time);
  return limits;
}

SessionChecker::SessionChecker(const SessionLimits &limits, const KindRule *rule)
    : limits_(limits), rule_(rule) {
  v_.force_base = force_base(limits);
}

void SessionChecker::flag(Invariant i, Micros at, std::string what) {
  auto &done = flagged_[static_cast<std::size_t>(i)];
  if (done) return; // the first occurrence of each invariant per session, with its figures
  done = true;
  v_.violations.push_back(Violation{i, at, std::move(what)});
}

void SessionChecker::injected(Micros at) {
  v_.injected_at = at;
  v_.injected = true; // confirmed (or withdrawn) when the cycle at `at` is observed
}

void SessionChecker::observe(const Observation &o) {
  ++v_.cycles;
  last_t_ = o.t;
  v_.outcome = o.outcome;
  v_.final_state = o.state;

  // The planned event becomes visible in this cycle: note what the session was doing just
  // before (the controller's answer may already be in this cycle's output).
  if (v_.injected && !injection_seen_ && o.t >= v_.injected_at) {
    injection_seen_ = true;
    injection_cycle_ = v_.cycles;
    active_at_injection_ = have_previous_ && controller::is_active(previous_state_);
    v_.phase = phase_name(previous_state_, previous_phase_);
    v_.force_at_injection = previous_force_;
    v_.taut_at_injection = previous_state_ == State::Treating || previous_state_ == State::Paused ||
                           (previous_state_ == State::Releasing && !stop_seen_);
  }
  if (injection_seen_ && !over_trip_at_ && o.true_force > limits_.over_force_trip + kOverTripMargin)
    over_trip_at_ = o.t;
  if (injection_seen_ && rule_ != nullptr && !deadline_) {
    if (!time_part_passed_ &&
        o.t >= v_.injected_at + rule_->bound - rule_->cycles * limits_.period) {
      time_part_passed_ = true;
      cycles_to_deadline_ = rule_->cycles;
    } else if (time_part_passed_) {
      --cycles_to_deadline_;
    }
    if (time_part_passed_ && cycles_to_deadline_ == 0) deadline_ = o.t;
  }

  // d: nothing comes back to an active state without an acknowledgement (never sent here).
  if ((fault_seen_ || complete_seen_) && controller::is_active(o.state))
    flag(Invariant::NoRestart, o.t,
         std::string("state ") + controller::to_string(o.state) + " at " + format_micros(o.t) +
             " after the session had reached " + (fault_seen_ ? "Fault" : "Complete") +
             " (no acknowledgement was given)");
  if (stop_seen_ &&
      (o.state == State::Pretension || o.state == State::Treating || o.state == State::Paused))
    flag(Invariant::NoRestart, o.t,
         std::string("state ") + controller::to_string(o.state) + " at " + format_micros(o.t) +
             " after a stop had begun (no acknowledgement was given)");

  for (const controller::Event &e : o.events) {
    const bool fault = e.kind == EventKind::FaultLatched;
    const bool stop = is_stop_event(e);
    if (!fault && !stop) continue;
    v_.faults.push_back(FaultRecord{o.t, e.kind, e.code});
    if (injection_seen_ && !v_.latency_cycles) v_.latency_cycles = v_.cycles - injection_cycle_;
    if (!v_.end_at) {
      v_.end_at = o.t;
      v_.end_code = e.code;
      v_.end_is_stop = stop;
      v_.force_at_end = o.true_force;
    }
    if (stop) stop_seen_ = true;
  }
  if (o.state == State::Fault) fault_seen_ = true;
  if (o.state == State::Complete) complete_seen_ = true;

  // b: from the cycle a fault is latched on, the drive is commanded disabled; after a sudden
  // loss of force (305) it may pay the cable out for a bounded time first, never reel it in.
  if (o.state == State::Fault && !fault_latched_at_) {
    fault_latched_at_ = o.t;
    for (const controller::Event &e : o.events)
      if (e.kind == controller::EventKind::FaultLatched) fault_code_ = e.code;
  }
  const bool paying_out =
      o.state == State::Fault && fault_code_ == controller::FaultCode::ForceImplausible &&
      o.t - *fault_latched_at_ <= limits_.slip_pay_out && o.command.cable_speed.si() <= 0.0;
  if (o.state == State::Fault) {
    if (!paying_out && (o.command.enable || o.command.cable_speed.si() != 0.0)) {
      char buf[200];
      std::snprintf(buf, sizeof buf,
                    "in Fault at %s (%s after it latched) the command is enable=%s speed=%.4f "
                    "m/s (must be disabled, 0)",
                    format_micros(o.t).c_str(), format_micros(o.t - *fault_latched_at_).c_str(),
                    o.command.enable ? "true" : "false", o.command.cable_speed.si());
      flag(Invariant::Disable, o.t, buf);
    }
  }

  // a: the true force, every cycle.
  v_.peak_true = max(v_.peak_true, o.true_force);
  // A slip's pay-out holds torque only to move the cable away from the recoiling patient: like
  // the unpowered train it adds no energy, so a re-catch during or after it is the patient's
  // own and reported apart, as after a torque-off (the recoil figures of the report).
  if (o.torque && !paying_out) last_torque_at_ = o.t;
  const bool powered = last_torque_at_ && o.t - *last_torque_at_ <= limits_.unpowered_after;
  if (powered) v_.worst_excess = max(v_.worst_excess, o.true_force - force_base(limits_));
  if (o.true_force > force_limit(limits_)) {
    if (powered) {
      if (!over_at_) over_at_ = o.t;
      if (o.true_force > over_worst_) {
        over_worst_ = o.true_force;
        over_worst_at_ = o.t;
      }
    } else {
      if (!plant_over_at_) plant_over_at_ = o.t;
      if (o.true_force > v_.plant_excess_worst) {
        v_.plant_excess_worst = o.true_force;
        plant_over_worst_at_ = o.t;
      }
    }
  }

  // c: after the first fault or stop, the time until the true force is released.
  if (v_.end_at && !v_.release_time) {
    const Force threshold = v_.end_is_stop ? limits_.min_cord_tension + limits_.stop_tolerance
                                           : limits_.min_cord_tension;
    const bool released = v_.end_is_stop ? o.true_force <= threshold : o.true_force < threshold;
    if (released) v_.release_time = o.t - *v_.end_at;
  }
  if (v_.end_at) v_.peak_after_end = max(v_.peak_after_end, o.true_force);
  if (v_.end_at && !v_.force_after_release_window && o.t >= *v_.end_at + limits_.release_within)
    v_.force_after_release_window = o.true_force;
  if (v_.end_at && !v_.end_is_stop && !v_.torque_off && !o.torque) v_.torque_off = o.t - *v_.end_at;

  if (injection_seen_ && !left_active_at_ && !controller::is_active(o.state) &&
      o.state != State::Fault)
    left_active_at_ = o.t;

  have_previous_ = true;
  previous_state_ = o.state;
  previous_phase_ = o.phase;
  previous_force_ = o.true_force;
}

void SessionChecker::settle_detection() {
  if (!v_.injected || !injection_seen_ || !active_at_injection_) {
    // Planned, but it took effect when the session was no longer active (or never).
    v_.injected = injection_seen_ && active_at_injection_;
    v_.detection = Detection::NoInjection;
    return;
  }
  if (rule_ == nullptr) {
    v_.detection = Detection::NoInjection;
    return;
  }
  for (const FaultRecord &f : v_.faults) {
    if (f.t < v_.injected_at) continue;
    v_.latency = f.t - v_.injected_at;
    v_.answer = f.code;
    break;
  }

  // The bound with its cycles counted as they came; if the trace ended first, as milliseconds.
  Micros bound = deadline_ ? *deadline_ - v_.injected_at : rule_->bound;
  switch (rule_->response) {
  case Response::None: v_.detection = Detection::NotRequired; return;
  case Response::OverForceWhenAboveTrip: {
    const Force shifted = v_.force_at_injection + sim::kLoadCellOffsetJump;
    if (shifted > limits_.over_force_trip + kOverTripMargin) break; // 301 must trip
    // Reads high below the trip: the table pulls less than prescribed. At the trip either is
    // right; below it nothing documented can see it.
    if (!(v_.latency && *v_.latency <= bound)) {
      v_.detection = Detection::NotRequired;
      return;
    }
    break;
  }
  case Response::FaultBeforeOverForce:
    if (!over_trip_at_) {
      // The force never passed the trip: any answer is in time, as long as there is one.
      bound = v_.latency ? *v_.latency : last_t_ - v_.injected_at + 1;
    } else {
      bound = *over_trip_at_ - v_.injected_at + rule_->bound;
    }
    break;
  case Response::Fault:
  case Response::Stop:
    if (rule_->taut_only && !v_.taut_at_injection) {
      v_.detection = Detection::NotRequired;
      return;
    }
    if (v_.force_at_injection < rule_->min_force) {
      v_.detection = Detection::NotRequired;
      return;
    }
    break;
  }
  const bool pending = rule_->pending;

  if (v_.latency && *v_.latency <= bound) {
    v_.detection = Detection::Detected;
    return;
  }
  if (left_active_at_ && *left_active_at_ - v_.injected_at <= bound &&
      (!v_.latency || v_.injected_at + *v_.latency > *left_active_at_)) {
    v_.detection = Detection::Ended; // e.g. frozen 5 ms before the end of the release
    return;
  }
  if (pending) {
    v_.detection = Detection::PendingMiss;
    return;
  }
  v_.detection = v_.latency ? Detection::Late : Detection::Missed;
  const controller::FaultCode expected = rule_->code;
  std::string what = std::string(rule_->kind) + " at " + format_micros(v_.injected_at) + " (" +
                     std::string(v_.phase) + ", true force " + newtons_text(v_.force_at_injection) +
                     "): expected " + std::to_string(controller::number(expected)) + " " +
                     controller::info(expected).name + " within " + format_micros(bound);
  if (v_.latency)
    what += ", got " + std::to_string(controller::number(v_.answer)) + " " +
            controller::info(v_.answer).name + " after " + format_micros(*v_.latency);
  else
    what += ", never answered (trace ends at " + format_micros(last_t_) + ")";
  flag(Invariant::Disable, v_.injected_at, what);
}

void SessionChecker::end_of_trace() {
  settle_detection();

  if (over_at_) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "true force %.1f N at %s above the limit %.1f N (highest setpoint %.1f N, "
                  "ceiling %.1f N; +5 %%, at least +10 N); first above at %s",
                  over_worst_.si(), format_micros(over_worst_at_).c_str(),
                  force_limit(limits_).si(), limits_.peak_setpoint.si(), limits_.ceiling.si(),
                  format_micros(*over_at_).c_str());
    flag(Invariant::Force, *over_at_, buf);
  }
  if (plant_over_at_) {
    char buf[256];
    std::snprintf(buf, sizeof buf,
                  "true force %.1f N at %s above the limit %.1f N with the drive without torque "
                  "(or only paying out after a slip) since %s (first above at %s)",
                  v_.plant_excess_worst.si(), format_micros(plant_over_worst_at_).c_str(),
                  force_limit(limits_).si(),
                  last_torque_at_ ? format_micros(*last_torque_at_).c_str() : "the start",
                  format_micros(*plant_over_at_).c_str());
    v_.plant_excess = buf;
  }

  if (v_.end_at) {
    const std::string what = std::string(v_.end_is_stop ? "stop " : "fault ") +
                             std::to_string(controller::number(v_.end_code)) + " at " +
                             format_micros(*v_.end_at) + ": the true force ";
    const std::string threshold =
        v_.end_is_stop ? newtons_text(limits_.min_cord_tension + limits_.stop_tolerance)
                       : "below " + newtons_text(limits_.min_cord_tension);
    char figures[160];
    std::snprintf(figures, sizeof figures,
                  " (true force %.1f N at the %s, highest after it %.1f N, %.1f N 3 s later)",
                  v_.force_at_end.si(), v_.end_is_stop ? "stop" : "fault", v_.peak_after_end.si(),
                  v_.force_after_release_window ? v_.force_after_release_window->si() : -1.0);
    if (!v_.release_time)
      flag(Invariant::Release, *v_.end_at,
           what + "never reached " + threshold + " (trace ends " +
               format_micros(last_t_ - *v_.end_at) + " later)" + figures);
    else if (*v_.release_time > limits_.release_within)
      flag(Invariant::Release, *v_.end_at,
           what + "reached " + threshold + " after " + format_micros(*v_.release_time) +
               ", at most " + format_micros(limits_.release_within) + figures);
  }
}

void SessionChecker::check_journal(const controller::JournalContents &journal) {
  std::vector<std::string> issues;
  if (!journal.problems.empty())
    issues.push_back(std::to_string(journal.problems.size()) +
                     " damaged line(s), first: " + journal.problems.front());
  if (journal.last_line_partial) issues.emplace_back("the last line is cut short");
  if (!journal.summary) issues.emplace_back("no summary line");

  // Every fault latched and every stop begun is in the journal, with its code.
  std::map<std::pair<std::string, int>, int> recorded;
  for (const auto &e : journal.events)
    if (e.contains("code") && e["code"].is_number_integer())
      ++recorded[{e.value("event", ""), e["code"].get<int>()}];
  std::map<std::pair<std::string, int>, int> raised;
  for (const FaultRecord &f : v_.faults) {
    const std::pair<std::string, int> key{controller::to_string(f.kind),
                                          controller::number(f.code)};
    if (++raised[key] > recorded[key])
      issues.push_back(std::string(controller::to_string(f.kind)) + " " +
                       std::to_string(controller::number(f.code)) + " " +
                       controller::info(f.code).name + " at " + format_micros(f.t) +
                       " is not in the journal");
  }
  if (issues.empty()) return;
  std::string what = issues.front();
  for (std::size_t i = 1; i < issues.size(); ++i)
    what += "; " + issues[i];
  flag(Invariant::Journal, last_t_, what);
}

} // namespace tractus::campaign
