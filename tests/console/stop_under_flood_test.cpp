// STOP is delivered whatever the network does (issue 11, docs/console.md "Connections"): with
// 200 connections that never finish a request, each reopened as soon as the server closes it,
// a session pulls on the simulated table and 100 STOPs are sent, each on a new connection as a
// browser or a script would. Every one is answered 202, and the pull falls below the minimum
// cord tension (15 N) within 3 s of the first. How fast each STOP is answered under the flood
// is a benchmark figure (bench/console/stop_flood_bench.mjs, docs/performance.md); this test
// holds the delivery, with a generous timeout per request.
#include "connection_flood.hpp"
#include "console_under_test.hpp"

#include "console/connection_budget.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <vector>

namespace tractus::testing {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

double wall_ms_now() {
  return std::chrono::duration<double, std::milli>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// GET /api/state's frame, or null when the call failed.
nlohmann::json state_frame(const HttpTestClient &client, const std::string &token) {
  try {
    const auto reply = client.get("/api/state", token);
    if (reply.status == 200 && reply.json.is_object()) return reply.json["frame"];
  } catch (const boost::system::system_error &) {
  }
  return nullptr;
}

// Polls the state until `done` holds for a frame, or `limit` passes: that frame, or null.
template <typename Done>
nlohmann::json poll_state(const HttpTestClient &client, const std::string &token,
                          std::chrono::milliseconds limit, Done done) {
  const auto end = Clock::now() + limit;
  while (Clock::now() < end) {
    const auto frame = state_frame(client, token);
    if (frame.is_object() && done(frame)) return frame;
    std::this_thread::sleep_for(20ms);
  }
  return nullptr;
}

TEST(StopUnderFlood, HundredStopsOfHundredAreAnsweredAndThePullFallsBelow15NWithin3s) {
  // Paced by the wall clock: a machine pause may fault its loop (console_under_test.hpp).
  console_test_riding_machine_pauses([](const std::filesystem::path &journals) {
    ConsoleSetup setup;
    setup.journal_dir = journals;
    ConsoleUnderTest console("stop-under-flood", std::move(setup));
    const auto client = console.client();
    const std::string token = client.login("operator", kOperatorPin);
    ASSERT_FALSE(token.empty());

    ConnectionFlood flood(console.port(), 200);

    // A session pulling, loaded and started under the flood, as the page would.
    const nlohmann::json request = client.cleared_session(token, "lumbar-intermittent", "150 kg");
    const auto loaded = client.post("/api/session", request, token);
    ASSERT_LT(loaded.status, 300) << loaded.body;
    ASSERT_FALSE(
        poll_state(client, token, 10s, [](const auto &f) { return f.value("press_test", false); })
            .is_null())
        << "the press test never passed";
    ASSERT_EQ(client.post_empty("/api/session/start", token).status, 202);
    const auto pulling =
        poll_state(client, token, 30s, [](const auto &f) { return f["force_N"] > 100.0; });
    ASSERT_FALSE(pulling.is_null()) << "the force never passed 100 N";
    ASSERT_GT(flood.reopened(), 0u) << "the flood never filled the budget";

    // The release, watched from the first STOP on by the loop's own clock (the frame's wall_ms).
    const double first_stop_ms = wall_ms_now();
    std::atomic<double> released_ms{0.0};
    std::thread watcher([&] {
      const auto frame =
          poll_state(client, token, 10s, [](const auto &f) { return f["force_N"] < 15.0; });
      if (!frame.is_null()) released_ms = frame["wall_ms"].get<double>();
    });

    const auto reopened_before = flood.reopened();
    int answered = 0;
    std::vector<double> latency_ms;
    for (int i = 0; i < 100; ++i) {
      const auto start = Clock::now();
      try {
        const auto reply = client.post_empty("/api/session/stop", token);
        if (reply.status == 202)
          ++answered;
        else
          ADD_FAILURE() << "STOP " << i << " answered " << reply.status << ": " << reply.body;
      } catch (const boost::system::system_error &e) {
        ADD_FAILURE() << "STOP " << i << " not answered: " << e.what();
      }
      latency_ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    }
    watcher.join();

    EXPECT_EQ(answered, 100);
    ASSERT_GT(released_ms.load(), 0.0) << "the force never fell below 15 N";
    EXPECT_LT(released_ms.load() - first_stop_ms, 3000.0);
    EXPECT_GT(flood.reopened(), reopened_before) << "the flood stopped before the STOPs";
    EXPECT_LE(console.server().peak_connections(), console::kMaxConnections);

    std::sort(latency_ms.begin(), latency_ms.end());
    std::printf("STOP under flood: %d/100 answered 202; latency p50 %.1f ms, max %.1f ms; "
                "released below 15 N %.0f ms after the first STOP; %llu connections evicted, "
                "%zu open at most\n",
                answered, latency_ms[50], latency_ms.back(), released_ms.load() - first_stop_ms,
                static_cast<unsigned long long>(console.server().evictions()),
                console.server().peak_connections());
  });
}

} // namespace
} // namespace tractus::testing
