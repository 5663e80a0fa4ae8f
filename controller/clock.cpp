#include "controller/clock.hpp"

#include <cerrno>
#include <cmath>

namespace tractus::controller {

namespace {
double to_seconds(const timespec &t) {
  return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_nsec) * 1e-9;
}
} // namespace

MonotonicClock::MonotonicClock() { clock_gettime(CLOCK_MONOTONIC, &epoch_); }

Duration MonotonicClock::now() noexcept {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return seconds(to_seconds(t) - to_seconds(epoch_));
}

void MonotonicClock::sleep_until(Duration deadline) noexcept {
  const double abs = to_seconds(epoch_) + deadline.si();
  timespec t{};
  t.tv_sec = static_cast<time_t>(std::floor(abs));
  t.tv_nsec = static_cast<long>((abs - std::floor(abs)) * 1e9);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &t, nullptr) == EINTR) {
  }
}

} // namespace tractus::controller
