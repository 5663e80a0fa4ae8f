// Members of the journal's JSON read without ever throwing: a report is drawn from whatever the
// store kept, and a header from an older tractus or a damaged journal may lack a member or hold
// another type. A missing member and a member of the wrong type both read as absent.
#pragma once

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::records::report {

// The member at `path` (object keys from `json`), or nullptr.
[[nodiscard]] const nlohmann::json *member_at(const nlohmann::json &json,
                                              std::initializer_list<std::string_view> path);
// Its text (a number is written as text), or empty.
[[nodiscard]] std::string text_at(const nlohmann::json &json,
                                  std::initializer_list<std::string_view> path);
// Its value when it is a finite number.
[[nodiscard]] std::optional<double> number_at(const nlohmann::json &json,
                                              std::initializer_list<std::string_view> path);

} // namespace tractus::records::report
