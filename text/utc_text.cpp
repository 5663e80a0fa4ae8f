#include "text/utc_text.hpp"

#include <ctime>

namespace tractus::text {

namespace {

std::tm utc_tm(std::int64_t unix_seconds) {
  const auto t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

std::string utc_format(std::int64_t unix_seconds, const char *format) {
  const std::tm tm = utc_tm(unix_seconds);
  char buf[40];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

} // namespace

std::string utc_date(std::int64_t unix_seconds) { return utc_format(unix_seconds, "%Y-%m-%d"); }
std::string utc_timestamp(std::int64_t unix_seconds) {
  return utc_format(unix_seconds, "%Y-%m-%dT%H:%M:%SZ");
}
std::string utc_compact(std::int64_t unix_seconds) {
  return utc_format(unix_seconds, "%Y%m%dT%H%M%SZ");
}

std::int64_t add_months(std::int64_t unix_seconds, int months) {
  std::tm tm = utc_tm(unix_seconds);
  tm.tm_mon += months;
  return static_cast<std::int64_t>(timegm(&tm));
}

} // namespace tractus::text
