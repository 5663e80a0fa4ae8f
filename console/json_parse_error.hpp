// Where a JSON text went wrong, in words a person can act on: "line 3, column 14: syntax error
// while parsing object key - invalid literal; last read: '{x'; expected string literal".
// Used for request bodies (400 bad-json) and for the files the console reads.
#pragma once

#include <nlohmann/json.hpp>

#include <string>

namespace tractus::console {

inline std::string parse_error_text(const nlohmann::json::parse_error &error) {
  // nlohmann's message is "[json.exception.parse_error.101] parse error at line L, column C: …";
  // the exception id means nothing to a user.
  const std::string what = error.what();
  const std::string marker = "parse error at ";
  const auto at = what.find(marker);
  if (at == std::string::npos) return what;
  return what.substr(at + marker.size());
}

} // namespace tractus::console
