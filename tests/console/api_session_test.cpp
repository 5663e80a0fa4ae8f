// A treatment run entirely through the console's HTTP API and telemetry WebSocket, on the
// in-process simulator at wall-clock pace: load, start, watch the pull rise, stop without a
// token, see the release and the alarm, acknowledge it.
#include "console_under_test.hpp"

#include <gtest/gtest.h>

#include <thread>

namespace tractus::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double wall_ms_now() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

class ConsoleSession : public ::testing::Test {
protected:
  // journals: where its sessions are journaled (empty: its own data folder).
  void start_console(const std::filesystem::path &journals = {}) {
    ConsoleSetup setup;
    setup.journal_dir = journals;
    console_ = std::make_unique<ConsoleUnderTest>(
        ::testing::UnitTest::GetInstance()->current_test_info()->name(), std::move(setup));
    client_ = std::make_unique<HttpTestClient>(console_->port());
    token_ = client_->login("operator", kOperatorPin);
  }

  // Every item of the checklist answered no, as the page sends it.
  nlohmann::json all_clear_screening() const { return client_->cleared_screening(token_); }

  // lumbar-intermittent for 150 kg: its first progressive step passes 100 N about 6 s into
  // the protocol, after the pretension's 2 to 3 s.
  void load() {
    const nlohmann::json request = {{"profile", "lumbar-intermittent"},
                                    {"patient", {{"id", "P-0042"}, {"weight", "150 kg"}}},
                                    {"screening", all_clear_screening()}};
    const auto loaded = client_->post("/api/session", request, token_);
    ASSERT_LT(loaded.status, 300) << loaded.body;
  }

  // Start once the simulated patient has tested the hand switch (500 ms after the load).
  void start(TelemetryTestSocket &socket) {
    ASSERT_FALSE(
        until(socket, 5s, [](const auto &f) { return f.value("press_test", false); }).is_null())
        << "the press test never passed";
    const auto started = client_->post_empty("/api/session/start", token_);
    ASSERT_EQ(started.status, 202) << started.body;
  }

  // Reads frames until `done` holds for one, or `limit` passes: that frame, or null.
  template <typename Done>
  static nlohmann::json until(TelemetryTestSocket &socket, std::chrono::milliseconds limit,
                              Done done) {
    const auto end = Clock::now() + limit;
    while (Clock::now() < end) {
      const auto frame = socket.next(1s);
      if (frame && done(*frame)) return *frame;
    }
    return nullptr;
  }

  void pull_then_stop_without_a_token(const std::filesystem::path &journals);

  std::unique_ptr<ConsoleUnderTest> console_;
  std::unique_ptr<HttpTestClient> client_;
  std::string token_;
};

TEST_F(ConsoleSession, ASessionWithWrongFieldsIs422ListingEachProblem) {
  start_console();
  const nlohmann::json request = {{"profile", "lumbar-static"},
                                  {"patient", {{"id", "John Smith"}, {"weight", "-3 kg"}}},
                                  {"screening", all_clear_screening()},
                                  {"colour", "blue"}};
  const auto reply = client_->post("/api/session", request, token_);
  ASSERT_EQ(reply.status, 422) << reply.body;
  EXPECT_EQ(reply.error_code(), "invalid");
  EXPECT_GE(reply.json["error"]["problems"].size(), 3u) << reply.body;
}

// A page that fell behind (another console unloaded its session and loaded another patient's)
// names the session it shows: a start, pause or acknowledgement for any other is refused and
// sends nothing, a malformed name too; the session loaded stays in Ready. The right name starts
// it (a script that names none is the other tests').
TEST_F(ConsoleSession, AStartNamingAnotherSessionThanTheLoadedOneIsRefusedAndSendsNothing) {
  start_console();
  TelemetryTestSocket socket(console_->port(), token_, client_->origin());
  load();
  const auto state = client_->get("/api/state", token_);
  ASSERT_EQ(state.status, 200) << state.body;
  const std::string loaded = state.json["session"]["id"];
  ASSERT_FALSE(
      until(socket, 5s, [](const auto &f) { return f.value("press_test", false); }).is_null());

  const auto refused =
      client_->post_empty("/api/session/start?session=20261207T090000Z-lumbar-static-0000", token_);
  EXPECT_EQ(refused.status, 409) << refused.body;
  EXPECT_EQ(refused.error_code(), "other-session");
  EXPECT_NE(refused.body.find("nothing was sent"), std::string::npos) << refused.body;
  for (const char *other : {"pause", "resume", "acknowledge"})
    EXPECT_EQ(client_
                  ->post_empty(std::string("/api/session/") + other +
                                   "?session=20261207T090000Z-lumbar-static-0000",
                               token_)
                  .error_code(),
              "other-session")
        << other;
  // Named but not a name: refused, never read as no name (which would skip the check).
  for (const char *malformed : {"?session=", "?session=%ZZ"}) {
    const auto reply = client_->post_empty(std::string("/api/session/start") + malformed, token_);
    EXPECT_EQ(reply.status, 400) << malformed << ": " << reply.body;
  }
  // Nothing was sent: the loaded session stays in Ready for the next second.
  EXPECT_TRUE(
      until(socket, 1s, [](const auto &f) { return f.value("state", "") != "ready"; }).is_null());

  const auto started = client_->post_empty("/api/session/start?session=" + loaded, token_);
  EXPECT_EQ(started.status, 202) << started.body;
  EXPECT_FALSE(until(socket, 5s, [](const auto &f) {
                 return f.value("state", "") == "pretension";
               }).is_null());
  EXPECT_EQ(client_->post_empty("/api/session/stop", "").status, 202);
}

// A login does not lapse while its page watches a session under way (docs/console.md,
// "Logins"): an operator's 12 hours end mid-session, and the page's telemetry and requests go
// on; once the session is over (stopped, released, acknowledged) the login lapses a minute
// later, as if it had not been held.
TEST_F(ConsoleSession, ALoginDoesNotLapseWhileItsPageWatchesASession) {
  start_console();
  console_->advance_clock(11h + 59min);
  TelemetryTestSocket socket(console_->port(), token_, client_->origin());
  load();
  start(socket);
  // Each token check (every second) holds the watching login a minute past its time.
  for (int step = 0; step < 3; ++step) {
    std::this_thread::sleep_for(2500ms);
    console_->advance_clock(50s);
  }
  // 12 h 1 min 30 s after the login: held.
  EXPECT_EQ(client_->get("/api/state", token_).status, 200);
  EXPECT_FALSE(until(socket, 2s, [](const auto &) { return true; }).is_null())
      << "the telemetry stopped while the session was under way";

  // The session ends: stopped, released, acknowledged, and the loop gone.
  ASSERT_EQ(client_->post_empty("/api/session/stop", "").status, 202);
  ASSERT_FALSE(until(socket, 20s, [](const auto &f) {
                 return f.value("state", "") == "complete" || f.value("state", "") == "fault";
               }).is_null());
  const auto over = Clock::now() + 15s;
  while (client_->get("/api/state", token_).json["session"].is_object() && Clock::now() < over) {
    client_->post_empty("/api/session/acknowledge", token_);
    std::this_thread::sleep_for(500ms);
  }
  ASSERT_TRUE(client_->get("/api/state", token_).json["session"].is_null())
      << "the session did not end";
  std::this_thread::sleep_for(2500ms);
  console_->advance_clock(61s);
  const auto end = Clock::now() + 5s;
  int status = 200;
  while (status == 200 && Clock::now() < end) {
    std::this_thread::sleep_for(200ms);
    status = client_->get("/api/state", token_).status;
  }
  EXPECT_EQ(status, 401) << "the login outlived the session it was held for";
}

// A session pulling on the simulated table at the wall clock's pace: a machine pause that
// stops its loop's CPU faults it 201, and then the attempt runs again (console_under_test.hpp).
TEST_F(ConsoleSession, APullRisesThenAStopWithoutATokenReleasesItAndAlarmsUntilAcknowledged) {
  console_test_riding_machine_pauses([this](const std::filesystem::path &journals) {
    pull_then_stop_without_a_token(journals);
    client_.reset();
    console_.reset(); // its session ended and journaled before the attempt is judged
  });
}

void ConsoleSession::pull_then_stop_without_a_token(const std::filesystem::path &journals) {
  start_console(journals);
  TelemetryTestSocket socket(console_->port(), token_, client_->origin());
  load();

  start(socket);
  // Telemetry at 20 frames a second at least (50 are published while a session is loaded).
  int frames = 0;
  const auto counting_since = Clock::now();
  const auto pulling = until(socket, 25s, [&frames](const auto &f) {
    ++frames;
    return f["force_N"] > 100.0;
  });
  ASSERT_FALSE(pulling.is_null()) << "the force never passed 100 N";
  const std::chrono::duration<double> counted = Clock::now() - counting_since;
  EXPECT_GE(frames / counted.count(), 20.0) << frames << " frames in " << counted.count() << " s";
  EXPECT_EQ(pulling["state"], "treating");

  // Stop with no token: a controlled release (stop category 1) to below the minimum cord
  // tension's 15 N within 3 s, by the loop's own clock in the frames.
  const double stop_ms = wall_ms_now();
  const auto stopped = client_->post_empty("/api/session/stop");
  ASSERT_EQ(stopped.status, 202) << stopped.body;
  const auto released = until(socket, 10s, [](const auto &f) { return f["force_N"] < 15.0; });
  ASSERT_FALSE(released.is_null()) << "the force never fell below 15 N";
  EXPECT_LT(released["wall_ms"].get<double>() - stop_ms, 3000.0);
  EXPECT_EQ(released["outcome"], "operator-stop");

  // The alarm sounds until the operator acknowledges it (DESIGN §5), so a stop nobody at the
  // table asked for is never missed.
  const auto alarm = until(socket, 3s, [](const auto &f) { return f.value("alarm", false); });
  ASSERT_FALSE(alarm.is_null()) << "no alarm after the stop";
  const auto quiet = until(socket, 1s, [](const auto &f) { return !f.value("alarm", true); });
  EXPECT_TRUE(quiet.is_null()) << "the alarm ended by itself: " << quiet.dump();
  const auto acknowledged = client_->post_empty("/api/session/acknowledge", token_);
  ASSERT_EQ(acknowledged.status, 202) << acknowledged.body;
  EXPECT_FALSE(until(socket, 3s, [](const auto &f) { return !f.value("alarm", true); }).is_null())
      << "the alarm outlived its acknowledgement";
}

} // namespace
} // namespace tractus::testing
