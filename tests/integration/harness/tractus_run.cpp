#include "harness/tractus_run.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <csignal>
#include <cstdio>
#include <ctime>

namespace tractus::integration {

std::vector<std::string> tractus_run_argv(const ScratchDir &dir, const std::string &table,
                                          const std::string &profile, const std::string &weight,
                                          const std::vector<std::string> &extra) {
  std::vector<std::string> argv{Tools::tractus(), "run",
                                "--profile",      (Tools::data_dir() / profile).string(),
                                "--weight",       weight,
                                "--table",        table,
                                "--journal",      (dir / "journal").string(),
                                "--realtime"};
  argv.insert(argv.end(), extra.begin(), extra.end());
  return argv;
}

RunResult run_then_stop(const std::vector<std::string> &argv, const ScratchDir &dir,
                        std::chrono::milliseconds after) {
  RunResult r;
  {
    Process run(argv, dir / "run.out", dir / "run.err");
    std::optional<int> code = run.wait_for(after);
    if (!code) {
      run.signal(SIGINT);
      code = run.wait_for(60s);
    }
    r.exit_code = code ? *code : -1; // still running: killed by ~Process
  }
  r.out = read_file(dir / "run.out");
  r.err = read_file(dir / "run.err");
  return r;
}

std::optional<std::filesystem::path> journal_file(const ScratchDir &dir) {
  std::error_code ec;
  for (const auto &e : std::filesystem::directory_iterator(dir / "journal", ec))
    if (e.path().extension() == ".jsonl") return e.path();
  return std::nullopt;
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

SessionAttempt session_riding_machine_pauses(const std::function<void(SessionAttempt &)> &attempt) {
  SessionAttempt a;
  rerun_after_machine_pauses([&] {
    a = SessionAttempt{};
    attempt(a);
    if (const auto file = journal_file(*a.dir)) a.journal = controller::read_journal(*file);
    return a.journal ? session_end(*a.journal) : SessionEnd{};
  });
  return a;
}

namespace {
int failed_parts(const ::testing::TestPartResultArray &parts) {
  int n = 0;
  for (int i = 0; i < parts.size(); ++i)
    n += parts.GetTestPartResult(i).failed() ? 1 : 0;
  return n;
}
} // namespace

void test_riding_machine_pauses(const std::function<void(const ScratchDir &)> &body) {
  std::unique_ptr<ScratchDir> dir;
  std::unique_ptr<::testing::TestPartResultArray> failures;
  rerun_after_machine_pauses([&] {
    dir = std::make_unique<ScratchDir>();
    failures = std::make_unique<::testing::TestPartResultArray>();
    { // this thread's failures: the bodies assert on their own thread, and a reporter for it
      // nests inside gtest's own (gtest-spi's checks of this function, machine_pauses_test.cpp)
      const ::testing::ScopedFakeTestPartResultReporter intercept(
          ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD,
          failures.get());
      body(*dir);
    }
    if (failed_parts(*failures) == 0) return SessionEnd{};
    const auto file = journal_file(*dir);
    const SessionEnd end = file ? session_end(controller::read_journal(*file)) : SessionEnd{};
    if (pause_that_explains(end.fault_code)) // every failure printed, should it be set aside
      for (int i = 0; i < failures->size(); ++i) {
        const ::testing::TestPartResult &f = failures->GetTestPartResult(i);
        if (f.failed())
          std::printf("this attempt failed at %s:%d:\n%s\n", f.file_name() ? f.file_name() : "?",
                      f.line_number(), f.message());
      }
    return end;
  });
  // The attempt that was judged: its failures are reported as the test's own, before its
  // folder goes (kept for inspection then).
  for (int i = 0; i < failures->size(); ++i) {
    const ::testing::TestPartResult &f = failures->GetTestPartResult(i);
    if (f.skipped()) GTEST_SKIP() << f.message();
    if (f.failed())
      ADD_FAILURE_AT(f.file_name() ? f.file_name() : "?", f.line_number()) << f.message();
  }
  dir.reset();
}

} // namespace tractus::integration
