// Modbus RTU through a socat pseudo-terminal pair: the three devices share one line, the loop
// runs at 100 Hz (DESIGN §5), and a frame with a bad CRC is a bad reply, never a value.
#include "hal/register_map.hpp"
#include "harness/sim_harness.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

using namespace tractus;
using namespace tractus::integration;
namespace sc = hal::regmap::sim_control;

// A timing fault raised when a CPU paused runs the session again (harness/machine_pauses.hpp).
TEST(TractusRunOverRtu, OneMinuteSessionCompletesAtAbout100Hz) {
  const SessionAttempt a = session_riding_machine_pauses([](SessionAttempt &attempt) {
    PtyPair pty(*attempt.dir);
    SimServer sim(*attempt.dir, pty.a(), {"--seed", "3"});
    if (!pty.ready() || !sim.ready()) {
      attempt.run.err = "socat or tractus-sim did not start: " + sim.log();
      return;
    }
    attempt.run = run_command(tractus_run_argv(*attempt.dir,
                                               "modbus-rtu://" + pty.b() + "?baud=115200&parity=E",
                                               "modbus-1min.json", "80kg"),
                              120s);
  });
  EXPECT_EQ(a.run.exit_code, 0) << a.run.err << a.run.out;
  ASSERT_TRUE(a.journal) << a.run.err;
  const controller::JournalContents &j = *a.journal;
  EXPECT_TRUE(j.problems.empty());
  ASSERT_TRUE(j.summary);
  EXPECT_EQ(j.header.at("table").at("transport"), "modbus-rtu");
  EXPECT_EQ(j.header.at("table").at("loop_period_ms"), 10.0);
  double seconds = 0;
  for (const auto &[state, s] : j.summary->at("seconds_in_state").items())
    seconds += s.get<double>();
  const double rate = j.summary->at("cycles").get<double>() / seconds;
  EXPECT_GT(rate, 90.0);
  EXPECT_LT(rate, 101.0);
  std::printf("%.1f Hz over %.1f s; outcome %s\n", rate, seconds,
              j.summary->at("outcome").dump().c_str());
}

TEST(RtuWire, ACorruptedFrameIsABadReplyAndTheLineRecovers) {
  ScratchDir dir;
  PtyPair pty(dir);
  ASSERT_TRUE(pty.ready());
  SimServer sim(dir, pty.b(), {});
  ASSERT_TRUE(sim.ready()) << sim.log();
  auto link = hal::modbus::Link::rtu({pty.a(), 115200, 'E', 8, 1});
  link->set_response_timeout(milliseconds(100));
  ASSERT_EQ(link->connect(), "");
  std::uint16_t r[4];
  EXPECT_EQ(link->read(1, {0, 4}, r), hal::IoStatus::Ok);
  const std::uint16_t on = 1, off = 0;
  ASSERT_EQ(link->write(sc::kUnit, {sc::trigger_address(1, sc::kCorrupt), 1}, &on),
            hal::IoStatus::Ok);
  EXPECT_EQ(link->read(1, {0, 4}, r), hal::IoStatus::BadReply);
  EXPECT_STREQ(link->last_error(), "Invalid CRC");
  // The other devices on the line are unaffected, and so is the transmitter once it is mended.
  EXPECT_EQ(link->read(3, {0, 1}, r), hal::IoStatus::Ok);
  ASSERT_EQ(link->write(sc::kUnit, {sc::trigger_address(1, sc::kCorrupt), 1}, &off),
            hal::IoStatus::Ok);
  EXPECT_EQ(link->read(1, {0, 4}, r), hal::IoStatus::Ok);
}
