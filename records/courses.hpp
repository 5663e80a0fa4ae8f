// Courses of treatment and their visits (docs/records.md "Courses").
//
// A course is a plan for one patient: region, protocol, number of visits, and a progression
// rule (starting force, step, ceiling). Its ceiling is checked against the clinical cap for
// the patient's body mass and the region's hard cap, under the limits in force. A visit is made
// when the clinician confirms its force (the proposal, or their own); the session that runs
// it is attached when it has started, and pain before and after are recorded on it with a note.
#pragma once

#include "profiles/limits.hpp"
#include "records/progression.hpp"
#include "records/sessions.hpp"
#include "records/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tractus::records {

inline constexpr int kMaxVisitsPerCourse = 40;

struct CoursePlan {
  std::string patient_id;
  std::string region; // "lumbar" | "cervical"
  std::string protocol_id;
  int visits_planned = 12;
  ProgressionRule rule;
  std::string created_by;
};

struct Course {
  long long id = 0;
  CoursePlan plan;
  std::string created_utc;
  std::optional<std::string> closed_utc;
};

struct Visit {
  long long id = 0;
  long long course_id = 0;
  int number = 0;
  double proposed_force_n = 0, confirmed_force_n = 0;
  std::string confirmed_by, confirmed_utc;
  std::string session_id; // empty until its session started
  std::optional<int> pain_before, pain_after;
  std::string note;
};

// Every problem with `plan` for a patient of `body_mass_kg` under `limits`, each naming its
// field ("course: /ceiling_n: 450 N = 101.2 lbf is above the clinical cap …"). Empty when usable.
[[nodiscard]] std::vector<std::string>
course_plan_problems(const CoursePlan &plan, double body_mass_kg, const profiles::Limits &limits);

// Starts a course; returns its id. Invalid (every problem, one per line) or NotFound (patient).
long long start_course(RecordsStore &store, const CoursePlan &plan, const profiles::Limits &limits);
[[nodiscard]] std::optional<Course> find_course(RecordsStore &store, long long course_id);
// A patient's courses, newest first.
[[nodiscard]] std::vector<Course> courses_of_patient(RecordsStore &store,
                                                     const std::string &patient_id);
// A course's visits, by number.
[[nodiscard]] std::vector<Visit> visits_of_course(RecordsStore &store, long long course_id);

// The proposal for the course's next visit, from its visits and their indexed sessions
// (outcome, guarding alarms) and pain scores. A visit confirmed whose session has not started
// is proposed again (its number, the same proposal). NotFound, or Conflict when the course is
// closed or every planned visit has run.
[[nodiscard]] Proposal propose_next_visit(RecordsStore &store, long long course_id);

// The forces a visit of `course` may be confirmed at: above the minimum cord tension, and at
// most the course's ceiling and what the patient may be pulled under `limits` (their clinical
// cap for their body mass now, or the region's hard cap if lower).
struct VisitForceBounds {
  double above_n = 0;
  double at_most_n = 0;
};
[[nodiscard]] VisitForceBounds visit_force_bounds(RecordsStore &store, const Course &course,
                                                  const profiles::Limits &limits);

// The clinician's force for the next visit: the proposal or their own, within the bounds
// above. Replaces a confirmed visit whose session has not started.
Visit confirm_visit(RecordsStore &store, long long course_id, double force_n, const std::string &by,
                    const profiles::Limits &limits);
// Ties visit `visit_id` to `session_id`: done when a session is loaded for the visit, so no
// other table or session can run it while it runs (one UPDATE that only takes a visit still
// free). NotFound; Conflict if the visit is another session's.
void attach_session(RecordsStore &store, long long visit_id, const std::string &session_id);
// Frees a visit its session never started (unloaded before the start): it is to be run still.
void release_visit(RecordsStore &store, long long visit_id, const std::string &session_id);

// The session of a visit indexed, and in the same transaction the visit tied to it (if it
// started and the visit is free) or released (if it never started). What became of the tie.
enum class VisitTie { Tied, Released, OtherSessions };
VisitTie index_visit_session(RecordsStore &store, const SessionEntry &entry, long long visit_id,
                             bool started);

enum class PainWhen { Before, After };
// A 0–10 score; Invalid outside it. Replaces an earlier score of the same visit and moment.
void record_pain(RecordsStore &store, long long visit_id, PainWhen when, int score);
void set_visit_note(RecordsStore &store, long long visit_id, const std::string &note);
[[nodiscard]] std::optional<Visit> find_visit(RecordsStore &store, long long visit_id);
// The visit session `session_id` ran, if it ran one.
[[nodiscard]] std::optional<Visit> visit_of_session(RecordsStore &store,
                                                    const std::string &session_id);

// Closes a course (no visit is proposed after); its visits stay.
void close_course(RecordsStore &store, long long course_id);

} // namespace tractus::records
