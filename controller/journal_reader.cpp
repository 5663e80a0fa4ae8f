#include "controller/journal_reader.hpp"
#include "controller/journal.hpp"
#include "strict_json/strict_json.hpp"

#include <fstream>
#include <stdexcept>

namespace tractus::controller {

JournalContents read_journal(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw std::runtime_error("cannot open journal " + file.string());
  const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());

  JournalContents c;
  std::size_t pos = 0;
  int number = 0;
  while (pos < text.size()) {
    ++number;
    const std::size_t end = text.find('\n', pos);
    const bool terminated = end != std::string::npos;
    const std::string line = text.substr(pos, terminated ? end - pos : std::string::npos);
    pos = terminated ? end + 1 : text.size();
    const std::string where = file.string() + ":" + std::to_string(number) + ": ";
    if (!line_intact(line)) {
      if (!terminated)
        c.last_line_partial = true;
      else
        c.problems.push_back(where + "checksum does not match (damaged or edited line)");
      continue;
    }
    std::vector<std::string> duplicates;
    nlohmann::json j =
        strict_json::parse_noting_duplicates_or_discarded<nlohmann::json>(line, duplicates);
    if (j.is_discarded() || !j.is_object() || !j.contains("type")) {
      c.problems.push_back(where + "not a journal record");
      continue;
    }
    // The writer never repeats a key; a line that does was made by something else, and which
    // of its values is the table's cannot be told.
    if (!duplicates.empty()) {
      c.problems.push_back(where + duplicates.front() + ": duplicate key (not written by tractus)");
      continue;
    }
    const std::string type = j.value("type", "");
    if (number == 1) {
      if (type != "header" || j.value("format", "") != "tractus.journal/1")
        c.problems.push_back(where + "first line is not a tractus.journal/1 header");
      c.header = std::move(j);
    } else if (type == "sample") {
      c.samples.push_back(std::move(j));
    } else if (type == "event") {
      c.events.push_back(std::move(j));
    } else if (type == "summary") {
      c.summary = std::move(j);
    } else {
      c.problems.push_back(where + "unknown record type \"" + type + "\"");
    }
  }
  if (number == 0) c.problems.push_back(file.string() + ": empty journal");
  return c;
}

} // namespace tractus::controller
