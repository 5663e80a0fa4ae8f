// A session as a FHIR R4 Bundle (docs/reports.md "FHIR"): what another clinical system needs of
// one visit to the table — who (by the clinic's id only), what was done (a Procedure), the peak
// force and the pain scores (Observations) — as JSON any FHIR R4 server or validator reads.
//
// Pseudonymous like the journals: the Patient holds the clinic's id and nothing else (no name,
// birth date or gender: tractus never has them), and the clinician's free-text note stays out,
// since it is the one place a name could have been typed. Pure like the other reports: the time
// it was made comes in the stamp, and the resources' ids are derived from the session id, so the
// same records always give the same bundle.
#pragma once

#include "records/report/report_stamp.hpp"
#include "records/report/session_report.hpp"
#include "records/sessions.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::records::report {

// The local code systems the bundle uses (tractus's own: there is no standard one for a
// protocol or a peak traction force).
inline constexpr std::string_view kFhirProtocolSystem = "urn:tractus:protocol-id";
inline constexpr std::string_view kFhirObservationSystem = "urn:tractus:observation";

// The identifier systems of one clinic's patient ids and session ids: "urn:uuid:" and a UUID
// named by the clinic's own (records/clinic_identity.hpp), so clinic A's P-0042 and clinic B's
// are two identifiers to whoever receives both, and a clinic's tables all export the same.
struct FhirNamespaces {
  std::string patient_ids;
  std::string session_ids;
};
[[nodiscard]] FhirNamespaces fhir_namespaces(std::string_view clinic_uuid);

// A name-based UUID (RFC 9562 §5.5, version 5: SHA-1 of the namespace and the name), as text
// "xxxxxxxx-xxxx-5xxx-yxxx-xxxxxxxxxxxx". The bundle's fullUrls are "urn:uuid:" and one of these,
// named in the URL namespace by the session id and the resource's part in it: the same session
// gives the same ids each time it is exported, so a receiver sees a repeat, not a new record.
using Uuid = std::array<std::uint8_t, 16>;
inline constexpr Uuid kUuidNamespaceUrl = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                           0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
[[nodiscard]] std::string name_based_uuid(const Uuid &name_space, std::string_view name);

// The session's outcome as a Procedure.status: "completed" for a session that ran its protocol
// to the end; "stopped" for one stopped by the patient or the operator, ended by a fault or
// interrupted (no summary in its journal); "unknown" for an outcome tractus does not know.
[[nodiscard]] std::string_view fhir_procedure_status(std::string_view outcome);

// The bundle as pretty-printed JSON (2 spaces): a Bundle of type "collection" holding a Patient
// (when the session named one), a Procedure, an Observation of the peak force and of the hold's
// RMS error (when the summary has them) and one of the pain before and after (when the visit
// recorded them). Never throws for bad records: text that is not UTF-8 is repaired, a time that
// is not UTC text ("2026-12-06T09:30:00Z") is left out, a value that is not finite too.
[[nodiscard]] std::string session_fhir_bundle(const SessionEntry &entry,
                                              const std::optional<SessionVisit> &visit,
                                              const ReportStamp &stamp,
                                              const FhirNamespaces &namespaces);

} // namespace tractus::records::report
