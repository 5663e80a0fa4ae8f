#include "records/report/csv.hpp"

#include "records/report/drawable_text.hpp"
#include "text/number_text.hpp"

#include <cmath>

namespace tractus::records::report {

std::string csv_text(std::string_view text) {
  std::string value = writable_text(text);
  if (!value.empty() && std::string_view("=+-@").find(value.front()) != std::string_view::npos) {
    value.insert(0, 1, '\'');
  }
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string quoted = "\"";
  for (const char c : value) {
    if (c == '"') quoted += '"';
    quoted += c;
  }
  return quoted + '"';
}

std::string csv_number(std::optional<double> value, int decimals) {
  if (!value || !std::isfinite(*value)) return "";
  return text::format_number(*value, decimals);
}

std::string csv_row(const std::vector<std::string> &fields) {
  std::string row;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) row += ',';
    row += fields[i];
  }
  return row + "\r\n";
}

} // namespace tractus::records::report
