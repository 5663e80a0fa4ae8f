#include "console/field_checks.hpp"

#include <algorithm>
#include <cmath>

namespace tractus::console::fields {

bool printable_ascii(char c) { return c >= 0x20 && c < 0x7F; }
bool digit(char c) { return c >= '0' && c <= '9'; }
bool lower_id_char(char c) { return (c >= 'a' && c <= 'z') || digit(c) || c == '-'; }
bool id_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || digit(c) || c == '-' || c == '_';
}
bool serial_char(char c) { return id_char(c) || c == '.'; }
bool name_char(char c) { return static_cast<unsigned char>(c) >= 0x20 && c != 0x7F; }

std::string figure(double v) {
  if (v == std::floor(v) && std::abs(v) < 1e15) return std::to_string(static_cast<long long>(v));
  return Json(v).dump();
}

std::string describe(const Json &value) {
  switch (value.type()) {
  case Json::value_t::null: return "null";
  case Json::value_t::boolean: return value.get<bool>() ? "true" : "false";
  case Json::value_t::string: return "a string";
  case Json::value_t::array: return "an array";
  case Json::value_t::object: return "an object";
  default: return value.dump(); // a number: its JSON text is at most a few dozen characters
  }
}

// False (with a problem) unless `value` is an object; then flags members not in `allowed`.
bool Fields::object(const Json &value, const std::string &where,
                    std::initializer_list<std::string_view> allowed, std::string_view shape) {
  if (!value.is_object()) {
    add(where.empty() ? "/" : where, "expected an object " + std::string(shape));
    return false;
  }
  std::string list;
  for (const auto a : allowed)
    list += (list.empty() ? "" : ", ") + std::string(a);
  for (const auto &[key, member] : value.items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end())
      add(where + "/" + key_token(key), "unknown member (allowed: " + list + ")");
  return true;
}

// The member as a number within [min, max] (whole when `whole`); nullopt with a problem
// when absent (and `required`), not a number, or out of range.
std::optional<double> Fields::number(const Json &object, const std::string &where, const char *key,
                                     double min, double max, bool whole, bool required,
                                     std::string_view unit) {
  const std::string pointer = where + "/" + key;
  const std::string allowed = std::string(whole ? "a whole number" : "a number") + " from " +
                              figure(min) + " to " + figure(max) +
                              (unit.empty() ? "" : " " + std::string(unit));
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) add(pointer, "missing (" + allowed + ")");
    return std::nullopt;
  }
  if (!it->is_number() || (whole && !it->is_number_integer())) {
    add(pointer, describe(*it) + ", expected " + allowed);
    return std::nullopt;
  }
  // get<double> is exact enough for a range test of any JSON integer, and never overflows.
  const double v = it->get<double>();
  if (!std::isfinite(v) || v < min || v > max) {
    add(pointer, describe(*it) + " is out of range (" + allowed + ")");
    return std::nullopt;
  }
  return v;
}

// The member as a string of `min`..`max` characters, each passing `rule`.
std::optional<std::string> Fields::text(const Json &object, const std::string &where,
                                        const char *key, std::size_t min, std::size_t max,
                                        CharRule rule, std::string_view what, bool required) {
  const std::string pointer = where + "/" + key;
  const std::string allowed =
      std::to_string(min) + " to " + std::to_string(max) + " " + std::string(what);
  const auto it = object.find(key);
  if (it == object.end()) {
    if (required) add(pointer, "missing (" + allowed + ")");
    return std::nullopt;
  }
  if (!it->is_string()) {
    add(pointer, describe(*it) + ", expected a string (" + allowed + ")");
    return std::nullopt;
  }
  const auto &s = it->get_ref<const std::string &>();
  if (s.size() < min || s.size() > max) {
    add(pointer, std::to_string(s.size()) + " characters, " +
                     (s.size() < min ? "too short" : "too long") + " (" + allowed + ")");
    return std::nullopt;
  }
  if (!std::all_of(s.begin(), s.end(), rule)) {
    add(pointer, quoted_excerpt(s) + " has a character that is not allowed (" + allowed + ")");
    return std::nullopt;
  }
  return s;
}

// The member as a boolean.
std::optional<bool> Fields::boolean(const Json &object, const std::string &where, const char *key,
                                    std::string_view meaning) {
  const std::string pointer = where + "/" + key;
  const auto it = object.find(key);
  if (it == object.end()) {
    add(pointer, "missing (true or false: " + std::string(meaning) + ")");
    return std::nullopt;
  }
  if (!it->is_boolean()) {
    add(pointer, describe(*it) + ", expected true or false (" + std::string(meaning) + ")");
    return std::nullopt;
  }
  return it->get<bool>();
}

void Fields::add(const std::string &pointer, const std::string &what) {
  problems_.push_back(pointer + ": " + what);
}

std::string Fields::key_token(const std::string &key) {
  std::string token;
  for (const char c : quoted_excerpt(key).substr(0, 64))
    token += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return token.starts_with('"') ? token.substr(1, token.size() - 2) : token;
}

} // namespace tractus::console::fields
