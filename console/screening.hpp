// The screening checklist the operator goes through with the patient before a session is loaded
// (DESIGN §7): contraindications to mechanical traction and red flags of serious pathology.
// Any item answered yes means no session: the patient is referred, not treated.
//
// The items follow the contraindications listed by the manufacturers of decompression tables
// (Chattanooga Triton, DRX9000 operator manuals) and the red flags of clinical guidelines for
// low back pain (NICE NG59; cauda equina syndrome, infection, malignancy, fracture).
#pragma once

#include <nlohmann/json.hpp>

#include <span>
#include <string_view>

namespace tractus::console {

struct ScreeningItem {
  std::string_view id;   // kebab-case, the key of the answer in POST /api/session
  std::string_view text; // what the operator asks and reads
};

std::span<const ScreeningItem> contraindications() noexcept;
std::span<const ScreeningItem> red_flags() noexcept;

// {"contraindications":[{"id","text"},…],"red_flags":[…],"rule":"…"}: GET /api/screening.
nlohmann::json screening_checklist_json();

} // namespace tractus::console
