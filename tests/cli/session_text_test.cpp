// `tractus run`'s printed summary (apps/cli/session_text.hpp): the muscle-guarding line — the
// count, the largest size in N and lbf as the other forces are printed, the time under way —
// said only when the session had some.
#include "cli/session_text.hpp"

#include "controller/session_stats.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>

namespace tractus::cli {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string summary_of(const controller::SessionStats &stats) {
  const auto profile = profiles::find_profile("lumbar-static");
  const auto trajectory = profiles::compile(*profile.value, {"P-0042", kilograms(80)});
  controller::LoopReport report;
  report.last.outcome = controller::Outcome::Completed;
  std::ostringstream out;
  print_summary(out, "s1", *profile.value, *trajectory.value, "P-0042", kilograms(80), report,
                stats, "sessions/s1.jsonl");
  return out.str();
}

controller::CycleOutput treating(bool guarding) {
  controller::CycleOutput out;
  out.state = controller::State::Treating;
  out.guarding = guarding;
  return out;
}

controller::CycleOutput cycle(bool guarding, controller::EventKind kind, double size_n) {
  controller::CycleOutput out = treating(guarding);
  out.events[0] =
      controller::Event{kind, controller::State::Treating, controller::FaultCode::None, "", size_n};
  out.event_count = 1;
  return out;
}

TEST(SessionText, SaysTheGuardingCountAndTheLargestInNewtonsAndPounds) {
  controller::SessionStats stats;
  // Two spasms: 14.2 N growing to 18.6 N over 4 s, then 11 N to 12.3 N over 2.5 s.
  stats.add(cycle(true, controller::EventKind::GuardingOnset, 14.2), seconds(0.001));
  for (int i = 0; i < 3999; ++i)
    stats.add(treating(true), seconds(0.001));
  stats.add(cycle(false, controller::EventKind::GuardingEnd, 18.6), seconds(0.001));
  stats.add(cycle(true, controller::EventKind::GuardingOnset, 11.0), seconds(0.001));
  for (int i = 0; i < 2499; ++i)
    stats.add(treating(true), seconds(0.001));
  stats.add(cycle(false, controller::EventKind::GuardingEnd, 12.3), seconds(0.001));
  const std::string text = summary_of(stats);
  EXPECT_THAT(text, HasSubstr("Guarding  2 muscle-guarding events, largest 18.6 N = 4.2 lbf, "
                              "6.5 s in all\n"))
      << text;
}

TEST(SessionText, SaysNothingOfGuardingWhenThereWasNone) {
  controller::SessionStats stats;
  stats.add(treating(false), seconds(1));
  EXPECT_THAT(summary_of(stats), Not(HasSubstr("Guarding")));
}

} // namespace
} // namespace tractus::cli
