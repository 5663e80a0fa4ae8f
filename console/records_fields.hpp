// The bodies of the records routes (docs/console.md "Records"), checked like every other body
// (console/request_fields.hpp): unknown members, types, lengths and characters, ranges. Whether
// a patient id is a clinic's id, a force within the patient's cap or a protocol known is the
// records store's and the service's to say; these only bound what reaches them.
#pragma once

#include "console/request_fields.hpp"

namespace tractus::console {

namespace bounds {
inline constexpr std::size_t kMaxNoteChars = 2000; // a visit's or a patient's note, in bytes
inline constexpr std::size_t kMaxForceChars = 32;  // "45 lbf", "200.5 N"
inline constexpr std::size_t kMaxSearchChars = 32; // ?search=
inline constexpr std::size_t kMaxAuthorChars = 64; // who saved a clinic protocol or limits
} // namespace bounds

// POST /api/records/patients {"id","weight","note"?}
Problems patient_request_problems(const nlohmann::json &body);
// POST /api/records/patients/{id}/courses {"protocol","visits","start_force","step","ceiling"}
Problems course_request_problems(const nlohmann::json &body);
// POST /api/records/courses/{id}/visits {"force"}
Problems visit_request_problems(const nlohmann::json &body);
// POST /api/records/visits/{id}/pain {"when": "before"|"after", "score": 0–10}
Problems pain_request_problems(const nlohmann::json &body);
// POST /api/records/visits/{id}/note {"note"}
Problems note_request_problems(const nlohmann::json &body);
// POST /api/records/protocols {"author", "profile": a tractus.profile/1 document}
Problems protocol_request_problems(const nlohmann::json &body);
// POST /api/records/protocols/preview {"profile", "weight"}
Problems protocol_preview_problems(const nlohmann::json &body);
// PUT /api/records/limits {"author", "limits": {member: "600 N", …}}
Problems limits_request_problems(const nlohmann::json &body);

} // namespace tractus::console
