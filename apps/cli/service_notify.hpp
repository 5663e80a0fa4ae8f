// `tractus serve` as a systemd service (packaging/tractus.service, Type=notify; docs/installing.md
// "The service"): READY=1 once the console listens, STOPPING=1 when it stops, and WATCHDOG=1
// every half of WatchdogSec= while the service is healthy, through libsystemd's sd_notify.
// Outside systemd (no NOTIFY_SOCKET) every call does nothing.
//
// Healthy means: what matters now makes progress.
//   - A session loaded: its control loop has cycled within kLoopSilentLimit. Only the loop: a
//     console whose network thread is stuck must not get a patient's session killed, since the
//     loop finishes its controlled release on its own. A loop that stopped cycling is the hang
//     systemd is there for: its drive stopped on its own watchdog 100 ms after the last command
//     (docs/fault-codes.md), and a restart gives the table a console again, showing the session
//     as interrupted. A restart never starts a session: only an operator does.
//   - No session: the console's network thread has run its 20 ms tick within kIoSilentLimit.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <string>
#include <thread>

namespace tractus::cli {

inline constexpr std::chrono::milliseconds kLoopSilentLimit{1000};
inline constexpr std::chrono::milliseconds kIoSilentLimit{2000};

struct ServiceHeartbeats {
  bool loop_running = false;   // a session is loaded: its loop runs
  std::int64_t loop_ns = 0;    // steady clock at the loop's last cycle (0: none yet)
  std::int64_t io_ns = 0;      // steady clock at the network thread's last tick (0: none yet)
  std::int64_t started_ns = 0; // steady clock when the watchdog began (a grace for the first)
};

// Empty when healthy at `now_ns`, else why not ("the control loop has not cycled for 3.2 s").
// Pure, so the rule is tested (tests/cli/service_notify_test.cpp).
std::string unhealthy_because(const ServiceHeartbeats &beats, std::int64_t now_ns);

class ServiceNotifier {
public:
  // The steady clock's nanoseconds now, as the heartbeats are stamped.
  static std::int64_t now_ns() noexcept;

  ServiceNotifier();  // reads NOTIFY_SOCKET and WATCHDOG_USEC (left in the environment)
  ~ServiceNotifier(); // ends the watchdog thread
  ServiceNotifier(const ServiceNotifier &) = delete;
  ServiceNotifier &operator=(const ServiceNotifier &) = delete;

  [[nodiscard]] bool under_systemd() const noexcept { return under_systemd_; }
  // WatchdogSec= as systemd passed it; zero when the watchdog is off.
  [[nodiscard]] std::chrono::microseconds watchdog() const noexcept { return watchdog_; }

  void ready(const std::string &status);
  void status(const std::string &status);
  void stopping();
  // Starts a thread that sends WATCHDOG=1 every half period while `beats()` is healthy, and
  // says why in STATUS= (and on `log`, once per spell) when it withholds them. Once only.
  void start_watchdog(std::function<ServiceHeartbeats()> beats,
                      std::function<void(const std::string &)> log);

private:
  void send(const std::string &message);
  bool under_systemd_ = false;
  std::chrono::microseconds watchdog_{0};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

} // namespace tractus::cli
