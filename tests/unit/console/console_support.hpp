// Shared by the console's unit tests: requests that load a session, a library with a short
// protocol, simulated tables with events, and a telemetry watcher that drains the service's
// queue as the HTTP server's I/O thread does.
#pragma once

#include "bindings/sim_lease.hpp"
#include "console/screening.hpp"
#include "console/table_service.hpp"
#include "support/machine_pauses.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <thread>
#include <vector>

namespace tractus::testing {

// A test whose session runs at the wall clock's pace rides the machine's pauses as the
// integration tests do (support/machine_pauses.hpp): `body`, which builds its own TableService
// journaling into `journals`, runs again with that folder emptied when it failed while the first
// fault journaled there is one a paused CPU explains (a 201), at most three attempts.
inline void riding_machine_pauses(const std::filesystem::path &journals,
                                  const std::function<void()> &body) {
  judge_riding_machine_pauses(
      [&] {
        std::filesystem::remove_all(journals);
        body();
      },
      [&] { return first_fault_in(journals); });
}

// Every checklist item answered no.
inline nlohmann::json all_no() {
  nlohmann::json a = nlohmann::json::object();
  for (const auto &i : console::contraindications())
    a[std::string(i.id)] = false;
  for (const auto &i : console::red_flags())
    a[std::string(i.id)] = false;
  return a;
}

inline nlohmann::json load_request(const std::string &profile = "lumbar-static",
                                   const std::string &weight = "80 kg",
                                   const std::string &patient = "P-0042") {
  return {{"profile", profile},
          {"patient", {{"id", patient}, {"weight", weight}}},
          {"screening", {{"answers", all_no()}, {"confirmed", true}}}};
}

// A library of one short protocol: 15 N to 150 N in 3 s (45 N/s), held, 1 minute in all, so a
// paced session is above 100 N a few seconds after the start.
inline constexpr const char *kQuickProfile = "test-quick-static";
inline void write_quick_library(const std::filesystem::path &dir) {
  std::filesystem::create_directories(dir);
  std::ofstream(dir / (std::string(kQuickProfile) + ".json")) << R"({
  "format": "tractus.profile/1",
  "id": "test-quick-static",
  "name": "Quick static 150 N",
  "region": "lumbar",
  "mode": "static",
  "max_force": "150 N",
  "ramp": "3 s",
  "duration": "1 min"
})";
}

// The in-process simulator as `tractus serve --table sim` binds it, with simulated events
// ("harness-slip@8s") added to every session.
inline console::TableBinding sim_binding_with(const std::vector<std::string> &events) {
  std::vector<sim::Injection> parsed;
  for (const auto &e : events)
    parsed.push_back(*sim::parse_injection(e).injection);
  console::TableBinding b;
  b.address = "sim";
  b.simulated = true;
  b.period = milliseconds(1);
  b.open = [parsed](console::LeasePurpose purpose, std::uint64_t seed) {
    auto lease =
        std::make_unique<bindings::SimLease>("sim", sim::kAveragePatient, seed, purpose, parsed);
    if (purpose == console::LeasePurpose::Session) lease->configure_watchdog(milliseconds(100));
    return console::LeaseOpen{std::move(lease), ""};
  };
  b.link_statistics = [] { return nlohmann::json(); };
  return b;
}

// Drains telemetry every 5 ms, as the HTTP server does, keeping every frame.
class TelemetryWatcher {
public:
  explicit TelemetryWatcher(console::TableService &service) : service_(service) {}

  // Drains until `done(frame)` holds for a frame, or `timeout` passes. True when it held.
  bool until(const std::function<bool(const console::TelemetryFrame &)> &done,
             std::chrono::milliseconds timeout) {
    const auto end = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < end) {
      console::TelemetryFrame batch[64];
      const std::size_t n = service_.drain_telemetry(batch, 64);
      for (std::size_t i = 0; i < n; ++i) {
        frames.push_back(batch[i]);
        if (done(batch[i])) return true;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    return false;
  }
  void drain_for(std::chrono::milliseconds d) {
    until([](const console::TelemetryFrame &) { return false; }, d);
  }

  std::vector<console::TelemetryFrame> frames;

private:
  console::TableService &service_;
};

inline std::vector<std::string> problems_of(const console::ApiResult &r) {
  if (!r.body.contains("error") || !r.body["error"].contains("problems")) return {};
  return r.body["error"]["problems"].get<std::vector<std::string>>();
}

} // namespace tractus::testing
