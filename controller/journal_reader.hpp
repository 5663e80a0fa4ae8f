// Reads a session journal back and checks every line's checksum.
#pragma once

#include <nlohmann/json.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tractus::controller {

struct JournalContents {
  nlohmann::json header;
  std::vector<nlohmann::json> samples;
  std::vector<nlohmann::json> events;
  std::optional<nlohmann::json> summary;
  // Damaged lines, each as "FILE:LINE: what is wrong". A last line cut short by a crash is not
  // a problem (DESIGN §5: a crash loses at most the line being written); it sets the flag below.
  std::vector<std::string> problems;
  bool last_line_partial = false;
};

// Throws std::runtime_error only if the file cannot be opened.
JournalContents read_journal(const std::filesystem::path &file);

} // namespace tractus::controller
