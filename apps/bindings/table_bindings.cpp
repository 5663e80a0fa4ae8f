#include "bindings/table_bindings.hpp"

#include "bindings/modbus_lease.hpp"
#include "bindings/sim_lease.hpp"
#include "bindings/table_connection.hpp"
#include "bindings/table_lock.hpp"
#include "hal/modbus/modbus_address.hpp"
#include "sim/patient_file.hpp"

namespace tractus::bindings {

namespace {

// The patient of "sim" (the average one) or "sim:PRESET|FILE.json", read once: a patient file
// that changes later does not change the binding's patient.
text::Outcome<sim::SimulatedPatient> simulated_patient(const std::string &address) {
  return sim::find_simulated_patient(address == "sim" ? std::string_view("average")
                                                      : std::string_view(address).substr(4));
}

BindingMade sim_binding(const std::string &address, const sim::SimulatedPatient &patient,
                        std::uint64_t seed, const SimulatorOptions &simulator) {
  console::TableBinding b;
  b.address = address;
  b.simulated = true;
  b.period = milliseconds(1);
  b.open = [address, patient, seed, simulator](console::LeasePurpose purpose,
                                               std::uint64_t session_seed) {
    const std::uint64_t s = purpose == console::LeasePurpose::Session ? session_seed : seed;
    auto lease = std::make_unique<SimLease>(address, patient, s, purpose, simulator.events,
                                            simulator.virtual_time, simulator.speed);
    if (purpose == console::LeasePurpose::Session) {
      if (const std::string e = lease->configure_watchdog(kWatchdogTimeout); !e.empty())
        return console::LeaseOpen{nullptr, "the drive's communication watchdog cannot be "
                                           "enabled: " +
                                               e + "; refusing to run"};
    }
    return console::LeaseOpen{std::move(lease), ""};
  };
  b.link_statistics = [] { return nlohmann::json(nullptr); };
  return {std::move(b), {}};
}

BindingMade modbus_binding(const std::string &address) {
  // Locked before the first frame: on an RTU line even a read would collide with a session.
  const hal::modbus::AddressParse parsed = hal::modbus::parse_modbus_address(address);
  const auto &a = *parsed.address; // checked by table_address_problem
  auto lock = lock_table(a.transport == hal::modbus::Transport::Rtu ? a.rtu.device : a.where());
  if (!lock) return BindingMade::failure("--table " + address + ": " + lock.error);
  TableOpen opened = open_table_connection(address);
  if (!opened.connection) return BindingMade::failure("--table " + address + ": " + opened.error);
  std::shared_ptr<TableConnection> connection = std::move(opened.connection);
  console::TableBinding b;
  b.address = address;
  b.simulated = connection->simulated;
  b.period = connection->period;
  // The lock lives as long as the binding (every copy of `open` holds it).
  b.open = [connection, held = *lock.value](console::LeasePurpose purpose, std::uint64_t) {
    return ModbusLease::open(connection, purpose);
  };
  b.link_statistics = [connection] {
    const hal::modbus::LinkCounters c = connection->modbus->counters();
    return nlohmann::json{{"ok", c.ok},
                          {"timeouts", c.timeouts},
                          {"exceptions", c.exceptions},
                          {"bad_replies", c.bad_replies},
                          {"disconnects", c.disconnects}};
  };
  return {std::move(b), {}};
}

} // namespace

std::vector<std::string> add_simulator_events(const std::vector<std::string> &texts,
                                              SimulatorOptions &options) {
  const sim::ScheduleParse parsed = sim::parse_injections(texts);
  const auto events = parsed.schedule.events();
  options.events.insert(options.events.end(), events.begin(), events.end());
  return parsed.errors;
}

bool is_simulator_address(const std::string &address) {
  return address == "sim" || address.rfind("sim:", 0) == 0;
}

std::string table_address_problem(const std::string &address) {
  if (is_simulator_address(address)) return simulated_patient(address).error;
  if (hal::modbus::is_modbus_address(address)) {
    const hal::modbus::AddressParse parsed = hal::modbus::parse_modbus_address(address);
    return parsed ? std::string() : parsed.error;
  }
  return "expected sim, sim:PRESET, sim:FILE.json, modbus-tcp://HOST:PORT or "
         "modbus-rtu:///dev/ttyX";
}

BindingMade make_table_binding(const std::string &address, std::uint64_t seed,
                               const SimulatorOptions &simulator) {
  if (is_simulator_address(address)) {
    const auto patient = simulated_patient(address);
    if (!patient) return BindingMade::failure("--table " + address + ": " + patient.error);
    return sim_binding(address, *patient.value, seed, simulator);
  }
  if (const std::string problem = table_address_problem(address); !problem.empty())
    return BindingMade::failure("--table " + address + ": " + problem);
  if (!simulator.events.empty())
    return BindingMade::failure("--inject acts on the in-process simulator; on a Modbus table "
                                "give it to tractus-sim (tractus-sim --inject KIND@TIME)");
  return modbus_binding(address);
}

} // namespace tractus::bindings
