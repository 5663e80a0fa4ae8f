// The controller dies mid-pull (kill -9 of `tractus run` while it holds over 400 N): nothing in
// software is left to release the patient, so the drive's own communication watchdog must. It
// stops the drive one watchdog timeout (100 ms) after the last command, the unpowered motor is
// back-driven and the tension falls below the 15 N minimum cord tension within 3 s; the journal
// written up to the crash still reads back, at most its last line cut short (DESIGN §5, §6).
#include "controller/journal_reader.hpp"
#include "hal/register_map.hpp"
#include "harness/sim_harness.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <thread>

using namespace tractus;
using namespace tractus::integration;
using Clock = std::chrono::steady_clock;

TEST(ControllerCrash, KillMinus9MidPullStopsTheDriveAndReleasesTheTension) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    SimServer sim(dir, {"--calm"});
    ASSERT_TRUE(sim.ready()) << sim.log();
    SimProbe probe(sim.port());
    ASSERT_TRUE(probe.connected());
    // 45 %bw of 100 kg: a 441 N hold.
    Process run(tractus_run_argv(dir, sim.tcp_address(), "modbus-hold.json", "100kg"),
                dir / "run.out", dir / "run.err");

    std::optional<Truth> t = probe.wait_for_tension(400.0, run, 60s);
    ASSERT_TRUE(t && t->tension_n >= 400.0)
        << "the session never reached 400 N:\n"
        << read_file(dir / "run.out") << read_file(dir / "run.err");
    ASSERT_TRUE(t->enabled);
    std::uint16_t watchdog[2] = {0, 0};
    ASSERT_TRUE(probe.read(2, 30, 2, watchdog));
    EXPECT_GT(watchdog[0], 0);
    EXPECT_LE(watchdog[0], 100); // configured ≤ 100 ms

    run.signal(SIGKILL);
    const auto killed = Clock::now();
    ASSERT_TRUE(run.wait_for(5s));

    std::optional<double> below_15n_after;
    Truth last;
    while (Clock::now() - killed < 5s) {
      const auto now = probe.truth();
      ASSERT_TRUE(now);
      last = *now;
      if (!now->enabled && now->tension_n < 15.0) {
        below_15n_after = std::chrono::duration<double>(Clock::now() - killed).count();
        break;
      }
      std::this_thread::sleep_for(5ms);
    }
    // The drive stopped on its own watchdog (CiA 301 0x8130), a watchdog timeout after the last
    // command (the simulator steps in whole milliseconds, so one step may be added).
    EXPECT_TRUE(last.watchdog_tripped);
    EXPECT_EQ(last.fault_code, 0x8130);
    ASSERT_TRUE(last.last_command_s && last.torque_off_s);
    const double stop_after_ms = std::round((*last.torque_off_s - *last.last_command_s) * 1e3);
    EXPECT_LE(stop_after_ms, watchdog[0] + 1.0);
    EXPECT_GE(stop_after_ms, watchdog[0]);
    ASSERT_TRUE(below_15n_after) << "tension still " << last.tension_n << " N 5 s after the kill";
    EXPECT_LT(*below_15n_after, 3.0);
    std::printf("drive off %.0f ms after the last command; tension below 15 N %.2f s after the "
                "kill\n",
                stop_after_ms, *below_15n_after);

    const auto file = journal_file(dir);
    ASSERT_TRUE(file);
    const controller::JournalContents j = controller::read_journal(*file);
    EXPECT_TRUE(j.problems.empty()) << j.problems.front();
    EXPECT_FALSE(j.header.is_null());
    EXPECT_FALSE(j.samples.empty());
    EXPECT_FALSE(j.summary) << "a killed process writes no summary";
  });
}
