// A session's report (docs/reports.md "Session report"): one A4 page saying who was treated,
// on which table, with which calibration and protocol, what the force did against its setpoint,
// what happened (events, faults), how it ended, and — for a course visit — the pain before and
// after and the clinician's note. Drawn from the store's entry alone: the journal file is named,
// never read. Pure: the caller passes the time and version it was made with.
#pragma once

#include "records/courses.hpp"
#include "records/report/report_stamp.hpp"
#include "records/sessions.hpp"

#include <optional>
#include <string>

namespace tractus::records::report {

// What a course adds to a session: the visit it ran.
struct SessionVisit {
  int number = 0;
  std::optional<int> pain_before, pain_after; // 0–10
  std::string note;
  double confirmed_force_n = 0;
};

[[nodiscard]] SessionVisit session_visit(const Visit &visit);

// The report as a PDF (one A4 page), its bytes. Throws std::runtime_error only if cairo fails.
[[nodiscard]] std::string session_report_pdf(const SessionEntry &entry,
                                             const std::optional<SessionVisit> &visit,
                                             const ReportStamp &stamp);
// The same page as a PNG, `pixels_per_point` pixels a point (2: 1191 × 1684 px).
[[nodiscard]] std::string session_report_png(const SessionEntry &entry,
                                             const std::optional<SessionVisit> &visit,
                                             const ReportStamp &stamp, double pixels_per_point = 2);
// The force curve as CSV: a header row `t_s,setpoint_n,force_n,guarding,guarding_size_n`, then
// one row a point (one a second); a value that is missing or not finite is an empty field.
// `guarding` is 1 when a muscle-guarding event was under way in the point's second, else 0;
// `guarding_size_n` the size of an event that began in it (so the count of events is the count
// of those cells), empty otherwise.
[[nodiscard]] std::string session_report_csv(const SessionEntry &entry);

} // namespace tractus::records::report
