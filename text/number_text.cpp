#include "text/number_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>

namespace tractus::text {

std::string format_number(double value, int max_decimals) {
  // to_chars, not printf: the same digits, and no locale can turn the point into a comma.
  std::array<char, 400> buffer{};
  const auto result = std::to_chars(buffer.data(), buffer.data() + buffer.size(), value,
                                    std::chars_format::fixed, std::max(0, max_decimals));
  std::string text(buffer.data(), result.ptr);
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

} // namespace tractus::text
