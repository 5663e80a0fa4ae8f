#include "records/report/drawable_text.hpp"

#include <cstddef>
#include <cstdint>

namespace tractus::records::report {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD"; // U+FFFD

// The length of the well-formed UTF-8 character at `i` (RFC 3629: no overlong form, no
// surrogate, nothing above U+10FFFF) and its code point; 0 when there is none.
std::size_t character_at(std::string_view s, std::size_t i, std::uint32_t &code_point) {
  const auto lead = static_cast<unsigned char>(s[i]);
  std::size_t length = 0;
  std::uint32_t least = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if ((lead & 0xE0U) == 0xC0U) {
    length = 2, least = 0x80, code_point = lead & 0x1FU;
  } else if ((lead & 0xF0U) == 0xE0U) {
    length = 3, least = 0x800, code_point = lead & 0x0FU;
  } else if ((lead & 0xF8U) == 0xF0U) {
    length = 4, least = 0x10000, code_point = lead & 0x07U;
  } else {
    return 0;
  }
  if (i + length > s.size()) return 0;
  for (std::size_t k = 1; k < length; ++k) {
    const auto next = static_cast<unsigned char>(s[i + k]);
    if ((next & 0xC0U) != 0x80U) return 0;
    code_point = (code_point << 6U) | (next & 0x3FU);
  }
  const bool surrogate = code_point >= 0xD800 && code_point <= 0xDFFF;
  if (code_point < least || code_point > 0x10FFFF || surrogate) return 0;
  return length;
}

bool is_control(std::uint32_t c) { return c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F); }

std::string cleaned(std::string_view text, bool keep_newlines) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    std::uint32_t c = 0;
    const std::size_t length = character_at(text, i, c);
    if (length == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    if (keep_newlines && c == '\n') {
      out += '\n';
    } else if (is_control(c)) {
      out += ' ';
    } else {
      out += text.substr(i, length);
    }
    i += length;
  }
  return out;
}

} // namespace

std::string drawable_text(std::string_view text) { return cleaned(text, false); }

std::string writable_text(std::string_view text) { return cleaned(text, true); }

std::string without_last_character(std::string_view text) {
  std::size_t end = text.size();
  while (end > 0) {
    --end;
    if ((static_cast<unsigned char>(text[end]) & 0xC0U) != 0x80U) break;
  }
  return std::string(text.substr(0, end));
}

} // namespace tractus::records::report
