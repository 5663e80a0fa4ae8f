// A clinic's limits as they are written: a JSON object of the members it sets, each written as a
// profile writes its quantities ({"lumbar_hard_cap": "600 N", "max_rate": "30 N/s"}). The
// configuration file's `clinic_limits` and the records store's clinic setting are both read
// here, so a limit means the same wherever a clinic sets it (docs/configuration.md).
#pragma once

#include "profiles/limits.hpp"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace tractus::profiles {

struct LimitsRead {
  Limits limits = kDefaultLimits;    // the members given, over `base`
  std::vector<std::string> set;      // the members given, in the order written
  std::vector<std::string> problems; // "POINTER/member: what (allowed)"
};

// Reads `section` over `base`; `pointer` names it in problems ("/clinic_limits"). A member
// that is unknown, malformed, looser than the machine's limit or inconsistent with the others
// is a problem, and every one is named. Limits are usable only when `problems` is empty.
[[nodiscard]] LimitsRead read_limits_json(const nlohmann::json &section, std::string_view pointer,
                                          const Limits &base = kDefaultLimits);

// The members a clinic may set, in the order of profiles/limits.hpp.
[[nodiscard]] std::vector<std::string> limit_member_names();

// A member's value in `limits` as people read it ("600 N = 134.9 lbf", "30 N/s", "40.0 %bw").
[[nodiscard]] std::string shown_limit(std::string_view member, const Limits &limits);

// The stricter of two limits, member by member: the lower cap, rate, maximum and step count,
// the higher minimum. Both a table's own file and the clinic's store may lower a limit, and
// neither may loosen what the other set.
[[nodiscard]] Limits stricter(const Limits &a, const Limits &b);

} // namespace tractus::profiles
