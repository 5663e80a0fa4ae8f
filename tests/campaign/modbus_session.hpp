// One campaign session through real Modbus, in real time (docs/safety/campaign.md, "Through
// Modbus"): a tractus-sim process on a loopback port; the controller as `tractus run --table
// modbus-tcp://…` runs it (the same ModbusTable, Session, LoopRunner and Journal at 1 kHz on the
// monotonic clock, the drive's watchdog armed at 100 ms, the simulator's factory calibration);
// the planned fault written to tractus-sim's unit 247 between two cycles; and the simulator's
// true force and drive state sampled every millisecond over a connection of their own. The
// trace is checked afterwards by the same SessionChecker as in-process, each cycle with the
// truth sample nearest to it.
#pragma once

#include "campaign.hpp"

#include "profiles/trajectory.hpp"

#include <filesystem>

namespace tractus::campaign {

struct ModbusSessionConfig {
  std::filesystem::path tractus_sim; // the binary
  std::filesystem::path work_dir;    // tractus-sim's port file and output, while it runs
  std::filesystem::path journal_dir;
  bool keep_journal = false;
};

// Never throws: what stops a session from running is in SessionReport::error.
SessionReport run_modbus_session(const SessionPlan &plan, const profiles::Profile &profile,
                                 const profiles::Trajectory &trajectory,
                                 const ModbusSessionConfig &config);

} // namespace tractus::campaign
