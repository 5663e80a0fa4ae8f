#include "harness/tractus_run.hpp"

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

void test_riding_machine_pauses(const std::function<void(const ScratchDir &)> &body) {
  testing::judge_in_scratch_riding_machine_pauses(body, "journal");
}

} // namespace tractus::integration
