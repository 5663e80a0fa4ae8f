#include "records/report/course_report.hpp"
#include "records/report/csv.hpp"
#include "records/report/session_report.hpp"

#include "report_fixtures.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace tractus::records::report {
namespace {

using ::testing::ElementsAre;
using namespace fixtures;

std::vector<std::string> lines_of(const std::string &csv) {
  std::vector<std::string> lines;
  for (std::size_t at = 0; at < csv.size();) {
    const std::size_t end = csv.find("\r\n", at);
    if (end == std::string::npos) {
      lines.push_back(csv.substr(at) + "<no CRLF>");
      break;
    }
    lines.push_back(csv.substr(at, end - at));
    at = end + 2;
  }
  return lines;
}

TEST(SessionCsv, IsAHeaderRowThenOneRowAPointOfTheCurve) {
  const auto lines = lines_of(session_report_csv(session_entry_fixture()));
  ASSERT_EQ(lines.size(), 1201U); // 20 minutes at one point a second, and the header
  EXPECT_EQ(lines[0], "t_s,setpoint_n,force_n,guarding,guarding_size_n");
  EXPECT_EQ(lines[1], "0,0,0,0,");
  EXPECT_EQ(lines[517], "516,313.8,316.2,0,"); // the peak, in a hold
  EXPECT_EQ(lines[1200].substr(0, 5), "1199,");
}

TEST(SessionCsv, AValueThatIsNotANumberIsAnEmptyField) {
  SessionEntry entry = session_entry_fixture();
  const double nan = std::numeric_limits<double>::quiet_NaN();
  entry.curve = nlohmann::json::array({{0.0, nan, 1.5}, {1.0, "x", nullptr}, {2.0}, "junk"});
  EXPECT_THAT(
      lines_of(session_report_csv(entry)),
      ElementsAre("t_s,setpoint_n,force_n,guarding,guarding_size_n", "0,,1.5,0,", "1,,,0,"));
}

TEST(CourseCsv, IsAHeaderRowThenOneRowAVisit) {
  const auto lines = lines_of(course_report_csv(course_fixture()));
  ASSERT_EQ(lines.size(), 13U);
  EXPECT_EQ(lines[0], "number,date_utc,session_id,proposed_force_n,confirmed_force_n,"
                      "peak_force_n,outcome,guarding_events,guarding_largest_n,pain_before,"
                      "pain_after,note");
  // The fixture's journals are from before the detector: no guarding count, never a 0.
  EXPECT_EQ(lines[1], "1,2026-10-12T09:02:00Z,visit-session-1,200,200,201.6,completed,,,6,5,");
  EXPECT_EQ(lines[12], "12,2026-11-14T09:02:00Z,visit-session-12,444.64,444.64,447.34,completed,"
                       ",,3,2,");
}

TEST(CourseCsv, ANoteWithACommaAQuoteOrALineEndIsQuotedAsRfc4180Says) {
  CourseRecords records = course_fixture(1, 12);
  records.visits[0].note = "Better, \"much\" better\nsleeps well";
  const auto csv = course_report_csv(records);
  EXPECT_THAT(csv, ::testing::EndsWith(",6,5,\"Better, \"\"much\"\" better\nsleeps well\"\r\n"));
}

TEST(CourseCsv, AVisitNotRunHasNoSessionPeakOrOutcome) {
  CourseRecords records = course_fixture(2, 12);
  records.visits[1].session_id.clear();
  records.visits[1].pain_after.reset();
  const auto lines = lines_of(course_report_csv(records));
  ASSERT_EQ(lines.size(), 3U);
  EXPECT_EQ(lines[2], "2,2026-10-15T09:00:00Z,,222.24,222.24,,,,,6,,");
}

TEST(CsvText, AFormulaIsNeverRunWhenASpreadsheetOpensTheFile) {
  EXPECT_EQ(csv_text("=HYPERLINK(\"http://x\")"), "\"'=HYPERLINK(\"\"http://x\"\")\"");
  EXPECT_EQ(csv_text("+1"), "'+1");
  EXPECT_EQ(csv_text("-2 after"), "'-2 after");
  EXPECT_EQ(csv_text("@sum"), "'@sum");
  EXPECT_EQ(csv_text("pain 3"), "pain 3");
}

TEST(CsvText, ControlCharactersAndBrokenUtf8AreReplacedButALineEndIsKept) {
  EXPECT_EQ(csv_text("a\tb\x01"
                     "c"),
            "a b c");
  EXPECT_EQ(csv_text("ok\xFF"), "ok\xEF\xBF\xBD");
  EXPECT_EQ(csv_text("two\nlines"), "\"two\nlines\"");
}

} // namespace
} // namespace tractus::records::report
