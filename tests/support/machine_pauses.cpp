#include "machine_pauses.hpp"

#include "scratch_dir.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <pthread.h>
#include <sched.h>

#include <cstddef>
#include <cstdio>
#include <ctime>
#include <exception>
#include <filesystem>
#include <memory>

namespace tractus::testing {

namespace {
// Above the loop (80), tractus-sim and socat (90): nothing in user space can stop it but the
// CPU itself not running (machine_pauses.hpp).
constexpr int kSentinelPriority = 99;
constexpr std::chrono::milliseconds kTick{1};
constexpr std::chrono::milliseconds kShortestPause{15}; // the least any fault needs (303)
// The loop raises its fault at its first cycle after the gap; `started_utc` is truncated to the
// second.
constexpr double kResolutionS = 1.0;
constexpr double kClockSlackS = 0.25;

double unix_now() {
  return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::vector<int> allowed_cpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  std::vector<int> cpus;
  if (sched_getaffinity(0, sizeof set, &set) != 0) return cpus;
  for (std::size_t cpu = 0; cpu < CPU_SETSIZE; ++cpu)
    if (CPU_ISSET(cpu, &set)) cpus.push_back(static_cast<int>(cpu));
  return cpus;
}
} // namespace

std::optional<std::chrono::milliseconds> pause_that_explains(int fault_code) {
  switch (fault_code) {
  case 201: return kMachinePause;
  case 303: return kShortestPause;
  case 308:
  case 309:
  case 310: return std::chrono::milliseconds(25);
  default: return std::nullopt;
  }
}

PauseSentinel::PauseSentinel() {
  const std::vector<int> cpus = allowed_cpus();
  if (cpus.empty()) real_time_.store(false);
  for (int cpu : cpus)
    threads_.emplace_back([this, cpu] { watch(cpu); });
  while (started_.load() < static_cast<int>(threads_.size())) // real_time_ is known first
    std::this_thread::yield();
}

PauseSentinel::~PauseSentinel() {
  stop_.store(true);
  for (std::thread &t : threads_)
    t.join();
}

void PauseSentinel::watch(int cpu) {
  cpu_set_t one;
  CPU_ZERO(&one);
  CPU_SET(static_cast<std::size_t>(cpu), &one);
  sched_param param{};
  param.sched_priority = kSentinelPriority;
  const bool pinned = pthread_setaffinity_np(pthread_self(), sizeof one, &one) == 0;
  const bool fifo = pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0;
  if (!pinned || !fifo) real_time_.store(false);
  started_.fetch_add(1);
  auto last = std::chrono::steady_clock::now();
  while (!stop_.load()) {
    std::this_thread::sleep_for(kTick);
    const auto now = std::chrono::steady_clock::now();
    const std::chrono::duration<double, std::milli> gap = now - last - kTick;
    if (gap >= kShortestPause) {
      const std::lock_guard lock(mutex_);
      pauses_.push_back({unix_now(), gap, cpu});
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
  const auto needed = pause_that_explains(end.fault_code);
  if (!needed) return std::nullopt;
  const double from = end.fault_unix - kClockSlackS;
  const double to = end.fault_unix + kResolutionS + kClockSlackS;
  for (const PauseSentinel::Gap &g : pauses)
    if (g.ended_unix >= from && g.ended_unix <= to && g.length >= *needed) return g;
  return std::nullopt;
}

int rerun_after_machine_pauses(const std::function<SessionEnd()> &attempt, int tries) {
  for (int n = 1;; ++n) {
    const PauseSentinel sentinel;
    const SessionEnd end = attempt();
    if (!pause_that_explains(end.fault_code) || n == tries) return n;
    if (!sentinel.real_time()) {
      std::printf("attempt %d ended in %d; the sentinel could not run pinned at SCHED_FIFO, so "
                  "no machine pause can be shown: judged as it is\n",
                  n, end.fault_code);
      return n;
    }
    const std::vector<PauseSentinel::Gap> pauses = sentinel.pauses();
    const auto pause = pause_behind(end, pauses);
    if (!pause) {
      std::printf("attempt %d ended in %d and no CPU paused long enough then (the sentinel saw "
                  "%zu pauses of 15 ms or more, none explaining it): judged as it is\n",
                  n, end.fault_code, pauses.size());
      return n;
    }
    std::printf("attempt %d ended in %d when the machine paused: CPU %d stood still for %.1f ms, "
                "%.2f s after the journal's second of the fault; running it again\n",
                n, end.fault_code, pause->cpu, pause->length.count(),
                pause->ended_unix - end.fault_unix);
    std::fflush(stdout);
  }
}

SessionEnd session_end(const controller::JournalContents &journal) {
  std::tm started{};
  const std::string utc = journal.header.value("started_utc", "");
  if (strptime(utc.c_str(), "%Y-%m-%dT%H:%M:%SZ", &started) == nullptr) return {};
  const double start = static_cast<double>(timegm(&started));
  for (const auto &e : journal.events)
    if (e.value("event", "") == "fault") return {e.value("code", 0), start + e.value("t", 0.0)};
  return {};
}

SessionEnd first_fault_in(const std::filesystem::path &folder) {
  SessionEnd first;
  std::error_code ec;
  for (const auto &entry : std::filesystem::directory_iterator(folder, ec)) {
    if (entry.path().extension() != ".jsonl") continue;
    try {
      const SessionEnd end = session_end(controller::read_journal(entry.path()));
      if (end.fault_code != 0 && (first.fault_code == 0 || end.fault_unix < first.fault_unix))
        first = end;
    } catch (const std::exception &) { // unreadable: no fault a pause could explain
    }
  }
  return first;
}

namespace {
int failed_parts(const ::testing::TestPartResultArray &parts) {
  int n = 0;
  for (int i = 0; i < parts.size(); ++i)
    n += parts.GetTestPartResult(i).failed() ? 1 : 0;
  return n;
}
} // namespace

void judge_riding_machine_pauses(const std::function<void()> &body,
                                 const std::function<SessionEnd()> &ended_with) {
  std::unique_ptr<::testing::TestPartResultArray> failures;
  rerun_after_machine_pauses([&] {
    failures = std::make_unique<::testing::TestPartResultArray>();
    { // this thread's failures: the bodies assert on their own thread, and a reporter for it
      // nests inside gtest's own (gtest-spi's checks of this function, machine_pauses_test.cpp)
      const ::testing::ScopedFakeTestPartResultReporter intercept(
          ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD,
          failures.get());
      body();
    }
    if (failed_parts(*failures) == 0) return SessionEnd{};
    const SessionEnd end = ended_with();
    if (pause_that_explains(end.fault_code)) // every failure printed, should it be set aside
      for (int i = 0; i < failures->size(); ++i) {
        const ::testing::TestPartResult &f = failures->GetTestPartResult(i);
        if (f.failed())
          std::printf("this attempt failed at %s:%d:\n%s\n", f.file_name() ? f.file_name() : "?",
                      f.line_number(), f.message());
      }
    return end;
  });
  // The attempt that was judged: its failures are reported as the test's own.
  for (int i = 0; i < failures->size(); ++i) {
    const ::testing::TestPartResult &f = failures->GetTestPartResult(i);
    if (f.skipped()) GTEST_SKIP() << f.message();
    if (f.failed())
      ADD_FAILURE_AT(f.file_name() ? f.file_name() : "?", f.line_number()) << f.message();
  }
}

void judge_in_scratch_riding_machine_pauses(const std::function<void(const ScratchDir &)> &body,
                                            const std::filesystem::path &journals) {
  std::unique_ptr<ScratchDir> dir;
  judge_riding_machine_pauses(
      [&] {
        dir = std::make_unique<ScratchDir>(); // the attempt before is deleted: set aside
        body(*dir);
      },
      [&] { return first_fault_in(dir->path() / journals); });
  dir.reset(); // kept for inspection if the test failed
}

} // namespace tractus::testing
