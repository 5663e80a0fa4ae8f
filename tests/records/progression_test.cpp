// The progression rule: +step while the last visit went well, held otherwise with the reason,
// never above the ceiling, never lowered by itself.
#include "records/progression.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tractus::records {
namespace {

using ::testing::HasSubstr;

// 5 lbf = 22.24 N a visit, from 200 N up to 300 N.
const ProgressionRule kRule{200.0, 22.24, 300.0};

VisitResult went_well(int number, double force) {
  return {number, force, "completed", false, 3, 2};
}

TEST(Progression, TheFirstVisitIsTheStartingForce) {
  const auto p = propose_force(kRule, {});
  EXPECT_EQ(p.visit, 1);
  EXPECT_DOUBLE_EQ(p.force_n, 200.0);
  EXPECT_FALSE(p.raised);
}

TEST(Progression, AVisitThatWentWellAddsTheStepUpToTheCeilingAndNoFurther) {
  std::vector<VisitResult> visits;
  double force = 200.0;
  std::vector<double> proposed;
  for (int n = 1; n <= 8; ++n) {
    visits.push_back(went_well(n, force));
    const auto p = propose_force(kRule, visits);
    EXPECT_EQ(p.visit, n + 1);
    proposed.push_back(p.force_n);
    force = p.force_n;
  }
  EXPECT_NEAR(proposed[0], 222.24, 1e-9);
  EXPECT_NEAR(proposed[3], 288.96, 1e-9);
  EXPECT_DOUBLE_EQ(proposed[4], 300.0); // 311.2 capped
  EXPECT_DOUBLE_EQ(proposed[7], 300.0);
  EXPECT_THAT(propose_force(kRule, visits).why, HasSubstr("ceiling"));
}

TEST(Progression, AStopAGuardingAlarmOrMorePainHoldsTheForceAndSaysWhich) {
  struct Case {
    VisitResult last;
    const char *why;
  } cases[] = {
      {{4, 266.7, "stopped", false, 3, 2}, "did not complete (stopped)"},
      {{4, 266.7, "fault", false, 3, 2}, "did not complete (fault)"},
      {{4, 266.7, "interrupted", false, 3, 2}, "did not complete (interrupted)"},
      {{4, 266.7, "completed", true, 3, 2}, "guarding alarm"},
      {{4, 266.7, "completed", false, 3, 5}, "pain rose from 3 to 5"},
      {{4, 266.7, "completed", false, std::nullopt, 2}, "pain before was not recorded"},
      {{4, 266.7, "completed", false, 3, std::nullopt}, "pain after was not recorded"},
      {{4, 266.7, "", false, std::nullopt, std::nullopt}, "has no session yet"},
  };
  for (const auto &c : cases) {
    const auto p = propose_force(kRule, {went_well(3, 244.5), c.last});
    EXPECT_EQ(p.visit, 5);
    EXPECT_DOUBLE_EQ(p.force_n, 266.7) << c.why; // held, never lowered
    EXPECT_FALSE(p.raised);
    EXPECT_THAT(p.why, HasSubstr(c.why));
    EXPECT_THAT(p.why, HasSubstr("held at visit 4"));
  }
}

TEST(Progression, EqualPainIsNoIncreaseAndTheStepResumesAfterAHold) {
  auto p = propose_force(kRule, {VisitResult{1, 200.0, "completed", false, 4, 4}});
  EXPECT_NEAR(p.force_n, 222.24, 1e-9);
  // Visit 2 was stopped at 222.24 N and held; visit 3 went well at that force: +step again.
  p = propose_force(
      kRule, {went_well(1, 200.0), {2, 222.24, "stopped", false, 4, 4}, went_well(3, 222.24)});
  EXPECT_NEAR(p.force_n, 244.48, 1e-9);
}

TEST(Progression, AClinicianWhoConfirmedLessIsFollowedFromTheirForce) {
  // Proposed 244.5 N at visit 3, the clinician chose 230 N: the rule builds on 230 N.
  const auto p =
      propose_force(kRule, {went_well(1, 200.0), went_well(2, 222.24), went_well(3, 230.0)});
  EXPECT_NEAR(p.force_n, 252.24, 1e-9);
}

} // namespace
} // namespace tractus::records
