// `tractus serve --table modbus-tcp://…` on the vendor table (pymodbus_table.py): a session
// loaded, started and stopped through the console's API (docs/console.md), judged from the
// device's own trace of the cable's true tension.
#include "console/http_test_client.hpp"
#include "harness/process.hpp"
#include "harness/serve_process.hpp"
#include "harness/tractus_run.hpp"
#include "harness/vendor_table.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

using namespace tractus;
using namespace tractus::integration;
using tractus::testing::HttpTestClient;

namespace {

constexpr const char *kOperatorPin = "2468";
constexpr const char *kTechnicianPin = "1357";

} // namespace

// The console's start and stop on a real table (lumbar-intermittent for 150 kg: its first
// progressive step passes 100 N about 6 s into the protocol): the load arms the drive's watchdog,
// the device's patient tests the hand switch, the start pulls, and the API's stop (no token needed)
// is a controlled release below 15 N within 3 s; once acknowledged the session is recorded as
// stopped by the operator (151).
TEST(VendorTableServe, AConsoleSessionStartsPullsAndStopsOnTheVendorTable) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    PyTable table(dir, {"--trace-file", (dir / "trace").string()});
    ASSERT_FALSE(table.address.empty()) << read_file(dir / "py.err");
    verify(dir / "cal", install_record(dir / "cal", now_unix()), now_unix());
    set_pin(dir, "operator", kOperatorPin);
    set_pin(dir, "technician", kTechnicianPin);
    Process serve({Tools::tractus(), "serve", "--listen", "127.0.0.1:0", "--table", table.address,
                   "--data", (dir / "data").string(), "--journal", (dir / "journal").string(),
                   "--store", (dir / "cal").string()},
                  dir / "serve.out", dir / "serve.err");
    const std::uint16_t port = announced_port(dir / "serve.out", 20s);
    ASSERT_NE(port, 0) << read_file(dir / "serve.out") << read_file(dir / "serve.err");
    const auto logs = [&] { return read_file(dir / "serve.out") + read_file(dir / "serve.err"); };

    const HttpTestClient client(port);
    const std::string token = client.login("operator", kOperatorPin);
    const auto loaded = client.post(
        "/api/session", client.cleared_session(token, "lumbar-intermittent", "150 kg"), token);
    ASSERT_EQ(loaded.status, 201) << loaded.body << logs();
    EXPECT_EQ(loaded.json["session"]["calibration"]["in_force"], true) << loaded.body;

    ASSERT_TRUE(poll(
        10s,
        [&] { return client.get("/api/state", token).json["frame"].value("press_test", false); }))
        << "the hand switch's press test never passed\n"
        << logs();
    const auto started = client.post_empty("/api/session/start", token);
    ASSERT_EQ(started.status, 202) << started.body;
    ASSERT_TRUE(wait_for_tension(dir / "trace", 100.0, 40s))
        << "the console's session never pulled 100 N\n"
        << logs();

    const auto stop = client.post_empty("/api/session/stop"); // no token: a stop only makes safer
    const double stopped_at = steady_seconds(std::chrono::steady_clock::now());
    ASSERT_EQ(stop.status, 202) << stop.body;
    std::this_thread::sleep_for(3500ms);
    double highest = 0.0;
    for (const auto &t : read_trace(dir / "trace"))
      if (t.mono_s >= stopped_at + 3.0 && t.tension_n > highest) highest = t.tension_n;
    EXPECT_LE(highest, 15.0 + 0.5) << "the cable still carried tension 3 s after the stop";

    const nlohmann::json last = acknowledge_until_ended(client, token, 20s);
    ASSERT_FALSE(last.is_null()) << logs();
    EXPECT_EQ(last["outcome"], "stopped by operator") << last.dump();
    EXPECT_EQ(last["code"], 151) << last.dump();

    serve.signal(SIGINT);
    const auto code = serve.wait_for(20s);
    ASSERT_TRUE(code) << logs();
    EXPECT_EQ(*code, 0) << logs();
  });
}
