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

class SessionReport : public ::testing::Test {
protected:
  tractus::testing::TempDir dir_{"session-report"};
  SessionEntry entry_ = session_entry_fixture();

  std::filesystem::path pdf(const std::optional<SessionVisit> &visit = std::nullopt) {
    return write_file(dir_.path() / "session.pdf", session_report_pdf(entry_, visit, stamp()));
  }
};

TEST_F(SessionReport, IsOneA4PageAPdfReaderOpens) {
  const PdfInfo info = pdf_info(pdf());
  EXPECT_EQ(info.exit_code, 0);
  EXPECT_EQ(info.pages, 1);
  EXPECT_THAT(info.page_size, HasSubstr("(A4)"));
}

TEST_F(SessionReport, NamesThePatientTheTableTheCalibrationAndWhen) {
  const std::string text = pdf_text(pdf());
  EXPECT_THAT(text, HasSubstr("Session report"));
  EXPECT_THAT(text, HasSubstr("P-1042"));
  EXPECT_THAT(text, HasSubstr("80 kg"));
  EXPECT_THAT(text, HasSubstr("2026-12-06 09:30:00 UTC"));
  EXPECT_THAT(text, HasSubstr("table-2"));
  EXPECT_THAT(text, HasSubstr("cal-20261201-7"));
  EXPECT_THAT(text, HasSubstr("factory"));
}

TEST_F(SessionReport, ASimulatedSessionIsMarkedSimulatorAndARealOneIsNot) {
  EXPECT_THAT(pdf_text(pdf()), HasSubstr("SIMULATOR"));
  entry_.simulated = false;
  entry_.header["table"] = {{"address", "modbus-tcp://10.0.0.9:502"}, {"simulated", false}};
  const std::string real = pdf_text(pdf());
  EXPECT_THAT(real, Not(HasSubstr("SIMULATOR")));
  EXPECT_THAT(real, HasSubstr("modbus-tcp://10.0.0.9:502"));
}

TEST_F(SessionReport, ShowsTheProtocolAsRunWithItsForcesInNewtonsAndPounds) {
  const std::string text = pdf_text(pdf());
  EXPECT_THAT(text, ContainsRegex("Protocol +Lumbar intermittent 60/30"));
  EXPECT_THAT(text, ContainsRegex("Protocol id +lumbar-intermittent"));
  EXPECT_THAT(text, ContainsRegex("Region, mode +lumbar · intermittent"));
  EXPECT_THAT(text, HasSubstr("40 %bw → 313.8 N = 70.5 lbf"));
  EXPECT_THAT(text, HasSubstr("50 %max → 156.9 N = 35.3 lbf"));
  EXPECT_THAT(text, HasSubstr("hold 60 s · rest 30 s · ramp 10 s"));
  EXPECT_THAT(text, HasSubstr("20 min · 10 cycles"));
}

TEST_F(SessionReport, ChartsForceAgainstSetpointOnLabelledAxes) {
  const std::string text = pdf_text(pdf());
  EXPECT_THAT(text, HasSubstr("Setpoint"));
  EXPECT_THAT(text, HasSubstr("Measured force"));
  EXPECT_THAT(text, HasSubstr("Time since start (min)"));
  // The time axis at nice steps of 2 min up to 20, the force axis every 50 N up to 350 N.
  EXPECT_THAT(text, ContainsRegex("0 +2 +4 +6 +8 +10 +12 +14 +16 +18 +20"));
  EXPECT_THAT(text, HasSubstr("350"));
  EXPECT_THAT(text, HasSubstr("Force (N)"));
  EXPECT_THAT(text, HasSubstr("Force (lbf)"));
}

TEST_F(SessionReport, SummarisesHowItEnded) {
  const std::string text = pdf_text(pdf());
  EXPECT_THAT(text, HasSubstr("completed"));
  EXPECT_THAT(text, HasSubstr("316.2 N = 71.1 lbf"));
  EXPECT_THAT(text, HasSubstr("2.1 N (0.8 % of the setpoint)"));
  EXPECT_THAT(text, HasSubstr("19 min 59 s"));
  EXPECT_THAT(text, HasSubstr("treating 18 min 20 s"));
}

TEST_F(SessionReport, AFaultIsNamedWithItsCode) {
  entry_.outcome = "fault";
  entry_.exit_code = 3;
  (*entry_.summary)["outcome"] = "fault";
  (*entry_.summary)["code"] = 201;
  (*entry_.summary)["fault"] = "over-force";
  entry_.events.push_back({{"t", 600.2},
                           {"event", "fault"},
                           {"state", "fault"},
                           {"code", 201},
                           {"fault", "over-force"},
                           {"detail", "force 346 N above 345.2 N"}});
  const std::string text = pdf_text(pdf());
  EXPECT_THAT(text, HasSubstr("fault — 201 over-force"));
  EXPECT_THAT(text, ContainsRegex("10:00 +fault +fault +201 over-force +force 346 N"));
}

TEST_F(SessionReport, ListsEveryEventWithItsTimeAndDetail) {
  const std::string text = pdf_text(pdf());
  EXPECT_THAT(text, ContainsRegex("8:36 +alarm +treating +guarding-onset"));
  EXPECT_THAT(text, ContainsRegex("19:10 +acknowledged +complete +operator"));
  EXPECT_THAT(text, Not(HasSubstr("more event")));
}

TEST_F(SessionReport, EventsBeyondThePageAreCountedAndLeftToTheJournal) {
  entry_.events = nlohmann::json::array();
  for (int i = 0; i < 200; ++i) {
    const std::string detail = "marker-" + std::to_string(1000 + i);
    entry_.events.push_back(event(i, "reminder", "complete", detail.c_str()));
  }
  const std::string text = pdf_text(pdf());
  std::smatch m;
  ASSERT_TRUE(
      std::regex_search(text, m, std::regex("… and ([0-9]+) more events, all in the journal")));
  const int more = std::stoi(m[1]);
  int shown = 0;
  for (std::size_t at = text.find("marker-"); at != std::string::npos;
       at = text.find("marker-", at + 1)) {
    ++shown;
  }
  EXPECT_EQ(shown + more, 200);
  EXPECT_GE(shown, 15); // a page holds a good screenful of them
  EXPECT_THAT(text, HasSubstr("marker-1000"));
  EXPECT_THAT(text, Not(HasSubstr("marker-1199")));
  EXPECT_EQ(pdf_info(pdf()).pages, 1);
}

TEST_F(SessionReport, ACourseVisitShowsItsForcePainAndNote) {
  const SessionVisit visit{5, 4, 3, "Tolerated well; a little stiffness at the end", 288.96};
  const std::string text = pdf_text(pdf(visit));
  EXPECT_THAT(text, HasSubstr("COURSE VISIT 5"));
  EXPECT_THAT(text, HasSubstr("289 N = 65 lbf"));
  EXPECT_THAT(text, HasSubstr("before 4 → after 3"));
  EXPECT_THAT(text, HasSubstr("Tolerated well; a little stiffness at the end"));
  EXPECT_EQ(pdf_info(pdf(visit)).pages, 1);
}

TEST_F(SessionReport, TheFooterNamesTheJournalAndHowTheReportWasMade) {
  const std::string text = pdf_text(pdf());
  EXPECT_THAT(text, HasSubstr("20261206T093000Z-lumbar-intermittent-3f2a.jsonl"));
  EXPECT_THAT(text, HasSubstr("1.9 MB (1,934,112 bytes)"));
  EXPECT_THAT(text, HasSubstr("Generated by tractus 0.1.0-test at 2026-12-06 12:00:00 UTC"));
  EXPECT_THAT(text, HasSubstr("Page 1 of 1"));
}

TEST_F(SessionReport, IsThePictureOfThePageAsAPngToo) {
  const std::string png = session_report_png(entry_, std::nullopt, stamp(), 2);
  const auto [width, height] = png_size(png);
  EXPECT_EQ(width, 1191U); // A4 at 144 dpi
  EXPECT_EQ(height, 1684U);
  EXPECT_GT(png.size(), 50'000U); // a drawn page, not a blank one
}

TEST_F(SessionReport, RendersThroughPdftoppmIntoAnArtifactAPersonCanLookAt) {
  const auto pdf_file = pdf(SessionVisit{5, 4, 3, "Tolerated well", 288.96});
  const auto png = artifact_dir() / "session-report";
  // The PDF beside its picture, for a person who wants to read the file itself.
  std::filesystem::copy_file(pdf_file, artifact_dir() / "session-report.pdf",
                             std::filesystem::copy_options::overwrite_existing);
  const auto out = tractus::testing::run_command("pdftoppm -png -r 80 -singlefile " +
                                                 quoted(pdf_file) + " " + quoted(png));
  ASSERT_EQ(out.exit_code, 0) << out.output;
  EXPECT_GT(std::filesystem::file_size(png.string() + ".png"), 20'000U);
}

} // namespace
} // namespace tractus::records::report
