// The stock profiles shipped in profiles/library/ (DESIGN §3), and finding a profile by id or
// by file. A library file is named after its id (lumbar-static.json holds "lumbar-static"), so
// ids are unique and a lookup reads one file.
#pragma once

#include "profiles/limits.hpp"
#include "profiles/problem.hpp"
#include "profiles/profile.hpp"

#include <filesystem>
#include <string_view>
#include <vector>

namespace tractus::profiles {

// Where the stock profiles are, first found of:
//   $TRACTUS_PROFILE_DIR, for development against another library;
//   share/tractus/profiles beside an installed executable's bin/ (/usr/share/tractus/profiles
//   for /usr/bin/tractus: the package, docs/installing.md);
//   profiles/library in the source tree (TRACTUS_PROFILE_LIBRARY), for the build tree.
[[nodiscard]] std::filesystem::path default_library_dir();

struct LibraryEntry {
  std::filesystem::path file;
  Profile profile;
};

// Every profile of a library. A bad file does not hide the good ones: `entries` holds the
// valid profiles sorted by id, `problems` everything wrong with the others.
struct Library {
  std::vector<LibraryEntry> entries;
  std::vector<Problem> problems;
};
[[nodiscard]] Library load_library(const std::filesystem::path &dir = default_library_dir(),
                                   const Limits &limits = kDefaultLimits);

// A library id ("lumbar-static") or a path to a profile file. Text containing "/" or ending in
// ".json" is a path; anything else is an id.
[[nodiscard]] Result<Profile> find_profile(std::string_view id_or_file,
                                           const std::filesystem::path &dir = default_library_dir(),
                                           const Limits &limits = kDefaultLimits);

} // namespace tractus::profiles
