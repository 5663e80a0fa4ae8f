// The field checks every request body is made of (console/request_fields.hpp and
// console/records_fields.hpp): an object's members, numbers in range, strings within their
// length and characters, each problem "/json/pointer: what is wrong (what is allowed)".
// Internal to console/.
#pragma once

#include "console/request_fields.hpp"

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::console::fields {

using Json = nlohmann::json;
using CharRule = bool (*)(char c);

bool printable_ascii(char c);
bool digit(char c);
bool lower_id_char(char c);
bool id_char(char c);
bool serial_char(char c);
// A name, staff id or note: printable, any script (UTF-8 bytes are >= 0x80), no control
// characters.
bool name_char(char c);

// 2 → "2", 0.5 → "0.5": a bound as a person writes it.
std::string figure(double v);
// What a JSON value is, for a problem: "a string", "null", or a number's text.
std::string describe(const Json &value);

// The checks of one body, collecting problems in document terms.
class Fields {
public:
  explicit Fields(Problems &problems) : problems_(problems) {}

  // False (with a problem) unless `value` is an object; then flags members not in `allowed`.
  bool object(const Json &value, const std::string &where,
              std::initializer_list<std::string_view> allowed, std::string_view shape);
  // The member as a number within [min, max] (whole when `whole`); nullopt with a problem
  // when absent (and `required`), not a number, or out of range.
  std::optional<double> number(const Json &object, const std::string &where, const char *key,
                               double min, double max, bool whole, bool required,
                               std::string_view unit);
  // The member as a string of `min`..`max` characters, each passing `rule`.
  std::optional<std::string> text(const Json &object, const std::string &where, const char *key,
                                  std::size_t min, std::size_t max, CharRule rule,
                                  std::string_view what, bool required);
  // The member as a boolean.
  std::optional<bool> boolean(const Json &object, const std::string &where, const char *key,
                              std::string_view meaning);
  void add(const std::string &pointer, const std::string &what);
  static std::string key_token(const std::string &key);

private:
  Problems &problems_;
};

} // namespace tractus::console::fields
