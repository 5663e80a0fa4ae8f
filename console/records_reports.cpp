// The reports as the console serves them (RecordsService::session_report, course_report): the
// records read from the store, drawn by records/report, sent as a download; a session also as a
// FHIR R4 bundle (format=fhir).
#include "console/records_service.hpp"

#include "records/clinic_identity.hpp"
#include "records/courses.hpp"
#include "records/report/course_report.hpp"
#include "records/report/fhir_bundle.hpp"
#include "records/report/session_report.hpp"
#include "records/sessions.hpp"
#include "records/utc_now.hpp"

namespace tractus::console {
namespace {

std::optional<ApiResult> format_problem(const std::string &format) {
  if (format == "pdf" || format == "csv" || format == "png" || format == "fhir")
    return std::nullopt;
  return api_error(422, "invalid", "the report's format is not valid",
                   {"?format: pdf, csv, png or fhir (a session's FHIR R4 bundle); pdf when not "
                    "given"});
}

const char *content_type(const std::string &format) {
  if (format == "csv") return "text/csv; charset=utf-8";
  if (format == "png") return "image/png";
  if (format == "fhir") return "application/fhir+json"; // FHIR's own JSON media type
  return "application/pdf";
}

// The download's file name: SESSION.pdf, SESSION.fhir.json.
std::string file_extension(const std::string &format) {
  return format == "fhir" ? "fhir.json" : format;
}

records::report::ReportStamp stamp() { return {TRACTUS_VERSION, records::utc_now()}; }

} // namespace

ApiResult RecordsService::session_report(const std::string &session_id, const std::string &f) {
  const std::string format = f.empty() ? "pdf" : f;
  if (auto refused = format_problem(format)) return *refused;
  try {
    auto &s = store();
    const auto entry = records::find_session(s, session_id);
    if (!entry) return api_error(404, "not-found", "no session " + session_id + " in the records");
    std::optional<records::report::SessionVisit> visit;
    if (const auto v = records::visit_of_session(s, session_id))
      visit = records::report::session_visit(*v);
    std::string bytes =
        format == "csv"   ? records::report::session_report_csv(*entry)
        : format == "png" ? records::report::session_report_png(*entry, visit, stamp())
        : format == "fhir"
            ? records::report::session_fhir_bundle(
                  *entry, visit, stamp(), records::report::fhir_namespaces(records::clinic_uuid(s)))
            : records::report::session_report_pdf(*entry, visit, stamp());
    ApiResult r;
    r.download =
        Download{content_type(format), session_id + "." + file_extension(format), std::move(bytes)};
    return r;
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::course_report(const std::string &course_id, const std::string &f) {
  const std::string format = f.empty() ? "pdf" : f;
  if (auto refused = format_problem(format)) return *refused;
  if (format == "fhir")
    return api_error(422, "invalid", "a FHIR bundle is a session's, not a course's",
                     {"?format: pdf, csv or png for a course; fhir for a session only "
                      "(/api/records/sessions/{id}/report?format=fhir)"});
  if (course_id.empty() || course_id.find_first_not_of("0123456789") != std::string::npos ||
      course_id.size() > 18)
    return api_error(404, "not-found", "no course " + course_id);
  try {
    auto &s = store();
    records::report::CourseRecords data;
    const auto course = records::find_course(s, std::stoll(course_id));
    if (!course) return api_error(404, "not-found", "no course " + course_id);
    data.course = *course;
    data.visits = records::visits_of_course(s, course->id);
    for (auto &e : records::sessions_of_patient(s, course->plan.patient_id))
      data.sessions.emplace(e.session_id, std::move(e));
    std::string bytes = format == "csv"   ? records::report::course_report_csv(data)
                        : format == "png" ? records::report::course_report_png(data, stamp())
                                          : records::report::course_report_pdf(data, stamp());
    ApiResult r;
    r.download = Download{content_type(format),
                          "course-" + course_id + "-" + course->plan.patient_id + "." + format,
                          std::move(bytes)};
    return r;
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

} // namespace tractus::console
