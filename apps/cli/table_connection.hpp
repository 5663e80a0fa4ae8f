// `tractus run --table modbus-tcp://…|modbus-rtu://…`: opens a table on Modbus for a session.
//
// Connects (hal/modbus), finds out what the devices are, and enables the drive's communication
// watchdog (DESIGN §4: tractus refuses to run if it cannot). A table whose three devices
// identify as tractus-sim counts as simulated: the simulated patient counts as screened and the
// transmitter's factory calibration is read from its registers (DESIGN §8). Any other table is
// refused unless the caller accepts real tables (`tractus serve`, whose console takes the
// screening from the operator and the calibration from the store); `tractus run` does not yet:
// a real table needs a calibration record in force and `--screening FILE`.
//
// Compiled into the tractus_table_bindings library (apps/bindings), which `tractus` links.
#pragma once

#include "hal/calibration.hpp"
#include "hal/hal.hpp"
#include "hal/modbus/modbus_table.hpp"
#include "units/units.hpp"

#include <nlohmann/json.hpp>

#include <memory>
#include <optional>
#include <string>

namespace tractus::cli {

struct TableConnection {
  std::unique_ptr<hal::modbus::ModbusTable> modbus;
  bool simulated = false;
  std::optional<hal::Calibration> factory_calibration; // when simulated; a real table's
                                                       // calibration comes from the store
  Duration period = milliseconds(1);                   // 1 ms over TCP, 10 ms over RTU
  nlohmann::ordered_json journal_table;                // the journal header's "table"

  hal::Table table() noexcept { return modbus->table(); }
};

struct TableOpen {
  std::unique_ptr<TableConnection> connection;
  std::string error; // when connection is null: bad address, unreachable device, refused
                     // table, watchdog that cannot be enabled
};

// The watchdog timeout tractus configures: 100 ms lets a 1 kHz loop miss 100 cycles and a
// 100 Hz RTU loop 10 before the drive stops on its own, and stops a crashed controller's pull
// well within the time a person notices.
inline constexpr Duration kWatchdogTimeout = milliseconds(100);

enum class RealTables : bool { Refuse, Accept };

TableOpen open_table_connection(const std::string &address,
                                Duration watchdog_timeout = kWatchdogTimeout,
                                RealTables real_tables = RealTables::Refuse);

} // namespace tractus::cli
