// The screening checklist the operator goes through with the patient before a session is loaded
// (DESIGN §7): contraindications to mechanical traction and red flags of serious pathology.
// Any item answered yes means no session: the patient is referred, not treated.
//
// The items follow the contraindications listed by the manufacturers of decompression tables
// (Chattanooga Triton, DRX9000 operator manuals) and the red flags of clinical guidelines for
// low back pain (NICE NG59; cauda equina syndrome, infection, malignancy, fracture).
//
// One validator for both ways a completed checklist arrives: the console's POST /api/session
// ("screening" member) and `tractus run --screening FILE` (docs/screening.md). Both report
// every problem at once as "/json/pointer: what is wrong (what is allowed)".
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::console {

struct ScreeningItem {
  std::string_view id;   // kebab-case, the key of the answer in POST /api/session
  std::string_view text; // what the operator asks and reads
};

std::span<const ScreeningItem> contraindications() noexcept;
std::span<const ScreeningItem> red_flags() noexcept;

// {"contraindications":[{"id","text"},…],"red_flags":[…],"rule":"…"}: GET /api/screening.
nlohmann::json screening_checklist_json();

struct ScreeningCheck {
  std::vector<std::string> problems;      // the checklist is incomplete or wrong: fix it
  std::vector<std::string> screening_yes; // items answered yes: the patient is referred
  nlohmann::ordered_json answers;         // every item's answer, in checklist order
  [[nodiscard]] bool passed() const { return problems.empty() && screening_yes.empty(); }
};

// Checks a completed checklist {"answers": {item id: true|false, …every item…}, "confirmed":
// true} found at JSON pointer `where` ("/screening" in a request, "" in a file). Members in
// `extra_members` are allowed beside answers and confirmed (the file's "format").
ScreeningCheck check_screening(const nlohmann::json &screening, const std::string &where,
                               std::initializer_list<const char *> extra_members = {});

// The format of a screening file (docs/screening.md).
inline constexpr std::string_view kScreeningFormat = "tractus.screening/1";

// Reads and checks a screening file: every problem as "FILE: /pointer: what is wrong", the file
// missing or not JSON included (problems then names why). Never throws.
ScreeningCheck read_screening_file(const std::filesystem::path &file);

} // namespace tractus::console
