#include "harness/tractus_run.hpp"

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

} // namespace tractus::integration
