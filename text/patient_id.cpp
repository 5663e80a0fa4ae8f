#include "text/patient_id.hpp"

#include <algorithm>
#include <cstddef>

namespace tractus::text {

namespace {
constexpr std::size_t kMaxIdLength = 32;
// ASCII only, whatever the locale: an id is compared byte for byte across tables.
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_letter_or_digit(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c);
}
} // namespace

std::string patient_id_problem(std::string_view id) {
  const std::string quoted = "patient id \"" + std::string(id) + "\": ";
  if (id.empty() || id.size() > kMaxIdLength) return quoted + "1 to 32 characters, e.g. P-0042";
  if (!std::all_of(id.begin(), id.end(),
                   [](char c) { return is_letter_or_digit(c) || c == '_' || c == '-'; }))
    return quoted + "only letters, digits, '_' and '-' (a clinic's id, never a name)";
  if (!is_letter_or_digit(id.front())) return quoted + "must start with a letter or a digit";
  if (std::none_of(id.begin(), id.end(), is_digit))
    return quoted + "holds no digit: a clinic's id (e.g. P-0042), never a name";
  return {};
}

} // namespace tractus::text
