#include "hal/modbus/serial_latency.hpp"

#include <linux/serial.h>
#include <sys/ioctl.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <system_error>

namespace tractus::hal::modbus {
namespace {

constexpr int kLowLatency = static_cast<int>(ASYNC_LOW_LATENCY); // serial_struct::flags is int

// ttyUSB0 for /dev/ttyUSB0 and for a /dev/serial/by-id/… link to it.
std::string tty_name(const std::string &device) {
  std::error_code ec;
  const std::filesystem::path real = std::filesystem::canonical(device, ec);
  return (ec ? std::filesystem::path(device) : real).filename().string();
}

} // namespace

std::optional<int> read_latency_timer(const std::filesystem::path &sys_root,
                                      const std::string &device) {
  std::ifstream in(sys_root / "class" / "tty" / tty_name(device) / "device" / "latency_timer");
  int ms = -1;
  if (!(in >> ms) || ms < 0) return std::nullopt;
  return ms;
}

std::string latency_timer_fix(const std::string &device) {
  const std::string name = tty_name(device);
  return "write 1 into /sys/bus/usb-serial/devices/" + name +
         "/latency_timer, and keep it with a udev rule (docs/installing.md, \"An RTU table on a "
         "USB adapter\")";
}

SerialLatency request_low_latency(int fd, const std::string &device,
                                  const std::filesystem::path &sys_root) {
  SerialLatency s;
  serial_struct settings{};
  if (ioctl(fd, TIOCGSERIAL, &settings) != 0) {
    s.note = std::string("the port has no serial settings (") + std::strerror(errno) +
             "): a pseudo-terminal, or a converter that hands bytes over at once";
  } else if ((settings.flags & kLowLatency) != 0) {
    s.low_latency = true;
    s.note = "low latency already set";
  } else {
    settings.flags |= kLowLatency;
    if (ioctl(fd, TIOCSSERIAL, &settings) == 0) {
      s.low_latency = true;
      s.note = "low latency set";
    } else {
      s.note = std::string("the driver refused low latency (") + std::strerror(errno) + ")";
    }
  }
  s.latency_timer_ms = read_latency_timer(sys_root, device);
  if (s.latency_timer_ms)
    s.note += "; the adapter's latency timer is " + std::to_string(*s.latency_timer_ms) + " ms";
  return s;
}

} // namespace tractus::hal::modbus
