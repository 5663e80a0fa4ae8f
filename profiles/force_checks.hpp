// The checks that need forces in newtons (internal to profiles/): caps, minimum cord tension,
// rest below max, oscillation size, and the rates the session would produce. Split from
// profile_checks.cpp, which calls it once the fields themselves are known to be usable.
#pragma once

#include "profiles/profile_checks.hpp"
#include "profiles/session_plan.hpp"

#include <optional>
#include <string_view>

namespace tractus::profiles {

struct CheckContext {
  const ProfileDraft &draft; // with the fields the mode forbids already removed
  const Limits &limits;
  std::optional<Mass> body_mass;
  ProblemList &problems;
  std::optional<SessionTiming> timing; // set when the session layout fits its duration

  template <class T>
  [[nodiscard]] bool usable(const std::optional<T> &field, std::string_view pointer) const {
    return field.has_value() && !problems.has(pointer);
  }
};

void check_forces(const CheckContext &context);

// A force in newtons: absolute forces always, %bw with a body mass, %max with the max force.
[[nodiscard]] std::optional<Force> resolve(const ForceSpec &spec, std::optional<Mass> body_mass,
                                           std::optional<Force> max);

} // namespace tractus::profiles
