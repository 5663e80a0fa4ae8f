// The pieces both reports are drawn with: nice ticks, safe text, numbers as shown.
#include "records/report/drawable_text.hpp"
#include "records/report/report_text.hpp"
#include "records/report/ticks.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <limits>

namespace tractus::records::report {
namespace {

using ::testing::ElementsAre;

TEST(NiceTicks, AForceAxisStepsBy50NewtonsUpToTheFirstTickAboveThePeak) {
  const Ticks t = nice_ticks(0, 329.5, 6);
  EXPECT_EQ(t.step, 50);
  EXPECT_EQ(t.max, 350);
  EXPECT_THAT(t.values, ElementsAre(0, 50, 100, 150, 200, 250, 300, 350));
  EXPECT_EQ(t.decimals, 0);
}

TEST(NiceTicks, StepsAreOneTwoOrFiveTimesAPowerOfTen) {
  EXPECT_EQ(nice_step(20, 10), 2);
  EXPECT_EQ(nice_step(1, 4), 0.2); // 0.25 is no nice step: 0.2 is the nearest
  EXPECT_EQ(nice_step(0.7, 6), 0.1);
  EXPECT_EQ(nice_step(7000, 6), 1000);
  EXPECT_EQ(nice_step(40, 20), 2);
  EXPECT_EQ(nice_step(90, 20), 5);
  EXPECT_EQ(nice_ticks(0, 1, 4).decimals, 1);
}

TEST(NiceTicks, ASecondScaleKeepsTheRangeAndFindsItsOwnSteps) {
  const Ticks lbf = ticks_within(0, 350 / 4.4482216152605, 6); // 0 to 78.7 lbf
  EXPECT_EQ(lbf.step, 10);
  EXPECT_NEAR(lbf.max, 78.68, 0.01);
  EXPECT_THAT(lbf.values, ElementsAre(0, 10, 20, 30, 40, 50, 60, 70));
}

TEST(NiceTicks, ARangeThatIsEmptyReversedOrNotFiniteStillMakesAnAxis) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_THAT(nice_ticks(nan, 5, 5).values.size(), ::testing::Gt(1U));
  EXPECT_EQ(nice_ticks(nan, 5, 5).min, 0);
  const Ticks flat = nice_ticks(200, 200, 5);
  EXPECT_LT(flat.min, 200);
  EXPECT_GT(flat.max, 200);
  const Ticks reversed = nice_ticks(10, 0, 5);
  EXPECT_EQ(reversed.min, 0);
  EXPECT_EQ(reversed.max, 10);
}

TEST(DrawableText, ControlCharactersBecomeSpacesAndValidTextStays) {
  EXPECT_EQ(drawable_text("a\nb\tc\x7F"
                          "d\r"),
            "a b c d ");
  EXPECT_EQ(drawable_text("Schmerz übel · 3 → 2 日本"), "Schmerz übel · 3 → 2 日本");
  EXPECT_EQ(drawable_text("c1\xC2\x85"
                          "end"),
            "c1 end"); // U+0085, a C1 control
}

TEST(DrawableText, BytesThatAreNoUtf8BecomeReplacementCharacters) {
  const std::string r = "\xEF\xBF\xBD";
  EXPECT_EQ(drawable_text("ok\xFF"), "ok" + r);
  EXPECT_EQ(drawable_text("\xC0\xAF"), r + r);         // an overlong "/"
  EXPECT_EQ(drawable_text("\xED\xA0\x80"), r + r + r); // a surrogate
  EXPECT_EQ(drawable_text("cut \xE2\x86"), "cut " + r + r);
}

TEST(DrawableText, TheLastCharacterGoesWhole) {
  EXPECT_EQ(without_last_character("3 →"), "3 ");
  EXPECT_EQ(without_last_character("日本"), "日");
  EXPECT_EQ(without_last_character(""), "");
}

TEST(ReportText, ValuesReadAsACliniciansReadsThem) {
  EXPECT_EQ(force_text(313.81), "313.8 N = 70.5 lbf");
  EXPECT_EQ(force_text(std::nullopt), "—");
  EXPECT_EQ(force_text(std::numeric_limits<double>::quiet_NaN()), "—");
  EXPECT_EQ(clock_text(725.9), "12:05");
  EXPECT_EQ(clock_text(5), "0:05");
  EXPECT_EQ(size_text(1934112), "1.9 MB (1,934,112 bytes)");
  EXPECT_EQ(size_text(5120), "5.1 kB (5,120 bytes)");
  EXPECT_EQ(utc_text("2026-12-06T09:30:00Z"), "2026-12-06 09:30:00 UTC");
  EXPECT_EQ(pain_change_text(6, 2), "6 → 2");
  EXPECT_EQ(pain_change_text(std::nullopt, std::nullopt), "—");
}

} // namespace
} // namespace tractus::records::report
