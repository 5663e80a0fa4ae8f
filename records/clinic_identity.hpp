// The clinic's identity in its records store: a random UUID made the first time it is asked for
// and kept in the store's clinic settings, the same for every table that shares the store. It
// scopes what tractus exports about a patient (a FHIR identifier system: docs/reports.md "FHIR"),
// so that clinic A's P-0042 and clinic B's P-0042 are never taken for one person.
#pragma once

#include "records/store.hpp"

#include <string>

namespace tractus::records {

// "3f2a…-…" (RFC 9562 version 4, lower-case). Two tables asking at once get the same one.
[[nodiscard]] std::string clinic_uuid(RecordsStore &store);

} // namespace tractus::records
