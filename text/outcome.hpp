// A value, or the one sentence that says why there is none: how an operation that can fail
// answers, everywhere outside the control cycle (docs/architecture.md, "Errors"). The sentence
// names what and where ("--table modbus-tcp://10.0.0.9:502: connection refused"), so the
// command line prints it as it is and the console puts it in its error body.
#pragma once

#include <optional>
#include <string>
#include <utility>

namespace tractus::text {

template <class T> struct Outcome {
  std::optional<T> value;
  std::string error; // what is wrong, naming what and where; empty exactly when value is set

  [[nodiscard]] static Outcome failure(std::string why) {
    return Outcome{std::nullopt, std::move(why)};
  }
  [[nodiscard]] bool ok() const { return value.has_value(); }
  explicit operator bool() const { return ok(); }
};

} // namespace tractus::text
