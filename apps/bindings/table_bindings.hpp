// The tables `tractus serve` can bind the console to (console/table_binding.hpp): the in-process
// simulator and tables on Modbus. Linked by `tractus` and by the console's API tests.
//
//   bindings::BindingMade made = bindings::make_table_binding("sim", 1);
//   if (!made) fail(made.error);   // bad address, unreachable table
//   console::TableService service(std::move(*made.value), options);
#pragma once

#include "console/table_binding.hpp"
#include "sim/injection.hpp"
#include "text/outcome.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace tractus::bindings {

// `address`: "sim" (the average patient), "sim:PRESET" (light, average, heavy, cervical),
// "sim:FILE.json" (a patient file, read once here: docs/simulator.md, "Patient files"),
// "modbus-tcp://HOST:PORT[?…]" or "modbus-rtu:///dev/ttyX?baud=…" (docs/register-map.md).
// Events (SimulatorOptions) on a Modbus address are refused: tractus-sim takes its own.
// A Modbus table is connected and identified here, once, and nothing is written to it: the
// drive's communication watchdog is enabled by each session lease, right before its loop
// starts. A real table (not tractus-sim) is accepted, its calibration then comes from the store.
// `seed` seeds the simulated load cell of calibration and diagnostics leases (sessions are
// seeded by the service, one seed per session). On failure the binding's `open` is empty and
// `error` says why, naming the address.
// What `tractus run` asks of the in-process simulator beyond its preset (ignored on Modbus):
// simulated faults in every session, and sessions in virtual time, as fast as the computer
// runs, rather than paced by the wall clock for a person watching.
struct SimulatorOptions {
  std::vector<sim::Injection> events;
  bool virtual_time = false;
  // Paced sessions only: simulated time runs this many times faster than the wall clock
  // (controller::ThrottledClock; `tractus serve --sim-speed`). 1: as on a real table.
  double speed = 1.0;
};
// Adds `--inject KIND@TIME` texts to `options.events`; returns what is wrong with each bad one
// (every one, so a typo never silently drops a fault), empty when all were read.
std::vector<std::string> add_simulator_events(const std::vector<std::string> &texts,
                                              SimulatorOptions &options);

// The binding for `address`, or why there is none (naming the address): its table connected
// and identified, nothing written to it yet.
using BindingMade = text::Outcome<console::TableBinding>;
BindingMade make_table_binding(const std::string &address, std::uint64_t seed,
                               const SimulatorOptions &simulator = {});

// "sim" or "sim:PRESET|FILE.json": the in-process simulator rather than a Modbus address.
bool is_simulator_address(const std::string &address);

// What is wrong with `address` as written, without reaching the table: an unknown simulated
// patient or a patient file refused (every problem, a line each), a Modbus address that does not
// parse, or neither kind. Empty when it is well formed.
// make_table_binding checks this first; the configuration file checks its "table" with it.
std::string table_address_problem(const std::string &address);

} // namespace tractus::bindings
