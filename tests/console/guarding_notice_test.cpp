// Muscle guarding reaches the console as a notice (docs/console.md "Muscle guarding"): a real
// spasm — the simulator's `muscle-guarding` injection, ×1.6 tissue stiffness over 1 s, held 4 s —
// through the real controller, its detector and the telemetry WebSocket. The frames carry
// `guarding: true` with the size while it lasts and a `guarding-onset` event with `size_N`; a
// `guarding-end` clears it; it is never an alarm or a fault; and the session's end (GET
// /api/state's last_session, the journal's summary) counts it.
#include "console_under_test.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

namespace tractus::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;
using json = nlohmann::json;

// The simulated table runs 8 times faster than life: the spasm at 45 s of simulated time (the
// press test, about 7 s of pretension and the 30 s ramp of lumbar-static done, the force held at
// 259 N for 80 kg) comes under 6 s after the load.
constexpr double kSimSpeed = 8.0;

TEST(GuardingNotice, ASpasmIsANoticeWhileItLastsClearedAtItsEndAndCountedAtTheSessionsEnd) {
  // Paced by the wall clock: a machine pause may fault its loop (console_under_test.hpp).
  console_test_riding_machine_pauses([](const std::filesystem::path &journals) {
    ConsoleSetup setup;
    setup.sim_speed = kSimSpeed;
    setup.inject = {"muscle-guarding@45s"};
    setup.journal_dir = journals;
    ConsoleUnderTest console("GuardingNotice", std::move(setup));
    HttpTestClient client = console.client();
    const std::string token = client.login("operator", kOperatorPin);
    TelemetryTestSocket socket(console.port(), token, client.origin());

    const auto loaded =
        client.post("/api/session", client.cleared_session(token, "lumbar-static", "80 kg"), token);
    ASSERT_EQ(loaded.status, 201) << loaded.body;
    const std::string id = loaded.json["session"]["id"];

    // Every frame read is looked at: the events, and whether an alarm or fault ever showed.
    std::vector<json> events;
    bool alarm_seen = false, fault_seen = false;
    double largest_shown = 0.0; // the notice's size, as the frames carried it
    const auto until = [&](std::chrono::milliseconds limit, auto done) -> json {
      const auto end = Clock::now() + limit;
      while (Clock::now() < end) {
        const auto frame = socket.next(1s);
        if (!frame) continue;
        for (const auto &e : (*frame)["events"])
          events.push_back(e);
        if (frame->value("guarding", false) && (*frame)["guarding_N"].is_number())
          largest_shown = std::max(largest_shown, (*frame)["guarding_N"].get<double>());
        if (frame->value("state", "") == "treating") {
          alarm_seen = alarm_seen || frame->value("alarm", false);
          fault_seen = fault_seen || !(*frame)["fault"].is_null();
        }
        if (done(*frame)) return *frame;
      }
      return nullptr;
    };

    ASSERT_FALSE(until(10s, [](const json &f) { return f.value("press_test", false); }).is_null())
        << "the press test never passed";
    ASSERT_EQ(client.post_empty("/api/session/start", token).status, 202);

    // The notice: guarding under way, with its size, while the table treats.
    const json notice = until(20s, [](const json &f) { return f.value("guarding", false); });
    ASSERT_FALSE(notice.is_null()) << "no frame ever had guarding: true";
    EXPECT_EQ(notice["state"], "treating");
    ASSERT_TRUE(notice["guarding_N"].is_number()) << notice.dump();
    EXPECT_GE(notice["guarding_N"].get<double>(), 6.0); // at least the detector's threshold
    EXPECT_GE(notice["guarding_events"].get<int>(), 1);
    EXPECT_FALSE(notice["alarm"].get<bool>());
    EXPECT_TRUE(notice["fault"].is_null());
    const double onset_t = notice["t_s"];

    // Cleared at the event's end: the spasm holds 4 s and relaxes over 2 s.
    const json cleared = until(20s, [](const json &f) { return !f.value("guarding", true); });
    ASSERT_FALSE(cleared.is_null()) << "the guarding notice never cleared";
    EXPECT_EQ(cleared["state"], "treating");
    EXPECT_TRUE(cleared["guarding_N"].is_null());
    EXPECT_GE(cleared["guarding_events"].get<int>(), 1);
    EXPECT_LT(cleared["t_s"].get<double>() - onset_t, 15.0);
    EXPECT_FALSE(alarm_seen) << "guarding raised an alarm";
    EXPECT_FALSE(fault_seen) << "guarding latched a fault";

    // The events, as the journal names them, with their size in newtons.
    const auto find = [&](const std::string &kind) -> json {
      for (const auto &e : events)
        if (e.value("kind", "") == kind) return e;
      return nullptr;
    };
    const json onset = find("guarding-onset"), end = find("guarding-end");
    ASSERT_FALSE(onset.is_null()) << "no guarding-onset event reached the socket";
    ASSERT_FALSE(end.is_null()) << "no guarding-end event reached the socket";
    EXPECT_EQ(onset["code"], 0);
    EXPECT_TRUE(onset["name"].is_null());
    EXPECT_GE(onset["size_N"].get<double>(), 6.0);
    EXPECT_GE(end["size_N"].get<double>(), onset["size_N"].get<double>()); // the largest it reached
    // The notice's size is live: it grew from the onset's to the largest the event reached (it
    // only grows, and the spasm holds for seconds at its largest: many frames carry it).
    EXPECT_GT(largest_shown, onset["size_N"].get<double>() + 5.0);
    EXPECT_NEAR(largest_shown, end["size_N"].get<double>(), 0.1);
    std::printf("guarding: notice from t = %.2f s to %.2f s (protocol time), %.1f N at onset, "
                "%.1f N at its largest, %.1f N the largest the notice showed\n",
                onset_t, cleared["t_s"].get<double>(), onset["size_N"].get<double>(),
                end["size_N"].get<double>(), largest_shown);

    // Stop, acknowledge: the session's end counts the guarding.
    ASSERT_EQ(client.post_empty("/api/session/stop", token).status, 202);
    json over;
    for (const auto limit = Clock::now() + 30s; Clock::now() < limit;) {
      client.post_empty("/api/session/acknowledge", token);
      const auto state = client.get("/api/state", token);
      if (state.status == 200 && state.json["session"].is_null() &&
          state.json["last_session"].value("id", "") == id) {
        over = state.json;
        break;
      }
      std::this_thread::sleep_for(100ms);
    }
    ASSERT_FALSE(over.is_null()) << "the session did not end after its stop and acknowledgement";
    const json &guarding = over["last_session"]["guarding"];
    ASSERT_TRUE(guarding.is_object()) << over["last_session"].dump();
    EXPECT_GE(guarding["events"].get<int>(), 1);
    EXPECT_GE(guarding["largest_n"].get<double>(), 6.0);
    EXPECT_GT(guarding["seconds"].get<double>(), 0.0);

    // The journal: the events with size_n, the summary's block, and the past sessions' listing.
    const auto past = client.get("/api/sessions/" + id, token);
    ASSERT_EQ(past.status, 200) << past.body;
    EXPECT_EQ(past.json["summary"]["guarding"], guarding);
    bool journaled = false;
    for (const auto &e : past.json["events"])
      if (e.value("event", "") == "guarding-onset") journaled = e["size_n"].is_number();
    EXPECT_TRUE(journaled) << "no guarding-onset with size_n in the journal";
    const auto list = client.get("/api/sessions", token);
    ASSERT_EQ(list.status, 200);
    EXPECT_EQ(list.json["sessions"][0]["guarding"], guarding);
  });
}

} // namespace
} // namespace tractus::testing
