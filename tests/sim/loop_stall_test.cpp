// A stalled control loop is a fault: the session cannot vouch for a table it has not watched.
#include "controller/session.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

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

} // namespace
} // namespace tractus
