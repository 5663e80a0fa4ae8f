// Where a JSON text went wrong, in words a person can act on: "line 3, column 14: syntax error
// while parsing object key - invalid literal; last read: '{x'; expected string literal".
// Used for request bodies (400 bad-json) and for the files the console reads.
//
// Every JSON text that comes in through the console is read with parse_console_json: a key given
// twice is refused, never resolved by keeping the last one (hazard H7; the same rule and the same
// helper as the profiles, strict_json/strict_json.hpp).
#pragma once

#include "console/api_result.hpp"
#include "strict_json/strict_json.hpp"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::console {

inline std::string parse_error_text(const nlohmann::json::exception &error) {
  // nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C: …";
  // the exception id means nothing to a user.
  std::string what = error.what();
  for (const std::string marker : {"parse error at ", "] "}) {
    const auto at = what.find(marker);
    if (at != std::string::npos) {
      what = what.substr(at + marker.size());
      break;
    }
  }
  // Its "last read: '…'" quotes the raw bytes, which need not be UTF-8: an answer that quoted
  // them could not be serialised. Printable ASCII only.
  for (char &c : what)
    if (c < 0x20 || c > 0x7E) c = '?';
  return what;
}

// Parses `text` into `out`. The refusal, or nullopt: 400 bad-json for a text that is not JSON
// (with line and column) or holds a number no double can hold; 422 duplicate-key naming each
// repeated key by its JSON pointer.
inline std::optional<ApiResult> parse_console_json(std::string_view text, nlohmann::json &out) {
  std::vector<std::string> duplicates;
  try {
    out = strict_json::parse_noting_duplicates<nlohmann::json>(text, duplicates);
  } catch (const nlohmann::json::exception &e) { // parse_error, or out_of_range for 1e999
    out = nullptr;
    return api_error(400, "bad-json", "the body is not JSON: " + parse_error_text(e));
  }
  if (duplicates.empty()) return std::nullopt;
  out = nullptr;
  std::vector<std::string> problems;
  for (const std::string &pointer : duplicates)
    problems.push_back(pointer + ": duplicate key (each key at most once)");
  std::string message = "the body gives a key twice: " + problems.front();
  return api_error(422, "duplicate-key", std::move(message), std::move(problems));
}

} // namespace tractus::console
