// `tractus run` as a child process, and its journal read back (controller/journal_reader.hpp).
#pragma once

#include "controller/journal_reader.hpp"
#include "harness/process.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tractus::integration {

// argv for `tractus run --profile tests/data/PROFILE --weight W --table T --journal DIR/journal`.
std::vector<std::string> tractus_run_argv(const ScratchDir &dir, const std::string &table,
                                          const std::string &profile, const std::string &weight,
                                          const std::vector<std::string> &extra = {});

// The one journal `tractus run` wrote into DIR/journal, if there is one.
std::optional<std::filesystem::path> journal_file(const ScratchDir &dir);

} // namespace tractus::integration
