// A whole console for one test: a fresh data folder with both PINs set, Auth on a clock the
// test can move forward, a TableService over the in-process simulator, and the HttpServer on
// an ephemeral port of 127.0.0.1, served from its own thread until the test ends. The simulated
// table runs at wall-clock pace, as `tractus serve` runs it.
#pragma once

#include "http_test_client.hpp"
#include "support/temp_dir.hpp"

#include "console/auth.hpp"
#include "console/http_server.hpp"
#include "console/table_service.hpp"

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace tractus::testing {

inline constexpr const char *kOperatorPin = "2468";
inline constexpr const char *kTechnicianPin = "13579135";

// steady_clock, plus whatever the test has added: tokens and locks expire without waiting.
class TestClock {
public:
  [[nodiscard]] std::chrono::steady_clock::time_point now() const {
    return std::chrono::steady_clock::now() + std::chrono::seconds(offset_s_.load());
  }
  void advance(std::chrono::seconds by) { offset_s_ += by.count(); }

private:
  std::atomic<std::int64_t> offset_s_{0};
};

// What a test may choose beyond the defaults: the server's options (TLS, allowed origins),
// the clinic's records store, and the simulator's speed (controller::ThrottledClock).
struct ConsoleSetup {
  console::HttpServerOptions server;
  std::optional<records::StoreAddress> records;
  std::string table_name = "table-a";
  double sim_speed = 1.0;
  // Where the clinic's limits last read are kept; empty: in the console's own temporary folder
  // (gone with it). A test that restarts a table gives a folder that outlives it.
  std::filesystem::path records_limits_copy;
  // Simulator injections, `KIND@TIME` as `tractus run --inject` takes them, at the simulated
  // table's time from each session's load ("muscle-guarding@40s").
  std::vector<std::string> inject;
  // The table's address: the simulator's average patient unless a test needs another
  // ("sim:FILE.json", a calm patient for a course whose rule must not meet a spasm).
  std::string table = "sim";
  // Where the sessions are journaled; empty: in the console's own data folder (gone with it).
  // A test riding machine pauses gives a folder that outlives the console (below).
  std::filesystem::path journal_dir;
};

class ConsoleUnderTest {
public:
  explicit ConsoleUnderTest(const std::string &name,
                            std::chrono::seconds request_timeout = std::chrono::seconds(30));
  // With server options of the test's own (TLS, allowed origins); address and port are
  // always 127.0.0.1 and a free port.
  ConsoleUnderTest(const std::string &name, console::HttpServerOptions options);
  ConsoleUnderTest(const std::string &name, ConsoleSetup setup);
  ~ConsoleUnderTest();
  ConsoleUnderTest(const ConsoleUnderTest &) = delete;
  ConsoleUnderTest &operator=(const ConsoleUnderTest &) = delete;

  [[nodiscard]] std::uint16_t port() const { return server_->port(); }
  [[nodiscard]] HttpTestClient client() const { return HttpTestClient(port()); }
  [[nodiscard]] const std::filesystem::path &data_dir() const { return dir_.path(); }
  [[nodiscard]] const console::HttpServer &server() const { return *server_; }
  void advance_clock(std::chrono::seconds by) { clock_.advance(by); }

private:
  TempDir dir_;
  TestClock clock_;
  std::unique_ptr<console::Auth> auth_;
  std::unique_ptr<console::TableService> service_;
  std::unique_ptr<console::HttpServer> server_;
  std::thread thread_;
};

// A console test paced by the wall clock, riding the machine's pauses as the integration tests
// do (support/machine_pauses.hpp): `body` runs with a fresh folder for its console's session
// journals (ConsoleSetup::journal_dir); an attempt that failed while the first fault those
// journals record is one a pause of a CPU explains (a 201 from a loop whose CPU stood still) is
// set aside and the body runs again, at most three attempts. Any other failure is the test's,
// and its journals are kept for inspection (the folder is printed).
void console_test_riding_machine_pauses(
    const std::function<void(const std::filesystem::path &journals)> &body);

} // namespace tractus::testing
