// The rule by which a session test runs a session again (harness/machine_pauses.hpp): only a
// 201 that a pause of the sentinel's own explains, never another fault, never a pause at
// another moment. A broken rule here would excuse the loop's own stalls.
#include "harness/machine_pauses.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

using namespace tractus::integration;
using Gap = PauseSentinel::Gap;
using std::chrono::duration;

namespace {
constexpr double kFault = 1'796'469'108.0; // the journal's second of the fault
Gap pause(double ended_unix, double ms) { return {ended_unix, duration<double, std::milli>(ms)}; }
} // namespace

TEST(MachinePauses, A201WithAPauseEndingInTheFaultsSecondIsTheMachines) {
  const auto p = pause_behind({201, kFault}, {pause(kFault - 30, 90), pause(kFault + 0.6, 145)});
  ASSERT_TRUE(p);
  EXPECT_DOUBLE_EQ(p->length.count(), 145);
}

TEST(MachinePauses, AnotherFaultIsNeverExcusedWhateverTheSentinelSaw) {
  for (int code : {0, 151, 301, 303, 308, 309, 310})
    EXPECT_FALSE(pause_behind({code, kFault}, {pause(kFault + 0.5, 145)})) << code;
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
