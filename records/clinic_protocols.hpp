// The clinic's own protocols, kept in the records store and shared by every table of the clinic
// (docs/records.md "Clinic protocols").
//
// A protocol is a `tractus.profile/1` document, read by the same parser and checks as a file
// (profiles/profile_parser.hpp) under the clinic's limits. An edit never changes a saved
// version: it is a new version, numbered from 1, with who saved it and when, so the version a
// past session ran stays as it ran (the session's journal names it, and holds it as run).
#pragma once

#include "profiles/limits.hpp"
#include "profiles/profile.hpp"
#include "records/store.hpp"

#include <optional>
#include <set>
#include <string>
#include <vector>

namespace tractus::records {

struct ClinicProtocol {
  std::string id;
  int version = 0;
  std::string profile_json; // the document as saved (profiles::to_json_text)
  std::string created_utc, created_by;
};

// The label a clinic protocol's problems and journals name it by: "clinic protocol ID v3".
[[nodiscard]] std::string clinic_protocol_label(const std::string &id, int version);

// The profile a stored version holds, read again by the parser under `limits` (so a version
// the clinic's limits have since tightened past is refused with its reasons, never run).
[[nodiscard]] profiles::Result<profiles::Profile> profile_of(const ClinicProtocol &protocol,
                                                             const profiles::Limits &limits);

struct ProtocolSaved {
  std::vector<std::string> problems; // every one, "/max_force: …"; nothing saved when any
  std::optional<ClinicProtocol> saved;
  bool unchanged = false; // the document equals the newest version: no new version
};

// Saves `profile_json` as the next version of the protocol it names. Refused, with every
// problem named and nothing changed: a document the parser or the checks under `limits`
// refuse, an id among `reserved_ids` (the stock protocols'), an empty `by`. Throws StoreError
// (Conflict when another table saved the same protocol at the same moment: try again).
ProtocolSaved save_clinic_protocol(RecordsStore &store, const std::string &profile_json,
                                   const std::string &by, const profiles::Limits &limits,
                                   const std::set<std::string> &reserved_ids);

// The newest version of every clinic protocol, by id.
[[nodiscard]] std::vector<ClinicProtocol> clinic_protocols(RecordsStore &store);
// One version (the newest when `version` is empty), or nothing.
[[nodiscard]] std::optional<ClinicProtocol>
find_clinic_protocol(RecordsStore &store, const std::string &id,
                     std::optional<int> version = std::nullopt);
// Every version of one protocol, oldest first (empty: no such protocol).
[[nodiscard]] std::vector<ClinicProtocol> protocol_versions(RecordsStore &store,
                                                            const std::string &id);

} // namespace tractus::records
