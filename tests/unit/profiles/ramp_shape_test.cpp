// Ramp shapes (docs/profiles.md "Ramp shapes"): read and refused by the parser, drawn by the
// trajectory as documented, checked against the rate limit at their steepest point, written
// back only when not linear.
#include "test_support.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <numbers>

namespace tractus::profiles {
namespace {

using testing::compiled;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::parsed;
using testing::problems_of;

constexpr double kN = 1e-6;

// Lumbar static 400 N, 40 s ramps, 10 min, with `shape` (none: left out). A logarithmic ramp
// from 15 N to 400 N in 40 s is at most 37.6 N/s, under the 50 N/s limit.
std::string static_400(const std::string &shape, const std::string &ramp = "40 s") {
  return R"({"format": "tractus.profile/1", "id": "s", "name": "S", "region": "lumbar",
    "mode": "static", "max_force": "400 N", "ramp": ")" +
         ramp + "\"" + (shape.empty() ? "" : R"(, "ramp_shape": ")" + shape + "\"") +
         R"(, "duration": "10 min"})";
}

double force_at(const Trajectory &t, double s) { return t.at(seconds(s)).force.si(); }

TEST(RampShape, LinearIsTheDefaultAndLeftOutWhenWritten) {
  const Profile plain = parsed(static_400(""));
  EXPECT_EQ(plain.ramp_shape, RampShape::Linear);
  EXPECT_EQ(parsed(static_400("linear")), plain);
  EXPECT_THAT(to_json_text(plain), Not(HasSubstr("ramp_shape")));
  const Profile log = parsed(static_400("logarithmic"));
  EXPECT_THAT(to_json_text(log), HasSubstr(R"("ramp_shape": "logarithmic")"));
  Profile again = parsed(to_json_text(log));
  EXPECT_EQ(again.ramp_shape, RampShape::Logarithmic);
  EXPECT_EQ(again, log);
}

TEST(RampShape, AnUnknownShapeOrOneInCyclicModeIsRefusedByName) {
  EXPECT_THAT(problems_of(static_400("exponential")),
              ElementsAre("t.json: /ramp_shape: \"exponential\" is not a ramp shape (linear, "
                          "logarithmic or s-curve)"));
  EXPECT_THAT(problems_of(R"({"format": "tractus.profile/1", "id": "c", "name": "C",
    "region": "lumbar", "mode": "cyclic", "max_force": "300 N", "rest_force": "50 %max",
    "ramp": "20 s", "ramp_shape": "logarithmic", "duration": "10 min"})"),
              ElementsAre("t.json: /ramp_shape: has no meaning in cyclic mode (remove it)"));
}

TEST(RampShape, TheLogarithmicRampIsLog10Of1Plus9xOfTheWayAndFastestAtItsStart) {
  const Trajectory t = compiled(parsed(static_400("logarithmic")), 100);
  const double change = 400.0 - 15.0;
  EXPECT_NEAR(force_at(t, 0), 15.0, kN);
  EXPECT_NEAR(force_at(t, 20), 15.0 + change * std::log10(1.0 + 9.0 * 0.5), kN); // 74 % there
  EXPECT_NEAR(force_at(t, 20), 300.04, 0.01);
  EXPECT_NEAR(force_at(t, 40), 400.0, kN);
  // The steepest rate, at the start: 9 / ln 10 times the linear one.
  EXPECT_NEAR(t.at(seconds(0)).rate.si(), change / 40.0 * 9.0 / std::log(10.0), kN);
  EXPECT_NEAR(t.peak_rate().si(), change / 40.0 * 9.0 / std::log(10.0), kN);
  // The release stays linear: 400 N in 40 s.
  EXPECT_NEAR(t.at(seconds(585)).rate.si(), -400.0 / 40.0, kN);
}

TEST(RampShape, TheSCurveIsARaisedCosineWithNoRateAtEitherEnd) {
  const Trajectory t = compiled(parsed(static_400("s-curve")), 100);
  EXPECT_NEAR(t.at(seconds(0)).rate.si(), 0.0, kN);
  EXPECT_NEAR(force_at(t, 20), 207.5, kN); // halfway at half the ramp
  EXPECT_NEAR(force_at(t, 10), 15.0 + 385.0 * (1.0 - std::cos(std::numbers::pi / 4)) / 2, kN);
  EXPECT_NEAR(t.peak_rate().si(), 385.0 / 40.0 * std::numbers::pi / 2, kN);
}

TEST(RampShape, TheRateLimitHoldsAtTheSteepestPointAndTheRefusalNamesTheShape) {
  // 10 s from 15 N to 400 N: 38.5 N/s linear (allowed), 150.5 N/s logarithmic (refused).
  EXPECT_TRUE(parse_profile(static_400("", "10 s"), "t.json").ok());
  EXPECT_THAT(problems_of(static_400("logarithmic", "10 s")),
              ElementsAre("t.json: /ramp: 10 s logarithmic is too short, the force would change "
                          "at 150.5 N/s (at most 50 N/s, a ramp of at least 30.1 s)"));
  EXPECT_TRUE(parse_profile(static_400("logarithmic", "31 s"), "t.json").ok());
}

TEST(RampShape, IntermittentRampsUpAndDownTakeTheShape) {
  const Trajectory t = compiled(parsed(R"({"format": "tractus.profile/1", "id": "i",
    "name": "I", "region": "lumbar", "mode": "intermittent", "max_force": "300 N",
    "rest_force": "150 N", "hold": "30 s", "rest": "20 s", "ramp": "30 s",
    "ramp_shape": "logarithmic", "duration": "10 min"})"),
                                100);
  // Up from 15 N: 74 % of the way at half the ramp; down from 300 N to 150 N likewise.
  EXPECT_NEAR(force_at(t, 15), 15.0 + 285.0 * std::log10(5.5), kN);
  EXPECT_NEAR(force_at(t, 30 + 30 + 15), 300.0 - 150.0 * std::log10(5.5), kN);
}

} // namespace
} // namespace tractus::profiles
