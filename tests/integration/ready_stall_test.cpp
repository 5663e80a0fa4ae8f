// A PC that stalls the console's loop in Ready for longer than the drive's 100 ms watchdog, on
// tractus-sim over Modbus TCP: the drive faults 0x8130 for the silence, with no torque to take.
// Before, the start that followed was refused 114 until the operator unloaded the session; now
// the session resets that trip once and journals it (Session::reset_stall_trip), and the start
// pulls. The stall is a SIGSTOP of `tractus serve`, as a VM's or a PC's pause would be.
#include "console/http_test_client.hpp"
#include "controller/journal_reader.hpp"
#include "harness/process.hpp"
#include "harness/serve_process.hpp"
#include "harness/sim_harness.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

using namespace tractus;
using namespace tractus::integration;
using tractus::testing::HttpTestClient;

namespace {

constexpr const char *kOperatorPin = "97531864";
constexpr const char *kTechnicianPin = "24681357";

} // namespace

TEST(ConsoleOnModbus, AStallInReadyThatTripsTheDrivesWatchdogIsResetAndTheStartPulls) {
  ScratchDir dir;
  SimServer sim(dir, {"--calm"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  SimProbe probe(sim.port());
  ASSERT_TRUE(probe.connected());
  set_pin(dir, "operator", kOperatorPin);
  set_pin(dir, "technician", kTechnicianPin);
  Process serve({Tools::tractus(), "serve", "--no-config", "--listen", "127.0.0.1:0", "--table",
                 sim.tcp_address(), "--data", (dir / "data").string(), "--journal",
                 (dir / "journal").string()},
                dir / "serve.out", dir / "serve.err");
  const std::uint16_t port = announced_port(dir / "serve.out", 20s);
  ASSERT_NE(port, 0) << read_file(dir / "serve.out") << read_file(dir / "serve.err");
  const auto logs = [&] {
    return read_file(dir / "serve.out") + read_file(dir / "serve.err") + sim.log();
  };
  const HttpTestClient client(port);
  const std::string token = client.login("operator", kOperatorPin);
  const auto loaded =
      client.post("/api/session", client.cleared_session(token, "lumbar-static", "80 kg"), token);
  ASSERT_EQ(loaded.status, 201) << loaded.body << logs();
  const auto frame = [&] { return client.get("/api/state", token).json["frame"]; };
  ASSERT_TRUE(poll(10s, [&] { return frame().value("press_test", false); }))
      << "the press test never passed\n"
      << logs();

  // The loop falls silent for 300 ms: three of the drive's watchdog timeouts.
  serve.signal(SIGSTOP);
  std::this_thread::sleep_for(300ms);
  const std::optional<Truth> stopped = probe.truth();
  serve.signal(SIGCONT);
  ASSERT_TRUE(stopped);
  ASSERT_EQ(stopped->fault_code, 0x8130) << "the pause did not trip the drive's watchdog";
  EXPECT_FALSE(stopped->enabled);

  // Within a few of the loop's cycles the trip is reset, the drive left disabled.
  ASSERT_TRUE(poll(2s,
                   [&] {
                     const std::optional<Truth> t = probe.truth();
                     return t && t->fault_code == 0;
                   }))
      << "the trip was not reset\n"
      << logs();
  EXPECT_FALSE(probe.truth()->enabled) << "the reset enabled the drive";

  const auto started = client.post_empty("/api/session/start", token);
  ASSERT_EQ(started.status, 202) << started.body;
  ASSERT_TRUE(poll(10s, [&] { return frame().value("state", "") == "treating"; }))
      << "the session did not start to treat: " << frame().dump() << "\n"
      << logs();
  const auto stop = client.post_empty("/api/session/stop");
  ASSERT_EQ(stop.status, 202) << stop.body;
  const nlohmann::json last = acknowledge_until_ended(client, token, 20s);
  ASSERT_FALSE(last.is_null()) << logs();
  EXPECT_EQ(last["outcome"], "stopped by operator") << last.dump();

  // The journal says what happened and how long the loop was silent; the summary counts it.
  const controller::JournalContents j =
      controller::read_journal(loaded.json["session"]["journal"].get<std::string>());
  EXPECT_TRUE(j.problems.empty());
  int resets = 0;
  for (const nlohmann::json &e : j.events)
    if (e.value("event", "") == "watchdog-reset") {
      ++resets;
      EXPECT_EQ(e.value("state", ""), "ready") << e.dump();
      EXPECT_GE(e.value("stall_ms", 0.0), 250.0) << e.dump();
    }
  EXPECT_EQ(resets, 1);
  ASSERT_TRUE(j.summary);
  EXPECT_EQ(j.summary->value("watchdog_resets", -1), 1) << j.summary->dump();

  serve.signal(SIGINT);
  const auto code = serve.wait_for(20s);
  ASSERT_TRUE(code) << logs();
  EXPECT_EQ(*code, 0) << logs();
}
