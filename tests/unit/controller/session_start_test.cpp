// The supervisor (Session::step) cycle by cycle, up to treatment: the start interlocks, the
// press test and pretension (DESIGN §5). One behaviour per test, each with the figure it holds.
//
// Unless a test says otherwise: a calm 80 kg patient, the 1 min static protocol of
// session_fixture.hpp (ramps of 4 s to a 200 N hold), 1 ms cycles.
#include "unit/controller/session_fixture.hpp" // gtest, gmock and the bench

#include <algorithm>

namespace tractus::controller {
namespace {
using namespace bench;
using namespace ::testing;

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
  EXPECT_TRUE(refused_with_only(out, FaultCode::PressTestNotPassed));
}

TEST(StartInterlock, WithAnInvalidCalibrationTheStartIsRefusedWith110Only) {
  BenchSetup setup;
  setup.calibration_valid = false;
  SessionBench bench(setup);
  const CycleOutput out = start_after_press_test(bench);
  EXPECT_TRUE(refused_with_only(out, FaultCode::CalibrationInvalid));
}

TEST(StartInterlock, WithoutTheScreeningConfirmedTheStartIsRefusedWith116Only) {
  BenchSetup setup;
  setup.screening_confirmed = false;
  SessionBench bench(setup);
  const CycleOutput out = start_after_press_test(bench);
  EXPECT_TRUE(refused_with_only(out, FaultCode::ScreeningNotConfirmed));
}

TEST(StartInterlock, WithThePatientSwitchUnpluggedTheStartIsRefusedWith111Only) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("switch-disconnect");
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_TRUE(refused_with_only(out, FaultCode::PatientSwitchNotConnected));
}

TEST(StartInterlock, WithoutTheDriveWatchdogConfiguredTheStartIsRefusedWith115Only) {
  BenchSetup setup;
  setup.configure_watchdog = false;
  SessionBench bench(setup);
  const CycleOutput out = start_after_press_test(bench);
  EXPECT_TRUE(refused_with_only(out, FaultCode::WatchdogNotConfigured));
}

// A device that does not answer the start's reading (a lost reply, a table still coming up) is
// refused as not answering, 119, with the device named: not as an unplugged switch or an open
// chain (111, 113), which nobody read. The other devices' conditions are judged as usual.
std::string refusal_detail(const CycleOutput &out, FaultCode code) {
  for (std::uint8_t i = 0; i < out.event_count; ++i)
    if (out.events[i].kind == EventKind::StartRefused && out.events[i].code == code)
      return out.events[i].detail;
  return "";
}

TEST(StartInterlock, WhenTheSafetyIoDoesNotAnswerTheStartIsRefusedWith119NamingIt) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("safety-timeout");
  bench.run_for(milliseconds(2)); // within the 30 ms a lost reply is ridden through
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_TRUE(refused_with_only(out, FaultCode::TableNotAnswering));
  EXPECT_EQ(refusal_detail(out, FaultCode::TableNotAnswering),
            "no valid reply to the start's reading from the safety I/O");
}

TEST(StartInterlock, WhenTheLoadCellDoesNotAnswerTheStartIsRefusedWith119NamingIt) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("loadcell-timeout");
  bench.run_for(milliseconds(2));
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_TRUE(refused_with_only(out, FaultCode::TableNotAnswering));
  EXPECT_EQ(refusal_detail(out, FaultCode::TableNotAnswering),
            "no valid reply to the start's reading from the load-cell transmitter");
}

TEST(StartInterlock, WhenTheDriveDoesNotAnswerTheStartIsRefusedWith119NotAsNotReady) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("drive-timeout");
  bench.run_for(milliseconds(3)); // the drive's status is one exchange old
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_TRUE(refused_with_only(out, FaultCode::TableNotAnswering));
  EXPECT_EQ(refusal_detail(out, FaultCode::TableNotAnswering),
            "no valid reply to the start's reading from the drive");
}

// An RTU bus outage silences more than one device: the refusal names every one of them.
TEST(StartInterlock, WhenTwoDevicesDoNotAnswerThe119RefusalNamesBoth) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("loadcell-timeout");
  bench.inject("safety-timeout");
  bench.run_for(milliseconds(2));
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_TRUE(refused_with_only(out, FaultCode::TableNotAnswering));
  EXPECT_EQ(refusal_detail(out, FaultCode::TableNotAnswering),
            "no valid reply to the start's reading from the load-cell transmitter and the "
            "safety I/O");
}

// A drive that reports a fault (over-current 0x2310 here) is not ready: 114 alone, the chain
// being closed and the watchdog armed.
TEST(StartInterlock, WithTheDriveInFaultTheStartIsRefusedWith114Only) {
  SessionBench bench;
  bench.pass_press_test();
  bench.inject("drive-fault");
  bench.run_for(milliseconds(10)); // the faulted status arrives with the next exchanges
  const CycleOutput out = bench.cycle(start_request());
  EXPECT_TRUE(refused_with_only(out, FaultCode::DriveNotReady));
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
  EXPECT_TRUE(refused_with_only(out, FaultCode::ProfileInvalidForPatient, State::Idle));
  EXPECT_FALSE(SessionBench::has(out, EventKind::StateChanged));
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

TEST(Pretension, ReelsInAt5MillimetresPerSecondWhileTheHarnessIsSlack) {
  SessionBench bench;
  start_after_press_test(bench);
  bench.run_for(seconds(1), [](const CycleOutput &out) {
    ASSERT_EQ(out.state, State::Pretension);
    EXPECT_DOUBLE_EQ(out.command.cable_speed.si(), 0.005);
  });
}

// On this patient the cord goes taut past the 8 N handover within a few cycles; the force loop
// brings it to 15 N during the 1 s settle. The harness must come taut gently: at 5 mm/s the
// force peaks at 16.6 N; at the 20 mm/s slack was taken up at before, it jerked to ~40 N.
TEST(Pretension, SettlesAtTheStartingForceOf15NewtonsThenTreats) {
  SessionBench bench;
  start_after_press_test(bench);
  double peak = 0.0;
  const CycleOutput &out = bench.run_until(
      [&](const CycleOutput &o) {
        if (o.state == State::Pretension) peak = std::max(peak, bench.sim().true_force().si());
        return o.state == State::Treating;
      },
      seconds(16), "Treating");
  EXPECT_LT(peak, 20.0);                                // within 5 N of the 15 N it settles at
  EXPECT_NEAR(out.setpoint.si(), 15.0, kEmergencyStep); // the protocol's start, t = 0
  EXPECT_NEAR(bench.sim().true_force().si(), 15.0, 5.0);
  EXPECT_TRUE(out.command.enable);
}

TEST(Pretension, AHarnessThatNeverGetsTautLatches202After16Seconds) {
  // At the stock 5 mm/s, 16 s is 80 mm of cable: inside the 250 mm travel limit (311), so
  // an unattached harness is reported as what it is.
  SessionBench bench;
  bench.sim().plant().add_slack(metres(0.5)); // never taut: 0.5 m more than the 30 mm it had
  start_after_press_test(bench);
  const Duration started = bench.now();
  const CycleOutput &out = bench.run_until(
      [](const CycleOutput &o) { return o.state != State::Pretension; }, seconds(17), "fault");
  EXPECT_EQ(out.state, State::Fault);
  EXPECT_EQ(out.fault, FaultCode::PretensionTimeout);
  EXPECT_TRUE(SessionBench::has(out, EventKind::FaultLatched, FaultCode::PretensionTimeout));
  EXPECT_NEAR((bench.now() - started).si(), 16.0, kPeriod.si() + kTiny);
  EXPECT_FALSE(out.command.enable);
}

} // namespace
} // namespace tractus::controller
