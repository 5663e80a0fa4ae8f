// Where `tractus serve` writes its service and operator log (console/service_log.hpp,
// docs/logging.md), and how: spdlog's asynchronous logger made the process's default, so the
// console's threads only format a line into a queue, and one thread of spdlog's own writes it.
//
// - Under systemd (the service: systemd gives it JOURNAL_STREAM and INVOCATION_ID) the log goes
//   to the systemd journal, one entry per line with its priority (`journalctl -u tractus`).
// - Otherwise to a rotating file, LOG_DIR/tractus.log, 5 MiB each, 5 files in all (tractus.log
//   and tractus.1.log to tractus.4.log), in a folder made 0750 when tractus makes it.
//
// The level is the configuration's `log_level` (trace, debug, info, warn, error, off).
// A full queue drops the oldest lines rather than make a console thread wait.
#pragma once

#include "text/outcome.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace spdlog {
class logger;
}

namespace tractus::cli {

// Whether this process runs as a systemd service with its output in the journal.
bool under_systemd_journal();

// The levels log_level may name, for messages: "trace, debug, info, warn, error, off".
std::string log_levels_text();
// "" when `level` is one of them, else what is wrong (naming the allowed values).
std::string log_level_problem(const std::string &level);

// Every command but serve logs nothing: the console's calls go to a logger with no sink
// (tractus_main.cpp sets it first, so nothing reaches a command's stdout).
void log_nowhere();

class ServiceLog {
public:
  // Starts the log at `level` to the journal (under systemd) or to `dir`/tractus.log; nullptr
  // and `error` (naming the folder) when the file cannot be opened, or the level is unknown.
  static text::Outcome<std::unique_ptr<ServiceLog>> start(const std::string &level,
                                                          const std::filesystem::path &dir);
  // Writes what is queued and stops spdlog's thread; the default logger logs nowhere again.
  ~ServiceLog();
  ServiceLog(const ServiceLog &) = delete;
  ServiceLog &operator=(const ServiceLog &) = delete;

  // "the systemd journal" or the file's path: where a technician finds it.
  [[nodiscard]] const std::string &where() const { return where_; }

private:
  explicit ServiceLog(std::string where) : where_(std::move(where)) {}
  std::string where_;
};

} // namespace tractus::cli
