// The service log of `tractus serve` outside systemd (docs/logging.md): what a technician reads
// in DATA/log/tractus.log after the day — the start and the configuration in force, a refused
// PIN and a login, the operator's actions, the session's events as its journal recorded them,
// its end and the service's stop — and never a PIN. And `--inject` (the simulator's events in
// every session), which the log and every journal must show.
#include "console/http_test_client.hpp"
#include "controller/journal_reader.hpp"
#include "harness/process.hpp"
#include "harness/serve_process.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <optional>
#include <thread>

using namespace tractus;
using namespace tractus::integration;
using tractus::testing::HttpTestClient;

namespace {

// Eight digits, so that no port, pid or time in the log could hold one by chance.
constexpr const char *kOperatorPin = "86420975";
constexpr const char *kTechnicianPin = "13579246";
constexpr const char *kWrongPin = "75319864";

// The port of a `tractus serve --no-config` on the simulator (these `extra` arguments added) that
// has announced it, or 0 (the test then fails, with the server's output).
std::uint16_t serve_on_simulator(const ScratchDir &dir, std::optional<Process> &serve,
                                 const std::vector<std::string> &extra = {}) {
  set_pin(dir, "operator", kOperatorPin);
  set_pin(dir, "technician", kTechnicianPin);
  std::vector<std::string> argv = {Tools::tractus(),
                                   "serve",
                                   "--no-config",
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--table",
                                   "sim",
                                   "--data",
                                   (dir / "data").string(),
                                   "--journal",
                                   (dir / "journal").string()};
  argv.insert(argv.end(), extra.begin(), extra.end());
  serve.emplace(argv, dir / "serve.out", dir / "serve.err");
  const std::uint16_t port = announced_port(dir / "serve.out", 20s);
  EXPECT_NE(port, 0) << read_file(dir / "serve.out") << read_file(dir / "serve.err");
  return port;
}

// Loads lumbar-static for 80 kg, waits for the simulated patient's press test and starts it:
// the session's `{"id","journal",…}`, or null (the test then fails, saying where).
nlohmann::json load_and_start(const HttpTestClient &client, const std::string &token) {
  const auto loaded =
      client.post("/api/session", client.cleared_session(token, "lumbar-static", "80 kg"), token);
  EXPECT_EQ(loaded.status, 201) << loaded.body;
  if (loaded.status != 201) return nullptr;
  const bool tested = poll(10s, [&] {
    return client.get("/api/state", token).json["frame"].value("press_test", false);
  });
  EXPECT_TRUE(tested) << "the press test never passed";
  const auto started = client.post_empty("/api/session/start", token);
  EXPECT_EQ(started.status, 202) << started.body;
  if (!tested || started.status != 202) return nullptr;
  return loaded.json["session"];
}

// The operator at a console whose session is under way.
struct StartedSession {
  HttpTestClient client;
  std::string token;
  nlohmann::json session; // `{"id","journal",…}`
};

// serve_on_simulator, the operator's login and load_and_start: nothing if a step failed (the
// failure says which).
std::optional<StartedSession> serve_and_start(const ScratchDir &dir, std::optional<Process> &serve,
                                              const std::vector<std::string> &extra = {}) {
  const std::uint16_t port = serve_on_simulator(dir, serve, extra);
  if (port == 0) return std::nullopt;
  StartedSession started{HttpTestClient(port), "", nullptr};
  started.token = started.client.login("operator", kOperatorPin);
  started.session = load_and_start(started.client, started.token);
  if (started.session.is_null()) return std::nullopt;
  return started;
}

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
    const nlohmann::json last = acknowledge_until_ended(client, token, 20s);
    ASSERT_FALSE(last.is_null());
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
    std::optional<Process> serve;
    const std::optional<StartedSession> started = serve_and_start(dir, serve);
    ASSERT_TRUE(started);
    const auto &[client, token, session] = *started;
    const std::string id = session["id"].get<std::string>();
    const std::string journal = session["journal"].get<std::string>();
    ASSERT_TRUE(poll(20s, [&] {
      const auto frame = client.get("/api/state", token).json["frame"];
      return frame.value("state", "") == "treating" && frame.value("force_N", 0.0) > 100.0;
    })) << "the session never pulled 100 N";

    serve->signal(SIGINT);
    const auto code = serve->wait_for(30s);
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

// `tractus serve --inject muscle-guarding@45s` on the simulator: every session gets a real spasm
// 45 s after it is loaded (8× speed here: under 6 s), the console shows it as the guarding
// notice, the log says at start that events are injected, and the journal's table lists them.
TEST(ServeInject, EverySessionGetsTheEventsAndTheLogAndTheJournalSaySo) {
  test_riding_machine_pauses([](const ScratchDir &dir) {
    std::optional<Process> serve;
    const std::optional<StartedSession> started =
        serve_and_start(dir, serve, {"--sim-speed", "8", "--inject", "muscle-guarding@45s"});
    ASSERT_TRUE(started);
    const auto &[client, token, session] = *started;
    const std::string journal = session["journal"].get<std::string>();
    double size = 0.0, at = 0.0;
    ASSERT_TRUE(poll(20s,
                     [&] {
                       const auto frame = client.get("/api/state", token).json["frame"];
                       if (!frame.value("guarding", false)) return false;
                       size = frame["guarding_N"].get<double>();
                       at = frame["t_s"].get<double>();
                       return true;
                     }))
        << "no guarding notice within 20 s (the injected spasm comes 45 s into the session's "
           "simulated time)";
    EXPECT_GE(size, 8.0); // at least the detector's threshold
    // The injected spasm, not one of the patient's own (the seed puts the first of those
    // minutes later): 45 s after the load is 36 s of protocol time after the press test and
    // the take-up, as `tractus run --inject muscle-guarding@45s` shows (35.9 s).
    EXPECT_NEAR(at, 36.0, 2.0);
    ASSERT_EQ(client.post_empty("/api/session/stop", token).status, 202);
    serve->signal(SIGTERM);
    const auto code = serve->wait_for(30s);
    ASSERT_TRUE(code);
    EXPECT_EQ(*code, 0) << read_file(dir / "serve.err");

    EXPECT_NE(read_file(dir / "data" / "log" / "tractus.log")
                  .find("simulated events in every session (--inject): muscle-guarding@45s"),
              std::string::npos);
    const controller::JournalContents j = controller::read_journal(journal);
    const auto &injections = j.header["table"]["injections"];
    ASSERT_EQ(injections.size(), 1U) << j.header["table"].dump();
    EXPECT_NE(injections[0].dump().find("muscle-guarding"), std::string::npos) << injections.dump();
  });
}

// A typo in an event, or events on a real table, start nothing: exit 2, every bad one named.
TEST(ServeInject, ABadEventOrARealTableIsRefusedAndNothingStarts) {
  const ScratchDir dir;
  set_pin(dir, "operator", kOperatorPin);
  set_pin(dir, "technician", kTechnicianPin);
  const std::vector<std::string> serve = {
      Tools::tractus(), "serve",  "--no-config",          "--listen",
      "127.0.0.1:0",    "--data", (dir / "data").string()};
  auto with = [&](std::vector<std::string> extra) {
    std::vector<std::string> argv = serve;
    argv.insert(argv.end(), extra.begin(), extra.end());
    return run_command(argv, 20s);
  };
  const RunResult typo = with({"--inject", "muscle-guarding@45s", "--inject",
                               "loadcell-freeze@soon", "--inject", "nosuch@1s"});
  EXPECT_EQ(typo.exit_code, 2) << typo.out << typo.err;
  EXPECT_NE(typo.err.find("--inject bad time \"soon\" in \"loadcell-freeze@soon\""),
            std::string::npos)
      << typo.err;
  EXPECT_NE(typo.err.find("unknown injection kind \"nosuch\""), std::string::npos) << typo.err;
  EXPECT_EQ(typo.out.find("http://127.0.0.1:"), std::string::npos) << typo.out; // never served

  const RunResult real =
      with({"--table", "modbus-tcp://127.0.0.1:9", "--inject", "muscle-guarding@45s"});
  EXPECT_EQ(real.exit_code, 2) << real.out << real.err;
  EXPECT_NE(real.err.find("--inject is for the simulator only"), std::string::npos) << real.err;
}
