// Records as they come from damaged or unfinished journals: the report still opens, says what
// is missing, and never prints "nan".
#include "records/report/course_report.hpp"
#include "records/report/session_report.hpp"

#include "pdf_tools.hpp"
#include "report_fixtures.hpp"
#include "support/temp_dir.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace tractus::records::report {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using namespace fixtures;

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

class BadRecords : public ::testing::Test {
protected:
  tractus::testing::TempDir dir_{"bad-records"};

  // The session's report: pdfinfo must read it as one page, and its text comes back.
  std::string session_text(const SessionEntry &entry,
                           const std::optional<SessionVisit> &visit = std::nullopt) {
    const auto file =
        write_file(dir_.path() / "session.pdf", session_report_pdf(entry, visit, stamp()));
    const PdfInfo info = pdf_info(file);
    EXPECT_EQ(info.exit_code, 0);
    EXPECT_EQ(info.pages, 1);
    return pdf_text(file);
  }
  std::string course_text(const CourseRecords &records) {
    const auto file = write_file(dir_.path() / "course.pdf", course_report_pdf(records, stamp()));
    const PdfInfo info = pdf_info(file);
    EXPECT_EQ(info.exit_code, 0);
    EXPECT_EQ(info.pages, 1);
    return pdf_text(file);
  }
};

TEST_F(BadRecords, AnInterruptedSessionSaysItHasNoSummary) {
  SessionEntry e = session_entry_fixture();
  e.summary.reset();
  e.outcome = "interrupted";
  e.exit_code.reset();
  e.peak_force_n.reset();
  e.hold_rms_error_percent.reset();
  const std::string text = session_text(e);
  EXPECT_THAT(text, HasSubstr("interrupted — no summary in the journal"));
  // The curve still holds the highest force reached, and says where it comes from.
  EXPECT_THAT(text, HasSubstr("316.2 N = 71.1 lbf (in the curve)"));
}

TEST_F(BadRecords, AnEmptyCurveStillDrawsTheChartAndSaysWhy) {
  SessionEntry e = session_entry_fixture();
  e.curve = nlohmann::json::array();
  EXPECT_THAT(session_text(e), HasSubstr("No force curve in the journal"));
  e.curve = nullptr; // not even an array
  EXPECT_THAT(session_text(e), HasSubstr("No force curve in the journal"));
}

TEST_F(BadRecords, NotANumberIsADashNeverNan) {
  SessionEntry e = session_entry_fixture();
  e.curve[100][2] = kNaN;
  e.curve[101] = {kNaN, kNaN, kNaN};
  e.peak_force_n = kNaN;
  e.duration_s = kNaN;
  e.hold_rms_error_percent = std::numeric_limits<double>::infinity();
  (*e.summary)["hold_rms_error_n"] = kNaN;
  e.header["profile"]["resolved"]["max_force_n"] = kNaN;
  const std::string text = session_text(e, SessionVisit{3, std::nullopt, 4, "", kNaN});
  EXPECT_THAT(text, Not(HasSubstr("nan")));
  EXPECT_THAT(text, Not(HasSubstr("inf")));
  EXPECT_THAT(text, ::testing::ContainsRegex("Hold RMS error +— \\(— of the setpoint\\)"));
  EXPECT_THAT(text, HasSubstr("before — → after 4"));
}

TEST_F(BadRecords, ASessionThatNamedNoPatientSaysSo) {
  SessionEntry e = session_entry_fixture();
  e.patient_id.clear();
  e.header.erase("patient");
  EXPECT_THAT(session_text(e), ::testing::ContainsRegex("Patient +none given"));
}

TEST_F(BadRecords, AHeaderOfTheWrongShapeLeavesDashesNotACrash) {
  SessionEntry e = session_entry_fixture();
  e.header = nlohmann::json::array({1, 2});
  e.events = {{"not", "an array"}};
  e.summary = "not an object";
  const std::string text = session_text(e);
  EXPECT_THAT(text, HasSubstr("Session report"));
  EXPECT_THAT(text, HasSubstr("No event in the journal"));
}

TEST_F(BadRecords, ANoteWithControlCharactersOrBrokenUtf8IsDrawnCleaned) {
  SessionEntry e = session_entry_fixture();
  const std::string note = "first line\nsecond\x01 line \xFF\xFE Schmerz übel 3/10";
  const std::string text = session_text(e, SessionVisit{2, 5, 4, note, 222.4});
  EXPECT_THAT(text, ::testing::ContainsRegex("first line second +line �� Schmerz"));
  EXPECT_THAT(text, HasSubstr("Schmerz übel 3/10"));
}

TEST_F(BadRecords, AVeryLongNoteIsCutShortOnItsLines) {
  SessionEntry e = session_entry_fixture();
  std::string note;
  for (int i = 0; i < 400; ++i)
    note += "word" + std::to_string(i) + " ";
  const std::string text = session_text(e, SessionVisit{2, 5, 4, note, 222.4});
  EXPECT_THAT(text, HasSubstr("word0 word1"));
  EXPECT_THAT(text, HasSubstr("…"));
  EXPECT_THAT(text, Not(HasSubstr("word399")));
}

TEST_F(BadRecords, ACourseWithNoVisitYetIsAPageSayingSo) {
  CourseRecords records = course_fixture(0, 12);
  const std::string text = course_text(records);
  EXPECT_THAT(text, HasSubstr("12 visits planned; 0 confirmed, 0 run"));
  EXPECT_THAT(text, HasSubstr("No visit yet"));
}

TEST_F(BadRecords, ACourseWithNaNForcesAndNoPatientStillDraws) {
  CourseRecords records = course_fixture(3, 12);
  records.course.plan.patient_id.clear();
  records.course.plan.rule.ceiling_n = kNaN;
  records.visits[1].confirmed_force_n = kNaN;
  records.sessions["visit-session-3"].peak_force_n = kNaN;
  const std::string text = course_text(records);
  EXPECT_THAT(text, Not(HasSubstr("nan")));
  EXPECT_THAT(text, HasSubstr("none given"));
}

} // namespace
} // namespace tractus::records::report
