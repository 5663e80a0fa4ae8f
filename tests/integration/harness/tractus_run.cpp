#include "harness/tractus_run.hpp"

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

} // namespace tractus::integration
