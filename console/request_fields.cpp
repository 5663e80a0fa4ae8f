#include "console/request_fields.hpp"

#include "console/field_checks.hpp"

#include "calibration/record.hpp"

#include <algorithm>
#include <cmath>
#include <initializer_list>
#include <string_view>

namespace tractus::console {
namespace {

using namespace fields;

void check_load(Fields &f, const Json &body, bool required) {
  f.number(body, "", "load_N", 0.0, bounds::kMaxLoadN, false, required, "N");
}

} // namespace

std::string quoted_excerpt(std::string_view text) {
  constexpr std::size_t kMax = 40;
  if (text.size() <= kMax && std::all_of(text.begin(), text.end(), printable_ascii))
    return "\"" + std::string(text) + "\"";
  return "a text of " + std::to_string(text.size()) + " bytes";
}

Problems capped(Problems problems) {
  if (problems.size() <= bounds::kMaxListedProblems) return problems;
  const std::size_t more = problems.size() - bounds::kMaxListedProblems;
  problems.resize(bounds::kMaxListedProblems);
  problems.push_back("… and " + std::to_string(more) + " more problems");
  return problems;
}

Problems login_request_problems(const Json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"role", "pin"}, "({\"role\": …, \"pin\": \"…\"})")) return problems;
  const auto role = body.find("role");
  if (role == body.end() || !role->is_string() || (*role != "operator" && *role != "technician"))
    f.add("/role", "must be \"operator\" or \"technician\"");
  // A string, not a number: a number would lose the PIN's leading zeros. Never echoed.
  const auto pin = body.find("pin");
  const std::string allowed = "a string of " + std::to_string(bounds::kMinPinDigits) + " to " +
                              std::to_string(bounds::kMaxPinDigits) + " ASCII digits 0-9";
  if (pin == body.end()) {
    f.add("/pin", "missing (" + allowed + ")");
  } else if (!pin->is_string()) {
    f.add("/pin", "not a string (" + allowed + ")");
  } else {
    const auto &s = pin->get_ref<const std::string &>();
    if (s.size() < bounds::kMinPinDigits || s.size() > bounds::kMaxPinDigits)
      f.add("/pin", std::to_string(s.size()) + " characters (" + allowed + ")");
    else if (!std::all_of(s.begin(), s.end(), digit))
      f.add("/pin", "not only digits (" + allowed + ")");
  }
  return capped(std::move(problems));
}

Problems session_request_problems(const Json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"profile", "patient", "screening", "visit_id"},
                "({\"profile\", \"patient\", \"screening\", \"visit_id\"})"))
    return problems;
  // A course visit's session (docs/records.md): the visit's id in the records.
  f.number(body, "", "visit_id", 1, 1e15, true, false, "");
  f.text(body, "", "profile", 1, bounds::kMaxProfileIdChars, lower_id_char,
         "characters a-z, 0-9, '-': a protocol id, e.g. lumbar-static", true);
  if (!body.contains("patient")) {
    f.add("/patient", "missing ({\"id\": pseudonymous id, \"weight\": e.g. \"80 kg\"})");
  } else if (f.object(body["patient"], "/patient", {"id", "weight"},
                      "({\"id\": pseudonymous id, \"weight\": e.g. \"80 kg\"})")) {
    const Json &p = body["patient"];
    f.text(p, "/patient", "id", 1, bounds::kMaxPatientIdChars, id_char,
           "letters, digits, '-' or '_': a pseudonymous id, never a name", true);
    f.text(p, "/patient", "weight", 1, bounds::kMaxWeightChars, printable_ascii,
           "printable ASCII characters: the body weight, e.g. \"80 kg\" or \"176 lb\"", true);
  }
  if (!body.contains("screening")) {
    f.add("/screening", "missing ({\"answers\": {item id: true or false, …}, \"confirmed\": "
                        "true})");
  } else if (f.object(body["screening"], "/screening", {"answers", "confirmed"},
                      "({\"answers\": {…}, \"confirmed\": true})")) {
    const Json &s = body["screening"];
    const auto answers = s.find("answers");
    if (answers == s.end()) {
      f.add("/screening/answers", "missing (every item of GET /api/screening: true or false)");
    } else if (!answers->is_object()) {
      f.add("/screening/answers", "expected an object (every item of GET /api/screening)");
    } else if (answers->size() > bounds::kMaxScreeningAnswers) {
      f.add("/screening/answers", std::to_string(answers->size()) + " members, too many (at most " +
                                      std::to_string(bounds::kMaxScreeningAnswers) + ")");
    } else {
      for (const auto &[key, value] : answers->items())
        if (!value.is_boolean())
          f.add("/screening/answers/" + Fields::key_token(key),
                describe(value) + ", expected true or false");
    }
    f.boolean(s, "/screening", "confirmed",
              "the operator confirms the checklist was gone through with the patient");
  }
  return capped(std::move(problems));
}

Problems calibration_begin_problems(const Json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "",
                {"technician", "serial", "loads_N", "cycles", "min_span_N", "valid_months"},
                "({\"technician\", \"serial\", …})"))
    return problems;
  f.text(body, "", "technician", 1, bounds::kMaxTechnicianChars, name_char,
         "printable characters: a name or staff id", true);
  f.text(body, "", "serial", 1, bounds::kMaxSerialChars, serial_char,
         "letters, digits, '.', '-' or '_', as printed on the cell's label", true);
  if (const auto loads = body.find("loads_N"); loads != body.end()) {
    const std::string allowed = std::to_string(bounds::kMinLoads) + " to " +
                                std::to_string(bounds::kMaxLoads) + " loads from 0 to " +
                                figure(bounds::kMaxLoadN) + " N, ascending from 0";
    if (!loads->is_array()) {
      f.add("/loads_N", describe(*loads) + ", expected an array (" + allowed + ")");
    } else if (loads->size() > bounds::kMaxLoads) { // its elements are not looked at
      f.add("/loads_N", std::to_string(loads->size()) + " loads (" + allowed + ")");
    } else {
      if (loads->size() < bounds::kMinLoads)
        f.add("/loads_N", std::to_string(loads->size()) + " loads (" + allowed + ")");
      for (std::size_t i = 0; i < loads->size(); ++i) {
        const Json &l = (*loads)[i];
        const std::string pointer = "/loads_N/" + std::to_string(i);
        if (!l.is_number())
          f.add(pointer,
                describe(l) + ", expected a number from 0 to " + figure(bounds::kMaxLoadN) + " N");
        else if (const double v = l.get<double>();
                 !std::isfinite(v) || v < 0.0 || v > bounds::kMaxLoadN)
          f.add(pointer, l.dump() + " is out of range (0 to " + figure(bounds::kMaxLoadN) + " N)");
      }
    }
  }
  f.number(body, "", "cycles", bounds::kMinCycles, bounds::kMaxCycles, true, false, "");
  f.number(body, "", "min_span_N", 0.0, bounds::kMaxLoadN, false, false, "N");
  f.number(body, "", "valid_months", calibration::kMinValidMonths, calibration::kMaxValidMonths,
           true, false, "months");
  return capped(std::move(problems));
}

Problems calibration_reading_problems(const Json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"load_N"}, "({\"load_N\": …})")) return problems;
  check_load(f, body, true);
  return capped(std::move(problems));
}

Problems verification_problems(const Json &body) {
  Problems problems;
  Fields f(problems);
  if (!f.object(body, "", {"load_N", "technician"}, "({\"load_N\": …, \"technician\": …})"))
    return problems;
  check_load(f, body, true);
  f.text(body, "", "technician", 1, bounds::kMaxTechnicianChars, name_char,
         "printable characters: a name or staff id", false);
  return capped(std::move(problems));
}

} // namespace tractus::console
