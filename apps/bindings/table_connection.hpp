// A table on Modbus, connected once: the state behind a binding's leases (table_bindings.hpp).
//
// Connects (hal/modbus) and finds out what the devices are; it writes nothing. A table whose
// three devices identify as tractus-sim counts as simulated: the simulated patient counts as
// screened and the transmitter's factory calibration is read from its registers (DESIGN §8).
// Any other table is a real one: its calibration comes from the store (the record in force for
// the transmitter's serial, verified today) and its screening from the operator (`tractus run
// --screening FILE`, the console's checklist).
//
// The drive's communication watchdog is enabled by a session's lease (ModbusLease::open), once
// the command knows the session will run (DESIGN §4: tractus refuses to run if it cannot).
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
  Duration period = milliseconds(1);                   // 5 ms over TCP, 10 ms over RTU
  nlohmann::ordered_json journal_table;                // the journal header's "table"

  hal::Table table() noexcept { return modbus->table(); }
  // The serial the transmitter reports, in decimal; "" when it has no identification block.
  [[nodiscard]] std::string load_cell_serial() const;
};

struct TableOpen {
  std::unique_ptr<TableConnection> connection;
  std::string error; // when connection is null: bad address, unreachable device, a simulator
                     // with no usable factory calibration
};

// The response timeout of a calibration's or a diagnostic's readings unless the address gives
// one (`timeout=`): a reading waits for the device, where a control cycle must not, and one
// late reply must not abandon a technician's step.
inline constexpr Duration kReadingResponseTimeout = milliseconds(100);

// The watchdog timeout tractus configures: 100 ms lets a 1 kHz loop miss 100 cycles and a
// 100 Hz RTU loop 10 before the drive stops on its own, and stops a crashed controller's pull
// well within the time a person notices.
inline constexpr Duration kWatchdogTimeout = milliseconds(100);

TableOpen open_table_connection(const std::string &address,
                                Duration watchdog_timeout = kWatchdogTimeout);

} // namespace tractus::bindings
