// The supervisor (Session::step) cycle by cycle against the simulated table (DESIGN §5): start
// interlocks, press test, pretension, pause and resume, stops, alarms, latched faults, the end
// of treatment and measured dt. One behaviour per test, each with the figure it holds.
//
// Unless a test says otherwise: a calm 80 kg patient, the 1 min static protocol of
// session_fixture.hpp (ramps of 4 s to a 200 N hold), 1 ms cycles.
#include "unit/controller/session_fixture.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace tractus::controller {
namespace {

using bench::acknowledgement;
using bench::BenchSetup;
using bench::kHold;
using bench::kPeriod;
using bench::pause_request;
using bench::resume_request;
using bench::SessionBench;
using bench::start_request;
using bench::stop_request;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr double kTiny = 1e-9; // N or s: arithmetic rounding only
constexpr double per_cycle(double newtons_per_second) { return newtons_per_second * kPeriod.si(); }
constexpr double kTreatmentStep = per_cycle(50);  // N per 1 ms cycle at 50 N/s
constexpr double kEmergencyStep = per_cycle(400); // N per 1 ms cycle at 400 N/s

// The start request in a Ready session whose patient has done the press test.
CycleOutput start_after_press_test(SessionBench &bench) {
  bench.pass_press_test();
  return bench.cycle(start_request());
}

// ---- start interlocks --------------------------------------------------------------------

TEST(StartInterlock, WithEveryConditionMetTheStartEntersPretension) {
  SessionBench bench;
  const CycleOutput out = start_after_press_test(bench);
  EXPECT_EQ(out.state, State::Pretension);
  EXPECT_THAT(SessionBench::refusals(out), IsEmpty());
  EXPECT_TRUE(bench.cycle().command.enable); // torque from the next cycle on
}

TEST(StartInterlock, WithoutAPressTestTheStartIsRefusedWith112Only) {
  SessionBench bench;
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_THAT(SessionBench::refusals(out), ElementsAre(FaultCode::PressTestNotPassed));
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
}

TEST(StartInterlock, WithAnInvalidCalibrationTheStartIsRefusedWith110Only) {
  BenchSetup setup;
  setup.calibration_valid = false;
  SessionBench bench(setup);
  const CycleOutput out = start_after_press_test(bench);
  EXPECT_THAT(SessionBench::refusals(out), ElementsAre(FaultCode::CalibrationInvalid));
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
}

TEST(StartInterlock, WithoutTheScreeningConfirmedTheStartIsRefusedWith116Only) {
  BenchSetup setup;
  setup.screening_confirmed = false;
  SessionBench bench(setup);
  const CycleOutput out = start_after_press_test(bench);
  EXPECT_THAT(SessionBench::refusals(out), ElementsAre(FaultCode::ScreeningNotConfirmed));
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
}

TEST(StartInterlock, WithThePatientSwitchUnpluggedTheStartIsRefusedWith111Only) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("switch-disconnect");
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_THAT(SessionBench::refusals(out), ElementsAre(FaultCode::PatientSwitchNotConnected));
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
}

TEST(StartInterlock, WithoutTheDriveWatchdogConfiguredTheStartIsRefusedWith115Only) {
  BenchSetup setup;
  setup.configure_watchdog = false;
  SessionBench bench(setup);
  const CycleOutput out = start_after_press_test(bench);
  EXPECT_THAT(SessionBench::refusals(out), ElementsAre(FaultCode::WatchdogNotConfigured));
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
}

// A drive that reports a fault (over-current 0x2310 here) is not ready: 114 alone, the chain
// being closed and the watchdog armed.
TEST(StartInterlock, WithTheDriveInFaultTheStartIsRefusedWith114Only) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("drive-fault");
  bench.run_for(milliseconds(10)); // the faulted status arrives with the next exchanges
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_THAT(SessionBench::refusals(out), ElementsAre(FaultCode::DriveNotReady));
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
}

// A protocol that does not compile for this patient leaves the session without a trajectory:
// it stays Idle, and a start is refused with 117 alone (every other condition is met).
TEST(StartInterlock, WithoutAProfileValidForThePatientTheStartIsRefusedWith117Only) {
  BenchSetup setup;
  setup.trajectory = nullptr;
  SessionBench bench(setup);
  EXPECT_EQ(bench.session().state(), State::Idle);
  bench.pass_press_test();
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_THAT(SessionBench::refusals(out), ElementsAre(FaultCode::ProfileInvalidForPatient));
  EXPECT_EQ(out.state, State::Idle);
  EXPECT_FALSE(SessionBench::has(out, EventKind::StateChanged));
  EXPECT_FALSE(out.command.enable);
  // Nothing moves afterwards either: the drive stays disabled and the cord slack.
  bench.run_for(seconds(1), [](const CycleOutput &o) {
    EXPECT_FALSE(o.command.enable);
    EXPECT_EQ(o.state, State::Idle);
  });
  EXPECT_FALSE(bench.sim().drive_enabled());
  EXPECT_LT(bench.sim().true_force().si(), 1.0);
}

TEST(StartInterlock, EveryMissingConditionIsReportedInTheSameCycle) {
  BenchSetup setup;
  setup.calibration_valid = false;
  setup.screening_confirmed = false;
  SessionBench bench(setup); // and no press test
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_THAT(SessionBench::refusals(out),
              ElementsAre(FaultCode::CalibrationInvalid, FaultCode::PressTestNotPassed,
                          FaultCode::ScreeningNotConfirmed));
  EXPECT_EQ(out.state, State::Ready);
}

// ---- press test --------------------------------------------------------------------------

TEST(PressTest, APressThenAReleaseInReadyPassesIt) {
  SessionBench bench;
  bench.sim().safety_model().press_patient_switch(0, seconds(0.2)); // pressed 0 to 200 ms
  bench.run_for(milliseconds(199));
  EXPECT_FALSE(bench.session().press_test_passed());
  const CycleOutput out = bench.cycle(); // 200 ms: released
  EXPECT_TRUE(SessionBench::has(out, EventKind::PressTestPassed));
  EXPECT_TRUE(bench.session().press_test_passed());
}

TEST(PressTest, APressAloneDoesNotPassIt) {
  SessionBench bench;
  bench.sim().safety_model().press_patient_switch(0, seconds(10)); // held throughout
  bench.run_for(seconds(5));
  EXPECT_FALSE(bench.session().press_test_passed());
  EXPECT_THAT(bench.times_of(EventKind::PressTestPassed), IsEmpty());
}

// ---- pretension --------------------------------------------------------------------------

TEST(Pretension, ReelsInAt20MillimetresPerSecondWhileTheHarnessIsSlack) {
  SessionBench bench;
  start_after_press_test(bench);
  bench.run_for(seconds(1), [](const CycleOutput &out) {
    ASSERT_EQ(out.state, State::Pretension);
    EXPECT_DOUBLE_EQ(out.command.cable_speed.si(), 0.020);
  });
}

// On this patient the cord goes taut with a jerk (0 to ~40 N within one cycle at 20 mm/s, past
// the 8 N handover); the force loop brings it back towards 15 N during the 1 s settle.
TEST(Pretension, SettlesAtTheStartingForceOf15NewtonsThenTreats) {
  SessionBench bench;
  start_after_press_test(bench);
  const CycleOutput &out = bench.run_until(
      [](const CycleOutput &o) { return o.state == State::Treating; }, seconds(10), "Treating");
  EXPECT_NEAR(out.setpoint.si(), 15.0, kEmergencyStep); // the protocol's start, t = 0
  EXPECT_NEAR(bench.sim().true_force().si(), 15.0, 5.0);
  EXPECT_TRUE(out.command.enable);
}

TEST(Pretension, AHarnessThatNeverGetsTautLatches202After10Seconds) {
  // At the stock 20 mm/s, 10 s is 200 mm of cable: inside the 250 mm travel limit (311), so
  // an unattached harness is reported as what it is.
  SessionBench bench;
  bench.sim().plant().add_slack(metres(0.5)); // never taut: 0.5 m more than the 30 mm it had
  start_after_press_test(bench);
  const Duration started = bench.now();
  const CycleOutput &out = bench.run_until(
      [](const CycleOutput &o) { return o.state != State::Pretension; }, seconds(11), "fault");
  EXPECT_EQ(out.state, State::Fault);
  EXPECT_EQ(out.fault, FaultCode::PretensionTimeout);
  EXPECT_TRUE(SessionBench::has(out, EventKind::FaultLatched, FaultCode::PretensionTimeout));
  EXPECT_NEAR((bench.now() - started).si(), 10.0, kPeriod.si() + kTiny);
  EXPECT_FALSE(out.command.enable);
}

// ---- pause and resume --------------------------------------------------------------------

TEST(Pause, RampsTheSetpointDownAtNoMoreThan50NewtonsPerSecond) {
  SessionBench bench;
  bench.treat_into_hold();
  double previous = bench.last().setpoint.si();
  double steepest = previous - bench.cycle(pause_request()).setpoint.si();
  previous = bench.last().setpoint.si();
  bench.run_for(seconds(3), [&](const CycleOutput &out) {
    steepest = std::max(steepest, previous - out.setpoint.si());
    previous = out.setpoint.si();
  });
  EXPECT_LE(steepest, kTreatmentStep + kTiny);
  EXPECT_GE(steepest, kTreatmentStep - kTiny); // it does ramp: 200 -> 100 N in 2 s
}

TEST(Pause, HoldsHalfTheSetpoint) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.cycle(pause_request());
  bench.run_for(seconds(5));
  EXPECT_EQ(bench.last().state, State::Paused);
  EXPECT_NEAR(bench.last().setpoint.si(), 0.5 * kHold.si(), kTiny);
  bench.run_for(seconds(2), [&](const CycleOutput &) {
    EXPECT_NEAR(bench.sim().true_force().si(), 100.0, 1.0);
  });
}

TEST(Pause, NeverHoldsBelowTheMinimumCordTensionOf15Newtons) {
  SessionBench bench;
  bench.start_treatment(); // the setpoint is at 15 N: half would be 7.5 N
  bench.cycle(pause_request());
  bench.run_for(seconds(2));
  EXPECT_EQ(bench.last().state, State::Paused);
  EXPECT_NEAR(bench.last().setpoint.si(), 15.0, kTiny);
}

TEST(Pause, FreezesTheProtocolClock) {
  SessionBench bench;
  bench.treat_into_hold();
  const Duration frozen = bench.cycle(pause_request()).protocol_time;
  bench.run_for(seconds(10),
                [&](const CycleOutput &out) { EXPECT_EQ(out.protocol_time.si(), frozen.si()); });
}

// 100 N back to within 0.5 N of the 200 N where the protocol stopped: ~2 s at 50 N/s.
TEST(Resume, ClimbsBackAtNoMoreThan50NewtonsPerSecond) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.cycle(pause_request());
  bench.run_for(seconds(3));
  const Duration frozen = bench.last().protocol_time;
  double previous = bench.last().setpoint.si();
  double steepest = bench.cycle(resume_request()).setpoint.si() - previous;
  previous = bench.last().setpoint.si();
  const Duration resumed = bench.now();
  bench.run_until(
      [&](const CycleOutput &out) {
        if (out.protocol_time > frozen) return true; // caught up: the protocol runs again
        steepest = std::max(steepest, out.setpoint.si() - previous);
        previous = out.setpoint.si();
        return false;
      },
      seconds(3), "caught up");
  EXPECT_LE(steepest, kTreatmentStep + kTiny);
  EXPECT_NEAR((bench.now() - resumed).si(), 2.0, 0.02);
}

TEST(Resume, RestartsTheProtocolClockOnlyOnceTheSetpointHasCaughtUp) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.cycle(pause_request());
  bench.run_for(seconds(3));
  const Duration frozen = bench.last().protocol_time;
  bench.cycle(resume_request());
  // Climbing: the clock stays where the pause stopped it.
  const CycleOutput &caught_up = bench.run_until(
      [&](const CycleOutput &out) {
        EXPECT_EQ(out.protocol_time.si(), frozen.si()) << "at setpoint " << out.setpoint.si();
        return out.setpoint >= kHold; // exactly: the climb ends on the protocol's force
      },
      seconds(3), "caught up");
  EXPECT_EQ(caught_up.state, State::Treating);
  // Caught up: the clock runs again, 1 ms per cycle.
  bench.run_for(seconds(1));
  EXPECT_NEAR((bench.last().protocol_time - frozen).si(), 1.0, 2 * kPeriod.si());
}

// ---- operator stop -----------------------------------------------------------------------

TEST(OperatorStop, ReleasesAtTheEmergencyRateOf400NewtonsPerSecond) {
  SessionBench bench;
  bench.treat_into_hold();
  double previous = bench.last().setpoint.si();
  bench.cycle(stop_request());
  EXPECT_NEAR(previous - bench.last().setpoint.si(), kEmergencyStep, 0.01 * kEmergencyStep);
  previous = bench.last().setpoint.si();
  // 200 N to 15 N at 0.4 N per cycle: every full step within 1 %, the last one partial.
  while (bench.last().setpoint.si() > 15.0 + kEmergencyStep) {
    bench.cycle();
    EXPECT_NEAR(previous - bench.last().setpoint.si(), kEmergencyStep, 0.01 * kEmergencyStep);
    previous = bench.last().setpoint.si();
  }
  EXPECT_EQ(bench.last().state, State::Releasing);
}

TEST(OperatorStop, HoldsTheMinimumCordTensionFor5SecondsThenDisablesTheDrive) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.cycle(stop_request());
  const CycleOutput &reached = bench.run_until(
      [](const CycleOutput &out) { return out.setpoint <= newtons(15); }, seconds(1), "15 N");
  const Duration reached_at = bench.now();
  EXPECT_TRUE(reached.command.enable);
  // Held at 15 N with torque on until 5 s after the release reached it.
  const CycleOutput &out = bench.run_until(
      [](const CycleOutput &o) {
        if (o.state == State::Complete) return true;
        EXPECT_NEAR(o.setpoint.si(), 15.0, kTiny);
        EXPECT_TRUE(o.command.enable);
        return false;
      },
      seconds(6), "Complete");
  EXPECT_NEAR((bench.now() - reached_at).si(), 5.0, kPeriod.si() + kTiny);
  EXPECT_EQ(out.outcome, Outcome::OperatorStop);
  EXPECT_FALSE(out.command.enable);
  EXPECT_EQ(out.command.cable_speed.si(), 0.0);
  EXPECT_FALSE(bench.sim().drive_enabled());
}

TEST(OperatorStop, AStopInTheSameCycleAsTheStartWins) {
  SessionBench bench;
  bench.pass_press_test();
  OperatorInput both = start_request();
  both.stop = true;
  const CycleOutput &out = bench.cycle(both);
  EXPECT_EQ(out.state, State::Ready);
  EXPECT_FALSE(out.command.enable);
  bench.run_for(seconds(1), [](const CycleOutput &o) { EXPECT_FALSE(o.command.enable); });
}

TEST(OperatorStop, RaisesTheAlarmUntilAcknowledged) {
  SessionBench bench;
  bench.treat_into_hold();
  const CycleOutput &stop = bench.cycle(stop_request());
  EXPECT_TRUE(SessionBench::has(stop, EventKind::OperatorAction, FaultCode::OperatorStop));
  EXPECT_TRUE(SessionBench::has(stop, EventKind::Alarm, FaultCode::OperatorStop));
  bench.run_for(seconds(8), [](const CycleOutput &out) { EXPECT_TRUE(out.alarm); });
  EXPECT_EQ(bench.last().state, State::Complete);
  EXPECT_THAT(bench.times_of(EventKind::Alarm), SizeIs(1));
  bench.cycle(acknowledgement());
  EXPECT_FALSE(bench.last().alarm);
  EXPECT_EQ(bench.last().state, State::Complete);
}

// ---- patient switch ----------------------------------------------------------------------

TEST(PatientSwitch, APressDuringTreatmentRaisesTheAlarmWithCode150) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.inject("patient-switch");
  const CycleOutput &out = bench.cycle();
  EXPECT_TRUE(SessionBench::has(out, EventKind::Alarm, FaultCode::PatientSwitchPressed));
  EXPECT_TRUE(out.alarm);
  EXPECT_EQ(out.state, State::Releasing);
  EXPECT_EQ(out.outcome, Outcome::PatientStop);
}

TEST(PatientSwitch, TheAlarmStaysRaisedUntilAcknowledged) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.inject("patient-switch");
  bench.cycle();
  // Through the release, the 5 s hold and 20 s of Complete.
  bench.run_for(seconds(30), [](const CycleOutput &out) { EXPECT_TRUE(out.alarm); });
  EXPECT_EQ(bench.last().state, State::Complete);
}

TEST(PatientSwitch, AnAcknowledgementClearsTheAlarm) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.inject("patient-switch");
  bench.run_for(seconds(10));
  const CycleOutput &out = bench.cycle(acknowledgement());
  EXPECT_TRUE(SessionBench::has(out, EventKind::Acknowledged));
  EXPECT_FALSE(out.alarm);
  bench.run_for(seconds(1), [](const CycleOutput &o) { EXPECT_FALSE(o.alarm); });
}

// ---- a latched fault: the E-stop chain ----------------------------------------------------

// Treating at the 200 N hold, then the chain opens: latched 307.
void open_the_chain_in_the_hold(SessionBench &bench) {
  bench.treat_into_hold();
  bench.inject("estop");
  const CycleOutput &out = bench.cycle();
  ASSERT_EQ(out.state, State::Fault);
  ASSERT_EQ(out.fault, FaultCode::EstopOpened);
}

TEST(EstopFault, AnAcknowledgementWhileTheChainIsOpenDoesNotClearIt) {
  SessionBench bench;
  ASSERT_NO_FATAL_FAILURE(open_the_chain_in_the_hold(bench));
  bench.run_for(seconds(1));
  const CycleOutput &out = bench.cycle(acknowledgement());
  EXPECT_EQ(out.state, State::Fault);
  EXPECT_FALSE(SessionBench::has(out, EventKind::FaultCleared));
  EXPECT_FALSE(out.command.enable);
}

TEST(EstopFault, ClosingTheChainAloneChangesNothing) {
  SessionBench bench;
  ASSERT_NO_FATAL_FAILURE(open_the_chain_in_the_hold(bench));
  bench.run_for(seconds(1));
  bench.cycle(acknowledgement()); // too early: the chain is still open
  bench.sim().safety_model().close_estop();
  bench.run_for(seconds(10), [&](const CycleOutput &out) {
    EXPECT_EQ(out.state, State::Fault);
    EXPECT_FALSE(out.command.enable);
    EXPECT_FALSE(bench.sim().drive_enabled());
  });
}

TEST(EstopFault, AnAcknowledgementAfterTheChainClosedClearsItToIdle) {
  SessionBench bench;
  ASSERT_NO_FATAL_FAILURE(open_the_chain_in_the_hold(bench));
  bench.run_for(seconds(1));
  bench.sim().safety_model().close_estop();
  bench.run_for(seconds(1));
  const CycleOutput &out = bench.cycle(acknowledgement());
  EXPECT_TRUE(SessionBench::has(out, EventKind::FaultCleared, FaultCode::EstopOpened));
  EXPECT_EQ(out.state, State::Idle);
  EXPECT_FALSE(out.command.enable);
}

TEST(EstopFault, OnceClearedTheTableStaysIdleWithTheDriveDisabled) {
  SessionBench bench;
  ASSERT_NO_FATAL_FAILURE(open_the_chain_in_the_hold(bench));
  bench.sim().safety_model().close_estop();
  bench.run_for(seconds(1));
  bench.cycle(acknowledgement());
  bench.cycle(start_request()); // a cleared session never restarts: a new one must be set up
  bench.run_for(seconds(1), [&](const CycleOutput &out) {
    EXPECT_EQ(out.state, State::Idle);
    EXPECT_FALSE(out.command.enable);
    EXPECT_FALSE(bench.sim().drive_enabled());
  });
}

// ---- every fault disables the drive in the cycle it is detected --------------------------

struct FaultCase {
  const char *injection; // sim/injection.hpp kind
  FaultCode code;
};

void PrintTo(const FaultCase &c, std::ostream *out) {
  *out << c.injection << " -> " << number(c.code);
}

class FaultDisablesTheDrive : public ::testing::TestWithParam<FaultCase> {};

TEST_P(FaultDisablesTheDrive, InTheCycleItIsDetected) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.inject(GetParam().injection);
  bool enabled_before = bench.last().command.enable;
  const CycleOutput &out = bench.run_until(
      [&](const CycleOutput &o) {
        if (o.state == State::Fault) return true;
        enabled_before = o.command.enable;
        return false;
      },
      seconds(1), "Fault");
  EXPECT_TRUE(enabled_before); // torque was on until the fault
  EXPECT_EQ(out.fault, GetParam().code);
  EXPECT_TRUE(SessionBench::has(out, EventKind::FaultLatched, GetParam().code));
  EXPECT_FALSE(out.command.enable);
  EXPECT_EQ(out.command.cable_speed.si(), 0.0);
  EXPECT_TRUE(out.alarm);
}

INSTANTIATE_TEST_SUITE_P(
    EveryMonitor, FaultDisablesTheDrive,
    ::testing::Values(FaultCase{"estop", FaultCode::EstopOpened},
                      FaultCase{"loadcell-offset", FaultCode::OverForce},
                      FaultCase{"loadcell-freeze", FaultCode::LoadCellStale},
                      FaultCase{"loadcell-fail", FaultCode::LoadCellOutOfRange},
                      FaultCase{"loadcell-timeout", FaultCode::LoadCellCommLost},
                      FaultCase{"drive-fault", FaultCode::DriveFault},
                      FaultCase{"drive-timeout", FaultCode::DriveCommLost},
                      FaultCase{"safety-timeout", FaultCode::SafetyIoCommLost},
                      FaultCase{"switch-disconnect", FaultCode::PatientSwitchDisconnected},
                      FaultCase{"switch-stuck", FaultCode::PatientSwitchDiscrepancy}),
    [](const ::testing::TestParamInfo<FaultCase> &param_info) {
      std::string name = param_info.param.injection;
      for (char &c : name)
        if (c == '-') c = '_';
      return name + "_" + std::to_string(number(param_info.param.code));
    });

// ---- over-force limit --------------------------------------------------------------------

TEST(OverForceLimit, Is8NewtonsAboveA100NewtonPeak) {
  EXPECT_NEAR(over_force_limit(newtons(100), newtons(890)).si(), 108.0, kTiny);
}

TEST(OverForceLimit, Is4PercentAboveA313Point8NewtonPeak) {
  EXPECT_NEAR(over_force_limit(newtons(313.8), newtons(890)).si(), 326.352, kTiny);
}

TEST(OverForceLimit, IsNeverAboveTheHardCapPlus1Percent) {
  // 889.6 N + 4 % would be 925.2 N; the 890 N cap + 1 % is 898.9 N.
  EXPECT_NEAR(over_force_limit(newtons(889.6), newtons(890)).si(), 898.9, kTiny);
}

// ---- end of treatment --------------------------------------------------------------------

// Runs the protocol to its end; returns the time of the first Complete cycle.
Duration run_to_completion(SessionBench &bench) {
  bench.start_treatment();
  bench.run_until([](const CycleOutput &out) { return out.state == State::Complete; }, minutes(2),
                  "Complete");
  return bench.now();
}

TEST(EndOfTreatment, CompletesWithOutcomeCompletedWhenTheProtocolsMinuteHasRun) {
  SessionBench bench;
  run_to_completion(bench);
  const CycleOutput &out = bench.last();
  EXPECT_EQ(out.outcome, Outcome::Completed);
  EXPECT_NEAR(out.protocol_time.si(), 60.0, 2 * kPeriod.si() + kTiny);
  EXPECT_FALSE(out.command.enable);
  EXPECT_FALSE(bench.sim().drive_enabled());
}

TEST(EndOfTreatment, RemindsAtCompletionAndThenEvery30Seconds) {
  SessionBench bench;
  const Duration done = run_to_completion(bench);
  bench.run_for(seconds(95));
  const std::vector<Duration> reminders = bench.times_of(EventKind::Reminder);
  ASSERT_EQ(reminders.size(), 4u); // at 0, 30, 60 and 90 s
  for (std::size_t i = 0; i < reminders.size(); ++i)
    EXPECT_NEAR((reminders[i] - done).si(), 30.0 * static_cast<double>(i), kPeriod.si()) << i;
}

TEST(EndOfTreatment, NoReminderFollowsAnAcknowledgement) {
  SessionBench bench;
  const Duration done = run_to_completion(bench);
  // Pending from completion (the loop keeps a console session alive on it) until acknowledged.
  bench.run_for(seconds(45), [](const CycleOutput &out) { EXPECT_TRUE(out.reminder); });
  EXPECT_FALSE(bench.cycle(acknowledgement()).reminder);
  bench.run_for(seconds(120), [](const CycleOutput &out) { EXPECT_FALSE(out.reminder); });
  const std::vector<Duration> reminders = bench.times_of(EventKind::Reminder);
  ASSERT_EQ(reminders.size(), 2u); // at 0 and 30 s, then the acknowledgement at 45 s
  EXPECT_LT((reminders.back() - done).si(), 45.0);
}

// ---- measured dt -------------------------------------------------------------------------

// Two identical benches at the 200 N hold: one cycles twice on time, the other once 2 ms late.
TEST(MeasuredDt, ALateCycleMovesTheCommandLessThan1PercentOfTheSpeedLimit) {
  SessionBench on_time;
  SessionBench late;
  for (SessionBench *b : {&on_time, &late}) {
    b->treat_into_hold();
    b->run_for(seconds(2));
  }
  ASSERT_EQ(late.last().command.cable_speed.si(), on_time.last().command.cable_speed.si());
  on_time.cycle();
  const CycleOutput &expected = on_time.cycle();
  const CycleOutput &got = late.cycle({}, milliseconds(2));
  ASSERT_EQ(got.state, State::Treating);
  // 1 % of the 50 mm/s speed limit: 0.5 mm/s.
  EXPECT_NEAR(got.command.cable_speed.si(), expected.command.cable_speed.si(), 0.0005);
}

TEST(MeasuredDt, ALateCycleAdvancesTheProtocolClockByTheTimeThatPassed) {
  SessionBench bench;
  bench.start_treatment();
  bench.run_for(seconds(1)); // on the ramp: the setpoint moves at 46 N/s
  const Duration before = bench.last().protocol_time;
  EXPECT_NEAR((bench.cycle({}, milliseconds(2)).protocol_time - before).si(), 0.002, kTiny);
  // The next cycle's setpoint is the trajectory 2 ms on, not 1 ms (a clock that lost time).
  const CycleOutput &next = bench.cycle();
  EXPECT_NEAR(next.setpoint.si(),
              bench.session().setup().trajectory->at(before + milliseconds(2)).force.si(), 1e-6);
}

// ---- regressions: stops while slack, resume steps, refusal codes -------------------------

// A stop never adds tension: pressed while the harness is still slack (0 N), the table must not
// reel in to 15 N.
void stop_while_slack(SessionBench &bench, bool patient) {
  bench.pass_press_test();
  bench.cycle(start_request());
  bench.run_for(seconds(1)); // reeling in, 30 mm of slack: still 0 N
  ASSERT_LT(bench.sim().true_force(), newtons(1));
  if (patient) {
    bench.inject("patient-switch");
    bench.cycle();
  } else
    bench.cycle(stop_request());
  ASSERT_EQ(bench.last().state, State::Releasing);
}

TEST(PatientSwitch, APressWhileTheHarnessIsSlackNeverTensionsTheCord) {
  SessionBench bench;
  ASSERT_NO_FATAL_FAILURE(stop_while_slack(bench, true));
  double peak = 0, fastest_reel_in = 0;
  bench.run_for(seconds(7), [&](const CycleOutput &out) {
    peak = std::max(peak, bench.sim().true_force().si());
    fastest_reel_in = std::max(fastest_reel_in, out.command.cable_speed.si());
  });
  EXPECT_LT(peak, 1.0);            // N: it was 0 N when the patient pressed
  EXPECT_LE(fastest_reel_in, 0.0); // m/s: no reel-in after a stop
}

TEST(OperatorStop, AStopWhileTheHarnessIsSlackNeverTensionsTheCord) {
  SessionBench bench;
  ASSERT_NO_FATAL_FAILURE(stop_while_slack(bench, false));
  double peak = 0;
  bench.run_for(seconds(7),
                [&](const CycleOutput &) { peak = std::max(peak, bench.sim().true_force().si()); });
  EXPECT_LT(peak, 1.0);
}

TEST(Resume, NeverStepsTheSetpointFasterThan50NewtonsPerSecond) {
  SessionBench bench;
  bench.treat_into_hold();
  bench.cycle(pause_request());
  bench.run_for(seconds(3));
  double previous = bench.last().setpoint.si();
  double steepest = bench.cycle(resume_request()).setpoint.si() - previous;
  previous = bench.last().setpoint.si();
  double before = bench.last().command.cable_speed.si(), kick = 0;
  bench.run_for(seconds(3), [&](const CycleOutput &out) {
    if (out.setpoint.si() - previous > steepest) {
      steepest = out.setpoint.si() - previous;
      kick = out.command.cable_speed.si() - before;
    }
    before = out.command.cable_speed.si();
    previous = out.setpoint.si();
  });
  EXPECT_LE(steepest, 0.05 + 1e-9) << "N per 1 ms cycle; command kick " << kick << " m/s";
}

// With the chain open the safety relay holds the drive in STO, so the drive is refused as not
// ready (114) as well; no condition that has nothing to do with the chain is reported.
TEST(StartInterlock, WithTheEstopChainOpenTheStartIsRefusedWith113And114Only) {
  SessionBench bench; // the watchdog is configured
  bench.pass_press_test();
  bench.inject("estop");
  bench.run_for(milliseconds(100));
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_THAT(SessionBench::refusals(out),
              ::testing::ElementsAre(FaultCode::EstopOpenAtStart, FaultCode::DriveNotReady));
}

} // namespace
} // namespace tractus::controller
