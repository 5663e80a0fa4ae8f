#include "records/report/course_report.hpp"

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

class CourseReport : public ::testing::Test {
protected:
  tractus::testing::TempDir dir_{"course-report"};

  std::filesystem::path pdf(const CourseRecords &records) {
    return write_file(dir_.path() / "course.pdf", course_report_pdf(records, stamp()));
  }
};

TEST_F(CourseReport, ATwelveVisitCourseIsOneA4Page) {
  const PdfInfo info = pdf_info(pdf(course_fixture()));
  EXPECT_EQ(info.exit_code, 0);
  EXPECT_EQ(info.pages, 1);
  EXPECT_THAT(info.page_size, HasSubstr("(A4)"));
}

TEST_F(CourseReport, NamesThePatientProtocolAndPlanInNewtonsAndPounds) {
  const std::string text = pdf_text(pdf(course_fixture()));
  EXPECT_THAT(text, HasSubstr("Course report"));
  EXPECT_THAT(text, HasSubstr("P-1042"));
  EXPECT_THAT(text, ContainsRegex("Protocol +Lumbar intermittent 60/30"));
  EXPECT_THAT(text, ContainsRegex("Protocol id +lumbar-intermittent"));
  EXPECT_THAT(text, HasSubstr("12 visits planned; 12 confirmed, 12 run"));
  EXPECT_THAT(text, HasSubstr("200 N = 45 lbf"));
  EXPECT_THAT(text, HasSubstr("+22.2 N = 5 lbf"));
  EXPECT_THAT(text, HasSubstr("450 N = 101.2 lbf"));
  EXPECT_THAT(text, HasSubstr("2026-10-09 00:00:00 UTC by dr.k"));
}

TEST_F(CourseReport, EveryVisitHasItsRowWithForcesOutcomeAndPain) {
  const std::string text = pdf_text(pdf(course_fixture()));
  for (int i = 1; i <= 12; ++i) {
    SCOPED_TRACE("visit " + std::to_string(i));
    const std::string confirmed = text::format_number(confirmed_force(i), 1);
    const std::string peak = text::format_number(peak_force(i), 1);
    // pdftotext drops the thin spaces around an arrow in a narrow cell.
    const std::string pain =
        std::to_string(pain_before(i)) + " ?→ ?" + std::to_string(pain_after(i));
    const std::string outcome = i == 7 ? "stopped" : "completed";
    // Visit, date, confirmed and proposed (the same here), peak, outcome, guarding (the
    // fixture's journals are from before the detector: the dash, never a 0), pain.
    EXPECT_THAT(text,
                ContainsRegex("\n *" + std::to_string(i) + " +2026-1[01]-[0-9]{2} +" + confirmed +
                              " \\([0-9.]+\\) +" + confirmed + " \\([0-9.]+\\) +" + peak +
                              " \\([0-9.]+\\) +" + outcome + " +— +" + pain));
  }
  EXPECT_THAT(text, HasSubstr("Stopped at 6 min: cramp"));
  EXPECT_THAT(text, ContainsRegex("6 ?→ ?5"));
  EXPECT_THAT(text, ContainsRegex("3 ?→ ?2"));
}

TEST_F(CourseReport, TheChartHasAForceAxisAPainAxisAndALegend) {
  const std::string text = pdf_text(pdf(course_fixture()));
  EXPECT_THAT(text, HasSubstr("Peak force"));
  EXPECT_THAT(text, HasSubstr("Confirmed force"));
  EXPECT_THAT(text, HasSubstr("Pain before"));
  EXPECT_THAT(text, HasSubstr("Pain after"));
  EXPECT_THAT(text, HasSubstr("Force (N)"));
  EXPECT_THAT(text, HasSubstr("Pain (0–10"));
  // Every visit is a tick on the visit axis.
  EXPECT_THAT(text, ContainsRegex("1 +2 +3 +4 +5 +6 +7 +8 +9 +10 +11 +12\n"));
}

TEST_F(CourseReport, FortyVisitsTheMostACourseHasStillFitOnePage) {
  const CourseRecords forty = course_fixture(40, 40);
  const std::string text = pdf_text(pdf(forty));
  EXPECT_EQ(pdf_info(pdf(forty)).pages, 1);
  for (int i = 1; i <= 40; ++i) {
    EXPECT_THAT(text, HasSubstr(text::format_number(peak_force(i), 1))) << "visit " << i;
  }
}

TEST_F(CourseReport, MoreVisitsThanAPageHoldsGoOnAPageAfterIt) {
  const CourseRecords sixty = course_fixture(60, 60);
  const std::string text = pdf_text(pdf(sixty));
  EXPECT_EQ(pdf_info(pdf(sixty)).pages, 2);
  EXPECT_THAT(text, HasSubstr("VISITS (CONTINUED)"));
  EXPECT_THAT(text, HasSubstr("Page 2 of 2"));
  for (int i = 1; i <= 60; ++i) {
    EXPECT_THAT(text, HasSubstr(text::format_number(peak_force(i), 1))) << "visit " << i;
  }
}

TEST_F(CourseReport, AVisitWhoseSessionHasNotRunSaysSo) {
  CourseRecords records = course_fixture(12, 14);
  records.visits.back().session_id.clear(); // confirmed, not started
  records.visits.back().pain_after.reset();
  records.sessions.erase("visit-session-11"); // run, its journal not indexed yet
  records.sessions.erase("visit-session-12");
  const std::string text = pdf_text(pdf(records));
  EXPECT_THAT(text, HasSubstr("14 visits planned; 12 confirmed, 10 run"));
  EXPECT_THAT(text, ContainsRegex("\n *12 +2026-[0-9-]+ +[0-9.]+ \\([0-9.]+\\) +[0-9.]+ "
                                  "\\([0-9.]+\\) +— +not run +— +3 ?→ ?—"));
  EXPECT_THAT(text, ContainsRegex("\n *11 +.* +— +not indexed"));
  EXPECT_THAT(text, Not(HasSubstr(text::format_number(peak_force(12), 1))));
}

TEST_F(CourseReport, IsThePictureOfThePageAsAPngToo) {
  const std::string png = course_report_png(course_fixture(), stamp(), 1);
  const auto [width, height] = png_size(png);
  EXPECT_EQ(width, 596U); // A4 at 72 dpi
  EXPECT_EQ(height, 842U);
  EXPECT_GT(png.size(), 20'000U);
}

TEST_F(CourseReport, RendersThroughPdftoppmIntoAnArtifactAPersonCanLookAt) {
  const auto pdf_file = pdf(course_fixture());
  const auto png = artifact_dir() / "course-report";
  // The PDF beside its picture, for a person who wants to read the file itself.
  std::filesystem::copy_file(pdf_file, artifact_dir() / "course-report.pdf",
                             std::filesystem::copy_options::overwrite_existing);
  const auto out = tractus::testing::run_command("pdftoppm -png -r 60 -singlefile " +
                                                 quoted(pdf_file) + " " + quoted(png));
  ASSERT_EQ(out.exit_code, 0) << out.output;
  const auto file = std::filesystem::path(png.string() + ".png");
  ASSERT_TRUE(std::filesystem::exists(file));
  EXPECT_GT(std::filesystem::file_size(file), 8'000U);
  // Read back: A4 at 60 dpi is 496.06 × 701.6 pixels.
  std::ifstream in(file, std::ios::binary);
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(png_size(bytes), std::make_pair(497U, 702U)); // pdftoppm rounds 496.06 up
}

} // namespace
} // namespace tractus::records::report
