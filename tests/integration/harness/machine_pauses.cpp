#include "harness/machine_pauses.hpp"

#include <pthread.h>
#include <sched.h>

#include <cstdio>

namespace tractus::integration {

namespace {
// Below the loop (80) and tractus-sim (90): the sentinel must never delay what it watches.
constexpr int kSentinelPriority = 70;
constexpr std::chrono::milliseconds kTick{1};
// The loop raises 201 at its first cycle after the gap; `started_utc` is truncated to the second.
constexpr double kResolutionS = 1.0;
constexpr double kClockSlackS = 0.25;

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}
} // namespace

PauseSentinel::PauseSentinel() {
  thread_ = std::thread([this] { watch(); });
  while (!started_.load()) // real_time_ is known before anyone asks
    std::this_thread::yield();
}

PauseSentinel::~PauseSentinel() {
  stop_.store(true);
  thread_.join();
}

void PauseSentinel::watch() {
  sched_param param{};
  param.sched_priority = kSentinelPriority;
  real_time_ = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
  started_.store(true);
  auto last = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    std::this_thread::sleep_for(kTick);
    const auto now = std::chrono::steady_clock::now();
    const std::chrono::duration<double, std::milli> gap = now - last - kTick;
    if (gap >= kMachinePause) {
      const std::lock_guard lock(mutex_);
      pauses_.push_back({unix_now(), gap});
    }
    last = now;
  }
}

std::vector<PauseSentinel::Gap> PauseSentinel::pauses() const {
  const std::lock_guard lock(mutex_);
  return pauses_;
}

std::optional<PauseSentinel::Gap> pause_behind(const SessionEnd &end,
                                               const std::vector<PauseSentinel::Gap> &pauses) {
  if (end.fault_code != 201) return std::nullopt;
  const double from = end.fault_unix - kClockSlackS;
  const double to = end.fault_unix + kResolutionS + kClockSlackS;
  for (const PauseSentinel::Gap &g : pauses)
    if (g.ended_unix >= from && g.ended_unix <= to && g.length >= kMachinePause) return g;
  return std::nullopt;
}

int rerun_after_machine_pauses(const std::function<SessionEnd()> &attempt, int tries) {
  for (int n = 1;; ++n) {
    const PauseSentinel sentinel;
    const SessionEnd end = attempt();
    if (end.fault_code != 201 || n == tries) return n;
    if (!sentinel.real_time()) {
      std::printf("attempt %d ended in 201; the sentinel could not run at SCHED_FIFO, so no "
                  "machine pause can be shown: judged as it is\n",
                  n);
      return n;
    }
    const std::vector<PauseSentinel::Gap> pauses = sentinel.pauses();
    const auto pause = pause_behind(end, pauses);
    if (!pause) {
      std::printf("attempt %d ended in 201 and the machine did not pause then (the sentinel saw "
                  "%zu pauses, none within a second of the fault): judged as it is\n",
                  n, pauses.size());
      return n;
    }
    std::printf("attempt %d ended in 201 when the whole machine paused: the sentinel, too, stood "
                "still for %.1f ms, %.2f s after the journal's second of the fault; running it "
                "again\n",
                n, pause->length.count(), pause->ended_unix - end.fault_unix);
    std::fflush(stdout);
  }
}

} // namespace tractus::integration
