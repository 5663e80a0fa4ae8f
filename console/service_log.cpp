#include "console/service_log.hpp"

#include "controller/fault_codes.hpp"
#include "controller/state.hpp"

#include <spdlog/spdlog.h>

namespace tractus::console {

namespace {

spdlog::level::level_enum level_of(controller::EventKind kind) {
  using K = controller::EventKind;
  switch (kind) {
  case K::FaultLatched:
  case K::Alarm:
  case K::WatchdogReset: return spdlog::level::warn; // the PC stalled the loop 100 ms
  case K::Reminder: return spdlog::level::debug;     // repeats every few seconds until acknowledged
  default: return spdlog::level::info;
  }
}

} // namespace

void log_session_event(const std::string &session_id, const controller::JournalRecord &r) {
  const controller::Event &e = r.event;
  const spdlog::level::level_enum level = level_of(e.kind);
  // The journal's writer thread must go on whatever the log does: a bad sink, a full queue.
  try {
    // "session S: fault 301 load-cell-stale: <detail> -> releasing at t=12.345 s"
    // A state change's detail is its new state again: "state -> treating" says it once.
    const char *detail =
        e.detail != nullptr && e.kind != controller::EventKind::StateChanged ? e.detail : "";
    const char *sep = *detail != '\0' ? ": " : "";
    if (e.code != controller::FaultCode::None)
      spdlog::log(level, "session {}: {} {} {}{}{} -> {} at t={:.3f} s", session_id,
                  controller::to_string(e.kind), controller::number(e.code),
                  controller::info(e.code).name, sep, detail, controller::to_string(e.state), r.t);
    else
      spdlog::log(level, "session {}: {}{}{} -> {} at t={:.3f} s", session_id,
                  controller::to_string(e.kind), sep, detail, controller::to_string(e.state), r.t);
  } catch (...) {
  }
}

controller::JournalOptions journal_options_logging(const std::string &session_id) {
  controller::JournalOptions options;
  options.on_event = [session_id](const controller::JournalRecord &r) {
    log_session_event(session_id, r);
  };
  return options;
}

} // namespace tractus::console
