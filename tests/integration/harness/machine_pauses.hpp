// Whole-machine pauses, told apart from the loop's own stalls.
//
// A virtual machine's vCPU descheduled by its host (or an SMI on bare metal) stops every
// thread at once, the loop's real-time thread included. The loop then rightly ends the session
// with 201 (a cycle more than 50 ms late, controller/session.hpp): nothing was measured in the
// gap. The machines CI runs on pause like that for 100–150 ms a few times an hour
// (docs/performance.md, "The platform"), so a test that means to show a session *completing*
// would fail on the machine's pause, not on tractus.
//
// A PauseSentinel is a thread of the test process at SCHED_FIFO that wakes every millisecond
// and records every gap it sees, on the wall clock. If it saw a gap of at least `kMachinePause`
// ending when the session's 201 was raised (the journal's start and the fault's time in it), the
// machine paused both processes at once: that attempt is the machine's, and the test runs the
// session again. Anything else (another fault, a 201 the sentinel did not share, a sentinel that
// could not get SCHED_FIFO) is judged as it is.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tractus::integration {

// A gap this long is no scheduling delay a SCHED_FIFO thread sees on a loaded PC (cyclictest:
// 12 ms worst, docs/performance.md) but a paused machine.
inline constexpr std::chrono::milliseconds kMachinePause{40};

class PauseSentinel {
public:
  PauseSentinel(); // starts watching
  ~PauseSentinel();
  PauseSentinel(const PauseSentinel &) = delete;
  PauseSentinel &operator=(const PauseSentinel &) = delete;

  struct Gap {
    double ended_unix; // seconds since the epoch, as the journal's clock
    std::chrono::duration<double, std::milli> length;
  };
  // False if the thread could not run at SCHED_FIFO: then a gap is no proof of anything.
  [[nodiscard]] bool real_time() const noexcept { return real_time_; }
  [[nodiscard]] std::vector<Gap> pauses() const; // gaps of kMachinePause or more

private:
  void watch();
  std::atomic<bool> stop_{false};
  std::atomic<bool> started_{false};
  bool real_time_ = false;
  mutable std::mutex mutex_;
  std::vector<Gap> pauses_;
  std::thread thread_;
};

// What one attempt at a session ended with: the fault code (0 if none) and, for a fault, when:
// the journal's start (`started_utc`, whole seconds) plus the fault's `t`, so the fault was
// raised within the second that follows `fault_unix`.
struct SessionEnd {
  int fault_code = 0;
  double fault_unix = 0;
};

// The sentinel's pause that explains this ending, if one does: a 201, and a pause of the
// sentinel's own that ended within the second `end.fault_unix` names (a quarter second of
// slack either side). Pure, so the rule is tested (machine_pauses_test.cpp).
std::optional<PauseSentinel::Gap> pause_behind(const SessionEnd &end,
                                               const std::vector<PauseSentinel::Gap> &pauses);

// Runs `attempt` under a sentinel until it ends without a 201 that a machine pause explains,
// at most `tries` times, printing each rerun and its evidence. Returns the number of attempts.
int rerun_after_machine_pauses(const std::function<SessionEnd()> &attempt, int tries = 3);

} // namespace tractus::integration
