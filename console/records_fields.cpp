#include "console/records_fields.hpp"

#include "console/field_checks.hpp"
#include "records/courses.hpp"

namespace tractus::console {
namespace {

using fields::Fields;

void force(Fields &f, const nlohmann::json &body, const char *key) {
  (void)f.text(body, "", key, 1, bounds::kMaxForceChars, fields::printable_ascii,
               "printable ASCII characters: a force with its unit, e.g. \"200 N\" or \"45 lbf\"",
               true);
}

void note(Fields &f, const nlohmann::json &body, bool required) {
  (void)f.text(body, "", "note", required ? 1 : 0, bounds::kMaxNoteChars, fields::name_char,
               "bytes of text, no control characters", required);
}

void author(Fields &f, const nlohmann::json &body) {
  (void)f.text(body, "", "author", 1, bounds::kMaxAuthorChars, fields::name_char,
               "characters: who saves it, their initials or name (kept with it)", true);
}

// An object member whose content another check reads (the profile parser, the limits).
void object_member(Fields &f, const nlohmann::json &body, const char *key, const char *what) {
  const auto it = body.find(key);
  if (it == body.end())
    f.add(std::string("/") + key, std::string("missing (") + what + ")");
  else if (!it->is_object())
    f.add(std::string("/") + key,
          "must be an object (" + std::string(what) + "), not " + fields::describe(*it));
}

} // namespace

Problems patient_request_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"id", "weight", "note"},
                "({\"id\": \"P-0042\", \"weight\": \"80 kg\", \"note\": \"…\"})"))
    return problems;
  (void)f.text(body, "", "id", 1, bounds::kMaxPatientIdChars, fields::id_char,
               "letters, digits, '-' or '_': the clinic's id, never a name", true);
  (void)f.text(body, "", "weight", 1, bounds::kMaxWeightChars, fields::printable_ascii,
               "printable ASCII characters: the body weight, e.g. 80 kg or 176 lb", true);
  note(f, body, false);
  return capped(std::move(problems));
}

Problems course_request_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"protocol", "visits", "start_force", "step", "ceiling"},
                "({\"protocol\": id, \"visits\": 12, \"start_force\": \"45 lbf\", \"step\": "
                "\"5 lbf\", \"ceiling\": \"70 lbf\"})"))
    return problems;
  (void)f.text(body, "", "protocol", 1, bounds::kMaxProfileIdChars, fields::lower_id_char,
               "lower-case letters, digits and '-': a protocol id", true);
  (void)f.number(body, "", "visits", 1, records::kMaxVisitsPerCourse, true, true, "visits");
  force(f, body, "start_force");
  force(f, body, "step");
  force(f, body, "ceiling");
  return capped(std::move(problems));
}

Problems visit_request_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"force"}, "({\"force\": \"200 N\"})")) return problems;
  force(f, body, "force");
  return capped(std::move(problems));
}

Problems pain_request_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"when", "score"},
                "({\"when\": \"before\" or \"after\", \"score\": 0–10})"))
    return problems;
  const auto when = body.find("when");
  if (when == body.end() || !when->is_string() || (*when != "before" && *when != "after"))
    f.add("/when", "must be \"before\" or \"after\" (the treatment)");
  (void)f.number(body, "", "score", 0, 10, true, true, "on the numeric rating scale");
  return capped(std::move(problems));
}

Problems note_request_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"note"}, "({\"note\": \"…\"})")) return problems;
  note(f, body, true);
  return capped(std::move(problems));
}

Problems protocol_request_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"author", "profile"},
                "({\"author\": \"JD\", \"profile\": {\"format\": \"tractus.profile/1\", …}})"))
    return problems;
  author(f, body);
  object_member(f, body, "profile", "a tractus.profile/1 document");
  return capped(std::move(problems));
}

Problems protocol_preview_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"profile", "weight"}, "({\"profile\": {…}, \"weight\": \"80 kg\"})"))
    return problems;
  object_member(f, body, "profile", "a tractus.profile/1 document");
  (void)f.text(body, "", "weight", 1, bounds::kMaxWeightChars, fields::printable_ascii,
               "printable ASCII characters: the body weight, e.g. 80 kg or 176 lb", true);
  return capped(std::move(problems));
}

Problems limits_request_problems(const nlohmann::json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"author", "limits"},
                "({\"author\": \"JD\", \"limits\": {\"max_rate\": \"30 N/s\"}})"))
    return problems;
  author(f, body);
  object_member(f, body, "limits",
                "the members the clinic lowers, e.g. {\"max_rate\": \"30 N/s\"}");
  return capped(std::move(problems));
}

} // namespace tractus::console
