// Small text helpers shared by the calibration files: numbers, forces and UTC dates as a
// technician reads them, and calendar arithmetic for the expiry date.
#pragma once

#include <cstdint>
#include <string>

namespace tractus::hal {

// Fixed-point with at most `max_decimals` decimals, trailing zeros dropped: 222.40 -> "222.4".
std::string fixed_text(double value, int max_decimals);
// "200 N", "222.4 N" (one decimal at most unless asked for more).
std::string newtons_text(double value_n, int max_decimals = 1);
// "0.043 %" style percentages of full scale: three decimals, trailing zeros dropped.
std::string percent_text(double value_pct);

// UTC renderings of a Unix time: "2025-03-01", "2025-03-01T09:30:00Z", "20250301T093000Z".
std::string utc_date(std::int64_t unix_seconds);
std::string utc_timestamp(std::int64_t unix_seconds);
std::string utc_compact(std::int64_t unix_seconds);

// The same UTC day and time `months` calendar months later; a day that does not exist in the
// target month rolls into the next (31 Jan + 1 month = 3 Mar or 2 Mar), as timegm normalises.
std::int64_t add_months(std::int64_t unix_seconds, int months);

} // namespace tractus::hal
