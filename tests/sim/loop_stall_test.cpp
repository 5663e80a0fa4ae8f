// A stalled control loop is a fault: the session cannot vouch for a table it has not watched.
#include "controller/session.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <optional>
#include <string>

namespace tractus {
namespace {

using controller::FaultCode;
using controller::State;

TEST(LoopStall, ACycleMoreThan50MillisecondsLateLatchesLoopOverrunAndDisablesTheDrive) {
  const auto profile = profiles::find_profile("lumbar-static");
  const auto trajectory = profiles::compile(*profile.value, {"t", kilograms(80)});
  sim::SimTable sim(sim::calm_plant_config(sim::kAveragePatient), 1);
  sim.inject(*sim::parse_injection("patient-switch@100ms").injection);
  ASSERT_TRUE(sim.drive().configure_watchdog(milliseconds(100)).empty());
  controller::SessionSetup setup;
  setup.trajectory = &*trajectory.value;
  setup.calibration = sim.factory_calibration();
  setup.calibration_valid = setup.screening_confirmed = true;
  controller::Session session(setup);

  hal::DriveStatus drive = sim.drive().exchange({});
  Duration now{};
  auto cycle = [&](Duration dt, bool start) {
    now += dt;
    sim.advance(dt);
    controller::Readings r{sim.load_cell().read(), sim.safety().read(), drive};
    controller::OperatorInput op;
    op.start = start;
    const auto out = session.step(now, r, op);
    drive = sim.drive().exchange(out.command);
    return out;
  };
  while (now < seconds(60) && session.state() != State::Treating)
    cycle(milliseconds(1), session.state() == State::Ready && session.press_test_passed());
  ASSERT_EQ(session.state(), State::Treating);
  for (int i = 0; i < 1000; ++i)
    cycle(milliseconds(1), false);

  // 49 ms since the last cycle: tolerated (a loaded scheduler, the watchdog still far).
  EXPECT_NE(cycle(milliseconds(49), false).state, State::Fault);
  // 51 ms: more than half the drive's 100 ms watchdog.
  const auto out = cycle(milliseconds(51), false);
  EXPECT_EQ(out.state, State::Fault);
  EXPECT_EQ(out.fault, FaultCode::LoopOverrun);
  EXPECT_FALSE(out.command.enable);
  EXPECT_EQ(out.command.cable_speed.si(), 0.0);
}

// A session treating on the simulator, ready for a stall with an event inside it.
struct StalledTreatment {
  StalledTreatment() {
    setup.trajectory = &*trajectory.value;
    setup.calibration = sim.factory_calibration();
    setup.calibration_valid = setup.screening_confirmed = true;
    session.emplace(setup);
    sim.inject(*sim::parse_injection("patient-switch@100ms").injection); // the press test
    if (!sim.drive().configure_watchdog(milliseconds(100)).empty()) return;
    drive = sim.drive().exchange({});
    while (now < seconds(60) && session->state() != State::Treating)
      cycle(milliseconds(1), session->state() == State::Ready && session->press_test_passed());
    for (int i = 0; i < 20000; ++i) cycle(milliseconds(1), false); // 20 s: into the hold
  }
  controller::CycleOutput cycle(Duration dt, bool start) {
    now += dt;
    sim.advance(dt);
    controller::Readings r{sim.load_cell().read(), sim.safety().read(), drive};
    controller::OperatorInput op;
    op.start = start;
    const auto out = session->step(now, r, op);
    drive = sim.drive().exchange(out.command);
    return out;
  }
  // Schedules KIND at the simulator's time `after` from now.
  void inject_in(const char *kind, Duration after) {
    const auto at = static_cast<long long>(std::llround((sim.elapsed() + after).si() * 1e3));
    sim.inject(*sim::parse_injection(std::string(kind) + "@" + std::to_string(at) + "ms").injection);
  }
  profiles::Result<profiles::Trajectory> trajectory = profiles::compile(
      *profiles::find_profile("lumbar-static").value, {"t", kilograms(80)});
  sim::SimTable sim{sim::calm_plant_config(sim::kAveragePatient), 1};
  controller::SessionSetup setup;
  std::optional<controller::Session> session;
  hal::DriveStatus drive;
  Duration now{};
};

// What the plausibility monitor compares across a 151 ms hole is the hole itself: a harness
// slip inside it is still answered with the drive disabled, under the stall's name (a PC's
// hole once read as 305 "harness slipped", sending a technician to the harness).
TEST(LoopStall, AHoleWithTheForceCollapsingInsideIsNamedLoopOverrunNotHarnessSlip) {
  StalledTreatment t;
  ASSERT_EQ(t.session->state(), State::Treating);
  t.inject_in("harness-slip", milliseconds(20));
  const auto out = t.cycle(milliseconds(151), false);
  EXPECT_EQ(out.state, State::Fault);
  EXPECT_EQ(out.fault, FaultCode::LoopOverrun);
  EXPECT_FALSE(out.command.enable);
}

// An E-stop opened during a hole keeps its own name: clearing it needs the chain's reset edge.
TEST(LoopStall, AnEstopOpenedInsideAHoleIsStillNamedEstop) {
  StalledTreatment t;
  ASSERT_EQ(t.session->state(), State::Treating);
  t.inject_in("estop", milliseconds(20));
  const auto out = t.cycle(milliseconds(151), false);
  EXPECT_EQ(out.state, State::Fault);
  EXPECT_EQ(out.fault, FaultCode::EstopOpened);
  EXPECT_FALSE(out.command.enable);
}

} // namespace
} // namespace tractus
