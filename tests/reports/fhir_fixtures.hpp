// Sessions for the FHIR bundle (records/report/fhir_bundle.hpp), shared by its unit test and by
// fhir_bundle_sample (the bundles tests/fhir validates with the npm validators): the report
// fixtures' 20-minute session as a course visit with its pain scores, the same session ended by
// a fault, and a damaged one.
#pragma once

#include "report_fixtures.hpp"

#include "records/report/fhir_bundle.hpp"
#include "records/report/session_report.hpp"

#include <cmath>
#include <limits>

namespace tractus::records::report::fixtures {

inline constexpr int kPainBefore = 6, kPainAfter = 3;

// A clinic's identifier systems, as its store's identity gives them.
inline constexpr const char *kClinicUuid = "0f9e8d7c-6b5a-4c3d-8e2f-1a2b3c4d5e6f";
inline FhirNamespaces clinic_namespaces() { return fhir_namespaces(kClinicUuid); }

// Visit 4 of a course: pain 6 before, 3 after, and a note the bundle must leave out (a name).
inline SessionVisit visit_fixture() {
  return {4, kPainBefore, kPainAfter, "Mrs Example felt better; see Dr Sample", 300.0};
}

// The report fixtures' session on a real table (so no test-data tag), completed.
inline SessionEntry real_table_entry() {
  SessionEntry e = session_entry_fixture();
  e.simulated = false;
  return e;
}

// Ended by over-force (fault 301) at 6 min 40 s; only the pain before was recorded.
inline SessionEntry fault_entry() {
  SessionEntry e = real_table_entry();
  e.outcome = "fault";
  e.exit_code = 3;
  e.fault_code = 301;
  e.duration_s = 400;
  (*e.summary)["outcome"] = "fault";
  (*e.summary)["code"] = 301;
  (*e.summary)["fault"] = "over-force";
  return e;
}

// A journal a crash cut short, from a header of the wrong shape: no patient, no summary, a start
// that is not UTC text, a protocol name with control characters and broken UTF-8, no peak.
inline SessionEntry damaged_entry() {
  SessionEntry e = session_entry_fixture();
  e.patient_id.clear();
  e.started_utc = "yesterday morning";
  e.profile_name = "Lumbar\x01 static \xC3(\x7F";
  e.region = "thoracic";
  e.outcome = "interrupted";
  e.summary.reset();
  e.exit_code.reset();
  e.peak_force_n = std::numeric_limits<double>::quiet_NaN();
  e.hold_rms_error_percent.reset();
  e.duration_s.reset();
  return e;
}

} // namespace tractus::records::report::fixtures
