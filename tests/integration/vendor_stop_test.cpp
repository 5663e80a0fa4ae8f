// How a session on the vendor table (pymodbus_table.py) ends when it must end early, judged from
// the table's side: the device's own record of the cable's true tension and of its drive
// (--trace-file), not what tractus says it did.
#include "harness/process.hpp"
#include "harness/tractus_run.hpp"
#include "harness/vendor_table.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <optional>
#include <thread>

using namespace tractus;
using namespace tractus::integration;

namespace {

// The 30 %bw of 80 kg profile pulls 235 N; a stop is tested once the cable carries 150 N.
constexpr double kPulling = 150.0;

// A vendor table with today's verified calibration, and `tractus run` pulling on it, in the
// folder of one attempt (test_riding_machine_pauses).
struct PullingSession {
  explicit PullingSession(const ScratchDir &attempt_dir,
                          std::vector<std::string> table_options = {})
      : dir(attempt_dir), table(dir, [&] {
          table_options.insert(table_options.end(), {"--trace-file", trace().string(),
                                                     "--estop-file", (dir / "estop").string()});
          return table_options;
        }()) {}
  std::filesystem::path trace() const { return dir / "trace"; }
  // Starts the session and waits until the cable carries kPulling.
  bool start() {
    if (table.address.empty()) return false;
    verify(dir / "cal", install_record(dir / "cal", now_unix()), now_unix());
    run.emplace(
        tractus_run_argv(dir, table.address, "modbus-1min.json", "80kg",
                         {"--screening", screening_file(), "--store", (dir / "cal").string()}),
        dir / "run.out", dir / "run.err");
    return wait_for_tension(trace(), kPulling, 30s);
  }
  std::string logs() const {
    return read_file(dir / "run.out") + read_file(dir / "run.err") + read_file(dir / "py.err");
  }
  const ScratchDir &dir;
  PyTable table;
  std::optional<Process> run;
};

// The true tension at or after `from` (CLOCK_MONOTONIC seconds): its highest value from then on.
double highest_tension_from(const std::vector<TableTick> &ticks, double from) {
  double highest = 0.0;
  for (const auto &t : ticks)
    if (t.mono_s >= from && t.tension_n > highest) highest = t.tension_n;
  return highest;
}

} // namespace

// SIGINT is the operator's stop for `tractus run` (docs/register-map.md): a controlled release
// (151 operator-stop, fault-codes.md) to the 15 N minimum cord tension at 400 N/s — from 235 N
// about 0.6 s — then the drive disabled; exit 3.
TEST(VendorTableStop, AnOperatorStopReleasesTheCableBelow15NewtonsWithin3Seconds) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    PullingSession s(dir);
    ASSERT_TRUE(s.start()) << s.logs();
    s.run->signal(SIGINT);
    const double stopped_at = steady_seconds(std::chrono::steady_clock::now());
    const auto code = s.run->wait_for(30s);
    ASSERT_TRUE(code) << "tractus run did not end after SIGINT\n" << s.logs();
    EXPECT_EQ(*code, 3) << s.logs();
    const auto ticks = read_trace(s.trace());
    EXPECT_LE(highest_tension_from(ticks, stopped_at + 3.0), 15.0 + 0.5)
        << "the cable still carried tension 3 s after the stop\n"
        << s.logs();
    // After the release the drive is disabled: nothing pulls once tractus has ended.
    ASSERT_FALSE(ticks.empty());
    EXPECT_FALSE(ticks.back().commanded);
    const auto journal = journal_file(s.dir);
    ASSERT_TRUE(journal);
    const auto j = controller::read_journal(*journal);
    ASSERT_TRUE(j.summary);
    EXPECT_EQ((*j.summary)["outcome"], "stopped by operator") << j.summary->dump();
  });
}

// The E-stop opened at the table (its side channel): the hardwired relay removes drive power,
// tractus reads the chain back open and latches 307 estop; the controller's own command
// disables the drive and stays disabled after the chain closes again.
TEST(VendorTableStop, AnOpenedEStopLatchesTheEStopFaultAndDisablesTheDrive) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    PullingSession s(dir);
    ASSERT_TRUE(s.start()) << s.logs();
    { std::ofstream(s.dir / "estop") << "open\n"; }
    const double opened_at = steady_seconds(std::chrono::steady_clock::now());
    std::this_thread::sleep_for(1s);
    {
      std::ofstream(s.dir / "estop") << "closed\n"; // the button released again: still latched
    }
    const auto code = s.run->wait_for(30s);
    ASSERT_TRUE(code) << "tractus run did not end after the E-stop\n" << s.logs();
    EXPECT_EQ(*code, 3) << s.logs();
    const auto journal = journal_file(s.dir);
    ASSERT_TRUE(journal);
    const auto j = controller::read_journal(*journal);
    ASSERT_TRUE(j.summary);
    EXPECT_EQ((*j.summary)["code"], 307) << j.summary->dump();
    EXPECT_EQ((*j.summary)["fault"], "estop") << j.summary->dump();
    // From the table's side: within 200 ms of the button (50 ms for the device to see it, a few
    // 5 ms cycles for tractus) the controller stops asking for torque, and never asks again.
    const auto ticks = read_trace(s.trace());
    bool asked_after = false;
    for (const auto &t : ticks)
      asked_after = asked_after || (t.mono_s >= opened_at + 0.2 && t.commanded);
    EXPECT_FALSE(asked_after) << "the controller still enabled the drive after the E-stop\n"
                              << s.logs();
    EXPECT_LE(highest_tension_from(ticks, opened_at + 1.0), 15.0);
  });
}

// tractus killed outright mid-pull: nothing stops the motor but the drive's communication
// watchdog (100 ms, action 2 disable, written by tractus at start-up). The device's own record
// shows the drive disabled within 100 ms of the last command plus a 100 ms margin for a
// loaded machine, with fault 0x8130, and the back-driven cable slack within a second.
TEST(VendorTableStop, AKilledTractusIsStoppedByTheDrivesOwnWatchdog) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    PullingSession s(dir);
    ASSERT_TRUE(s.start()) << s.logs();
    s.run->signal(SIGKILL);
    const double killed_at = steady_seconds(std::chrono::steady_clock::now());
    ASSERT_TRUE(s.run->wait_for(5s));
    std::this_thread::sleep_for(1500ms);
    const auto ticks = read_trace(s.trace());
    double disabled_at = -1.0;
    for (const auto &t : ticks)
      if (t.mono_s >= killed_at && !t.enabled) {
        disabled_at = t.mono_s;
        EXPECT_EQ(t.fault, 0x8130) << "the drive stopped, but not by its watchdog";
        break;
      }
    ASSERT_GE(disabled_at, 0.0) << "the drive never stopped after tractus was killed";
    EXPECT_LE(disabled_at - killed_at, 0.200);
    EXPECT_LE(highest_tension_from(ticks, killed_at + 1.0), 15.0);
  });
}
