// The service log of `tractus serve` outside systemd (docs/logging.md): what a technician reads
// in DATA/log/tractus.log after the day — the start and the configuration in force, a refused
// PIN and a login, the operator's actions, the session's events as its journal recorded them,
// its end and the service's stop — and never a PIN.
#include "console/http_test_client.hpp"
#include "controller/journal_reader.hpp"
#include "harness/process.hpp"
#include "harness/serve_process.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <thread>

using namespace tractus;
using namespace tractus::integration;
using tractus::testing::HttpTestClient;

namespace {

// Eight digits, so that no port, pid or time in the log could hold one by chance.
constexpr const char *kOperatorPin = "86420975";
constexpr const char *kTechnicianPin = "13579246";
constexpr const char *kWrongPin = "75319864";

} // namespace

TEST(ServeLog, ATechnicianReadsTheStartLoginsActionsTheSessionAndTheStop) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    set_pin(dir, "operator", kOperatorPin);
    set_pin(dir, "technician", kTechnicianPin);
    Process serve({Tools::tractus(), "serve", "--no-config", "--listen", "127.0.0.1:0", "--table",
                   "sim", "--data", (dir / "data").string(), "--journal",
                   (dir / "journal").string(), "--log-level", "debug"},
                  dir / "serve.out", dir / "serve.err");
    const std::uint16_t port = announced_port(dir / "serve.out", 20s);
    ASSERT_NE(port, 0) << read_file(dir / "serve.out") << read_file(dir / "serve.err");

    const HttpTestClient client(port);
    const auto wrong = client.post("/api/login", {{"role", "operator"}, {"pin", kWrongPin}});
    EXPECT_EQ(wrong.status, 401) << wrong.body;
    const std::string token = client.login("operator", kOperatorPin);
    const auto loaded =
        client.post("/api/session", client.cleared_session(token, "lumbar-static", "80 kg"), token);
    ASSERT_EQ(loaded.status, 201) << loaded.body;
    const std::string id = loaded.json["session"]["id"].get<std::string>();
    ASSERT_TRUE(poll(10s, [&] {
      return client.get("/api/state", token).json["frame"].value("press_test", false);
    }));
    ASSERT_EQ(client.post_empty("/api/session/start", token).status, 202);
    // Stopped once treating (the take-up of 30 mm at 5 mm/s and the settle take about 7 s).
    ASSERT_TRUE(poll(20s, [&] {
      return client.get("/api/state", token).json["frame"].value("state", "") == "treating";
    })) << "the session never reached treating";
    ASSERT_EQ(client.post_empty("/api/session/stop").status, 202);
    nlohmann::json last;
    ASSERT_TRUE(poll(20s, [&] {
      client.post_empty("/api/session/acknowledge", token);
      last = client.get("/api/state", token).json["last_session"];
      return !last.is_null();
    }));
    ASSERT_EQ(last["outcome"], "stopped by operator") << last.dump();
    serve.signal(SIGINT);
    const auto code = serve.wait_for(20s);
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 0);

    const std::string log = read_file(dir / "data" / "log" / "tractus.log");
    for (const std::string &line : std::vector<std::string>{
             "info  tractus ", " serve starting (pid ", "configuration: table = sim (--table)",
             "warning " /* the refused PIN, from the loopback peer */,
             "wrong PIN for operator (4 more before a lockout)", "operator logged in",
             "POST /api/session -> 201", "POST /api/session/start -> 202",
             "POST /api/session/stop -> 202", "debug 127.0.0.1:" /* reads, at debug */,
             "GET /api/state -> 200", "session " + id + ": loaded lumbar-static (80 kg",
             "session " + id + ": state -> treating at t=",
             "session " + id + ": operator 151 operator-stop",
             "session " + id + ": ended: stopped by operator",
             "stopping on a signal; a running session is released first", "info  stopped\n"})
      EXPECT_NE(log.find(line), std::string::npos) << "no \"" << line << "\" in\n" << log;
    for (const char *pin : {kOperatorPin, kWrongPin})
      EXPECT_EQ(log.find(pin), std::string::npos) << "a PIN in the log\n" << log;
    // The patient's id is the journal's; the log names the session.
    EXPECT_EQ(log.find("P-0042"), std::string::npos) << log;
  });
}

// Ctrl-C (SIGINT) while a patient is under traction: `tractus serve` takes the signal on its
// watcher thread, stops the session with a controlled release, waits for its loop, exits 0; the
// journal ends on the release and says the console shut down; the log says the same. (A SIGINT
// taken by a thread that had not blocked it, as the log's threads once were, killed the process
// with 130, mid-pull.)
TEST(ServeLog, CtrlCMidTreatmentReleasesThePatientExitsZeroAndSaysSo) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    set_pin(dir, "operator", kOperatorPin);
    set_pin(dir, "technician", kTechnicianPin);
    Process serve({Tools::tractus(), "serve", "--no-config", "--listen", "127.0.0.1:0", "--table",
                   "sim", "--data", (dir / "data").string(), "--journal",
                   (dir / "journal").string()},
                  dir / "serve.out", dir / "serve.err");
    const std::uint16_t port = announced_port(dir / "serve.out", 20s);
    ASSERT_NE(port, 0) << read_file(dir / "serve.out") << read_file(dir / "serve.err");
    const HttpTestClient client(port);
    const std::string token = client.login("operator", kOperatorPin);
    const auto loaded =
        client.post("/api/session", client.cleared_session(token, "lumbar-static", "80 kg"), token);
    ASSERT_EQ(loaded.status, 201) << loaded.body;
    const std::string id = loaded.json["session"]["id"].get<std::string>();
    const std::string journal = loaded.json["session"]["journal"].get<std::string>();
    ASSERT_TRUE(poll(10s, [&] {
      return client.get("/api/state", token).json["frame"].value("press_test", false);
    }));
    ASSERT_EQ(client.post_empty("/api/session/start", token).status, 202);
    ASSERT_TRUE(poll(20s, [&] {
      const auto frame = client.get("/api/state", token).json["frame"];
      return frame.value("state", "") == "treating" && frame.value("force_N", 0.0) > 100.0;
    })) << "the session never pulled 100 N";

    serve.signal(SIGINT);
    const auto code = serve.wait_for(30s);
    ASSERT_TRUE(code) << "tractus serve still runs 30 s after SIGINT";
    EXPECT_EQ(*code, 0) << read_file(dir / "serve.err");

    const controller::JournalContents j = controller::read_journal(journal);
    EXPECT_TRUE(j.problems.empty());
    ASSERT_TRUE(j.summary) << "no summary: the journal was not finished";
    EXPECT_EQ((*j.summary)["outcome"], "stopped by operator") << j.summary->dump();
    EXPECT_EQ((*j.summary)["ended_by"], "the console shutting down (end not acknowledged)");
    ASSERT_FALSE(j.samples.empty());
    EXPECT_LE(j.samples.back()["force"].get<double>(), 15.0 + 1.0)
        << "the journal's last sample still pulls";
    const std::string log = read_file(dir / "data" / "log" / "tractus.log");
    for (const std::string &line : std::vector<std::string>{
             "stopping on a signal; a running session is released first",
             "session " + id + ": ended: stopped by operator (the console shutting down",
             "info  stopped\n"})
      EXPECT_NE(log.find(line), std::string::npos) << "no \"" << line << "\" in\n" << log;
  });
}
