// The rule by which a session test runs a session again (support/machine_pauses.hpp): only a
// fault of the machine's timing (201, 303, 308–310) that a pause of a sentinel's CPU as long as
// the fault needs explains, never another fault, never a pause at another moment. A broken rule
// here would excuse the loop's own stalls.
#include "harness/tractus_run.hpp"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <filesystem>

using namespace tractus::integration;
using Gap = PauseSentinel::Gap;
using std::chrono::duration;

namespace {
constexpr double kFault = 1'796'469'108.0; // the journal's second of the fault
Gap pause(double ended_unix, double ms, int cpu = 1) {
  return {ended_unix, duration<double, std::milli>(ms), cpu};
}
} // namespace

TEST(MachinePauses, A201WithAPauseEndingInTheFaultsSecondIsTheMachines) {
  const auto p = pause_behind({201, kFault}, {pause(kFault - 30, 90), pause(kFault + 0.6, 145)});
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->length.count(), 145);
}

TEST(MachinePauses, AnotherFaultIsNeverExcusedWhateverTheSentinelSaw) {
  // completed, operator stop, over-force, rise too fast, implausible, E-stop, journal, travel
  for (int code : {0, 151, 301, 302, 305, 307, 204, 311})
    EXPECT_FALSE(pause_behind({code, kFault}, {pause(kFault + 0.5, 1000)})) << code;
}

TEST(MachinePauses, ADeviceSilentForTheCommWindowIsExplainedByA25msPauseOfAnyCpu) {
  for (int code : {308, 309, 310}) {
    EXPECT_FALSE(pause_behind({code, kFault}, {pause(kFault + 0.5, 24.9, 0)})) << code;
    const auto p = pause_behind({code, kFault}, {pause(kFault + 0.5, 25, 0)});
    ASSERT_TRUE(p) << code;
    EXPECT_EQ(p->cpu, 0);
    EXPECT_FALSE(pause_behind({code, kFault}, {pause(kFault - 2, 145, 0)})) << code;
  }
}

TEST(MachinePauses, AFrozenCounterIsExplainedByA15msPause) {
  EXPECT_FALSE(pause_behind({303, kFault}, {pause(kFault + 0.2, 14.9)}));
  EXPECT_TRUE(pause_behind({303, kFault}, {pause(kFault + 0.2, 15)}));
}

TEST(MachinePauses, A201WithoutAPauseAtThatMomentIsTheLoopsOwn) {
  EXPECT_FALSE(pause_behind({201, kFault}, {}));
  EXPECT_FALSE(pause_behind({201, kFault}, {pause(kFault - 0.5, 145)})); // before the second
  EXPECT_FALSE(pause_behind({201, kFault}, {pause(kFault + 1.5, 145)})); // after it
}

TEST(MachinePauses, AGapShorterThanAMachinePauseExplainsNothing) {
  EXPECT_FALSE(pause_behind({201, kFault}, {pause(kFault + 0.5, 39)}));
  EXPECT_TRUE(pause_behind({201, kFault}, {pause(kFault + 0.5, 40)}));
}

TEST(MachinePauses, TheFaultsMomentIsTheJournalsStartPlusItsTime) {
  tractus::controller::JournalContents j;
  j.header = {{"started_utc", "2026-12-05T11:11:45Z"}};
  j.events = {{{"event", "state"}, {"t", 1.0}}, {{"event", "fault"}, {"code", 201}, {"t", 2.95}}};
  const SessionEnd end = session_end(j);
  EXPECT_EQ(end.fault_code, 201);
  EXPECT_DOUBLE_EQ(end.fault_unix, 1'796'469'105.0 + 2.95);
  j.events.pop_back();
  EXPECT_EQ(session_end(j).fault_code, 0); // completed: nothing to explain
}

// test_riding_machine_pauses: a failure with no fault of the machine's timing in the journal
// (here: no journal at all) is the test's own, reported once, from the one attempt it ran.
TEST(MachinePauses, AFailedAttemptWithoutATimingFaultIsReportedAndNotRunAgain) {
  int attempts = 0;
  EXPECT_NONFATAL_FAILURE(test_riding_machine_pauses([&](const ScratchDir &) {
                            ++attempts;
                            ADD_FAILURE() << "the pull fell short";
                          }),
                          "the pull fell short");
  EXPECT_EQ(attempts, 1);
}

TEST(MachinePauses, APassingAttemptIsRunOnceAndKeepsNoFailure) {
  int attempts = 0;
  test_riding_machine_pauses([&](const ScratchDir &dir) {
    ++attempts;
    EXPECT_TRUE(std::filesystem::is_directory(dir.path()));
  });
  EXPECT_EQ(attempts, 1);
}
