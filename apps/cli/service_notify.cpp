#include "cli/service_notify.hpp"

#include "console/heartbeat.hpp"

#include <systemd/sd-daemon.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace tractus::cli {

namespace {

std::string seconds_text(std::int64_t ns) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f s", static_cast<double>(ns) / 1e9);
  return text;
}

} // namespace

std::string unhealthy_because(const ServiceHeartbeats &beats, std::int64_t now_ns) {
  const auto silent_for = [&](std::int64_t last_ns) {
    return now_ns - std::max(last_ns, beats.started_ns);
  };
  if (beats.loop_running) {
    const std::int64_t silent = silent_for(beats.loop_ns);
    if (silent > std::chrono::nanoseconds(kLoopSilentLimit).count())
      return "the control loop has not cycled for " + seconds_text(silent);
    return "";
  }
  const std::int64_t silent = silent_for(beats.io_ns);
  if (silent > std::chrono::nanoseconds(kIoSilentLimit).count())
    return "the console's network thread has not run for " + seconds_text(silent);
  return "";
}

std::int64_t ServiceNotifier::now_ns() noexcept { return console::heartbeat_now_ns(); }

ServiceNotifier::ServiceNotifier() {
  const char *socket = std::getenv("NOTIFY_SOCKET");
  under_systemd_ = socket != nullptr && *socket != '\0';
  std::uint64_t usec = 0;
  if (under_systemd_ && sd_watchdog_enabled(0, &usec) > 0)
    watchdog_ = std::chrono::microseconds(usec);
}

ServiceNotifier::~ServiceNotifier() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
}

void ServiceNotifier::send(const std::string &message) {
  if (under_systemd_) sd_notify(0, message.c_str());
}

void ServiceNotifier::ready(const std::string &status) { send("READY=1\nSTATUS=" + status); }

void ServiceNotifier::status(const std::string &status) { send("STATUS=" + status); }

void ServiceNotifier::stopping() {
  stop_.store(true);
  if (thread_.joinable()) thread_.join();
  send("STOPPING=1\nSTATUS=stopping: a running session is released first");
}

void ServiceNotifier::start_watchdog(std::function<ServiceHeartbeats()> beats,
                                     std::function<void(const std::string &)> log) {
  if (watchdog_.count() == 0 || thread_.joinable()) return;
  const std::int64_t started = now_ns();
  thread_ = std::thread([this, beats = std::move(beats), log = std::move(log), started] {
    const auto half = std::chrono::duration_cast<std::chrono::nanoseconds>(watchdog_) / 2;
    std::string withheld; // why the pings stopped, while they are stopped
    while (!stop_.load()) {
      ServiceHeartbeats b = beats();
      b.started_ns = started;
      const std::string why = unhealthy_because(b, now_ns());
      if (why.empty()) {
        send("WATCHDOG=1");
        if (!withheld.empty()) {
          log("healthy again: watchdog pings resumed");
          send("STATUS=healthy again");
          withheld.clear();
        }
      } else if (withheld.empty()) {
        withheld = why;
        log("withholding the watchdog ping: " + why);
        send("STATUS=unhealthy: " + why);
      }
      // A short sleep, so that stopping() returns at once.
      for (auto slept = std::chrono::nanoseconds(0); slept < half && !stop_.load();
           slept += std::chrono::milliseconds(20))
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  });
}

} // namespace tractus::cli
