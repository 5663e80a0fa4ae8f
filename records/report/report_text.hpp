// Forces, times and sizes as the reports show them: every force in N and lbf (DESIGN §2: users in
// the US think in pounds), every time in UTC, and a dash where a value is missing, never "nan".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::records::report {

inline constexpr std::string_view kNone = "\xE2\x80\x94"; // an em dash: no value

// "313.8 N = 70.5 lbf", or the dash.
[[nodiscard]] std::string force_text(std::optional<double> newtons);
// `value` with at most `decimals` decimals and the unit after a space, or the dash.
[[nodiscard]] std::string number_text(std::optional<double> value, int decimals,
                                      std::string_view unit = "");
// "2026-12-06T09:30:00Z" -> "2026-12-06 09:30:00 UTC"; other text as it is, empty as the dash.
[[nodiscard]] std::string utc_text(std::string_view iso_utc);
// The date of a UTC time stamp: "2026-12-06", or the dash.
[[nodiscard]] std::string utc_date_of(std::string_view iso_utc);
// Seconds since the start as m:ss ("12:05", "-0:02" before it), or the dash.
[[nodiscard]] std::string clock_text(std::optional<double> seconds);
// "1.9 MB (1,934,112 bytes)".
[[nodiscard]] std::string size_text(std::uint64_t bytes);
// A 0–10 score, or the dash.
[[nodiscard]] std::string pain_text(std::optional<int> score);
// "6 → 2", with the dash for a score not recorded.
[[nodiscard]] std::string pain_change_text(std::optional<int> before, std::optional<int> after);

} // namespace tractus::records::report
