// No heap allocation in a console control cycle: the console's operator source (commands from
// an atomic bitmask) and its telemetry publisher (a frame into a lock-free queue every 20 ms,
// the latest into a seqlock) add nothing to the loop's allocation-free cycle (DESIGN §5).
//
// As in no_allocation_in_cycle_test.cpp: counting is on for the loop thread while the session
// treats, so every poll() and on_cycle() of console::LoopBridge in steady state is counted; the
// test's own bookkeeping (draining the queue as the HTTP server would) is not.
#include "counting_allocator.hpp"

#include "console/loop_bridge.hpp"
#include "console/telemetry_channel.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "sim/injection.hpp"
#include "sim/patient_preset.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace tractus {
namespace {

using testing::allocations;
using testing::counting;

TEST(ConsoleCycle, OperatorSourceAndTelemetryAllocateNothing) {
  auto profile = profiles::find_profile("lumbar-intermittent");
  auto trajectory = profiles::compile(*profile.value, {"P", kilograms(80)});
  sim::InjectionSchedule schedule;
  schedule.add(*sim::parse_injection("patient-switch@500ms").injection);
  sim::SimTable sim(sim::calm_plant_config(sim::kAveragePatient), 1, std::move(schedule));
  sim.drive().configure_watchdog(milliseconds(100));
  controller::SessionSetup setup;
  setup.trajectory = &*trajectory.value;
  setup.calibration = sim.factory_calibration();
  setup.calibration_valid = true;
  setup.screening_confirmed = true;
  setup.monitors.full_scale = setup.calibration.full_scale;
  controller::Session session(setup);
  controller::SessionStats stats;
  controller::VirtualClock clock([&sim](Duration dt) { sim.advance(dt); });
  controller::LoopOptions options;
  options.give_up_after = minutes(30);
  controller::LoopRunner runner(sim.table(), session, clock, stats, options);

  console::LoopMailbox mailbox;
  auto channel = std::make_unique<console::TelemetryChannel>(); // large: not on the stack
  console::LoopBridge bridge(mailbox, *channel, session, milliseconds(1), true);
  runner.set_operator(&bridge);
  runner.set_cycle_observer(&bridge);

  long cycles_counted = 0;
  std::uint64_t frames = 0;
  runner.set_output_observer([&](const controller::CycleOutput &out) {
    counting = false;
    if (session.press_test_passed() && out.state == controller::State::Ready)
      mailbox.post(console::OperatorCommand::Start);
    // Pause and resume once a minute of treatment: the bitmask carries every kind of edge.
    if (out.state == controller::State::Treating && cycles_counted % 60'000 == 30'000)
      mailbox.post(console::OperatorCommand::Pause);
    if (out.state == controller::State::Paused) mailbox.post(console::OperatorCommand::Resume);
    if (cycles_counted % 1000 == 0) { // the consumer, as the HTTP server's I/O thread
      console::TelemetryFrame batch[64];
      frames += channel->pop(batch, 64);
    }
    const bool steady =
        out.state == controller::State::Treating || out.state == controller::State::Paused;
    if (steady) ++cycles_counted;
    counting = steady; // on for the rest of this cycle and the next one's poll
  });
  const controller::LoopReport report = runner.run();
  counting = false;
  ASSERT_EQ(report.last.outcome, controller::Outcome::Completed);
  EXPECT_GT(cycles_counted, 100'000);
  EXPECT_GT(frames, 1000U);
  EXPECT_GT(channel->dropped(), 0U); // the full-queue path was taken too
  EXPECT_EQ(allocations.load(), 0);
}

} // namespace
} // namespace tractus
