// Runs one whole session in-process on the simulated table, as `tractus run` would, and
// measures it against the simulator's truth (the true cable tension), not only against what
// the controller believed.
#pragma once

#include "controller/loop_runner.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/sim_table.hpp"

#include <cmath>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace tractus::testing {

struct SessionRun {
  controller::LoopReport report;
  std::optional<std::filesystem::path> journal; // the file, when spec.journal_dir was given
  bool journal_finished = false;                // its summary was written
  controller::SessionStats stats;
  Force true_peak{};                // highest true tension while the drive could hold torque
  double true_hold_rms_percent = 0; // RMS of (true − setpoint)/setpoint over holds and rests
  Force max_setpoint{};
  std::vector<controller::Event> events;
  // Set when the session had a stop: the first time the true force was at or below 15 N after
  // the stop, and when the drive was first seen disabled after that.
  std::optional<Duration> stop_at;
  std::optional<Duration> below_15n_at;
  std::optional<Duration> drive_disabled_at;
  // The highest true force from the stop on, with the drive powered or not (a harness slip's
  // recoil caught again by the strap).
  Force peak_after_stop{};
  // The last time the drive held torque after the stop, and the last time the true force was
  // above 15 N after it (a recoil can tension the cord again after it first fell below 15 N).
  std::optional<Duration> drive_last_enabled_at;
  std::optional<Duration> last_above_15n_at;
};

struct SessionSpec {
  std::string profile;            // stock id or file
  std::string preset = "average"; // a preset, or a patient file (sim/patient_file.hpp)
  Mass body_mass = kilograms(80);
  std::uint64_t seed = 1;
  std::vector<std::string> inject; // KIND@TIME
  bool calm = false;               // no random muscle guarding
  std::optional<std::filesystem::path> journal_dir;
  controller::JournalOptions journal_options{};
  controller::ForceLoopParams force_loop{};
  // Operator presses besides the start (which the harness sends once the press test passed).
  std::function<controller::OperatorInput(Duration, const controller::CycleOutput &)>
      operator_script;
  // Changes the session's set-up before it is built (limits, timings).
  std::function<void(controller::SessionSetup &)> adjust_setup;
  // Called on the loop thread after every cycle, after the harness's own bookkeeping.
  std::function<void(const controller::CycleOutput &)> observer;
  // The same, with the simulated table, for figures against the simulator's truth (the true
  // tension, the guarding the plant is in).
  std::function<void(const controller::CycleOutput &, const sim::SimTable &)> truth_observer;
  // Called on the loop's thread as soon as LoopRunner::run() has returned, before the harness
  // finishes the journal (the allocation test stops counting here).
  std::function<void()> after_loop;
};

SessionRun run_session(const SessionSpec &spec);

} // namespace tractus::testing
