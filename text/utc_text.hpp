// Times as records, journals and screens show them: always UTC, whatever the PC's time zone,
// so a journal written in one clinic reads the same in another.
#pragma once

#include <cstdint>
#include <string>

namespace tractus::text {

// UTC renderings of a Unix time: "2025-03-01", "2025-03-01T09:30:00Z", "20250301T093000Z"
// (the last for file names and ids).
std::string utc_date(std::int64_t unix_seconds);
std::string utc_timestamp(std::int64_t unix_seconds);
std::string utc_compact(std::int64_t unix_seconds);

// The same UTC day and time `months` calendar months later; a day that does not exist in the
// target month rolls into the next (31 Jan + 1 month = 3 Mar or 2 Mar), as timegm normalises.
std::int64_t add_months(std::int64_t unix_seconds, int months);

} // namespace tractus::text
