// What one control cycle reads from the table and what the operator asked since the last one.
#pragma once

#include "hal/hal.hpp"

namespace tractus::controller {

struct Readings {
  hal::LoadCellSample load_cell;
  hal::SafetyInputs safety;
  hal::DriveStatus drive; // from the previous cycle's exchange
  // The session's journal cannot be written or is short of room (Journal::failed(), read
  // lock-free by the loop runner): a start is refused with 118, an active session is released
  // under control with fault 204.
  bool journal_failed = false;
};

// Operator requests: each true for exactly one cycle (an edge), from the console or the CLI.
struct OperatorInput {
  bool start = false;
  bool pause = false;
  bool resume = false;
  bool stop = false;
  bool acknowledge = false; // acknowledges alarms, reminders and (with the cause gone) faults
};

} // namespace tractus::controller
