// Muscle guarding in the session report (docs/reports.md): the count, largest size and time from
// the journal's summary in the PDF, the events' spans in the CSV's `guarding` and
// `guarding_size_n` columns, and journals without guarding (older ones, an interrupted one) read
// as they are — never as a count they do not hold.
#include "records/report/course_report.hpp"
#include "records/report/guarding.hpp"
#include "records/report/session_report.hpp"

#include "pdf_tools.hpp"
#include "report_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tractus::records::report {
namespace {

using ::testing::ContainsRegex;
using ::testing::HasSubstr;
using ::testing::Not;
using namespace fixtures;

nlohmann::json guarding_event(double t, const char *kind, double size_n) {
  const bool onset = std::string(kind) == "guarding-onset";
  return {{"t", t},
          {"event", kind},
          {"state", "treating"},
          {"detail", onset ? "muscle guarding: the force rose with no cable drawn in"
                           : "muscle guarding let go"},
          {"size_n", size_n},
          {"protocol_time", t - 2.4}};
}

// The fixture's session with two spasms, as the journal of this tractus holds them: the first
// 312.5 s → 316.0 s (14.2 N at onset, 18.6 N at its largest), the second 700.2 s → 704.9 s.
SessionEntry guarded_session() {
  SessionEntry e = session_entry_fixture();
  e.events.push_back(guarding_event(312.5, "guarding-onset", 14.2));
  e.events.push_back(guarding_event(316.0, "guarding-end", 18.6));
  e.events.push_back(guarding_event(700.2, "guarding-onset", 11.0));
  e.events.push_back(guarding_event(704.9, "guarding-end", 12.3));
  (*e.summary)["guarding"] = {{"events", 2}, {"largest_n", 18.6}, {"seconds", 8.2}};
  return e;
}

std::vector<std::vector<std::string>> rows_of(const std::string &csv) {
  std::vector<std::vector<std::string>> rows;
  std::size_t at = 0;
  while (at < csv.size()) {
    const std::size_t end = csv.find("\r\n", at);
    const std::string line = csv.substr(at, end - at);
    std::vector<std::string> fields;
    std::size_t from = 0;
    for (std::size_t comma; (comma = line.find(',', from)) != std::string::npos; from = comma + 1)
      fields.push_back(line.substr(from, comma - from));
    fields.push_back(line.substr(from));
    rows.push_back(fields);
    if (end == std::string::npos) break;
    at = end + 2;
  }
  return rows;
}

TEST(GuardingReport, ThePdfGivesTheCountTheLargestAndTheTime) {
  tractus::testing::TempDir dir("guarding-report");
  const auto file = write_file(dir.path() / "guarded.pdf",
                               session_report_pdf(guarded_session(), std::nullopt, stamp()));
  EXPECT_EQ(pdf_info(file).pages, 1);
  const std::string text = pdf_text(file);
  EXPECT_THAT(text, ContainsRegex("Guarding +2 muscle-guarding events, largest 18.6 N = 4.2 lbf, "
                                  "8.2 s in all"));
  EXPECT_THAT(text, HasSubstr("Muscle guarding")); // the chart's legend for the shaded spans
  // The events' rows, with their sizes.
  EXPECT_THAT(text, ContainsRegex("guarding-onset +treating +14.2 N = 3.2 lbf: muscle guarding"));
  EXPECT_THAT(text,
              ContainsRegex("guarding-end +treating +18.6 N = 4.2 lbf: muscle guarding let go"));
  // For a person to look at: the spans shaded on the force plot.
  write_file(artifact_dir() / "session-report-guarding.pdf",
             session_report_pdf(guarded_session(), std::nullopt, stamp()));
}

TEST(GuardingReport, TheCsvMarksTheSecondsUnderWayAndTheSizeWhereEachBegan) {
  const auto rows = rows_of(session_report_csv(guarded_session()));
  ASSERT_EQ(rows.size(), 1201U);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"t_s", "setpoint_n", "force_n", "guarding",
                                               "guarding_size_n"}));
  int events = 0, under_way = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    ASSERT_EQ(rows[i].size(), 5U) << i;
    if (!rows[i][4].empty()) ++events;
    if (rows[i][3] == "1") ++under_way;
  }
  EXPECT_EQ(events, 2); // the count, as the summary has it
  // 312 … 316 and 700 … 704: the seconds each event overlaps.
  EXPECT_EQ(under_way, 5 + 5);
  EXPECT_EQ(rows[1 + 311][3], "0");
  EXPECT_EQ(rows[1 + 312][3], "1");
  EXPECT_EQ(rows[1 + 312][4], "18.6"); // the largest the first reached
  EXPECT_EQ(rows[1 + 316][3], "1");
  EXPECT_EQ(rows[1 + 317][3], "0");
  EXPECT_EQ(rows[1 + 700][4], "12.3");
}

TEST(GuardingReport, AJournalFromBeforeTheDetectorSaysNothingWasRecordedNotNone) {
  SessionEntry older = session_entry_fixture(); // no guarding block, no guarding event
  EXPECT_FALSE(guarding_of(older).recorded);
  EXPECT_EQ(guarding_text(guarding_of(older)), "\xE2\x80\x94");
  const auto rows = rows_of(session_report_csv(older));
  EXPECT_EQ(rows[1 + 312][3], "0");
  EXPECT_EQ(rows[1 + 312][4], "");

  SessionEntry calm = session_entry_fixture();
  (*calm.summary)["guarding"] = {{"events", 0}, {"largest_n", 0}, {"seconds", 0}};
  EXPECT_EQ(guarding_text(guarding_of(calm)), "none");
  tractus::testing::TempDir dir("guarding-report-calm");
  EXPECT_THAT(pdf_text(write_file(dir.path() / "calm.pdf",
                                  session_report_pdf(calm, std::nullopt, stamp()))),
              ContainsRegex("Guarding +none"));
}

TEST(GuardingReport, AnInterruptedJournalCountsItsEventsAndAnOpenOneRunsToTheEnd) {
  SessionEntry e = guarded_session();
  e.summary.reset();
  e.outcome = "interrupted";
  e.events.push_back(guarding_event(1100.0, "guarding-onset", 9.5)); // never ended: a crash
  const GuardingRecord g = guarding_of(e);
  EXPECT_TRUE(g.recorded);
  EXPECT_EQ(g.events, 3);
  ASSERT_EQ(g.spans.size(), 3U);
  EXPECT_FALSE(g.spans[2].end_s.has_value());
  EXPECT_EQ(guarding_text(g), "3 muscle-guarding events, largest 18.6 N = 4.2 lbf, 8.2 s in all");
  const auto rows = rows_of(session_report_csv(e));
  EXPECT_EQ(rows[1 + 1100][4], "9.5");
  EXPECT_EQ(rows[1 + 1199][3], "1");
  tractus::testing::TempDir dir("guarding-report-interrupted");
  EXPECT_THAT(
      pdf_text(write_file(dir.path() / "cut.pdf", session_report_pdf(e, std::nullopt, stamp()))),
      HasSubstr("3 muscle-guarding events"));
}

// A course report counts each visit's events: the third visit's session is the guarded one, the
// fourth's a calm one; the others' journals are from before the detector and count nothing.
TEST(GuardingReport, TheCourseReportCountsEachVisitsEventsWhereTheJournalHoldsThem) {
  CourseRecords course = course_fixture(4, 12);
  const std::string guarded = course.visits[2].session_id;
  const std::string calm = course.visits[3].session_id;
  SessionEntry g = guarded_session();
  g.session_id = guarded;
  course.sessions[guarded] = g;
  (*(course.sessions[calm].summary = nlohmann::json::object()))["guarding"] = {
      {"events", 0}, {"largest_n", 0}, {"seconds", 0}};
  const auto rows = rows_of(course_report_csv(course));
  ASSERT_EQ(rows.size(), 5U);
  ASSERT_EQ(rows[0][7], "guarding_events");
  ASSERT_EQ(rows[0][8], "guarding_largest_n");
  EXPECT_EQ(rows[1][7], "");
  EXPECT_EQ(rows[1][8], "");
  EXPECT_EQ(rows[3][7], "2");
  EXPECT_EQ(rows[3][8], "18.6");
  EXPECT_EQ(rows[4][7], "0");
  EXPECT_EQ(rows[4][8], "");

  tractus::testing::TempDir dir("guarding-course-report");
  const std::string text =
      pdf_text(write_file(dir.path() / "course.pdf", course_report_pdf(course, stamp())));
  EXPECT_THAT(text, HasSubstr("Guarding"));
  // The third visit's row: its outcome, then the two events, then its pain.
  EXPECT_THAT(text, ContainsRegex("completed +2 +6 *\xE2\x86\x92 *5"));
  EXPECT_THAT(text, ContainsRegex("completed +0 +6 *\xE2\x86\x92 *5"));
}

} // namespace
} // namespace tractus::records::report
