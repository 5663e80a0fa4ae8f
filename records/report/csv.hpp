// CSV as RFC 4180 has it, for the reports a clinic opens in a spreadsheet: one header row, then
// one row per record; CRLF line ends; a field with a comma, a quote or a line end quoted, its
// quotes doubled. Numbers are written with a point whatever the locale (text::format_number).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::records::report {

// A text field: valid UTF-8, control characters but the newline replaced, quoted when needed.
// A text that a spreadsheet would run as a formula (starting with =, +, -, @) gets a leading
// apostrophe (OWASP's advice on CSV injection): a note is never executed when opened.
[[nodiscard]] std::string csv_text(std::string_view text);

// A number with at most `decimals` decimals; empty when there is none or it is not finite.
[[nodiscard]] std::string csv_number(std::optional<double> value, int decimals);

// The fields joined by commas, ended by CRLF. The fields are already csv_text or csv_number.
[[nodiscard]] std::string csv_row(const std::vector<std::string> &fields);

} // namespace tractus::records::report
