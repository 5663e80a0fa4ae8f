// `tractus run --table modbus-tcp://…|modbus-rtu://…`: opens a table on Modbus for a session.
//
// Connects (hal/modbus) and finds out what the devices are; it writes nothing. A table whose
// three devices identify as tractus-sim counts as simulated: the simulated patient counts as
// screened and the transmitter's factory calibration is read from its registers (DESIGN §8).
// Any other table is a real one: its calibration comes from the store (the record in force for
// the transmitter's serial, verified today) and its screening from the operator (`tractus run
// --screening FILE`, the console's checklist).
//
// The drive's communication watchdog is enabled by arm_watchdog(), once the caller knows the
// session will run (DESIGN §4: tractus refuses to run if it cannot).
//
// Part of the tractus_table_bindings library: `tractus run` (apps/cli) and the console's
// bindings share it; apps/cli includes apps/bindings, never the other way round.
#pragma once

#include "hal/calibration.hpp"
#include "hal/hal.hpp"
#include "hal/modbus/modbus_table.hpp"
#include "units/units.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace tractus::bindings {

struct TableConnection {
  std::unique_ptr<hal::modbus::ModbusTable> modbus;
  bool simulated = false;
  std::optional<hal::Calibration> factory_calibration; // when simulated; a real table's
                                                       // calibration comes from the store
  Duration period = milliseconds(1);                   // 1 ms over TCP, 10 ms over RTU
  nlohmann::ordered_json journal_table;                // the journal header's "table"

  hal::Table table() noexcept { return modbus->table(); }
  // The serial the transmitter reports, in decimal; "" when it has no identification block.
  [[nodiscard]] std::string load_cell_serial() const;
  // Enables the drive's watchdog: "" when done, else why not (the session must not start).
  std::string arm_watchdog(Duration timeout);
};

struct TableOpen {
  std::unique_ptr<TableConnection> connection;
  std::string error; // when connection is null: bad address, unreachable device, a simulator
                     // with no usable factory calibration
};

// The watchdog timeout tractus configures: 100 ms lets a 1 kHz loop miss 100 cycles and a
// 100 Hz RTU loop 10 before the drive stops on its own, and stops a crashed controller's pull
// well within the time a person notices.
inline constexpr Duration kWatchdogTimeout = milliseconds(100);

TableOpen open_table_connection(const std::string &address,
                                Duration watchdog_timeout = kWatchdogTimeout);

} // namespace tractus::bindings
