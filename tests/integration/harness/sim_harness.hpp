// tractus-sim as a child process, a probe on its simulator-only unit (the truth and the fault
// triggers of regmap::sim_control), and socat pseudo-terminal pairs for RTU.
#pragma once

#include "hal/modbus/modbus_link.hpp"
#include "harness/process.hpp"

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tractus::integration {

// Two linked pseudo-terminals (socat): what one end writes, the other reads.
class PtyPair {
public:
  explicit PtyPair(const ScratchDir &dir);
  [[nodiscard]] std::string a() const { return a_.string(); }
  [[nodiscard]] std::string b() const { return b_.string(); }
  [[nodiscard]] bool ready() const { return ready_; }

private:
  std::filesystem::path a_, b_;
  std::unique_ptr<Process> socat_;
  bool ready_ = false;
};

class SimServer {
public:
  // tractus-sim --listen 127.0.0.1:PORT --realtime, plus `extra` options. PORT 0 is a free
  // port; another is a table restarted where it was.
  SimServer(const ScratchDir &dir, const std::vector<std::string> &extra = {},
            std::uint16_t port = 0);
  // tractus-sim --rtu DEVICE --realtime, plus `extra`.
  SimServer(const ScratchDir &dir, const std::string &rtu_device,
            const std::vector<std::string> &extra);
  [[nodiscard]] bool ready() const { return ready_; }
  [[nodiscard]] std::uint16_t port() const { return port_; }
  [[nodiscard]] std::string tcp_address() const {
    return "modbus-tcp://127.0.0.1:" + std::to_string(port_);
  }
  Process &process() { return *process_; }
  [[nodiscard]] std::string log() const; // its stdout and stderr

private:
  std::filesystem::path out_, err_;
  std::unique_ptr<Process> process_;
  std::uint16_t port_ = 0;
  bool ready_ = false;
};

// What the simulator knows and no sensor sees.
struct Truth {
  double time_s = 0;
  double tension_n = 0;
  bool enabled = false, fault = false, sto = false, watchdog_armed = false,
       watchdog_tripped = false;
  std::uint16_t fault_code = 0;
  std::optional<double> last_command_s, torque_off_s;
};

// A Modbus TCP client of tractus-sim's unit 247.
class SimProbe {
public:
  explicit SimProbe(std::uint16_t port);
  [[nodiscard]] bool connected() const { return link_ && link_->connected(); }
  // Empty if the read failed.
  std::optional<Truth> truth();
  bool set(std::uint16_t address, std::uint16_t value);
  // One wire trigger (regmap::sim_control::kDelayMs, kDrop, kException, kCorrupt) of a device.
  bool trigger(std::uint8_t device_unit, std::uint16_t which, std::uint16_t value);
  // Any unit's registers (e.g. the drive's watchdog configuration), as a peer would read them.
  bool read(std::uint8_t unit, std::uint16_t address, std::uint16_t count, std::uint16_t *out);
  // Reads the truth every 20 ms until the cable's tension reaches `newtons`, the controller
  // `run` exits or `limit` passes; returns the last truth read (check its tension).
  std::optional<Truth> wait_for_tension(double newtons, Process &run, std::chrono::seconds limit);

private:
  std::unique_ptr<hal::modbus::Link> link_;
};

} // namespace tractus::integration
