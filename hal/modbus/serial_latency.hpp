// How soon a serial port hands a Modbus RTU reply to tractus.
//
// A USB-serial adapter passes what it received on to the host when its USB packet fills or
// its latency timer runs out. FTDI's default timer is 16 ms, longer than RTU's 10 ms response
// timeout (docs/register-map.md), so on such an adapter every reply shorter than a packet
// would time out and a session would end in 308–310. When tractus opens an RTU line it asks the
// driver for low latency (ASYNC_LOW_LATENCY: FTDI's driver then sets its timer to 1 ms), and
// reads back the timer the adapter reports in sysfs, for the journal and `tractus doctor`.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace tractus::hal::modbus {

// A timer above this holds a reply back for more than a fifth of RTU's 10 ms response timeout.
inline constexpr int kMaxLatencyTimerMs = 2;

struct SerialLatency {
  bool low_latency = false;            // the driver took the low-latency request
  std::optional<int> latency_timer_ms; // a USB adapter's latency timer, where sysfs shows one
  std::string note;                    // what was asked and answered, in words

  // The adapter reports a timer above kMaxLatencyTimerMs.
  [[nodiscard]] bool too_slow() const noexcept {
    return latency_timer_ms && *latency_timer_ms > kMaxLatencyTimerMs;
  }
};

// Asks the driver of the open serial port `fd` (the device `device`) for low latency, then
// reads the adapter's latency timer under `sys_root` (/sys). Never throws and never fails the
// line: a port without serial settings (a pseudo-terminal, a UART that hands bytes over at
// once) refuses the request, which the note says.
SerialLatency request_low_latency(int fd, const std::string &device,
                                  const std::filesystem::path &sys_root = "/sys");

// The latency timer, in ms, that sys_root/class/tty/NAME/device/latency_timer shows for
// `device` (a path under /dev, or a link to one, as /dev/serial/by-id/… is), if there is one.
std::optional<int> read_latency_timer(const std::filesystem::path &sys_root,
                                      const std::string &device);

// What a technician does about a slow timer: the sysfs file to write 1 into, and a udev rule.
std::string latency_timer_fix(const std::string &device);

} // namespace tractus::hal::modbus
