// Numbers and UTC times as every module prints them (text/): a force, a date or an expiry that
// read differently in a record, a journal and on the console would confuse a technician.
#include "text/host_port.hpp"
#include "text/number_text.hpp"
#include "text/utc_text.hpp"

#include <gtest/gtest.h>

namespace tractus::text {
namespace {

TEST(FormatNumber, DropsTrailingZerosAndNeverPrintsMinusZero) {
  EXPECT_EQ(format_number(222.40, 1), "222.4");
  EXPECT_EQ(format_number(890.0, 1), "890");
  EXPECT_EQ(format_number(725.66, 1), "725.7");
  EXPECT_EQ(format_number(0.0434, 3), "0.043");
  EXPECT_EQ(format_number(-0.01, 1), "0");
  EXPECT_EQ(format_number(-12.5, 0), "-12"); // round half to even, as printf
  EXPECT_EQ(format_number(1234.5678, -1), "1235");
}

TEST(UtcText, RendersTheSameInstantThreeWays) {
  const std::int64_t t = 1740821400; // 2025-03-01T09:30:00Z
  EXPECT_EQ(utc_date(t), "2025-03-01");
  EXPECT_EQ(utc_timestamp(t), "2025-03-01T09:30:00Z");
  EXPECT_EQ(utc_compact(t), "20250301T093000Z");
}

TEST(UtcText, AMonthLaterRollsAMissingDayIntoTheNextMonth) {
  const std::int64_t jan31 = 1738281600; // 2025-01-31T00:00:00Z
  EXPECT_EQ(utc_date(add_months(jan31, 1)), "2025-03-03");
  EXPECT_EQ(utc_date(add_months(jan31, 12)), "2026-01-31");
}

TEST(HostPort, BracketsAnIpv6HostAndReadsBothBack) {
  EXPECT_EQ(host_port_text("127.0.0.1", 1502), "127.0.0.1:1502");
  EXPECT_EQ(host_port_text("::1", 8080), "[::1]:8080");
  const auto v4 = parse_host_port("127.0.0.1:1502");
  ASSERT_TRUE(v4);
  EXPECT_EQ(v4->host, "127.0.0.1");
  EXPECT_EQ(v4->port, 1502);
  const auto v6 = parse_host_port("[::1]:0");
  ASSERT_TRUE(v6);
  EXPECT_EQ(v6->host, "::1");
  EXPECT_EQ(v6->port, 0);
}

TEST(HostPort, RefusesAMissingHostOrAPortOutside0To65535) {
  for (const char *bad : {"1502", ":1502", "host:", "host:65536", "host:12x", "host:-1"})
    EXPECT_FALSE(parse_host_port(bad)) << bad;
}

} // namespace
} // namespace tractus::text
