// The clock the service's heartbeats are stamped on (the loop's last cycle, the network thread's
// last tick) and read against by the systemd watchdog (apps/cli/service_notify.hpp): the steady
// clock in nanoseconds, one vDSO read, no allocation, fit for the control cycle.
#pragma once

#include <chrono>
#include <cstdint>

namespace tractus::console {

inline std::int64_t heartbeat_now_ns() noexcept {
  return std::chrono::steady_clock::now().time_since_epoch() / std::chrono::nanoseconds(1);
}

} // namespace tractus::console
