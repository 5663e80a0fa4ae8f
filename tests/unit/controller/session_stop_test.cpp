// The supervisor (Session::step) cycle by cycle, stopping: pause and resume, the operator's
// stop, the patient switch, the latched E-stop fault, and stops while the harness is slack
// (DESIGN §5). One behaviour per test, each with the figure it holds.
//
// Unless a test says otherwise: a calm 80 kg patient, the 1 min static protocol of
// session_fixture.hpp (ramps of 4 s to a 200 N hold), 1 ms cycles.
#include "unit/controller/session_fixture.hpp" // gtest, gmock and the bench

namespace tractus::controller {
namespace {
using namespace bench;
using namespace ::testing;

// Paused in a hold and left there 3 s (the level settled at half the setpoint): the protocol
// time the pause froze.
Duration paused_in_hold_for_3s(SessionBench &bench) {
  bench.treat_into_hold();
  bench.cycle(pause_request());
  bench.run_for(seconds(3));
  return bench.last().protocol_time;
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
  const Duration frozen = paused_in_hold_for_3s(bench);
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
  const Duration frozen = paused_in_hold_for_3s(bench);
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
  paused_in_hold_for_3s(bench);
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
