// What `tractus serve` tells systemd (apps/cli/service_notify.hpp): READY=1, WATCHDOG=1 only
// while healthy, STOPPING=1. The rule is pure; the notifier is run against a datagram socket
// standing in for systemd's NOTIFY_SOCKET, as sd_notify really sends to it.
#include "cli/service_notify.hpp"

#include <gtest/gtest.h>

#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

using namespace tractus::cli;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;

ServiceHeartbeats beats(bool loop_running, std::int64_t loop_ns, std::int64_t io_ns) {
  return {loop_running, loop_ns, io_ns, 0};
}

// A socket where systemd's would be, and the messages that reach it.
class FakeSystemd {
public:
  FakeSystemd() {
    path_ = std::filesystem::temp_directory_path() /
            ("tractus-notify-" + std::to_string(::getpid()) + ".sock");
    std::filesystem::remove(path_);
    fd_ = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    path_.string().copy(address.sun_path, sizeof address.sun_path - 1);
    bound_ = ::bind(fd_, reinterpret_cast<const sockaddr *>(&address), sizeof address) == 0;
    timeval wait{0, 50'000};
    ::setsockopt(fd_, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
    ::setenv("NOTIFY_SOCKET", path_.c_str(), 1);
    ::setenv("WATCHDOG_USEC", "200000", 1); // WatchdogSec=200ms: a ping every 100 ms
    ::unsetenv("WATCHDOG_PID");
  }
  ~FakeSystemd() {
    ::unsetenv("NOTIFY_SOCKET");
    ::unsetenv("WATCHDOG_USEC");
    ::close(fd_);
    std::filesystem::remove(path_);
  }
  [[nodiscard]] bool bound() const { return bound_; }
  // Every message received within `window`.
  std::vector<std::string> receive(std::chrono::milliseconds window) {
    std::vector<std::string> got;
    const auto until = std::chrono::steady_clock::now() + window;
    while (std::chrono::steady_clock::now() < until) {
      char buffer[512];
      const ssize_t n = ::recv(fd_, buffer, sizeof buffer, 0);
      if (n > 0) got.emplace_back(buffer, static_cast<std::size_t>(n));
    }
    return got;
  }

private:
  std::filesystem::path path_;
  int fd_ = -1;
  bool bound_ = false;
};

long count(const std::vector<std::string> &messages, const std::string &text) {
  long n = 0;
  for (const auto &m : messages)
    n += m.find(text) != std::string::npos;
  return n;
}

} // namespace

TEST(ServiceHealth, ASessionIsJudgedByItsLoopAlone) {
  const std::int64_t now = 100 * kSecond;
  EXPECT_EQ(unhealthy_because(beats(true, now - kSecond / 2, now - 60 * kSecond), now), "")
      << "a stuck network thread must not get a running session killed";
  EXPECT_EQ(unhealthy_because(beats(true, now - 3 * kSecond / 2, now), now),
            "the control loop has not cycled for 1.5 s");
}

TEST(ServiceHealth, WithoutASessionTheNetworkThreadMustRun) {
  const std::int64_t now = 100 * kSecond;
  EXPECT_EQ(unhealthy_because(beats(false, 0, now - kSecond), now), "");
  EXPECT_EQ(unhealthy_because(beats(false, 0, now - 5 * kSecond / 2), now),
            "the console's network thread has not run for 2.5 s");
}

TEST(ServiceHealth, NoHeartbeatYetCountsFromTheWatchdogsStart) {
  const std::int64_t now = 100 * kSecond;
  ServiceHeartbeats b = beats(false, 0, 0);
  b.started_ns = now - kSecond;
  EXPECT_EQ(unhealthy_because(b, now), "");
  b.started_ns = now - 3 * kSecond;
  EXPECT_NE(unhealthy_because(b, now), "");
}

TEST(ServiceNotifier, ReadyThenPingsWhileHealthyAndWithholdsThemWhenTheLoopStalls) {
  FakeSystemd systemd;
  ASSERT_TRUE(systemd.bound());
  std::atomic<bool> stalled{false};
  std::atomic<long> logged{0};
  ServiceNotifier notifier;
  ASSERT_TRUE(notifier.under_systemd());
  EXPECT_EQ(notifier.watchdog(), 200ms);
  notifier.ready("the console is at http://127.0.0.1:8080/");
  const auto first = systemd.receive(100ms);
  ASSERT_FALSE(first.empty());
  EXPECT_EQ(first.front(), "READY=1\nSTATUS=the console is at http://127.0.0.1:8080/");

  notifier.start_watchdog(
      [&stalled] {
        const std::int64_t now = ServiceNotifier::now_ns();
        // A session's loop: cycling, or stalled for 2 s.
        return ServiceHeartbeats{true, stalled ? now - 2 * kSecond : now, now, 0};
      },
      [&logged](const std::string &) { ++logged; });
  const auto healthy = systemd.receive(600ms);
  EXPECT_GE(count(healthy, "WATCHDOG=1"), 4) << "a ping every 100 ms";

  stalled = true;
  // The watchdog's first second is a grace (no heartbeat yet counts from its start), and a ping
  // may have left before the stall.
  systemd.receive(500ms);
  const auto unhealthy = systemd.receive(600ms);
  EXPECT_EQ(count(unhealthy, "WATCHDOG=1"), 0);
  EXPECT_EQ(logged.load(), 1) << "said once per spell";

  stalled = false;
  const auto again = systemd.receive(400ms);
  EXPECT_GE(count(again, "WATCHDOG=1"), 2);
  EXPECT_EQ(count(again, "STATUS=healthy again"), 1);

  notifier.stopping();
  const auto last = systemd.receive(200ms);
  ASSERT_FALSE(last.empty());
  EXPECT_EQ(last.back().rfind("STOPPING=1", 0), 0U) << last.back();
}

TEST(ServiceNotifier, OutsideSystemdNothingIsSentAndNothingRuns) {
  ::unsetenv("NOTIFY_SOCKET");
  ServiceNotifier notifier;
  EXPECT_FALSE(notifier.under_systemd());
  EXPECT_EQ(notifier.watchdog().count(), 0);
  notifier.ready("x");
  notifier.start_watchdog([] { return ServiceHeartbeats{}; }, [](const std::string &) {});
  notifier.stopping();
}
