// The loop runner's end of a session and its lateness histogram: what the console relies on
// (controller::LoopEnd::AfterAcknowledge keeps alarms, reminders and fault clearing live).
#include "controller/lateness_histogram.hpp"
#include "controller/loop_runner.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/injection.hpp"
#include "sim/patient_preset.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

#include <functional>
#include <optional>
#include <time.h>

namespace tractus::controller {
namespace {

// The operator of these tests: presses start once the press test passed, stop at `stop_at`,
// and acknowledge at `ack_at` (loop time), each once.
class ScriptedOperator final : public OperatorSource {
public:
  Duration stop_at = seconds(8);
  bool never_start = false; // the patient is ready, the operator never presses start
  std::optional<Duration> ack_at;
  std::optional<Duration> second_ack_at;
  OperatorInput poll(Duration now, const CycleOutput &last) noexcept override {
    OperatorInput in;
    for (std::uint8_t i = 0; i < last.event_count; ++i)
      if (last.events[i].kind == EventKind::PressTestPassed) start_ = true;
    in.start = std::exchange(start_, false) && !never_start;
    if (!stopped_ && now >= stop_at) in.stop = stopped_ = true;
    if (ack_at && !acked_ && now >= *ack_at) in.acknowledge = acked_ = true;
    if (second_ack_at && !acked_twice_ && now >= *second_ack_at)
      in.acknowledge = acked_twice_ = true;
    return in;
  }

private:
  bool start_ = false, stopped_ = false, acked_ = false, acked_twice_ = false;
};

struct LoopRun {
  LoopReport report;
  Duration t_end{};
};

// A lumbar-static session on the calm simulated patient, on the virtual clock.
LoopRun run(LoopEnd end, ScriptedOperator &op, bool stop_request_after_complete = false,
            const char *injection = nullptr, Duration give_up = seconds(60),
            Duration ready_timeout = minutes(120)) {
  auto profile = profiles::find_profile("lumbar-static");
  auto trajectory = profiles::compile(*profile.value, {"P", kilograms(80)});
  sim::InjectionSchedule schedule;
  schedule.add(*sim::parse_injection("patient-switch@500ms").injection);
  if (injection != nullptr) schedule.add(*sim::parse_injection(injection).injection);
  sim::SimTable sim(sim::calm_plant_config(sim::kAveragePatient), 1, std::move(schedule));
  sim.drive().configure_watchdog(milliseconds(100));
  SessionSetup setup;
  setup.trajectory = &*trajectory.value;
  setup.calibration = sim.factory_calibration();
  setup.calibration_valid = true;
  setup.screening_confirmed = true;
  setup.monitors.full_scale = setup.calibration.full_scale;
  Session session(setup);
  SessionStats stats;
  VirtualClock clock([&sim](Duration dt) { sim.advance(dt); });
  LoopOptions o;
  o.end = end;
  o.give_up_after = give_up;
  o.ready_timeout = ready_timeout;
  LoopRunner runner(sim.table(), session, clock, stats, o);
  runner.set_operator(&op);
  LoopRun r;
  runner.set_output_observer([&](const CycleOutput &out) {
    r.t_end = clock.now();
    if (stop_request_after_complete && out.state == State::Complete) runner.request_stop();
  });
  r.report = runner.run();
  return r;
}

TEST(LoopEnd, AfterLingerEndsThreeSecondsAfterComplete) {
  ScriptedOperator op;
  const LoopRun r = run(LoopEnd::AfterLinger, op);
  EXPECT_EQ(r.report.last.state, State::Complete);
  EXPECT_EQ(r.report.last.outcome, Outcome::OperatorStop);
  EXPECT_LT(r.t_end.si(), 30.0); // stop at 8 s, release, 5 s to disable, 3 s linger
}

// The loop's own limit never cuts a pull short: reached while treating, it stops the session
// like the operator's STOP (controlled release), and the loop ends only once that is over.
TEST(LoopEnd, TheLoopsOwnLimitStopsAnActivePullWithAReleaseAndThenEnds) {
  ScriptedOperator op;
  op.stop_at = minutes(60); // never: only the limit stops it
  const LoopRun r = run(LoopEnd::AfterLinger, op, false, nullptr, seconds(6));
  EXPECT_EQ(r.report.last.state, State::Complete);
  EXPECT_EQ(r.report.last.outcome, Outcome::OperatorStop);
  EXPECT_GT(r.t_end.si(), 6.0 + 3.0); // past the limit by at least the release and the linger
  EXPECT_LT(r.t_end.si(), 30.0);
  EXPECT_LT(r.report.last.measured.si(), 15.0); // released, not abandoned under tension
}

// A session loaded and never started is dropped after the ready timeout: its start conditions
// were checked for a patient who is no longer waiting.
TEST(LoopEnd, ASessionLoadedAndNeverStartedIsDroppedAfterTheReadyTimeout) {
  ScriptedOperator op;
  op.never_start = true;
  const LoopRun r = run(LoopEnd::AfterAcknowledge, op, false, nullptr, seconds(60), seconds(10));
  EXPECT_EQ(r.report.last.state, State::Ready);
  EXPECT_NEAR(r.t_end.si(), 10.0, 1.0);
}

TEST(LoopEnd, AfterAcknowledgeWaitsForTheOperator) {
  ScriptedOperator op; // never acknowledges
  const LoopRun r = run(LoopEnd::AfterAcknowledge, op);
  EXPECT_EQ(r.report.last.state, State::Complete);
  EXPECT_NEAR(r.t_end.si(), 60.0, 0.01); // only the loop's own give-up ended it
}

TEST(LoopEnd, AfterAcknowledgeEndsOnTheAcknowledgementOfTheEnd) {
  ScriptedOperator op;
  op.ack_at = seconds(25); // well after Complete
  const LoopRun r = run(LoopEnd::AfterAcknowledge, op);
  EXPECT_EQ(r.report.last.state, State::Complete);
  EXPECT_NEAR(r.t_end.si(), 25.0, 0.01);
}

TEST(LoopEnd, AStopAcknowledgedDuringTheReleaseIsNotAskedAgain) {
  ScriptedOperator op;
  op.ack_at = seconds(9); // 1 s after the stop: the tension still falling, the alarm on
  const LoopRun r = run(LoopEnd::AfterAcknowledge, op);
  EXPECT_EQ(r.report.last.state, State::Complete);
  EXPECT_FALSE(r.report.last.alarm);
  EXPECT_LT(r.t_end.si(), 20.0); // Complete (release + 5 s) and the linger, then the end
}

TEST(LoopEnd, AFaultAfterAnAcknowledgedStopNeedsItsOwnAcknowledgement) {
  ScriptedOperator op;
  op.ack_at = seconds(9); // acknowledges the stop's alarm during the release …
  // … then the E-stop chain opens during the 5 s hold at the minimum tension, and stays open;
  // its alarm acknowledged at 15 s with the chain still open must not end the session.
  op.second_ack_at = seconds(15);
  const LoopRun r = run(LoopEnd::AfterAcknowledge, op, false, "estop@11s");
  EXPECT_EQ(r.report.last.state, State::Fault);
  EXPECT_NEAR(r.t_end.si(), 60.0, 0.01); // only the loop's own give-up ended it
}

TEST(LoopEnd, TheEndOfTreatmentWaitsForTheReminderToBeAcknowledged) {
  ScriptedOperator op;
  op.stop_at = minutes(600); // never: lumbar-static runs its 15 min to the end
  const LoopRun waiting = run(LoopEnd::AfterAcknowledge, op, false, nullptr, minutes(20));
  EXPECT_EQ(waiting.report.last.outcome, Outcome::Completed);
  EXPECT_TRUE(waiting.report.last.reminder);
  EXPECT_NEAR(waiting.t_end.si(), 1200.0, 0.01); // only the loop's own give-up ended it

  ScriptedOperator acknowledging;
  acknowledging.stop_at = minutes(600);
  acknowledging.ack_at = minutes(18); // after the end, with the reminder sounding
  const LoopRun r = run(LoopEnd::AfterAcknowledge, acknowledging, false, nullptr, minutes(20));
  EXPECT_FALSE(r.report.last.reminder);
  EXPECT_NEAR(r.t_end.si(), 1080.0, 0.01);
}

TEST(LoopEnd, AStopRequestDoesNotWaitForTheAcknowledgement) {
  ScriptedOperator op;
  const LoopRun r = run(LoopEnd::AfterAcknowledge, op, true);
  EXPECT_LT(r.t_end.si(), 30.0); // shutdown: Complete plus the linger
}

// A load cell that takes `ms` (2 by default) to answer, as a slow device on the wire would.
class SlowLoadCell final : public hal::LoadCell {
public:
  explicit SlowLoadCell(hal::LoadCell &inner, long ms = 2) : inner_(inner), ms_(ms) {}
  hal::LoadCellSample read() noexcept override {
    const timespec wait{0, ms_ * 1'000'000};
    nanosleep(&wait, nullptr);
    return inner_.read();
  }

private:
  hal::LoadCell &inner_;
  long ms_;
};

// Ends the loop (a session with no protocol stays Idle) after `cycles` polls.
class StopAfter final : public OperatorSource {
public:
  LoopRunner *runner = nullptr;
  int cycles = 20;
  OperatorInput poll(Duration, const CycleOutput &) noexcept override {
    if (--cycles == 0) runner->request_stop();
    return {};
  }
};

// 20 cycles at 5 ms on the real clock, with a load cell that takes `ms` to answer and a session
// with no protocol (it stays Idle).
LoopReport run_with_slow_load_cell(long ms) {
  sim::SimTable sim;
  SlowLoadCell slow(sim.load_cell(), ms);
  const hal::Table table{slow, sim.drive(), sim.safety(), true};
  SessionSetup setup;
  Session session(setup);
  SessionStats stats;
  MonotonicClock clock;
  LoopOptions o;
  o.period = milliseconds(5);
  LoopRunner runner(table, session, clock, stats, o);
  StopAfter op;
  op.runner = &runner;
  runner.set_operator(&op);
  return runner.run();
}

// On the real clock the report says where each cycle's time went: a slow device shows in its
// own phase (at least its 2 ms every cycle), not in the sleep's wake-up or the step.
TEST(LoopPhases, TimeSpentInADeviceShowsInThatDevicesPhase) {
  const LoopReport report = run_with_slow_load_cell(2);
  const auto &read = report.phases[static_cast<std::size_t>(LoopPhase::LoadCellRead)];
  EXPECT_EQ(read.histogram.total(), report.cycles);
  EXPECT_GE(read.histogram.percentile(0.01), milliseconds(2)); // every read took 2 ms or more
  EXPECT_GE(read.worst, milliseconds(2));
  const auto &step = report.phases[static_cast<std::size_t>(LoopPhase::Step)];
  EXPECT_EQ(step.histogram.total(), report.cycles);
  // Every cycle has 3 ms to spare, so all but those a busy machine held up slept.
  EXPECT_GT(report.phases[static_cast<std::size_t>(LoopPhase::Wake)].histogram.total(),
            report.cycles / 2);
}

// A device slower than the period: each cycle starts late because the one before overran, with
// no sleep between. That lateness is the overrun's (worst_lateness, overruns), and the sleep's
// phase, the scheduler's latency that cyclictest is compared with, holds the first cycle alone.
TEST(LoopPhases, ACycleThatStartsLateAfterAnOverrunIsNotCountedAsWakeUpLatency) {
  const LoopReport report = run_with_slow_load_cell(7); // 7 ms reads in a 5 ms period
  // The first cycle sleeps unless the machine held the thread for its whole 5 ms.
  EXPECT_LE(report.phases[static_cast<std::size_t>(LoopPhase::Wake)].histogram.total(), 1U);
  EXPECT_EQ(report.lateness.total(), report.cycles); // every cycle's start, slept or not
  EXPECT_GE(report.worst_lateness, milliseconds(2)); // at least each cycle's 2 ms overrun
  // Lateness grows by 2 ms a cycle until it passes the period, then the schedule restarts:
  // 20 cycles hold at least 5 such restarts.
  EXPECT_GE(report.overruns, 5U);
}

TEST(LatenessHistogram, BinsAreFourPerOctaveAndPercentilesNeverUnderstate) {
  using H = LatenessHistogram;
  EXPECT_EQ(H::bin_of(Duration(-1e-3)), 0U);
  EXPECT_EQ(H::bin_of(Duration(3e-6)), 3U);
  EXPECT_EQ(H::upper_edge_us(H::bin_of(Duration(4e-6))), 5U);
  EXPECT_EQ(H::upper_edge_us(H::bin_of(Duration(9e-6))), 10U);    // 8–9.99 µs
  EXPECT_EQ(H::upper_edge_us(H::bin_of(Duration(100e-6))), 112U); // 96–111 µs
  EXPECT_EQ(H::bin_of(Duration(10.0)), H::kBins - 1);
  H h;
  for (int i = 0; i < 990; ++i)
    h.add(Duration(20e-6));
  for (int i = 0; i < 10; ++i)
    h.add(Duration(3e-3));
  const auto s = h.snapshot();
  EXPECT_EQ(s.total(), 1000U);
  EXPECT_GE(s.percentile(0.5).si(), 20e-6);
  EXPECT_LE(s.percentile(0.5).si(), 25e-6);
  EXPECT_LE(s.percentile(0.99).si(), 25e-6);   // the 990th cycle is still a 20 µs one
  EXPECT_GE(s.percentile(0.999).si(), 3e-3);   // the 999th is a 3 ms one
  EXPECT_LE(s.percentile(0.999).si(), 3.6e-3); // within one bin (≤ 25 %)
  EXPECT_EQ(LatenessHistogram::Snapshot{}.percentile(0.5).si(), 0.0);
}

} // namespace
} // namespace tractus::controller
