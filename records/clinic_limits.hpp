// The clinic's limits kept in the records store, set once for every table of the clinic
// (docs/records.md "Clinic limits"). A clinic may only tighten the machine's limits; a table
// applies the stricter of these and its own configuration file's (profiles::stricter), so
// neither can loosen what the other set.
#pragma once

#include "profiles/limits.hpp"
#include "records/store.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <vector>

namespace tractus::records {

struct ClinicLimits {
  nlohmann::json members = nlohmann::json::object();  // as set: {"max_rate": "30 N/s"}
  profiles::Limits limits = profiles::kDefaultLimits; // the members over the machine's
  std::string set_utc, set_by;
};

// The clinic's limits, or nothing when none were ever set. A stored setting that no longer
// reads (edited by hand in the database) is StoreError Invalid: a table must not guess.
[[nodiscard]] std::optional<ClinicLimits> clinic_limits(RecordsStore &store);

// Replaces the clinic's limits with `members` (an empty object: back to the machine's). Every
// problem is named and nothing is changed when there is one; otherwise the stored setting.
struct LimitsSaved {
  std::vector<std::string> problems; // "/limits/max_rate: …"
  std::optional<ClinicLimits> saved;
};
LimitsSaved set_clinic_limits(RecordsStore &store, const nlohmann::json &members,
                              const std::string &by);

} // namespace tractus::records
