// `tractus profile list | show ID|FILE [--weight W] | validate FILE...` (DESIGN §8).
//
// The commands' work, with the streams passed in so tests can read what a user would see;
// the CLI11 wiring lives with the other commands. Exit codes: 0 ok, 2 bad input (DESIGN §8),
// 1 when the installed stock library itself is broken.
#pragma once

#include "units/units.hpp"

#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::cli {

// One line per stock profile: id, region, mode, name, in aligned columns.
int profile_list(std::ostream &out);
int profile_list(std::ostream &out, std::ostream &err);

// Every field with its unit (absolute forces in N and lbf). With a weight: the forces resolved
// for that patient, the cycles, and an ASCII chart of the force over the session.
int profile_show(std::string_view id_or_file, std::optional<Mass> weight, std::ostream &out,
                 std::ostream &err);

// `FILE: ok` on out for each valid file; every problem of every other file on err.
// Returns 0 when all are valid, 2 otherwise (and when no file is given).
int profile_validate(const std::vector<std::string> &files, std::ostream &out, std::ostream &err);

} // namespace tractus::cli
