#include "controller/loop_runner.hpp"

#include <new>

namespace tractus::controller {

namespace {
// A session is over for the operator once nothing awaits an acknowledgement: Complete with no
// alarm and no reminder left (a stop's alarm may have been acknowledged while the tension was
// still falling), or a latched fault cleared (the session back in Idle).
bool end_acknowledged(const CycleOutput &out) noexcept {
  if (out.state == State::Idle) return true;
  return out.state == State::Complete && !out.alarm && !out.reminder;
}
} // namespace

const char *to_string(LoopPhase p) {
  switch (p) {
  case LoopPhase::Wake: return "wake";
  case LoopPhase::LoadCellRead: return "load_cell_read";
  case LoopPhase::SafetyRead: return "safety_read";
  case LoopPhase::Step: return "step";
  case LoopPhase::DriveExchange: return "drive_exchange";
  case LoopPhase::Publish: return "publish";
  }
  return "unknown";
}

LoopRunner::LoopRunner(hal::Table table, Session &session, Clock &clock, SessionStats &stats,
                       const LoopOptions &options)
    : table_(table), session_(session), clock_(clock), virtual_clock_(clock.is_virtual()),
      stats_(stats), options_(options) {}

void LoopRunner::journal(const JournalRecord &rec) noexcept {
  if (journal_ == nullptr) return;
  // On the virtual clock waiting costs no deadline; on the real one a full queue loses a record
  // (counted) rather than the loop's timing.
  if (virtual_clock_)
    journal_->push_waiting(rec);
  else
    journal_->try_push(rec);
}

Duration LoopRunner::lap(LoopPhase p, Duration since, LoopReport &report) noexcept {
  if (virtual_clock_) return since;
  const Duration now = clock_.now();
  const Duration took = now - since;
  const auto i = static_cast<std::size_t>(p);
  phases_[i].add(took);
  if (took > report.phases[i].worst) report.phases[i].worst = took;
  return now;
}

Duration LoopRunner::start_cycle(Duration &deadline, LoopReport &report) noexcept {
  deadline += options_.period;
  // Whether the loop sleeps at all: after a cycle that overran, the next one starts at once and
  // its lateness is that overrun, the devices' or the loop's own time, not the scheduler's.
  const bool sleeps = virtual_clock_ || clock_.now() < deadline;
  clock_.sleep_until(deadline);
  const Duration now = clock_.now();
  const Duration late = now - deadline;
  lateness_.add(late);
  if (sleeps) {
    constexpr auto kWake = static_cast<std::size_t>(LoopPhase::Wake);
    phases_[kWake].add(late);
    if (late > report.phases[kWake].worst) report.phases[kWake].worst = late;
  }
  if (late > report.worst_lateness) {
    report.worst_lateness = late;
    progress_.worst_lateness.store(late.si(), std::memory_order_relaxed);
  }
  if (late > options_.period) {
    // A missed deadline is counted, and the schedule restarts from now instead of running the
    // missed cycles back to back.
    ++report.overruns;
    progress_.overruns.store(report.overruns, std::memory_order_relaxed);
    deadline = now;
  }
  return now;
}

OperatorInput LoopRunner::operator_input(Duration since_start, const CycleOutput &last) noexcept {
  OperatorInput op = operator_ != nullptr ? operator_->poll(since_start, last) : OperatorInput{};
  if (stop_requested_.load(std::memory_order_relaxed)) {
    // Every cycle, not once: a stop consumed in Ready next to a start must not let the start
    // through on a later cycle (the session ignores a repeated stop while releasing).
    op.stop = true;
    op.start = false;
    op.resume = false;
  }
  return op;
}

void LoopRunner::publish(Duration t, Duration since_last, const Readings &r, const CycleOutput &out,
                         LoopReport &report) noexcept {
  stats_.add(out, since_last);
  ++report.cycles;
  report.events_dropped += out.events_dropped;
  for (std::uint8_t i = 0; i < out.event_count; ++i) {
    JournalRecord rec;
    rec.kind = JournalRecord::Kind::Event;
    rec.t = t.si();
    rec.event = out.events[i];
    rec.state = out.state;
    rec.protocol_time = out.protocol_time.si();
    journal(rec);
  }
  // Every sample_every-th cycle (counted down: no division in the cycle), and with every event.
  const bool sample_due = --cycles_to_sample_ <= 0;
  if (sample_due) cycles_to_sample_ = options_.sample_every;
  if (sample_due || out.event_count > 0) {
    journal(JournalRecord{JournalRecord::Kind::Sample, t.si(), out.setpoint.si(), out.measured.si(),
                          out.command.cable_speed.si(), out.protocol_time.si(), out.state, Event{},
                          out.identification.stiffness.si(), out.identification.damping_ns_per_m,
                          out.identification.trusted});
  }
  progress_.protocol_time.store(out.protocol_time.si(), std::memory_order_relaxed);
  progress_.measured.store(out.measured.si(), std::memory_order_relaxed);
  progress_.setpoint.store(out.setpoint.si(), std::memory_order_relaxed);
  progress_.state.store(static_cast<int>(out.state), std::memory_order_relaxed);
  progress_.cycles.store(report.cycles, std::memory_order_relaxed);
  if (observer_) observer_(out);
  if (cycle_observer_ != nullptr) cycle_observer_->on_cycle(t, r, out);
}

bool LoopRunner::loop_ends(const CycleOutput &out, Duration t, LoopEndWatch &w) noexcept {
  const bool stop = stop_requested_.load(std::memory_order_relaxed);
  if ((out.state == State::Complete || out.state == State::Fault) && !w.ended) {
    w.ended = true;
    w.ended_at = t;
  }
  if (w.ended && end_acknowledged(out)) w.acknowledged = true;
  const bool may_end = options_.end == LoopEnd::AfterLinger || w.acknowledged || stop;
  if (w.ended && may_end && t - w.ended_at >= options_.linger) return true;
  // A stop asked for before anything started (a refused start, Ctrl-C in Ready) ends the loop.
  if (stop && (out.state == State::Ready || out.state == State::Idle)) return true;
  if (out.state == State::Ready) {
    if (!w.in_ready) w.ready_since = t;
    w.in_ready = true;
    // A session loaded and never started is dropped: its start conditions (press test,
    // calibration expiry) were checked for a patient who is no longer waiting.
    if (t - w.ready_since >= options_.ready_timeout) return true;
  } else {
    w.in_ready = false;
  }
  if (t >= options_.give_up_after) {
    // The loop's own limit never cuts a pull short: an active session is stopped (controlled
    // release) and the loop ends once that is over.
    if (!is_active(out.state)) return true;
    stop_requested_.store(true, std::memory_order_relaxed);
  }
  return false;
}

LoopReport LoopRunner::run() noexcept {
  LoopReport report;
  hal::DriveStatus drive = table_.drive.exchange(hal::DriveCommand::disabled());
  const Duration start = clock_.now();
  Duration deadline = start;
  Duration last_now = start;
  LoopEndWatch end_watch;
  cycles_to_sample_ = options_.sample_every;
  // This cycle's output and the last one (which the operator source sees): the session's output
  // (some 400 bytes) is built in place in one of the two, never copied in the cycle.
  std::array<CycleOutput, 2> outputs{};
  std::size_t this_one = 0;

  for (;;) {
    const Duration now = start_cycle(deadline, report);
    if (abort_requested_.load(std::memory_order_relaxed)) {
      table_.drive.exchange(hal::DriveCommand::disabled());
      break;
    }
    Duration mark = now;
    const hal::LoadCellSample cell = table_.load_cell.read();
    mark = lap(LoopPhase::LoadCellRead, mark, report);
    const hal::SafetyInputs safety = table_.safety.read();
    mark = lap(LoopPhase::SafetyRead, mark, report);
    // One lock-free load: the writer thread raises it when the file cannot be written.
    const Readings r{.load_cell = cell,
                     .safety = safety,
                     .drive = drive,
                     .journal_failed = journal_ != nullptr && journal_->failed()};
    const Duration t = now - start;
    const OperatorInput op = operator_input(t, outputs[this_one ^ 1U]);
    const CycleOutput &out = *::new (&outputs[this_one]) CycleOutput(session_.step(t, r, op));
    mark = lap(LoopPhase::Step, mark, report);
    drive = table_.drive.exchange(out.command);
    mark = lap(LoopPhase::DriveExchange, mark, report);
    if (r.load_cell.io != hal::IoStatus::Ok) ++report.failed.load_cell;
    if (r.safety.io != hal::IoStatus::Ok) ++report.failed.safety;
    if (drive.io != hal::IoStatus::Ok) ++report.failed.drive;

    publish(t, now - last_now, r, out, report);
    last_now = now;
    this_one ^= 1U; // `out` is now the last output
    lap(LoopPhase::Publish, mark, report);
    if (loop_ends(out, t, end_watch)) break;
  }
  report.last = outputs[this_one ^ 1U];
  table_.drive.exchange(hal::DriveCommand::disabled()); // whatever ended the loop
  report.lateness = lateness_.snapshot();
  for (std::size_t i = 0; i < kLoopPhases; ++i)
    report.phases[i].histogram = phases_[i].snapshot();
  progress_.finished = true;
  return report;
}

} // namespace tractus::controller
