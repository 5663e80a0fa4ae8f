#include "console/session_request.hpp"

#include "controller/journal_text.hpp"

#include "console/screening.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "profiles/quantity_text.hpp"

#include <regex>

namespace tractus::console {

namespace {

using Problems = std::vector<std::string>;

// Members of `object` not in `allowed`, each as "/where/key: unknown member (allowed: …)".
void unknown_members(const nlohmann::json &object, const std::string &where,
                     std::initializer_list<const char *> allowed, Problems &problems) {
  std::string list;
  for (const char *a : allowed)
    list += (list.empty() ? "" : ", ") + std::string(a);
  for (const auto &[key, value] : object.items()) {
    bool known = false;
    for (const char *a : allowed)
      known = known || key == a;
    if (!known) problems.push_back(where + "/" + key + ": unknown member (allowed: " + list + ")");
  }
}

// The member `key` of `object` as a string, or a problem naming it.
std::optional<std::string> string_member(const nlohmann::json &object, const std::string &where,
                                         const char *key, const char *allowed, Problems &problems) {
  const std::string pointer = where + "/" + key;
  if (!object.contains(key)) {
    problems.push_back(pointer + ": missing (" + allowed + ")");
    return std::nullopt;
  }
  if (!object[key].is_string()) {
    problems.push_back(pointer + ": expected a string (" + allowed + ")");
    return std::nullopt;
  }
  return object[key].get<std::string>();
}

std::optional<profiles::Profile> check_profile(const nlohmann::json &body,
                                               const std::filesystem::path &library_dir,
                                               const profiles::Limits &limits,
                                               SessionRequestCheck &check) {
  const auto id =
      string_member(body, "", "profile", "a stock protocol id, e.g. lumbar-static", check.problems);
  if (!id) return std::nullopt;
  // Stock ids only: a path would let a request read any file the daemon can.
  static const std::regex stock_id("[a-z0-9-]{1,64}");
  auto found = std::regex_match(*id, stock_id) ? profiles::find_profile(*id, library_dir, limits)
                                               : profiles::Result<profiles::Profile>{};
  if (found.ok()) return std::move(found.value);
  std::string known;
  for (const auto &e : profiles::load_library(library_dir, limits).entries)
    known += (known.empty() ? "" : ", ") + e.profile.id;
  check.problems.push_back("/profile: unknown protocol \"" + *id + "\" (known: " + known + ")");
  check.unknown_profile = true;
  return std::nullopt;
}

void check_patient(const nlohmann::json &body, SessionRequest &r, bool &ok, Problems &problems) {
  if (!body.contains("patient") || !body["patient"].is_object()) {
    problems.push_back(std::string("/patient: ") +
                       (body.contains("patient") ? "expected an object" : "missing") +
                       " ({\"id\": pseudonymous id, \"weight\": e.g. \"80 kg\" or \"176 lb\"})");
    ok = false;
    return;
  }
  const nlohmann::json &p = body["patient"];
  unknown_members(p, "/patient", {"id", "weight"}, problems);
  const auto allowed_id = "a pseudonymous id: 1 to 32 letters, digits, '-' or '_', starting "
                          "with a letter or digit; never a name";
  if (const auto id = string_member(p, "/patient", "id", allowed_id, problems)) {
    if (controller::valid_patient_id(*id))
      r.patient_id = *id;
    else {
      problems.push_back("/patient/id: \"" + *id + "\" is not " + allowed_id);
      ok = false;
    }
  } else {
    ok = false;
  }
  if (const auto w = string_member(p, "/patient", "weight",
                                   "the body weight, e.g. \"80 kg\" or "
                                   "\"176 lb\"",
                                   problems)) {
    const auto mass = profiles::parse_body_mass(*w);
    if (mass) {
      r.body_mass = *mass.value;
      r.weight_text = *w;
    } else {
      problems.push_back("/patient/weight: " + mass.error);
      ok = false;
    }
  } else {
    ok = false;
  }
}

// The checklist, with the validator `tractus run --screening FILE` uses too (console/screening).
void check_request_screening(const nlohmann::json &body, SessionRequestCheck &check,
                             nlohmann::ordered_json &answers_out) {
  if (!body.contains("screening")) {
    check.problems.emplace_back("/screening: missing ({\"answers\": {item id: true or false, "
                                "…}, \"confirmed\": true})");
    return;
  }
  ScreeningCheck s = check_screening(body["screening"], "/screening");
  check.problems.insert(check.problems.end(), s.problems.begin(), s.problems.end());
  check.screening_yes = std::move(s.screening_yes);
  answers_out = std::move(s.answers);
}

} // namespace

SessionRequestCheck check_session_request(const nlohmann::json &body,
                                          const std::filesystem::path &library_dir,
                                          const profiles::Limits &limits) {
  SessionRequestCheck check;
  if (!body.is_object()) {
    check.problems.push_back("/: expected an object ({\"profile\", \"patient\", \"screening\"})");
    return check;
  }
  unknown_members(body, "", {"profile", "patient", "screening"}, check.problems);
  SessionRequest r;
  auto profile = check_profile(body, library_dir, limits, check);
  bool patient_ok = true;
  check_patient(body, r, patient_ok, check.problems);
  check_request_screening(body, check, r.answers);

  // The protocol must suit this patient (a %bw force over the hard cap for a heavy patient …).
  if (profile && patient_ok) {
    auto trajectory =
        profiles::compile(*profile, profiles::Patient{r.patient_id, r.body_mass}, limits);
    if (trajectory.ok()) {
      r.trajectory = std::move(*trajectory.value);
    } else {
      for (const auto &p : trajectory.problems)
        check.problems.push_back(
            (p.file == "patient" ? "/patient/weight: " : "/profile: " + profile->id + " ") +
            (p.file == "patient" ? "" : p.pointer + ": ") + p.message);
    }
  }
  if (check.problems.empty() && check.screening_yes.empty()) {
    r.profile = std::move(*profile);
    check.request = std::move(r);
  }
  return check;
}

} // namespace tractus::console
