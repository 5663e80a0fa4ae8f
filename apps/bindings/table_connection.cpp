#include "bindings/table_connection.hpp"

#include <cstdio>

namespace tractus::bindings {

namespace {

std::string hex4(unsigned v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04X", v);
  return text;
}

nlohmann::ordered_json device_json(std::uint8_t unit, const hal::modbus::DeviceIdentity &id) {
  nlohmann::ordered_json j;
  j["unit"] = unit;
  if (id.known) {
    j["model"] = hex4(id.model);
    j["serial"] = id.serial;
    j["firmware"] = std::to_string(id.firmware >> 8U) + "." + std::to_string(id.firmware & 0xFFU);
  } else {
    j["model"] = nullptr;
  }
  return j;
}

std::string identity_text(const hal::modbus::TableIdentity &id) {
  const auto one = [](const char *name, const hal::modbus::DeviceIdentity &d) {
    return std::string(name) + " " + (d.known ? "model " + hex4(d.model) : "unidentified");
  };
  return one("load cell", id.load_cell) + ", " + one("drive", id.drive) + ", " +
         one("safety I/O", id.safety);
}

} // namespace

std::string TableConnection::load_cell_serial() const {
  const hal::modbus::DeviceIdentity &cell = modbus->identity().load_cell;
  return cell.known ? std::to_string(cell.serial) : std::string();
}

TableOpen open_table_connection(const std::string &address, Duration watchdog_timeout) {
  TableOpen result;
  hal::modbus::OpenResult opened = hal::modbus::ModbusTable::open(address);
  if (!opened.table) {
    result.error = opened.error;
    return result;
  }
  auto c = std::make_unique<TableConnection>();
  c->modbus = std::move(opened.table);
  hal::modbus::ModbusTable &mt = *c->modbus;
  const hal::modbus::TableIdentity &id = mt.identity();

  const bool simulated = id.is_simulator();
  c->simulated = simulated;
  if (simulated) c->factory_calibration = mt.simulator_calibration();
  if (simulated && !c->factory_calibration) {
    result.error = "the simulator at " + mt.address().where() +
                   " reports no usable factory calibration (transmitter gain not positive)";
    return result;
  }
  c->period = mt.loop_period();

  nlohmann::ordered_json &t = c->journal_table;
  t["address"] = address;
  t["simulated"] = simulated;
  t["identified_as"] = simulated ? "tractus-sim" : identity_text(id);
  t["transport"] = hal::modbus::to_string(mt.address().transport);
  t["where"] = mt.address().where();
  t["register_map"] = mt.map_name();
  t["loop_period_ms"] = c->period.si() * 1e3;
  t["response_timeout_ms"] = mt.response_timeout().si() * 1e3;
  t["watchdog_timeout_ms"] = watchdog_timeout.si() * 1e3;
  if (const auto serial = mt.serial_latency()) {
    t["serial"] = {{"low_latency", serial->low_latency}, {"note", serial->note}};
    if (serial->latency_timer_ms) t["serial"]["latency_timer_ms"] = *serial->latency_timer_ms;
    if (serial->too_slow())
      t["serial"]["fix"] = hal::modbus::latency_timer_fix(mt.address().rtu.device);
  }
  t["devices"] = {{"load_cell", device_json(mt.map().load_cell.unit, id.load_cell)},
                  {"drive", device_json(mt.map().drive.unit, id.drive)},
                  {"safety_io", device_json(mt.map().safety.unit, id.safety)}};
  result.connection = std::move(c);
  return result;
}

} // namespace tractus::bindings
