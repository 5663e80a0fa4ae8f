// A loop the PC stalls for longer than the drive's 100 ms watchdog, in Ready with torque off:
// the drive faults 0x8130 for the silence, and the start would be refused 114 until a person
// unloaded the session. The session clears that trip, and only that trip, with one fault-reset
// edge (Session::reset_stall_trip), journaled with the stall's length.
#include "unit/controller/session_fixture.hpp"

using namespace tractus;
using namespace tractus::controller;
using namespace tractus::controller::bench;

namespace {

int fault_resets(const std::vector<CycleOutput> &outs) {
  int n = 0;
  for (const CycleOutput &out : outs)
    n += out.command.fault_reset ? 1 : 0;
  return n;
}

// The next 20 cycles send no reset and journal none, and the start is refused 114 alone.
void expect_left_for_a_person(SessionBench &bench) {
  std::vector<CycleOutput> after;
  for (int i = 0; i < 20; ++i)
    after.push_back(bench.cycle());
  EXPECT_EQ(fault_resets(after), 0);
  EXPECT_TRUE(bench.times_of(EventKind::WatchdogReset).empty());
  EXPECT_TRUE(refused_with_only(bench.cycle(start_request()), FaultCode::DriveNotReady));
}

} // namespace

TEST(StallTrip, AStallInReadyThatTripsTheWatchdogIsResetOnceAndTheStartGoesAhead) {
  SessionBench bench;
  bench.pass_press_test();
  const CycleOutput stalled = bench.cycle({}, milliseconds(150)); // 1.5 watchdog timeouts
  ASSERT_EQ(bench.sim().drive_model().fault_code(), hal::kDriveWatchdogExpired)
      << "the stall did not trip the drive's watchdog: the test proves nothing";
  EXPECT_FALSE(stalled.command.fault_reset) << "reset before the drive said why it stopped";
  // The drive's status comes a cycle late: the trip shows in the next cycle's readings.
  std::vector<CycleOutput> after;
  for (int i = 0; i < 20; ++i)
    after.push_back(bench.cycle());
  EXPECT_EQ(fault_resets(after), 1);
  EXPECT_TRUE(after.front().command.fault_reset) << "the trip was not reset at once";
  const std::vector<Duration> resets = bench.times_of(EventKind::WatchdogReset);
  ASSERT_EQ(resets.size(), 1U);
  for (const LoggedEvent &e : bench.events())
    if (e.event.kind == EventKind::WatchdogReset) {
      EXPECT_NEAR(e.event.value, 0.150, 1e-9) << "the event's value is the stall, in seconds";
      EXPECT_EQ(e.event.state, State::Ready);
      EXPECT_EQ(e.event.code, FaultCode::None) << "a notice, not a fault";
    }
  for (const CycleOutput &out : after) {
    EXPECT_FALSE(out.command.enable) << "the reset enabled the drive";
    EXPECT_EQ(out.state, State::Ready);
    EXPECT_FALSE(out.alarm);
  }
  EXPECT_EQ(bench.sim().drive_model().fault_code(), 0) << "the reset did not clear the trip";
  const CycleOutput started = bench.cycle(start_request());
  EXPECT_EQ(started.state, State::Pretension) << "the start was refused after the reset";
  EXPECT_TRUE(SessionBench::refusals(started).empty());
}

// Without the reset, the same stall is a start refused 114: what the reset exists for, shown on
// the same bench (a session whose stall threshold is above the stall does not own the trip).
TEST(StallTrip, ATripTheSessionDidNotSeeItsLoopCauseIsLeftForAPerson) {
  BenchSetup setup;
  setup.timings.stall_after = milliseconds(200); // a 150 ms late cycle is not a stall here
  SessionBench bench(setup);
  bench.pass_press_test();
  bench.cycle({}, milliseconds(150));
  expect_left_for_a_person(bench);
}

// A stall that does not trip the watchdog (60 ms), then another fault of the drive: it is the
// drive's own (over-current), and stays for a person whatever came before it.
TEST(StallTrip, AnotherDriveFaultAfterAStallIsNotReset) {
  SessionBench bench;
  bench.pass_press_test();
  bench.cycle({}, milliseconds(60));
  bench.inject("drive-fault");
  expect_left_for_a_person(bench);
}

// A trip that comes later than the window after a stall is not the stall's: here the link lost
// the drive's commands for 150 ms (the loop on time), and the trip stays for a person.
TEST(StallTrip, ATripLaterThanTheWindowAfterAStallIsNotReset) {
  SessionBench bench;
  bench.pass_press_test();
  bench.cycle({}, milliseconds(60)); // a stall, too short to trip the watchdog
  ASSERT_EQ(bench.sim().drive_model().fault_code(), 0);
  bench.run_for(milliseconds(150)); // past the 100 ms window
  bench.sim().links().drive_timeout = true;
  bench.run_for(milliseconds(150));
  bench.sim().links().drive_timeout = false;
  ASSERT_EQ(bench.sim().drive_model().fault_code(), hal::kDriveWatchdogExpired)
      << "the lost commands did not trip the watchdog: the test proves nothing";
  expect_left_for_a_person(bench);
}

// Each stall's trip is reset once: a second stall later in Ready is reset again.
TEST(StallTrip, EachStallsTripIsResetOnce) {
  SessionBench bench;
  bench.pass_press_test();
  bench.cycle({}, milliseconds(150));
  bench.run_for(seconds(1));
  bench.cycle({}, milliseconds(250));
  bench.run_for(seconds(1));
  EXPECT_EQ(bench.times_of(EventKind::WatchdogReset).size(), 2U);
  EXPECT_EQ(bench.cycle(start_request()).state, State::Pretension);
}

// Once torque is on, a stall is 201 (loop-overrun) and the drive stays faulted and disabled: the
// reset is for a table at rest only.
TEST(StallTrip, AStallDuringTreatmentIsAFaultNeverAReset) {
  SessionBench bench;
  bench.treat_into_hold();
  const CycleOutput stalled = bench.cycle({}, milliseconds(150));
  EXPECT_EQ(stalled.state, State::Fault);
  EXPECT_EQ(stalled.fault, FaultCode::LoopOverrun);
  ASSERT_EQ(bench.sim().drive_model().fault_code(), hal::kDriveWatchdogExpired)
      << "the stall did not trip the drive's watchdog: the test proves nothing";
  bench.run_for(milliseconds(300), [](const CycleOutput &out) {
    EXPECT_FALSE(out.command.fault_reset);
    EXPECT_FALSE(out.command.enable);
  });
  EXPECT_TRUE(bench.times_of(EventKind::WatchdogReset).empty());
  EXPECT_EQ(bench.sim().drive_model().fault_code(), hal::kDriveWatchdogExpired);
}
