// Records as the store hands them to the reports, built in code: a 20-minute lumbar
// intermittent session (10 cycles of 10 s ramps, 60 s hold at 313.8 N, 30 s rest at 156.9 N,
// as lumbar-intermittent resolves for an 80 kg patient) at one point a second, and a 12-visit
// course climbing 5 lbf a visit from 200 N while the pain comes down from 6 to 2.
#pragma once

#include "records/courses.hpp"
#include "records/report/course_report.hpp"
#include "records/report/report_stamp.hpp"
#include "records/sessions.hpp"
#include "text/number_text.hpp"
#include "text/utc_text.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <string>

namespace tractus::records::report::fixtures {

inline constexpr double kMaxForce = 313.81, kRestForce = 156.91;
inline constexpr double kPeakForce = 316.24;
inline constexpr std::int64_t kCourseStart = 1791504000; // 2026-10-09T00:00:00Z

inline ReportStamp stamp() { return {"0.1.0-test", "2026-12-06T12:00:00Z"}; }

// The setpoint at t: 20 s pretension to the rest force, 10 cycles of 110 s (ramp up, hold, ramp
// down, rest), a 20 s release, then nothing.
inline double setpoint_at(double t) {
  if (t < 20) return kRestForce * t / 20;
  const double cycles_end = 20 + 10 * 110;
  if (t >= cycles_end) return std::max(0.0, kRestForce * (1 - (t - cycles_end) / 20));
  const double c = std::fmod(t - 20, 110);
  const double span = kMaxForce - kRestForce;
  if (c < 10) return kRestForce + span * c / 10;
  if (c < 70) return kMaxForce;
  if (c < 80) return kMaxForce - span * (c - 70) / 10;
  return kRestForce;
}

inline nlohmann::json event(double t, const char *kind, const char *state, const char *detail) {
  return {{"t", t}, {"event", kind}, {"state", state}, {"detail", detail}};
}

inline SessionEntry session_entry_fixture() {
  SessionEntry e;
  e.session_id = "20261206T093000Z-lumbar-intermittent-3f2a";
  e.patient_id = "P-1042";
  e.table_name = "table-2";
  e.started_utc = "2026-12-06T09:30:00Z";
  e.profile_id = "lumbar-intermittent";
  e.profile_name = "Lumbar intermittent 60/30";
  e.region = "lumbar";
  e.body_mass_kg = 80;
  e.simulated = true;
  e.outcome = "completed";
  e.exit_code = 0;
  e.peak_force_n = kPeakForce;
  e.hold_rms_error_percent = 0.84;
  e.duration_s = 1199;
  e.journal_file = "/var/lib/tractus/sessions/20261206T093000Z-lumbar-intermittent-3f2a.jsonl";
  e.journal_bytes = 1934112;
  e.header = {{"format", "tractus.journal/1"},
              {"session", e.session_id},
              {"software_version", "0.1.0"},
              {"started_utc", e.started_utc},
              {"profile",
               {{"source", "library"},
                {"as_run",
                 {{"id", "lumbar-intermittent"},
                  {"name", "Lumbar intermittent 60/30"},
                  {"region", "lumbar"},
                  {"mode", "intermittent"},
                  {"max_force", "40 %bw"},
                  {"rest_force", "50 %max"},
                  {"hold", "60 s"},
                  {"rest", "30 s"},
                  {"ramp", "10 s"},
                  {"progressive_steps", 3},
                  {"regressive_steps", 2},
                  {"duration", "20 min"}}},
                {"resolved",
                 {{"max_force_n", kMaxForce},
                  {"rest_force_n", kRestForce},
                  {"ceiling_n", 392.27},
                  {"peak_setpoint_n", kMaxForce},
                  {"cycles", 10},
                  {"total_duration_s", 1140}}}}},
              {"patient", {{"id", "P-1042"}, {"body_mass_kg", 80}}},
              {"calibration", {{"id", "cal-20261201-7"}, {"source", "factory"}}},
              {"limits",
               {{"hard_cap_n", 889.64},
                {"over_force_n", 345.19},
                {"treatment_rate_n_per_s", 50},
                {"min_cord_tension_n", 15}}},
              {"table", {{"address", "sim"}, {"simulated", true}, {"preset", "average-adult"}}}};
  e.events = nlohmann::json::array(
      {event(0, "press-test", "ready", "both channels opened and closed"),
       event(0.1, "operator", "pretension", "start"), event(20, "state", "treating", ""),
       event(516.4, "alarm", "treating", "guarding-onset: force 12 N above the setpoint"),
       event(1120, "state", "releasing", "end of protocol"), event(1140, "state", "complete", ""),
       event(1141, "reminder", "complete", "release done"),
       event(1150.5, "acknowledged", "complete", "operator")});
  e.summary = {{"outcome", "completed"},
               {"exit_code", 0},
               {"peak_force_n", kPeakForce},
               {"hold_rms_error_n", 2.1},
               {"hold_rms_error_percent", 0.84},
               {"seconds_in_state", {{"pretension", 20}, {"treating", 1100}, {"releasing", 20}}}};
  e.curve = nlohmann::json::array();
  for (int s = 0; s < 1200; ++s) {
    const double t = s;
    // A little lag and ripple, as a real force loop shows; the peak is the summary's.
    double force = std::max(0.0, setpoint_at(t - 0.6) + 1.2 * std::sin(t * 0.7));
    if (s == 516) force = kPeakForce;
    e.curve.push_back({t, std::round(setpoint_at(t) * 10) / 10, std::round(force * 10) / 10});
  }
  return e;
}

// Visit i (from 1): confirmed at 200 N + 5 lbf a visit up to the 450 N ceiling, its session's
// peak a little above; pain from 6 before the first to 2 after the twelfth, never below 0.
inline double confirmed_force(int i) { return std::min(450.0, 200 + (i - 1) * 22.24); }
inline double peak_force(int i) { return confirmed_force(i) + 1.5 + 0.1 * i; }
inline int pain_before(int i) { return std::max(1, 6 - (i - 1) * 3 / 11); } // 6 … 3
inline int pain_after(int i) { return std::max(0, 5 - (i - 1) * 3 / 11); }  // 5 … 2

inline CourseRecords course_fixture(int visits = 12, int planned = 12) {
  CourseRecords r;
  r.course.id = 7;
  r.course.plan = {"P-1042", "lumbar", "lumbar-intermittent", planned, {200, 22.24, 450}, "dr.k"};
  r.course.created_utc = text::utc_timestamp(kCourseStart);
  for (int i = 1; i <= visits; ++i) {
    Visit v;
    v.id = 100 + i;
    v.course_id = 7;
    v.number = i;
    v.proposed_force_n = confirmed_force(i);
    v.confirmed_force_n = confirmed_force(i);
    v.confirmed_by = "dr.k";
    const std::int64_t day = kCourseStart + static_cast<std::int64_t>(i) * 3 * 86400 + 9 * 3600;
    v.confirmed_utc = text::utc_timestamp(day);
    v.session_id = "visit-session-" + std::to_string(i);
    v.pain_before = pain_before(i);
    v.pain_after = pain_after(i);
    v.note = i == 7 ? "Stopped at 6 min: cramp, left calf" : "";
    SessionEntry s;
    s.session_id = v.session_id;
    s.patient_id = "P-1042";
    s.started_utc = text::utc_timestamp(day + 120);
    s.profile_id = "lumbar-intermittent";
    s.profile_name = "Lumbar intermittent 60/30";
    s.outcome = i == 7 ? "stopped" : "completed";
    s.peak_force_n = peak_force(i);
    r.sessions[s.session_id] = s;
    r.visits.push_back(v);
  }
  return r;
}

} // namespace tractus::records::report::fixtures
