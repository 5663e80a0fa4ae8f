// A course's report (docs/reports.md "Course report"): the plan, every visit with its forces,
// outcome and pain, and one chart of the peak force and the pain visit by visit, so the
// clinician sees at a glance whether the force climbed and the pain came down. A4 portrait; up
// to 40 visits (a course's most, kMaxVisitsPerCourse) on one page, more on pages after it.
// Pure: drawn from what the caller read from the store.
#pragma once

#include "records/courses.hpp"
#include "records/report/report_stamp.hpp"
#include "records/sessions.hpp"

#include <map>
#include <string>
#include <vector>

namespace tractus::records::report {

struct CourseRecords {
  Course course;
  std::vector<Visit> visits; // by number, as visits_of_course gives them
  // The indexed sessions of those visits by session id (listings are enough: no curve needed).
  // A visit whose session is not here was not run yet, or its journal not indexed.
  std::map<std::string, SessionEntry> sessions;
};

[[nodiscard]] std::string course_report_pdf(const CourseRecords &records, const ReportStamp &stamp);
// Every page, one under the other, `pixels_per_point` pixels a point.
[[nodiscard]] std::string course_report_png(const CourseRecords &records, const ReportStamp &stamp,
                                            double pixels_per_point = 2);
// One row a visit under the header row `number,date_utc,session_id,proposed_force_n,
// confirmed_force_n,peak_force_n,outcome,pain_before,pain_after,note`. date_utc is the session's
// start, or the confirmation's time for a visit not run; a visit not run has an empty session
// id, peak force and outcome.
[[nodiscard]] std::string course_report_csv(const CourseRecords &records);

} // namespace tractus::records::report
