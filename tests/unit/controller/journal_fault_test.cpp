// A journal that cannot be written (fault 204, refusal 118) and the cycle's event buffer
// (issue 11), cycle by cycle against the simulated table as in session_start_test.cpp and its
// siblings: the journal's health reaches the session as Readings::journal_failed.
#include "unit/controller/session_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <optional>

namespace tractus::controller {
namespace {

using bench::acknowledgement;
using bench::BenchSetup;
using bench::kPeriod;
using bench::SessionBench;
using bench::start_request;
using ::testing::ElementsAre;

constexpr double kEmergencyStep = 400 * 0.001; // N per 1 ms cycle at 400 N/s

TEST(JournalFault, InTreatmentLatches204WithTheAlarmAndReleasesWithTheDriveOn) {
  SessionBench bench;
  bench.treat_into_hold();
  const double before = bench.last().setpoint.si();
  bench.set_journal_failed(true);
  const CycleOutput &out = bench.cycle();
  EXPECT_TRUE(SessionBench::has(out, EventKind::FaultLatched, FaultCode::JournalUnwritable));
  EXPECT_TRUE(SessionBench::has(out, EventKind::Alarm, FaultCode::JournalUnwritable));
  EXPECT_EQ(out.state, State::Releasing);
  EXPECT_EQ(out.fault, FaultCode::JournalUnwritable);
  EXPECT_EQ(out.outcome, Outcome::Faulted);
  EXPECT_TRUE(out.alarm);
  EXPECT_TRUE(out.command.enable); // a controlled release, not a torque-off
  EXPECT_NEAR(before - out.setpoint.si(), kEmergencyStep, 0.01 * kEmergencyStep);
}

// Stop category 1: 200 N down to 15 N at 400 N/s (0.46 s), held, the drive disabled 5 s after
// the release reached 15 N, and the session then rests latched in Fault; the true tension is
// below 15 N within 3 s of the fault.
TEST(JournalFault, ReleasesBelow15NewtonsWithin3SecondsAndEndsInFaultWithTheDriveOff) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.set_journal_failed(true);
  const Duration fault_at = bench.now() + kPeriod;
  std::optional<Duration> setpoint_at_15, true_below_15;
  const CycleOutput &out = bench.run_until(
      [&](const CycleOutput &o) {
        if (!setpoint_at_15 && o.setpoint.si() <= 15.0 && o.state == State::Releasing)
          setpoint_at_15 = bench.now();
        if (!true_below_15 && bench.sim().true_force().si() < 15.0) true_below_15 = bench.now();
        return o.state == State::Fault;
      },
      seconds(8), "Fault");
  ASSERT_TRUE(setpoint_at_15 && true_below_15);
  EXPECT_LT((*true_below_15 - fault_at).si(), 3.0);
  EXPECT_NEAR((bench.now() - *setpoint_at_15).si(), 5.0, 2 * kPeriod.si());
  EXPECT_EQ(out.fault, FaultCode::JournalUnwritable);
  EXPECT_EQ(out.outcome, Outcome::Faulted);
  EXPECT_FALSE(out.command.enable);
  bench.run_for(milliseconds(10));
  EXPECT_FALSE(bench.sim().drive_enabled());
  std::printf("journal fault: true tension below 15 N %.3f s after it\n",
              (*true_below_15 - fault_at).si());
}

TEST(JournalFault, AnAcknowledgementOnceInFaultClearsItToIdle) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.set_journal_failed(true);
  bench.run_until([](const CycleOutput &o) { return o.state == State::Fault; }, seconds(8),
                  "Fault");
  const CycleOutput &out = bench.cycle(acknowledgement());
  EXPECT_TRUE(SessionBench::has(out, EventKind::FaultCleared, FaultCode::JournalUnwritable));
  EXPECT_EQ(out.state, State::Idle);
  EXPECT_FALSE(out.alarm);
  EXPECT_FALSE(out.command.enable);
}

// A patient-switch stop already releasing: the journal fault is still latched and reported.
TEST(JournalFault, DuringAStopsReleaseIsStillLatchedAndEndsInFault) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.cycle(bench::stop_request());
  bench.run_for(milliseconds(100));
  bench.set_journal_failed(true);
  const CycleOutput &out = bench.cycle();
  EXPECT_TRUE(SessionBench::has(out, EventKind::FaultLatched, FaultCode::JournalUnwritable));
  EXPECT_TRUE(out.command.enable);
  const CycleOutput &end = bench.run_until(
      [](const CycleOutput &o) { return o.state == State::Fault || o.state == State::Complete; },
      seconds(8), "the end of the release");
  EXPECT_EQ(end.state, State::Fault);
  EXPECT_EQ(end.fault, FaultCode::JournalUnwritable);
}

TEST(StartInterlock, WithTheJournalShortOfRoomTheStartIsRefusedWith118Only) {
  SessionBench bench;
  bench.pass_press_test();
  bench.set_journal_failed(true);
  const CycleOutput &out = bench.cycle(start_request());
  EXPECT_TRUE(bench::refused_with_only(out, FaultCode::JournalNoRoom));
}

// ---- the event buffer ----------------------------------------------------------------------

// Issue 11: in Ready, an acknowledgement and a start with eight conditions missing are ten
// events in one cycle; an eight-event buffer lost two refusals. Every one is reported now, none
// dropped, and the start is refused because conditions failed.
TEST(EventBuffer, AReadyCycleWithAnAcknowledgementAStartAndEightRefusalsKeepsAllTen) {
  BenchSetup setup;
  setup.calibration_valid = false;
  setup.screening_confirmed = false;
  setup.configure_watchdog = false;
  SessionBench bench(setup);
  bench.inject("estop");
  bench.inject("switch-disconnect");
  bench.set_journal_failed(true);
  bench.run_for(milliseconds(100));
  OperatorInput op = start_request();
  op.acknowledge = true;
  const CycleOutput &out = bench.cycle(op);
  EXPECT_EQ(out.event_count, 10);
  EXPECT_EQ(out.events_dropped, 0);
  EXPECT_THAT(SessionBench::refusals(out),
              ElementsAre(FaultCode::CalibrationInvalid, FaultCode::PatientSwitchNotConnected,
                          FaultCode::PressTestNotPassed, FaultCode::EstopOpenAtStart,
                          FaultCode::DriveNotReady, FaultCode::WatchdogNotConfigured,
                          FaultCode::ScreeningNotConfirmed, FaultCode::JournalNoRoom));
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
}

// The cycle of issue 11 itself: the press test passes, the operator acknowledges and starts,
// and seven conditions fail (the protocol did not compile for this patient: Idle).
TEST(EventBuffer, APressTestAnAcknowledgementAStartAndSevenRefusalsAreTenEventsAllKept) {
  BenchSetup setup;
  setup.trajectory = nullptr;
  setup.calibration_valid = false;
  setup.screening_confirmed = false;
  setup.configure_watchdog = false;
  SessionBench bench(setup);
  bench.inject("estop");
  bench.set_journal_failed(true);
  bench.sim().safety_model().press_patient_switch(0, seconds(0.2)); // pressed 0 to 200 ms
  bench.run_for(milliseconds(199));
  OperatorInput op = start_request();
  op.acknowledge = true;
  const CycleOutput &out = bench.cycle(op); // 200 ms: released, the press test passes
  EXPECT_TRUE(SessionBench::has(out, EventKind::PressTestPassed));
  EXPECT_TRUE(SessionBench::has(out, EventKind::Acknowledged));
  EXPECT_EQ(out.event_count, 10);
  EXPECT_EQ(out.events_dropped, 0);
  EXPECT_THAT(SessionBench::refusals(out),
              ElementsAre(FaultCode::CalibrationInvalid, FaultCode::EstopOpenAtStart,
                          FaultCode::DriveNotReady, FaultCode::WatchdogNotConfigured,
                          FaultCode::ScreeningNotConfirmed, FaultCode::ProfileInvalidForPatient,
                          FaultCode::JournalNoRoom));
  EXPECT_EQ(out.state, State::Idle);
}

} // namespace
} // namespace tractus::controller
