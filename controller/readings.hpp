// What one control cycle reads from the table and what the operator asked since the last one.
#pragma once

#include "hal/hal.hpp"

namespace tractus::controller {

struct Readings {
  hal::LoadCellSample load_cell;
  hal::SafetyInputs safety;
  hal::DriveStatus drive; // from the previous cycle's exchange
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
