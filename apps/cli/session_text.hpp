// What `tractus run` writes for people and into the journal's header and summary lines.
#pragma once

#include "controller/journal_text.hpp"
#include "controller/loop_runner.hpp"
#include "hal/calibration.hpp"
#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"

#include <nlohmann/json.hpp>

#include <ostream>
#include <string>

namespace tractus::cli {

// "treating   05:12 / 20:00   force 312.4 N (70.2 lbf)   setpoint 313.0 N"
std::string progress_line(const controller::LoopProgress &p, Duration total);

// The journal's header and summary (controller/journal_text.hpp, shared with the console).
inline nlohmann::ordered_json journal_header(const profiles::Profile &profile,
                                             const profiles::Trajectory &trajectory,
                                             const std::string &patient_id, Mass body_mass,
                                             const hal::Calibration &calibration) {
  return controller::session_journal_header(profile, trajectory, patient_id, body_mass,
                                            calibration);
}
inline nlohmann::ordered_json summary_json(const controller::LoopReport &report,
                                           const controller::SessionStats &stats, int exit_code) {
  return controller::session_journal_summary(report, stats, exit_code);
}

// The summary `tractus run` prints; a "Guarding" line (count, largest in N and lbf, time) only
// when the session had muscle guarding.
void print_summary(std::ostream &out, const std::string &session_id,
                   const profiles::Profile &profile, const profiles::Trajectory &trajectory,
                   const std::string &patient_id, Mass body_mass,
                   const controller::LoopReport &report, const controller::SessionStats &stats,
                   const std::string &journal_path);

} // namespace tractus::cli
