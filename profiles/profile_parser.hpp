// Reading `tractus.profile/1` files (DESIGN §3, docs/profiles.md).
//
// Parsing is strict because a silently ignored typo changes a treatment: unknown keys,
// duplicate keys, wrong JSON types and fields the mode does not use are all errors. Every
// problem in a file is reported at once, each as `FILE: /pointer: what is wrong (allowed)`.
// Nothing here throws; a profile is returned only when there is no problem at all.
#pragma once

#include "profiles/limits.hpp"
#include "profiles/problem.hpp"
#include "profiles/profile.hpp"

#include <filesystem>
#include <string_view>
#include <vector>

namespace tractus::profiles {

// `file` is only the label for messages (and becomes Profile::source).
[[nodiscard]] Result<Profile> parse_profile(std::string_view json_text, std::string_view file,
                                            const Limits &limits = kDefaultLimits);

// Reads and parses a file; messages name it as `path` was given.
[[nodiscard]] Result<Profile> load_profile(const std::filesystem::path &path,
                                           const Limits &limits = kDefaultLimits);

// The checks parse_profile() applies after reading, for a Profile made in code. Problems name
// the file `profile.source`. Checks that need the patient's weight are left to compile().
[[nodiscard]] std::vector<Problem> validate(const Profile &profile,
                                            const Limits &limits = kDefaultLimits);

} // namespace tractus::profiles
