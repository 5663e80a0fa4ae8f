// Real-time scheduling for the loop thread, when the system permits it.
#pragma once

#include <string>

namespace tractus::controller {

// Asks for SCHED_FIFO at `priority` and locks the process's memory (no page faults in a
// cycle). Never fails the run: returns what was obtained, e.g. "SCHED_FIFO 80, memory locked"
// or "normal priority (SCHED_FIFO not permitted)", for the journal header.
std::string enable_realtime(int priority);

} // namespace tractus::controller
