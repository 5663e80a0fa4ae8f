#include "records/report/report_text.hpp"

#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"

#include <cmath>

namespace tractus::records::report {

std::string force_text(std::optional<double> newtons) {
  if (!newtons || !std::isfinite(*newtons)) return std::string(kNone);
  return profiles::format_force_n_lbf(Force(*newtons));
}

std::string number_text(std::optional<double> value, int decimals, std::string_view unit) {
  if (!value || !std::isfinite(*value)) return std::string(kNone);
  std::string text = text::format_number(*value, decimals);
  if (!unit.empty()) text += " " + std::string(unit);
  return text;
}

std::string utc_text(std::string_view iso_utc) {
  if (iso_utc.empty()) return std::string(kNone);
  if (iso_utc.size() == 20 && iso_utc[10] == 'T' && iso_utc[19] == 'Z') {
    return std::string(iso_utc.substr(0, 10)) + " " + std::string(iso_utc.substr(11, 8)) + " UTC";
  }
  return std::string(iso_utc);
}

std::string utc_date_of(std::string_view iso_utc) {
  if (iso_utc.size() < 10) return std::string(kNone);
  return std::string(iso_utc.substr(0, 10));
}

std::string clock_text(std::optional<double> seconds) {
  if (!seconds || !std::isfinite(*seconds) || std::abs(*seconds) > 1e7) return std::string(kNone);
  const auto whole = static_cast<long long>(std::floor(std::abs(*seconds)));
  const std::string ss = std::to_string(whole % 60);
  return (*seconds < 0 ? "-" : "") + std::to_string(whole / 60) + ":" + (ss.size() < 2 ? "0" : "") +
         ss;
}

std::string size_text(std::uint64_t bytes) {
  std::string digits = std::to_string(bytes);
  for (auto i = static_cast<std::ptrdiff_t>(digits.size()) - 3; i > 0; i -= 3) {
    digits.insert(static_cast<std::size_t>(i), ",");
  }
  const double mb = static_cast<double>(bytes) / 1e6;
  const std::string rounded =
      mb >= 0.1 ? text::format_number(mb, 1) + " MB"
                : text::format_number(static_cast<double>(bytes) / 1e3, 1) + " kB";
  return rounded + " (" + digits + " bytes)";
}

std::string pain_text(std::optional<int> score) {
  return score ? std::to_string(*score) : std::string(kNone);
}

std::string pain_change_text(std::optional<int> before, std::optional<int> after) {
  if (!before && !after) return std::string(kNone);
  return pain_text(before) + " \xE2\x86\x92 " + pain_text(after);
}

} // namespace tractus::records::report
