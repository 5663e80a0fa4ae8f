// The low-latency request an RTU line makes when it opens (hal/modbus/serial_latency.hpp): the
// adapter's latency timer read from a sysfs tree of the test's own (by name, and through a link
// as /dev/serial/by-id/… is), the verdict on it, and a pseudo-terminal, which has no serial
// settings, refusing the request without failing anything. A real FTDI adapter is not here:
// docs/installing.md says how to check one.
#include "hal/modbus/serial_latency.hpp"
#include "support/temp_dir.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <pty.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

namespace tractus::hal::modbus {
namespace {

namespace fs = std::filesystem;

// sys/class/tty/NAME/device/latency_timer holding `text`, under `root`.
void write_timer(const fs::path &root, const std::string &name, const std::string &text) {
  const fs::path dir = root / "class" / "tty" / name / "device";
  fs::create_directories(dir);
  std::ofstream(dir / "latency_timer") << text;
}

TEST(SerialLatency, TheAdaptersTimerIsReadByTheDevicesNameAndThroughALink) {
  const testing::TempDir dir("serial-latency");
  write_timer(dir.path() / "sys", "ttyUSB7", "16\n");
  EXPECT_EQ(read_latency_timer(dir.path() / "sys", "/dev/ttyUSB7"), 16);
  // A by-id link resolves to the device it names.
  fs::create_directories(dir.path() / "dev");
  std::ofstream(dir.path() / "dev" / "ttyUSB7").put('\n');
  fs::create_symlink(dir.path() / "dev" / "ttyUSB7", dir.path() / "usb-FTDI_RS485-if00-port0");
  EXPECT_EQ(read_latency_timer(dir.path() / "sys", (dir.path() / "usb-FTDI_RS485-if00-port0")), 16);
  // No such file (a UART, a pty), or not a number: none.
  EXPECT_FALSE(read_latency_timer(dir.path() / "sys", "/dev/ttyS0"));
  write_timer(dir.path() / "sys", "ttyUSB8", "fast");
  EXPECT_FALSE(read_latency_timer(dir.path() / "sys", "/dev/ttyUSB8"));
}

TEST(SerialLatency, ATimerAboveTwoMillisecondsIsTooSlowAndTheFixNamesItsFile) {
  SerialLatency s;
  EXPECT_FALSE(s.too_slow()); // none reported: nothing to say
  s.latency_timer_ms = 2;
  EXPECT_FALSE(s.too_slow());
  s.latency_timer_ms = 16; // FTDI's default
  EXPECT_TRUE(s.too_slow());
  EXPECT_NE(
      latency_timer_fix("/dev/ttyUSB0").find("/sys/bus/usb-serial/devices/ttyUSB0/latency_timer"),
      std::string::npos);
}

TEST(SerialLatency, APseudoTerminalRefusesTheRequestAndNothingFails) {
  int master = -1, slave = -1;
  ASSERT_EQ(openpty(&master, &slave, nullptr, nullptr, nullptr), 0);
  const testing::TempDir dir("serial-latency-pty");
  const SerialLatency s = request_low_latency(slave, "/dev/pts/none", dir.path());
  close(master);
  close(slave);
  EXPECT_FALSE(s.low_latency);
  EXPECT_FALSE(s.latency_timer_ms);
  EXPECT_NE(s.note.find("no serial settings"), std::string::npos) << s.note;
}

} // namespace
} // namespace tractus::hal::modbus
