// A table on Modbus: the three hal devices, their links, and what the devices say they are.
//
//   auto opened = hal::modbus::ModbusTable::open("modbus-tcp://127.0.0.1:1502");
//   if (!opened.table) fail(opened.error);
//   ModbusTable &mt = *opened.table;
//   mt.drive().configure_watchdog(milliseconds(100));    // refuse to run if this fails
//   hal::Table table = mt.table();                        // give this to the controller
//   if (mt.identity().is_simulator()) calibration = *mt.simulator_calibration();
//
// Links: over TCP one connection per device (three contexts, as libmodbus wants one context per
// device); over RTU the devices share the serial line, so one context for the bus. Either way
// every context is used by one thread at a time: the loop thread while a loop runs, the caller
// of open()/reconnect() otherwise.
//
// Reconnection happens outside the control cycle, never inside it: a device whose connection
// broke answers io Disconnected at once (the controller faults on it like on a timeout), and
// reconnect() reopens every link (ensure_answering() first asks whether that is needed). Call it
// only while no loop is running on this table (between sessions, e.g. from the console before a
// start); it may block for the setup timeout.
#pragma once

#include "hal/calibration.hpp"
#include "hal/hal.hpp"
#include "hal/modbus/device_codec.hpp"
#include "hal/modbus/modbus_address.hpp"
#include "hal/modbus/modbus_devices.hpp"
#include "hal/modbus/modbus_link.hpp"
#include "hal/register_map.hpp"

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::hal::modbus {

struct TableIdentity {
  DeviceIdentity load_cell, drive, safety;
  std::optional<FactoryCalibration> factory; // the transmitter's registers, when mapped
  // All three devices identify as tractus-sim.
  [[nodiscard]] bool is_simulator() const {
    return load_cell.is_simulator() && drive.is_simulator() && safety.is_simulator();
  }
};

class ModbusTable;
struct OpenResult {
  std::unique_ptr<ModbusTable> table;
  std::string error; // when table is null: what is wrong, naming the device and address
};

class ModbusTable {
public:
  // The response timeout of start-up transactions (connect, identification, watchdog).
  static constexpr Duration kSetupTimeout = milliseconds(500);

  // Parses the address, loads its register map (`map=` parameter) and opens the table.
  static OpenResult open(std::string_view address_text);
  // Connects to the three devices and reads their identification and (if mapped) the
  // transmitter's factory calibration. Start-up only: may block and allocate.
  static OpenResult open(const ModbusAddress &address, const regmap::RegisterMap &map,
                         std::string map_name = "tractus default");

  ModbusTable(const ModbusTable &) = delete; // the hal::Table handed out refers into this
  ModbusTable &operator=(const ModbusTable &) = delete;
  ~ModbusTable();

  Table table() noexcept { return {*load_cell_, *drive_, *safety_, identity_.is_simulator()}; }
  LoadCell &load_cell() noexcept { return *load_cell_; }
  Drive &drive() noexcept { return *drive_; }
  SafetyIo &safety() noexcept { return *safety_; }

  [[nodiscard]] const TableIdentity &identity() const noexcept { return identity_; }
  // The simulator's factory calibration (id "sim-factory"), read from the transmitter's
  // registers; empty unless every device identifies as the simulator.
  [[nodiscard]] std::optional<Calibration> simulator_calibration() const;

  [[nodiscard]] const ModbusAddress &address() const noexcept { return address_; }
  [[nodiscard]] const regmap::RegisterMap &map() const noexcept { return map_; }
  [[nodiscard]] const std::string &map_name() const noexcept { return map_name_; }
  // A control cycle's response timeout: the address's `timeout=`, else the transport's default.
  [[nodiscard]] Duration response_timeout() const noexcept { return address_.response_timeout; }
  // Over RTU, the serial port's answer to the low-latency request (serial_latency.hpp).
  [[nodiscard]] std::optional<SerialLatency> serial_latency() const;
  // Between runs only (see above): every transaction waits up to `timeout` from now on, until
  // the next call or reconnect() (which restores response_timeout()). A calibration reading
  // can wait for a slow reply where a control cycle must not.
  void set_response_timeout(Duration timeout) noexcept;
  // The control period over each transport, chosen from what force control needs
  // (docs/register-map.md, "Loop rate"): 200 Hz over TCP, 100 Hz over RTU, where three
  // transactions take several ms on the wire (REFERENCE.md).
  static constexpr Duration kTcpLoopPeriod = milliseconds(5);
  static constexpr Duration kRtuLoopPeriod = milliseconds(10);
  [[nodiscard]] Duration loop_period() const noexcept;

  // Writes registers of tractus-sim's own unit (regmap::sim_control) over the load cell's link:
  // the simulator's hands for `tractus calibrate`. Between runs only; Disconnected unless every
  // device identifies as the simulator (a real table has no such unit).
  IoStatus write_simulator_control(regmap::Span span, const std::uint16_t *values) noexcept;

  // Between runs only (see above). Closes every link and opens them all again, then checks
  // the devices still identify as before: a restarted table breaks all its connections at
  // once, and a broken TCP connection looks healthy until it is used, so reopening only the
  // links known to be down would find the next dead one at the next try. Empty on success,
  // otherwise what is still wrong.
  std::string reconnect();
  // Between runs only, before a lease uses the table: one identification round over the links
  // as they are; if any link is down or any device does not answer as the one opened, every
  // link is reconnected (reconnect()). Empty when every device answers.
  std::string ensure_answering();
  [[nodiscard]] bool connected() const noexcept;
  // Transaction counts summed over the links (diagnostics; any thread).
  [[nodiscard]] LinkCounters counters() const noexcept;

private:
  ModbusTable(const ModbusAddress &address, const regmap::RegisterMap &map, std::string map_name);
  std::string connect_all();
  std::string identify(TableIdentity &out);
  // identify() and a comparison with the identity the table was opened with; restores the
  // cycle's response timeout.
  std::string identify_as_opened();
  Link &link_of(std::uint8_t device) noexcept; // 0 load cell, 1 drive, 2 safety I/O

  ModbusAddress address_;
  regmap::RegisterMap map_;
  std::string map_name_;
  std::vector<std::unique_ptr<Link>> links_; // three over TCP, one over RTU
  std::unique_ptr<ModbusLoadCell> load_cell_;
  std::unique_ptr<ModbusDrive> drive_;
  std::unique_ptr<ModbusSafetyIo> safety_;
  TableIdentity identity_;
};

} // namespace tractus::hal::modbus
