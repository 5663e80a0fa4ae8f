// What is wrong with a profile, said so a person can find and fix it.
//
// Every check in profiles/ reports through Problem, so the CLI, the console and the tests all
// read the same one-line text: `FILE: /json/pointer: what is wrong (what is allowed)`, e.g.
// `lumbar.json: /hold: 2 s is too short (5 s to 5 min)`. A lone "/" is the whole document.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tractus::profiles {

struct Problem {
  std::string file;    // the label given when parsing: usually the path as the user typed it
  std::string pointer; // JSON pointer (RFC 6901) of the offending field; "/" = whole document
  std::string message; // "what is wrong (what is allowed)"
  friend bool operator==(const Problem &, const Problem &) = default;
};

// "FILE: POINTER: MESSAGE", one line.
[[nodiscard]] std::string to_string(const Problem &problem);
[[nodiscard]] std::vector<std::string> to_strings(const std::vector<Problem> &problems);

// A value or every reason there is none. Invariant: `value` is set exactly when `problems` is
// empty. Used where a whole file is checked, so the user sees all problems at once.
template <class T> struct Result {
  std::optional<T> value;
  std::vector<Problem> problems;
  [[nodiscard]] bool ok() const { return value.has_value(); }
  explicit operator bool() const { return ok(); }
};

} // namespace tractus::profiles
