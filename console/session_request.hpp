// POST /api/session: the operator's request to load a session, checked completely before
// anything touches the table (docs/console.md).
//
//   {"profile":"lumbar-intermittent",
//    "patient":{"id":"P-0042","weight":"176 lb"},
//    "screening":{"answers":{"pregnancy":false,…every item…},"confirmed":true}}
//
// Every problem is reported at once, one line each, "/json/pointer: what is wrong (what is
// allowed)"; unknown members are errors (a typo must never fall back to a default). A screening
// item answered yes is reported apart (code "screening-failed"): the patient is referred, and
// no other correction makes the session possible.
#pragma once

#include "console/clinic_protocol_finder.hpp"
#include "profiles/limits.hpp"
#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"
#include "units/units.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tractus::console {

struct SessionRequest {
  profiles::Profile profile;
  profiles::Trajectory trajectory; // compiled for this patient
  std::string patient_id;
  Mass body_mass;
  std::string weight_text;        // as the operator typed it
  nlohmann::ordered_json answers; // every item's answer, in checklist order
};

struct SessionRequestCheck {
  std::optional<SessionRequest> request;
  std::vector<std::string> problems;      // the request is wrong: fix and send again
  std::vector<std::string> screening_yes; // items answered yes: the patient is referred
  bool unknown_profile = false;           // the profile id names no protocol
  std::string records_unavailable;        // a clinic protocol's store could not be read: why
};

// `max_force`: a course visit's confirmed force (docs/records.md), which replaces the
// protocol's max force before it is checked and compiled for the patient; the rest of the
// protocol (a rest force in %max, the steps) follows it. `clinic`: where an id that is no stock
// protocol is looked for (the clinic's protocols in the records store).
SessionRequestCheck check_session_request(const nlohmann::json &body,
                                          const std::filesystem::path &library_dir,
                                          const profiles::Limits &limits = profiles::kDefaultLimits,
                                          std::optional<Force> max_force = std::nullopt,
                                          const FindClinicProtocol &clinic = {});

} // namespace tractus::console
