// Real-time scheduling for the loop thread, and locked memory, when the system permits them.
#pragma once

#include <string>

namespace tractus::controller {

// Locks the process's memory, now and for every later mapping (no page fault in a cycle).
// Locking faults in every page already mapped: 54 ms for `tractus run` on the 2-core VM, more
// when memory is short. So it is done before the drive's communication watchdog is armed,
// never between the arming and the loop's first cycle (a start refused 114, the watchdog
// expired, was seen in CI with a compiler beside). Returns "memory locked" or
// "memory not locked (mlockall not permitted)"; never fails the run.
std::string lock_memory();

// Asks for SCHED_FIFO at `priority` for the calling thread. Returns "SCHED_FIFO 80" or
// "normal priority (SCHED_FIFO not permitted)"; never fails the run.
std::string realtime_thread(int priority);

// Both, for a process whose only real-time thread is the caller (tractus-sim): e.g.
// "SCHED_FIFO 90, memory locked", for the log or the journal header.
std::string enable_realtime(int priority);

} // namespace tractus::controller
