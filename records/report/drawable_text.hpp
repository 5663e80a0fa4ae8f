// Text from the records made safe to draw and to write: a clinician's note, a journal's detail
// or a protocol's name may hold anything a keyboard or a damaged file can produce. Cairo refuses
// a string that is not UTF-8 and then draws nothing more on that page (its error is sticky), so
// every string passes here first.
#pragma once

#include <string>
#include <string_view>

namespace tractus::records::report {

// Valid UTF-8 (each byte that is not part of a well-formed character becomes U+FFFD) with every
// control character (C0, DEL, C1; a newline and a tab too) replaced by a space: one line.
[[nodiscard]] std::string drawable_text(std::string_view text);

// The same, but newlines kept (a CSV field may hold them, quoted): for text written, not drawn.
[[nodiscard]] std::string writable_text(std::string_view text);

// `text` (valid UTF-8) without its last character; empty stays empty.
[[nodiscard]] std::string without_last_character(std::string_view text);

} // namespace tractus::records::report
