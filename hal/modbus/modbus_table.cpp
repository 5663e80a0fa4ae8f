#include "hal/modbus/modbus_table.hpp"

#include "hal/modbus/register_map_config.hpp"

#include <cstdio>
#include <stdexcept>

namespace tractus::hal::modbus {

namespace {

constexpr const char *kDeviceNames[] = {"load-cell transmitter", "drive", "safety I/O"};

std::string hex4(std::uint16_t v) {
  char text[8];
  std::snprintf(text, sizeof text, "0x%04X", unsigned{v});
  return text;
}

bool same(const DeviceIdentity &a, const DeviceIdentity &b) {
  return a.known == b.known && a.model == b.model && a.serial == b.serial;
}

} // namespace

ModbusTable::ModbusTable(const ModbusAddress &address, const regmap::RegisterMap &map,
                         std::string map_name)
    : address_(address), map_(map), map_name_(std::move(map_name)) {}

ModbusTable::~ModbusTable() = default;

OpenResult ModbusTable::open(std::string_view address_text) {
  OpenResult result;
  AddressParse parsed = parse_modbus_address(address_text);
  if (!parsed) {
    result.error = parsed.error;
    return result;
  }
  if (parsed.address->map_file.empty()) return open(*parsed.address, regmap::kDefaultMap);
  MapParse map = load_register_map(parsed.address->map_file);
  if (!map) {
    for (const std::string &e : map.errors)
      result.error += (result.error.empty() ? "" : "\n") + e;
    return result;
  }
  return open(*parsed.address, *map.map, map.name.empty() ? parsed.address->map_file : map.name);
}

OpenResult ModbusTable::open(const ModbusAddress &address, const regmap::RegisterMap &map,
                             std::string map_name) {
  OpenResult result;
  if (const auto problems = check_register_map(map); !problems.empty()) {
    result.error = "register map " + map_name + ": " + problems.front();
    return result;
  }
  std::unique_ptr<ModbusTable> t(new ModbusTable(address, map, std::move(map_name)));
  try {
    const int n_links = address.transport == Transport::Tcp ? 3 : 1;
    for (int i = 0; i < n_links; ++i)
      t->links_.push_back(address.transport == Transport::Tcp ? Link::tcp(address.tcp)
                                                              : Link::rtu(address.rtu));
  } catch (const std::runtime_error &e) {
    result.error = e.what();
    return result;
  }
  t->load_cell_ = std::make_unique<ModbusLoadCell>(t->link_of(0), map.load_cell);
  t->drive_ = std::make_unique<ModbusDrive>(t->link_of(1), map.drive, kSetupTimeout);
  t->safety_ = std::make_unique<ModbusSafetyIo>(t->link_of(2), map.safety);
  if (std::string e = t->connect_all(); !e.empty()) {
    result.error = e;
    return result;
  }
  if (std::string e = t->identify(t->identity_); !e.empty()) {
    result.error = e;
    return result;
  }
  for (auto &link : t->links_)
    link->set_response_timeout(address.response_timeout);
  result.table = std::move(t);
  return result;
}

std::optional<SerialLatency> ModbusTable::serial_latency() const {
  if (address_.transport != Transport::Rtu || links_.empty()) return std::nullopt;
  return links_.front()->serial_latency();
}

Link &ModbusTable::link_of(std::uint8_t device) noexcept {
  return *links_[links_.size() == 1 ? 0 : device];
}

IoStatus ModbusTable::write_simulator_control(regmap::Span span,
                                              const std::uint16_t *values) noexcept {
  if (!identity_.is_simulator()) return IoStatus::Disconnected;
  return link_of(0).write(regmap::sim_control::kUnit, span, values);
}

std::string ModbusTable::connect_all() {
  for (std::size_t i = 0; i < links_.size(); ++i) {
    Link &link = *links_[i];
    if (link.connected()) continue;
    link.set_response_timeout(kSetupTimeout);
    if (std::string e = link.connect(); !e.empty()) {
      if (address_.transport == Transport::Rtu)
        return "cannot open the serial line " + address_.where() + ": " + e;
      const std::uint8_t units[] = {map_.load_cell.unit, map_.drive.unit, map_.safety.unit};
      return "cannot connect to the " + std::string(kDeviceNames[i]) + " (unit " +
             std::to_string(units[i]) + ") at " + address_.where() + ": " + e;
    }
  }
  return {};
}

std::string ModbusTable::identify(TableIdentity &out) {
  struct Block {
    std::uint8_t device;
    std::uint8_t unit;
    std::optional<std::uint16_t> address;
    DeviceIdentity *into;
  };
  const Block blocks[] = {{0, map_.load_cell.unit, map_.load_cell.identification, &out.load_cell},
                          {1, map_.drive.unit, map_.drive.identification, &out.drive},
                          {2, map_.safety.unit, map_.safety.identification, &out.safety}};
  const auto who = [&](const Block &b) {
    return "the " + std::string(kDeviceNames[b.device]) + " (unit " + std::to_string(b.unit) +
           " at " + address_.where() + ")";
  };
  // A device with no identification block is still asked: a read of the registers its cycle
  // reads, so that a silent one is found here as an identified one would be.
  const regmap::Span cyclic[] = {regmap::load_cell_span(map_.load_cell),
                                 regmap::drive_status_span(map_.drive),
                                 {map_.safety.inputs_address, 1}};
  for (const Block &b : blocks) {
    Link &link = link_of(b.device);
    link.set_response_timeout(kSetupTimeout);
    if (!b.address) {
      std::uint16_t regs[regmap::kMaxSpan];
      const IoStatus io = link.read(b.unit, cyclic[b.device], regs);
      if (io != IoStatus::Ok)
        return who(b) +
               " did not answer a read of its cyclic registers (it has no "
               "identification block): " +
               describe_failure(io, link);
      continue;
    }
    std::uint16_t regs[regmap::ident::kSize];
    const IoStatus io = link.read(b.unit, {*b.address, regmap::ident::kSize}, regs);
    if (io != IoStatus::Ok)
      return who(b) + " did not answer its identification read: " + describe_failure(io, link);
    *b.into = decode_identity(regs);
  }
  if (map_.load_cell.factory_calibration) {
    Link &link = link_of(0);
    std::uint16_t regs[regmap::factory_cal::kSize];
    const IoStatus io =
        link.read(map_.load_cell.unit,
                  {*map_.load_cell.factory_calibration, regmap::factory_cal::kSize}, regs);
    if (io != IoStatus::Ok)
      return who(blocks[0]) +
             " did not answer its factory-calibration read: " + describe_failure(io, link);
    out.factory = decode_factory_calibration(regs);
  }
  const DeviceIdentity *ids[] = {&out.load_cell, &out.drive, &out.safety};
  const bool any_sim = ids[0]->is_simulator() || ids[1]->is_simulator() || ids[2]->is_simulator();
  if (any_sim && !out.is_simulator()) {
    // Half a simulator is neither a simulated table nor a real one: refuse it outright.
    for (const Block &b : blocks)
      if (!ids[b.device]->is_simulator())
        return "mixed table: some devices identify as tractus-sim but " + who(b) +
               (ids[b.device]->known ? " identifies as model " + hex4(ids[b.device]->model)
                                     : std::string(" has no identification"));
  }
  return {};
}

std::optional<Calibration> ModbusTable::simulator_calibration() const {
  if (!identity_.is_simulator() || !identity_.factory) return std::nullopt;
  Calibration cal = modbus::simulator_calibration(*identity_.factory);
  if (cal.id.empty()) return std::nullopt;
  return cal;
}

Duration ModbusTable::loop_period() const noexcept {
  return address_.transport == Transport::Tcp ? kTcpLoopPeriod : kRtuLoopPeriod;
}

std::string ModbusTable::identify_as_opened() {
  TableIdentity now;
  std::string e = identify(now);
  if (e.empty() && !(same(now.load_cell, identity_.load_cell) && same(now.drive, identity_.drive) &&
                     same(now.safety, identity_.safety)))
    e = "the devices at " + address_.where() +
        " identify differently than when the table was opened: open the table again";
  for (auto &link : links_)
    link->set_response_timeout(address_.response_timeout);
  return e;
}

std::string ModbusTable::reconnect() {
  for (auto &link : links_)
    link->close();
  if (std::string e = connect_all(); !e.empty()) {
    for (auto &link : links_)
      link->set_response_timeout(address_.response_timeout);
    return e;
  }
  return identify_as_opened();
}

std::string ModbusTable::ensure_answering() {
  if (connected() && identify_as_opened().empty()) return {};
  return reconnect();
}

void ModbusTable::set_response_timeout(Duration timeout) noexcept {
  for (auto &link : links_)
    link->set_response_timeout(timeout);
}

bool ModbusTable::connected() const noexcept {
  for (const auto &link : links_)
    if (!link->connected()) return false;
  return true;
}

LinkCounters ModbusTable::counters() const noexcept {
  LinkCounters sum;
  for (const auto &link : links_) {
    const LinkCounters c = link->counters();
    sum.ok += c.ok;
    sum.timeouts += c.timeouts;
    sum.exceptions += c.exceptions;
    sum.bad_replies += c.bad_replies;
    sum.disconnects += c.disconnects;
    sum.late_discarded += c.late_discarded;
  }
  return sum;
}

} // namespace tractus::hal::modbus
