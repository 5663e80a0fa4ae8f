// The service and operator log (docs/logging.md): what a technician reads after a fault — the
// service starting and stopping, connections, logins, operator actions, sessions and their
// faults, calibrations, the configuration in force.
//
// The console writes it through spdlog's default logger, which `tractus serve` makes
// asynchronous (apps/cli/service_log.hpp): a call formats its line into spdlog's queue and
// returns, and spdlog's own thread writes it to the systemd journal or a rotating file. Nothing
// here is ever called from the control cycle: a session's events reach the log from its
// journal's writer thread, which the loop already hands them to (controller/journal.hpp).
#pragma once

#include "controller/journal.hpp"

#include <string>

namespace tractus::console {

// The line (and level) the service log gives one journaled event of session `session_id`:
// a latched fault or an alarm as a warning, a refused start, the state changes, the operator's
// actions and acknowledgements as information, the repeating end reminder as debug.
void log_session_event(const std::string &session_id, const controller::JournalRecord &record);

// JournalOptions whose on_event logs every event of `session_id` (log_session_event).
controller::JournalOptions journal_options_logging(const std::string &session_id);

} // namespace tractus::console
