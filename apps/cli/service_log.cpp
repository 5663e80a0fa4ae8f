#include "cli/service_log.hpp"

#include "cli/serve_command.hpp"

#include <spdlog/async.h>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/sinks/rotating_file_sink.h>
#include <spdlog/sinks/systemd_sink.h>
#include <spdlog/spdlog.h>

#include <cstdlib>
#include <system_error>

namespace tractus::cli {

namespace {

// 8192 lines queued: minutes of the busiest console at debug; beyond, the oldest go.
constexpr std::size_t kQueueLines = 8192;
constexpr std::size_t kFileBytes = 5 * 1024 * 1024;
constexpr std::size_t kFiles = 4; // tractus.log and tractus.1.log to tractus.4.log: 25 MiB

} // namespace

bool under_systemd_journal() {
  // systemd sets both for a service; JOURNAL_STREAM only when its output goes to the journal.
  return std::getenv("INVOCATION_ID") != nullptr && std::getenv("JOURNAL_STREAM") != nullptr;
}

std::string log_levels_text() {
  std::string s;
  for (const char *level : kLogLevels)
    s += (s.empty() ? "" : ", ") + std::string(level);
  return s;
}

std::string log_level_problem(const std::string &level) {
  for (const char *known : kLogLevels)
    if (level == known) return "";
  return "\"" + level + "\" is not a log level (allowed: " + log_levels_text() + ")";
}

void log_nowhere() {
  spdlog::set_default_logger(
      std::make_shared<spdlog::logger>("tractus", std::make_shared<spdlog::sinks::null_sink_mt>()));
}

text::Outcome<std::unique_ptr<ServiceLog>> ServiceLog::start(const std::string &level,
                                                             const std::filesystem::path &dir) {
  using Result = text::Outcome<std::unique_ptr<ServiceLog>>;
  if (const std::string problem = log_level_problem(level); !problem.empty())
    return Result::failure("log level " + problem);
  spdlog::sink_ptr sink;
  std::string where;
  if (under_systemd_journal()) {
    // The journal stamps time, unit and pid itself; the priority comes from the level.
    sink = std::make_shared<spdlog::sinks::systemd_sink_mt>("tractus");
    where = "the systemd journal";
  } else {
    const std::filesystem::path file = dir / "tractus.log";
    std::error_code ec;
    // Only a folder made here gets 0750: an existing one (say /var/log, or /tmp given by
    // mistake) is the administrator's, and its mode is not ours to change.
    const bool made = std::filesystem::create_directories(dir, ec);
    if (made && !ec)
      std::filesystem::permissions(dir,
                                   std::filesystem::perms::owner_all |
                                       std::filesystem::perms::group_read |
                                       std::filesystem::perms::group_exec,
                                   ec);
    if (ec) return Result::failure("log folder " + dir.string() + ": " + ec.message());
    try {
      sink =
          std::make_shared<spdlog::sinks::rotating_file_sink_mt>(file.string(), kFileBytes, kFiles);
    } catch (const spdlog::spdlog_ex &e) {
      return Result::failure("log file " + file.string() + ": " + e.what());
    }
    sink->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %-5l %v");
    where = file.string();
  }
  spdlog::init_thread_pool(kQueueLines, 1);
  auto logger = std::make_shared<spdlog::async_logger>(
      "tractus", sink, spdlog::thread_pool(), spdlog::async_overflow_policy::overrun_oldest);
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::warn); // a fault's line is on disk before anything else
  spdlog::set_default_logger(logger);
  spdlog::flush_every(std::chrono::seconds(1));
  return {std::unique_ptr<ServiceLog>(new ServiceLog(std::move(where))), {}};
}

ServiceLog::~ServiceLog() {
  spdlog::default_logger()->flush();
  spdlog::shutdown(); // drains the queue and joins spdlog's threads
  log_nowhere();
}

} // namespace tractus::cli
