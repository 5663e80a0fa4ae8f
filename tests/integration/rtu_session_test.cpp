// Modbus RTU through a socat pseudo-terminal pair: the three devices share one line, the loop
// runs at 100 Hz (DESIGN §5), and a frame with a bad CRC is a bad reply, never a value.
#include "hal/register_map.hpp"
#include "harness/sim_harness.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

using namespace tractus;
using namespace tractus::integration;
namespace sc = hal::regmap::sim_control;

// The session pulls, holds and is stopped by the operator 25 s in (into the first hold): the
// rate, the tracking and the release over RTU, in less than half a whole session's exposure to
// the VM's pauses (a whole session to its end: tcp_session_test.cpp). A timing fault raised
// when a CPU paused runs the session again (support/machine_pauses.hpp).
TEST(TractusRunOverRtu, ASessionRunsAtAbout100HzAndHoldsUntilTheOperatorStopsIt) {
  const SessionAttempt a = session_riding_machine_pauses([](SessionAttempt &attempt) {
    PtyPair pty(*attempt.dir);
    SimServer sim(*attempt.dir, pty.a(), {"--seed", "3"});
    if (!pty.ready() || !sim.ready()) {
      attempt.run.err = "socat or tractus-sim did not start: " + sim.log();
      return;
    }
    attempt.run = run_then_stop(
        tractus_run_argv(*attempt.dir, "modbus-rtu://" + pty.b() + "?baud=115200&parity=E",
                         "modbus-1min.json", "80kg"),
        *attempt.dir, 25s);
  });
  EXPECT_EQ(a.run.exit_code, 3) << a.run.err << a.run.out;
  ASSERT_TRUE(a.journal) << a.run.err;
  const controller::JournalContents &j = *a.journal;
  EXPECT_TRUE(j.problems.empty());
  ASSERT_TRUE(j.summary);
  EXPECT_EQ(j.header.at("table").at("transport"), "modbus-rtu");
  EXPECT_EQ(j.header.at("table").at("loop_period_ms"), 10.0);
  // The line asked for low latency (hal/modbus/serial_latency.hpp); a pseudo-terminal has no
  // serial settings to give it, and the journal says so.
  const auto &serial = j.header.at("table").at("serial");
  EXPECT_EQ(serial.at("low_latency"), false) << serial.dump();
  EXPECT_NE(serial.at("note").get<std::string>().find("no serial settings"), std::string::npos)
      << serial.dump();
  double seconds = 0;
  for (const auto &[state, s] : j.summary->at("seconds_in_state").items())
    seconds += s.get<double>();
  const double rate = j.summary->at("cycles").get<double>() / seconds;
  EXPECT_GT(rate, 90.0);
  EXPECT_LT(rate, 101.0);
  EXPECT_EQ(j.summary->at("outcome"), "stopped by operator") << j.summary->dump();
  EXPECT_GE(j.summary->at("seconds_in_state").value("treating", 0.0), 15.0) << j.summary->dump();
  // The hold tracked within 2 % of its 235 N, as on the in-process simulator.
  EXPECT_GT(j.summary->at("hold_rms_error_n").get<double>(), 0.0) << "no hold was tracked";
  EXPECT_LE(j.summary->at("hold_rms_error_percent").get<double>(), 2.0) << j.summary->dump();
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
