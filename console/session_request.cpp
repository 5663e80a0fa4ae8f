#include "console/session_request.hpp"

#include "controller/journal_text.hpp"

#include "console/profile_catalog.hpp"
#include "console/request_fields.hpp"
#include "console/screening.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "profiles/quantity_text.hpp"

#include <algorithm>

namespace tractus::console {

namespace {

// The member `key` of `object` as a string, or a problem naming it.
std::optional<std::string> string_member(const nlohmann::json &object, const std::string &where,
                                         const char *key, const char *allowed,
                                         std::vector<std::string> &problems) {
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
                                               const FindClinicProtocol &clinic,
                                               SessionRequestCheck &check) {
  const auto id =
      string_member(body, "", "profile", "a protocol id, e.g. lumbar-static or a clinic protocol's",
                    check.problems);
  if (!id) return std::nullopt;
  // Ids only: a path would let a request read any file the daemon can. A stock protocol
  // first, then the clinic's own (a clinic protocol can never take a stock id).
  // Found under the defaults, then checked against the clinic's limits: a protocol only they
  // refuse is named as such, never as unknown.
  auto found = profiles::is_profile_id(*id) ? profiles::find_profile(*id, library_dir)
                                            : profiles::Result<profiles::Profile>{};
  if (!found.ok() && clinic && profiles::is_profile_id(*id)) {
    ClinicProtocolFound in_store = clinic(*id);
    if (!in_store.unavailable.empty()) {
      check.records_unavailable = in_store.unavailable;
      check.problems.push_back("/profile: \"" + *id +
                               "\" is no stock protocol, and the clinic's protocols cannot be "
                               "read: " +
                               in_store.unavailable);
      return std::nullopt;
    }
    for (const std::string &p : in_store.problems)
      check.problems.push_back("/profile: " + p);
    if (!in_store.problems.empty()) return std::nullopt;
    if (in_store.profile) found.value = std::move(in_store.profile);
  }
  if (found.ok()) {
    const std::vector<std::string> refused = clinic_refusal(*found.value, limits);
    if (refused.empty()) return std::move(found.value);
    for (const std::string &why : refused)
      check.problems.push_back("/profile: " + *id + " is not allowed by " + kClinicLimits + ": " +
                               why);
    return std::nullopt;
  }
  std::string known;
  for (const auto &e : profiles::load_library(library_dir, limits).entries)
    known += (known.empty() ? "" : ", ") + e.profile.id;
  check.problems.push_back("/profile: unknown protocol \"" + *id + "\" (known: " + known +
                           (clinic ? "; or one of the clinic's protocols)" : ")"));
  check.unknown_profile = true;
  return std::nullopt;
}

void check_patient(const nlohmann::json &body, SessionRequest &r, bool &ok,
                   std::vector<std::string> &problems) {
  if (!body.contains("patient") || !body["patient"].is_object()) {
    problems.push_back(std::string("/patient: ") +
                       (body.contains("patient") ? "expected an object" : "missing") +
                       " ({\"id\": pseudonymous id, \"weight\": e.g. \"80 kg\" or \"176 lb\"})");
    ok = false;
    return;
  }
  const nlohmann::json &p = body["patient"];
  const auto allowed_id = "a pseudonymous id: 1 to 32 letters, digits, '-' or '_', starting "
                          "with a letter or digit, with at least one digit (e.g. P-0042); never "
                          "a name";
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

// "/patient/id: …" → "/patient/id"
std::string_view pointer_of(std::string_view problem) {
  return problem.substr(0, problem.find(": "));
}

// The bounds' problems, then each other problem whose field (or a field above it) the bounds
// did not already fault; at most bounds::kMaxListedProblems listed.
std::vector<std::string> merged(const std::vector<std::string> &bounded,
                                std::vector<std::string> others) {
  std::vector<std::string> all = bounded;
  for (auto &problem : others) {
    const std::string_view pointer = pointer_of(problem);
    const bool faulted = std::any_of(bounded.begin(), bounded.end(), [&](const std::string &b) {
      const std::string_view above = pointer_of(b);
      return pointer.starts_with(above) &&
             (pointer.size() == above.size() || pointer[above.size()] == '/');
    });
    if (!faulted) all.push_back(std::move(problem));
  }
  return capped(std::move(all));
}

} // namespace

SessionRequestCheck check_session_request(const nlohmann::json &body,
                                          const std::filesystem::path &library_dir,
                                          const profiles::Limits &limits,
                                          std::optional<Force> max_force,
                                          const FindClinicProtocol &clinic) {
  SessionRequestCheck check;
  // Shape and bounds first (console/request_fields.hpp); the checks below then report what
  // else is wrong, each field once: where the bounds found a problem, theirs is the one kept.
  const std::vector<std::string> bounded = session_request_problems(body);
  if (!body.is_object()) {
    check.problems = bounded;
    return check;
  }
  SessionRequest r;
  auto profile = check_profile(body, library_dir, limits, clinic, check);
  if (profile && max_force)
    profile->max_force = profiles::ForceSpec{max_force->si(), profiles::ForceUnit::Newton};
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
      // Allowed by the defaults: the limit this patient meets is one the clinic lowered.
      const bool by_clinic =
          profiles::compile(*profile, profiles::Patient{r.patient_id, r.body_mass}).ok();
      for (const auto &p : trajectory.problems)
        check.problems.push_back(
            (p.file == "patient" ? "/patient/weight: " : "/profile: " + profile->id + " ") +
            (p.file == "patient" ? "" : p.pointer + ": ") + p.message +
            (by_clinic ? std::string(", one of ") + kClinicLimits : ""));
    }
  }
  check.problems = merged(bounded, std::move(check.problems));
  if (check.problems.empty() && check.screening_yes.empty()) {
    r.profile = std::move(*profile);
    check.request = std::move(r);
  }
  return check;
}

} // namespace tractus::console
