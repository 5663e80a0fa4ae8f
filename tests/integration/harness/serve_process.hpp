// `tractus serve` as a child process: its PINs set through `tractus pin set`, the port it
// announces, and polling its API until something holds.
#pragma once

#include "console/http_test_client.hpp"
#include "harness/process.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <string>
#include <thread>

namespace tractus::integration {

// `echo PIN | tractus pin set ROLE --data DIR/data`; fails the test if it does not exit 0.
void set_pin(const ScratchDir &dir, const std::string &role, const std::string &pin);

// The port `tractus serve --listen 127.0.0.1:0` announces ("the console is at
// http://127.0.0.1:PORT/") in its standard output `out`; 0 if it did not within `limit`.
std::uint16_t announced_port(const std::filesystem::path &out, std::chrono::milliseconds limit);

// Whether `done()` became true within `limit`, asked every 100 ms.
template <typename Done> bool poll(std::chrono::milliseconds limit, Done done) {
  const auto until = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < until) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  return false;
}

// Acknowledges every 100 ms until the console reports the loaded session ended: its
// `last_session` (`outcome`, `code`, …), or null if it did not within `limit`.
nlohmann::json acknowledge_until_ended(const testing::HttpTestClient &client,
                                       const std::string &token, std::chrono::milliseconds limit);

} // namespace tractus::integration
