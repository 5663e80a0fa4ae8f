// Machine pauses, told apart from the loop's own stalls.
//
// A virtual machine's vCPU descheduled by its host (or an SMI on bare metal) stops every thread
// on that CPU, whatever its priority; a whole-VM pause stops them all. If the loop's CPU stops,
// the loop rightly ends the session with 201 (a cycle more than 50 ms late,
// controller/session.hpp); if the CPU of a device's stand-in (tractus-sim, the pymodbus table,
// socat) stops, its replies stop and the loop rightly ends the session with 308–310 (no good
// reply for 30 ms) or, if only its sampling stood still, 303. The machines CI runs on pause
// like that for 30–150 ms a few times an hour (docs/performance.md, "The platform"), so a test
// that means to show a session *completing* would fail on the machine's pause, not on tractus.
//
// A PauseSentinel is one thread per CPU of the test process, each pinned to its CPU at
// SCHED_FIFO 99, that wakes every millisecond and records every gap it sees, on the wall clock.
// At 99 no thread of the loop or of a stand-in can hold it off by running, so a gap is the CPU
// itself not running; each wake costs the loop microseconds. (One exception: real-time tasks
// hogging a CPU past the kernel's RT throttle, 95 % of a second, would stop it too; a loop that
// did that would fail every attempt, and the last attempt is always judged.) If a sentinel
// saw a gap long enough to explain the session's fault (pause_that_explains), ending in the
// second the journal gives for it, that attempt is the machine's, and the test runs the session
// again. Anything else (another fault, a timing fault no sentinel shared, a sentinel that could
// not get SCHED_FIFO or its CPU) is judged as it is.
#pragma once

#include "controller/journal_reader.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tractus::testing {

// A stop this long is no scheduling delay a SCHED_FIFO 99 thread sees on a loaded PC
// (cyclictest: 12 ms worst, docs/performance.md) but a paused CPU. The loop's 201 needs a cycle
// 50 ms late: a pause of 40 ms or more explains it (it may have begun inside a late cycle).
inline constexpr std::chrono::milliseconds kMachinePause{40};

// The shortest pause that explains `fault_code`, if it is a fault of the machine's timing at all:
// the fault's own limit less one 5 ms cycle and the response timeout it may have begun in.
//   201 loop-overrun         a cycle 50 ms late                      40 ms
//   303 load-cell-stale      the same sample counter for 20 ms       15 ms
//   308–310 …-comm           no good reply from a device for 30 ms   25 ms
std::optional<std::chrono::milliseconds> pause_that_explains(int fault_code);

class PauseSentinel {
public:
  PauseSentinel(); // starts watching every CPU the process may run on
  ~PauseSentinel();
  PauseSentinel(const PauseSentinel &) = delete;
  PauseSentinel &operator=(const PauseSentinel &) = delete;

  struct Gap {
    double ended_unix; // seconds since the epoch, as the journal's clock
    std::chrono::duration<double, std::milli> length;
    int cpu = -1;
  };
  // False if a watcher could not run pinned at SCHED_FIFO: then a gap is no proof of anything.
  [[nodiscard]] bool real_time() const noexcept { return real_time_; }
  [[nodiscard]] std::vector<Gap> pauses() const; // gaps long enough to explain some fault

private:
  void watch(int cpu);
  std::atomic<bool> stop_{false};
  std::atomic<int> started_{0};
  std::atomic<bool> real_time_{true};
  mutable std::mutex mutex_;
  std::vector<Gap> pauses_;
  std::vector<std::thread> threads_;
};

// What one attempt at a session ended with: the fault code (0 if none) and, for a fault, when:
// the journal's start (`started_utc`, whole seconds) plus the fault's `t`, so the fault was
// raised within the second that follows `fault_unix`.
struct SessionEnd {
  int fault_code = 0;
  double fault_unix = 0;
};

// The sentinel's pause that explains this ending, if one does: a fault of the machine's timing
// and a pause on any CPU at least as long as pause_that_explains(code), ending within the second
// `end.fault_unix` names (a quarter second of slack either side). Pure, so the rule is tested
// (machine_pauses_test.cpp).
std::optional<PauseSentinel::Gap> pause_behind(const SessionEnd &end,
                                               const std::vector<PauseSentinel::Gap> &pauses);

// Runs `attempt` under a sentinel until it ends without a fault that a machine pause explains,
// at most `tries` times, printing each rerun and its evidence. Returns the number of attempts.
int rerun_after_machine_pauses(const std::function<SessionEnd()> &attempt, int tries = 3);

// The first fault a journal records, for rerun_after_machine_pauses.
SessionEnd session_end(const controller::JournalContents &journal);
// The earliest fault the journals (*.jsonl) in `folder` record: a console's service may journal
// several sessions there. An unreadable journal counts as no fault (nothing a pause explains).
SessionEnd first_fault_in(const std::filesystem::path &folder);

// For a test that drives a session through its own steps and judges it as it goes (a console's
// API, a stop, a kill, a full disk): `body` runs once per attempt, its gtest failures on this
// thread intercepted; an attempt that failed while `ended_with()` (read after the body, from
// the attempt's journal) is a fault a machine pause explains is set aside, its failures
// printed, and the body runs again, at most three attempts. The failures of the attempt judged
// are reported as the test's own. The caller keeps each attempt's folder in its closures.
void judge_riding_machine_pauses(const std::function<void()> &body,
                                 const std::function<SessionEnd()> &ended_with);

class ScratchDir;
// judge_riding_machine_pauses for the usual shape: `body` runs in a fresh ScratchDir per
// attempt, judged by the first fault of the journals in DIR/`journals` (first_fault_in). An
// attempt set aside is deleted; the last one's folder is kept, and printed, if the test failed.
void judge_in_scratch_riding_machine_pauses(const std::function<void(const ScratchDir &)> &body,
                                            const std::filesystem::path &journals);

} // namespace tractus::testing
