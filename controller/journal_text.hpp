// What a session journal's first and last lines say (docs/journal.md): the header (software,
// profile as run and as resolved for the patient, patient, calibration) and the summary
// (outcome, figures, loop timing). Shared by `tractus run` and the console, which add their own
// members (table, screening, session id, started_utc, scheduling …) before writing.
#pragma once

#include "controller/loop_runner.hpp"
#include "controller/session.hpp"
#include "controller/session_stats.hpp"
#include "hal/calibration.hpp"
#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace tractus::controller {

// Patients are pseudonymous ids, never names (DESIGN §5): 1 to 32 letters, digits, '-' or '_',
// starting with a letter or digit, no spaces, and at least one digit, so a name cannot be typed
// in by habit ("John Smith" and "Smith" are refused). The records store's rule
// (docs/records.md), so an id a session is run under can be a patient in the records.
bool valid_patient_id(const std::string &id);
// "anon-3f9a1c": for a session run without a patient id.
std::string anonymous_patient_id();
// "20261122T151453Z-lumbar-intermittent-6124": UTC start, protocol, 4 random hex digits.
std::string new_session_id(std::string_view profile_id, std::int64_t now_unix);

nlohmann::ordered_json session_journal_header(const profiles::Profile &profile,
                                              const profiles::Trajectory &trajectory,
                                              const std::string &patient_id, Mass body_mass,
                                              const hal::Calibration &calibration);

// The limits the session runs under (the machine's, or a clinic's tighter ones), for the
// header's "limits": its hard cap, the force at which the over-force monitor trips, the pause
// and resume ramp rate and the tension always left on the cord.
nlohmann::ordered_json journal_limits(const SessionSetup &setup);

// A session's outcome in words, as the journal's summary, `tractus run` and the console say it:
// a loop that ended before the session ever started (a refused start, a session unloaded in
// Ready) is "not started", never the controller's "running".
const char *outcome_text(const CycleOutput &last) noexcept;

// `exit_code`: what `tractus run` exits with (DESIGN §8); the console records the same code for
// the same outcome, so journals compare.
nlohmann::ordered_json session_journal_summary(const LoopReport &report, const SessionStats &stats,
                                               int exit_code);

} // namespace tractus::controller
