#include "console/screening.hpp"

#include "strict_json/strict_json.hpp"

#include <fstream>
#include <sstream>

namespace tractus::console {

namespace {

constexpr ScreeningItem kContraindications[] = {
    {"pregnancy", "Pregnancy"},
    {"spinal-tumour", "Tumour or malignancy of the spine, or a cancer that may have spread to it"},
    {"recent-fracture", "Fracture of the spine or pelvis, recent or not fully healed"},
    {"osteoporosis", "Osteoporosis or another disease that weakens the bones"},
    {"spinal-implants", "Spinal implants, fusion or other surgical hardware in the spine"},
    {"recent-spinal-surgery", "Spinal surgery in the last 6 months"},
    {"spinal-infection", "Infection of the spine or the discs (osteomyelitis, discitis)"},
    {"aortic-aneurysm", "Abdominal aortic aneurysm"},
    {"spinal-instability",
     "Spinal instability (spondylolisthesis above grade 1, rheumatoid arthritis of the neck)"},
};

constexpr ScreeningItem kRedFlags[] = {
    {"bladder-bowel-control", "Loss of bladder or bowel control, or new difficulty passing urine"},
    {"saddle-numbness", "Numbness in the groin, buttocks or inner thighs (saddle area)"},
    {"progressive-weakness", "Progressive weakness or numbness in the legs or arms"},
    {"fever", "Fever, chills or other signs of infection"},
    {"weight-loss", "Unexplained weight loss"},
    {"night-pain", "Severe pain at night or at rest that does not ease"},
    {"recent-trauma", "Recent significant trauma (a fall, a road accident)"},
};

nlohmann::json items_json(std::span<const ScreeningItem> items) {
  nlohmann::json a = nlohmann::json::array();
  for (const auto &i : items)
    a.push_back({{"id", std::string(i.id)}, {"text", std::string(i.text)}});
  return a;
}

bool listed(std::string_view key) {
  for (const auto &i : contraindications())
    if (i.id == key) return true;
  for (const auto &i : red_flags())
    if (i.id == key) return true;
  return false;
}

void check_answers(const nlohmann::json &answers, std::span<const ScreeningItem> items,
                   const char *what, const std::string &where, ScreeningCheck &check) {
  for (const ScreeningItem &item : items) {
    const std::string key(item.id);
    const std::string pointer = where + "/answers/" + key;
    if (!answers.contains(key)) {
      check.problems.push_back(pointer +
                               ": not answered (true or false: " + std::string(item.text) + ")");
    } else if (!answers[key].is_boolean()) {
      check.problems.push_back(pointer + ": expected true or false");
    } else {
      check.answers[key] = answers[key].get<bool>();
      if (answers[key].get<bool>())
        check.screening_yes.push_back(pointer + ": answered yes — " + std::string(item.text) +
                                      " is a " + what + " (no session: refer the patient)");
    }
  }
}

} // namespace

std::span<const ScreeningItem> contraindications() noexcept { return kContraindications; }
std::span<const ScreeningItem> red_flags() noexcept { return kRedFlags; }

nlohmann::json screening_checklist_json() {
  return {{"contraindications", items_json(contraindications())},
          {"red_flags", items_json(red_flags())},
          {"rule", "Answer every item with the patient. Any yes: no session; refer the patient."}};
}

ScreeningCheck check_screening(const nlohmann::json &s, const std::string &where,
                               std::initializer_list<const char *> extra_members) {
  ScreeningCheck check;
  const std::string here = where.empty() ? "/" : where;
  if (!s.is_object()) {
    check.problems.push_back(here +
                             ": expected an object ({\"answers\": {item id: true or false, …}, "
                             "\"confirmed\": true})");
    return check;
  }
  std::string allowed = "answers, confirmed";
  for (const char *e : extra_members)
    allowed += std::string(", ") + e;
  for (const auto &[key, value] : s.items()) {
    bool known = key == "answers" || key == "confirmed";
    for (const char *e : extra_members)
      known = known || key == e;
    if (!known)
      check.problems.push_back(where + "/" + key + ": unknown member (allowed: " + allowed + ")");
  }
  if (!s.contains("answers") || !s["answers"].is_object()) {
    check.problems.push_back(
        where + "/answers: " + (s.contains("answers") ? "expected an object" : "missing") +
        " (every item of the checklist: true or false)");
  } else {
    const nlohmann::json &a = s["answers"];
    for (const auto &[key, value] : a.items())
      if (!listed(key))
        check.problems.push_back(
            where + "/answers/" + key +
            ": unknown item (the ids of GET /api/screening and docs/screening.md)");
    check_answers(a, contraindications(), "contraindication", where, check);
    check_answers(a, red_flags(), "red flag", where, check);
  }
  if (!s.contains("confirmed") || s["confirmed"] != true)
    check.problems.push_back(where +
                             "/confirmed: must be true (the operator confirms the checklist was "
                             "gone through with the patient)");
  return check;
}

ScreeningCheck read_screening_file(const std::filesystem::path &file) {
  const std::string name = file.string();
  ScreeningCheck check;
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    check.problems.push_back(name + ": cannot be read (no such file, or no permission)");
    return check;
  }
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j;
  std::vector<std::string> duplicates;
  try {
    j = strict_json::parse_noting_duplicates<nlohmann::json>(text.str(), duplicates);
  } catch (const nlohmann::json::exception &e) { // parse_error, or out_of_range for 1e999
    check.problems.push_back(name + ": not JSON (" + e.what() + ")");
    return check;
  }
  // A red flag answered "yes" and then "no" must not read as "no": each key at most once.
  if (!duplicates.empty()) {
    for (const std::string &pointer : duplicates)
      check.problems.push_back(name + ": " + pointer +
                               ": duplicate key (each answer at most once)");
    return check;
  }
  check = check_screening(j, "", {"format"});
  if (j.is_object() && (!j.contains("format") || j["format"] != kScreeningFormat))
    check.problems.insert(check.problems.begin(),
                          std::string("/format: ") +
                              (j.contains("format") ? "unknown format" : "missing") +
                              " (expected \"" + std::string(kScreeningFormat) + "\")");
  for (auto &p : check.problems)
    p = name + ": " + p;
  for (auto &p : check.screening_yes)
    p = name + ": " + p;
  return check;
}

} // namespace tractus::console
