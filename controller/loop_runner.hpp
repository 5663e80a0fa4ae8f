// The control loop: read, step, command, journal — once per period, on its own thread.
//
//   deadline += period; sleep until deadline       (absolute, so lateness never accumulates)
//   readings = load cell, safety I/O, last drive status
//   out      = session.step(now, readings, operator input)   (pure)
//   status   = drive.exchange(out.command)          (also feeds the drive's watchdog: last)
//   journal  ← events and every Nth sample           (lock-free push, never waits on the file)
//
// The journal's health is a reading like the others: Journal::failed(), one atomic load, goes
// to the session as Readings::journal_failed (fault 204, refusal 118).
//
// Nothing in a cycle allocates, throws or blocks except the device transactions themselves.
// The same runner drives the real table on the monotonic clock and the simulator on a virtual
// clock. How late each cycle started is kept in a lock-free histogram (lateness_histogram.hpp),
// and on the real clock how long each phase of the cycle took, so a stall can be traced to the
// sleep, a device or the loop's own work (docs/performance.md, "Where stalls came from"). The
// sleep's phase (`Wake`) counts only cycles that slept: it is the scheduler's latency, the figure
// cyclictest measures; a cycle that starts late because the one before overran counts in the
// start lateness alone (and in `overruns` when more than a period late).
#pragma once

#include "controller/clock.hpp"
#include "controller/journal.hpp"
#include "controller/lateness_histogram.hpp"
#include "controller/session.hpp"
#include "controller/session_stats.hpp"
#include "hal/hal.hpp"

#include <array>
#include <atomic>
#include <cstdint>

namespace tractus::controller {

// Supplies operator requests once per cycle (console mailbox, scripted CLI operator, a test).
class OperatorSource {
public:
  virtual ~OperatorSource() = default;
  virtual OperatorInput poll(Duration now, const CycleOutput &last) noexcept = 0;
};

// Sees every cycle on the loop thread, after the drive exchange: what was read and what the
// session decided (the console's telemetry publisher). Must not allocate, block or throw.
class CycleObserver {
public:
  virtual ~CycleObserver() = default;
  virtual void on_cycle(Duration t, const Readings &readings, const CycleOutput &out) noexcept = 0;
};

// When the loop ends once the session is over (Complete or Fault).
enum class LoopEnd : std::uint8_t {
  // `linger` after the end: `tractus run`, tests.
  AfterLinger,
  // Also not before the operator has acknowledged the end — a Complete acknowledged, or a fault
  // cleared (the session back in Idle) — so alarms, reminders and fault clearing stay live on
  // the console. A request_stop() (shutdown) does not wait for the acknowledgement.
  AfterAcknowledge,
};

struct LoopOptions {
  Duration period = milliseconds(1);
  int sample_every = 100;       // journal one sample per this many cycles (10 Hz at 1 kHz)
  Duration linger = seconds(3); // keep cycling after the end, to record the tension falling
  // The loop's own limit (never reached normally): an active session is stopped with a
  // controlled release, anything else ends the loop.
  Duration give_up_after = minutes(120);
  // A session left in Ready this long is dropped (the console; `tractus run` starts at once).
  Duration ready_timeout = minutes(120);
  LoopEnd end = LoopEnd::AfterLinger;
};

// The parts of a cycle, timed on the real clock (the virtual one does not move inside a cycle).
enum class LoopPhase : std::uint8_t {
  Wake,          // how late the absolute-deadline sleep returned, on cycles that slept
  LoadCellRead,  // table.load_cell.read()
  SafetyRead,    // table.safety.read()
  Step,          // operator poll + session.step()
  DriveExchange, // table.drive.exchange()
  Publish,       // stats, journal push, progress, observers
};
inline constexpr std::size_t kLoopPhases = 6;
const char *to_string(LoopPhase p);

struct PhaseTiming {
  LatenessHistogram::Snapshot histogram;
  Duration worst{};
};

// Cycles in which a device's reading failed (timeout, exception, bad reply, disconnected) and
// the loop rode on: counted, a fault only once the monitors' window passes (fault-codes.md).
struct FailedReadings {
  std::uint64_t load_cell = 0, drive = 0, safety = 0;
};

struct LoopReport {
  std::uint64_t cycles = 0;
  std::uint64_t overruns = 0;                    // cycles that started more than one period late
  std::uint64_t events_dropped = 0;              // beyond a cycle's event buffer (never expected)
  Duration worst_lateness{};                     // the latest a cycle started, overruns included
  LatenessHistogram::Snapshot lateness;          // every cycle's start lateness
  std::array<PhaseTiming, kLoopPhases> phases{}; // real clock only; index: LoopPhase
  FailedReadings failed;
  CycleOutput last;
};

// Snapshot of the loop for progress displays, published without locks.
struct LoopProgress {
  std::atomic<double> protocol_time{0};
  std::atomic<double> measured{0};
  std::atomic<double> setpoint{0};
  std::atomic<int> state{0};
  std::atomic<std::uint64_t> cycles{0};
  std::atomic<std::uint64_t> overruns{0};
  std::atomic<double> worst_lateness{0}; // s
  std::atomic<bool> finished{false};
};

class LoopRunner {
public:
  LoopRunner(hal::Table table, Session &session, Clock &clock, SessionStats &stats,
             const LoopOptions &options);

  void set_journal(Journal *journal) noexcept { journal_ = journal; }
  void set_operator(OperatorSource *op) noexcept { operator_ = op; }
  // Called after every cycle with the cycle's output: tests, the campaign and the benches
  // observe the true plant here. A std::function, so never set by the product's loops.
  void set_output_observer(std::function<void(const CycleOutput &)> f) { observer_ = std::move(f); }
  // The product's observer (the console's telemetry): readings and output, allocation-free.
  void set_cycle_observer(CycleObserver *o) noexcept { cycle_observer_ = o; }

  // Runs until the session has ended (Complete or Fault) and `linger` has passed.
  LoopReport run() noexcept;

  // From another thread or the operator source (SIGINT, console shutdown, a refused start):
  // behaves as the operator's stop while the table is active, and ends the loop otherwise.
  void request_stop() noexcept { stop_requested_ = true; }
  // Last resort of a shutdown that a stop did not end in time: the next cycle commands the
  // drive disabled (its own quick stop) and the loop ends, whatever the session's state.
  void request_abort() noexcept { abort_requested_ = true; }
  [[nodiscard]] const LoopProgress &progress() const noexcept { return progress_; }
  // Any thread, while or after the loop runs.
  [[nodiscard]] LatenessHistogram::Snapshot lateness() const noexcept {
    return lateness_.snapshot();
  }

private:
  // What the loop's ending depends on across cycles.
  struct LoopEndWatch {
    bool ended = false; // Complete or Fault reached
    Duration ended_at{};
    bool acknowledged = false;
    bool in_ready = false;
    Duration ready_since{};
  };
  // Sleeps until the next deadline and records how late the cycle starts; returns now.
  Duration start_cycle(Duration &deadline, LoopReport &report) noexcept;
  // The operator's input, with a requested stop imposed on it.
  OperatorInput operator_input(Duration since_start, const CycleOutput &last) noexcept;
  // Statistics, journal records, progress and observers of one cycle.
  void publish(Duration t, Duration since_last, const Readings &r, const CycleOutput &out,
               LoopReport &report) noexcept;
  // Whether the loop ends after this cycle (may also raise the stop at `give_up_after`).
  bool loop_ends(const CycleOutput &out, Duration t, LoopEndWatch &w) noexcept;
  void journal(const JournalRecord &rec) noexcept;
  // Times the phase that ended now (real clock only) and returns now.
  Duration lap(LoopPhase p, Duration since, LoopReport &report) noexcept;

  hal::Table table_;
  Session &session_;
  Clock &clock_;
  // clock_.is_virtual(), asked once: a clock never changes kind, and the cycle would otherwise
  // ask it (a virtual call) in every phase.
  bool virtual_clock_;
  int cycles_to_sample_ = 0; // until the next journal sample (publish)
  SessionStats &stats_;
  LoopOptions options_;
  Journal *journal_ = nullptr;
  OperatorSource *operator_ = nullptr;
  std::function<void(const CycleOutput &)> observer_;
  CycleObserver *cycle_observer_ = nullptr;
  std::atomic<bool> stop_requested_{false};
  std::atomic<bool> abort_requested_{false};
  LoopProgress progress_;
  LatenessHistogram lateness_;
  std::array<LatenessHistogram, kLoopPhases> phases_;
};

} // namespace tractus::controller
