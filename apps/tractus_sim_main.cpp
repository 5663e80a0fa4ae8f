// tractus-sim: the simulated table as a Modbus server (DESIGN §6, §8), for `tractus run --table
// modbus-tcp://…` or `modbus-rtu://…`, independent Modbus tools, and the integration tests.
// Parses arguments and wires the plant, the register map and a transport together; the work is
// in sim/server.
#include "controller/realtime.hpp"
#include "sim/injection.hpp"
#include "sim/patient_file.hpp"
#include "sim/server/transports.hpp"
#include "text/host_port.hpp"
#include "text/outcome.hpp"

#include <CLI/CLI.hpp>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace {

std::atomic<bool> g_stop{false};
extern "C" void on_signal(int) { g_stop = true; }

constexpr int kExitOk = 0, kExitBadInput = 2, kExitInternal = 1;

// "HOST:PORT" or "[V6]:PORT"; port 0 asks the system for a free one.
tractus::text::Outcome<tractus::text::HostPort> split_listen(const std::string &text) {
  if (auto parsed = tractus::text::parse_host_port(text)) return {std::move(*parsed), {}};
  return tractus::text::Outcome<tractus::text::HostPort>::failure(
      "--listen " + text + ": expected HOST:PORT with a port 0 to 65535, e.g. 127.0.0.1:1502");
}

// Written whole or not at all, so a test polling for the file never reads half a number.
void write_port_file(const std::string &file, std::uint16_t port) {
  const std::string tmp = file + ".tmp";
  {
    std::ofstream out(tmp);
    out << port << "\n";
  }
  std::filesystem::rename(tmp, file);
}

// What the command line asks for.
struct SimOptions {
  std::string listen = "127.0.0.1:1502";
  std::string rtu;
  int baud = 115200;
  std::string parity = "E";
  std::string patient = "average";
  std::uint64_t seed = 1;
  std::vector<std::string> inject;
  std::string port_file;
  bool normal_priority = false;
  bool calm = false;
};

// Parses the command line; an exit code when it asked for help, the version, or was wrong.
std::optional<int> parse_options(int argc, char **argv, SimOptions &o) {
  CLI::App app{"tractus-sim — the simulated traction table as a Modbus server"};
  app.set_version_flag("--version", TRACTUS_VERSION);
  bool realtime_flag = false; // --realtime: the default now, accepted for older scripts
  auto *listen_opt = app.add_option("--listen", o.listen,
                                    "Serve Modbus TCP on HOST:PORT (port 0: "
                                    "any free port)")
                         ->capture_default_str();
  app.add_option("--rtu", o.rtu, "Serve Modbus RTU on this serial device or pseudo-terminal")
      ->excludes(listen_opt);
  app.add_option("--baud", o.baud, "RTU baud rate")->capture_default_str();
  app.add_option("--parity", o.parity, "RTU parity: N, E or O")->capture_default_str();
  app.add_option("--patient", o.patient,
                 "Simulated patient: a preset (" +
                     std::string(tractus::sim::patient_preset_names()) +
                     ") or a patient file, FILE.json (docs/simulator.md)")
      ->capture_default_str();
  app.add_option("--seed", o.seed, "Seed of noise and muscle guarding")->capture_default_str();
  app.add_option("--inject", o.inject,
                 "Event KIND@TIME, counted from the controller's start-up (its first watchdog "
                 "configuration), e.g. patient-switch@60s (repeatable)");
  app.add_option("--port-file", o.port_file, "Write the bound TCP port to this file");
  // Real time by default: the simulator stands in for devices that do not share the
  // controller's CPU; at normal priority a busy host makes it answer late, and the controller
  // then faults on the simulator's lateness, not its own (docs/performance.md).
  app.add_flag("--normal-priority", o.normal_priority,
               "Run the server at normal priority instead of SCHED_FIFO 90 (when permitted)");
  app.add_flag("--realtime", realtime_flag, "Accepted for older scripts: real time is the default")
      ->excludes("--normal-priority");
  app.add_flag("--calm", o.calm, "No random muscle guarding");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitBadInput;
  }
  if (o.parity.size() != 1 || std::string("NEO").find(o.parity[0]) == std::string::npos) {
    std::cerr << "tractus-sim: --parity " << o.parity << ": must be N, E or O\n";
    return kExitBadInput;
  }
  return std::nullopt;
}

// The transport the options ask for, bound and ready; null (and said on stderr) when it cannot be.
std::unique_ptr<tractus::sim::server::Transport>
open_transport(const SimOptions &o, tractus::sim::server::TableRegisters &table) {
  using namespace tractus::sim::server;
  try {
    if (!o.rtu.empty())
      return std::make_unique<RtuTransport>(table,
                                            SerialSettings{o.rtu, o.baud, o.parity[0], 8, 1});
    const auto address = split_listen(o.listen);
    if (!address) {
      std::cerr << "tractus-sim: " << address.error << "\n";
      return nullptr;
    }
    auto tcp = std::make_unique<TcpTransport>(table, address.value->host, address.value->port);
    if (!o.port_file.empty()) write_port_file(o.port_file, tcp->port());
    return tcp;
  } catch (const std::exception &e) {
    std::cerr << "tractus-sim: " << e.what() << "\n";
    return nullptr;
  }
}

int run(int argc, char **argv) {
  using namespace tractus;
  SimOptions o;
  if (const std::optional<int> exit_code = parse_options(argc, argv, o)) return *exit_code;

  const auto patient = sim::find_simulated_patient(o.patient);
  if (!patient) {
    std::cerr << "tractus-sim: --patient " << o.patient << ": " << patient.error << "\n";
    return kExitBadInput;
  }
  const sim::PatientPreset &preset = patient.value->preset();
  const auto parsed = sim::parse_injections(o.inject);
  for (const auto &e : parsed.errors)
    std::cerr << "tractus-sim: --inject " << e << "\n";
  if (!parsed.errors.empty()) return kExitBadInput;
  const std::vector<sim::Injection> injections(parsed.schedule.events().begin(),
                                               parsed.schedule.events().end());

  sim::server::TableRegisters table(
      o.calm ? sim::calm_plant_config(preset) : sim::plant_config(preset), o.seed, injections);
  const std::unique_ptr<sim::server::Transport> transport = open_transport(o, table);
  if (!transport) return kExitBadInput;

  std::signal(SIGINT, on_signal);
  std::signal(SIGTERM, on_signal);
  std::signal(SIGPIPE, SIG_IGN);
  // Above the controller's 80: the simulator stands in for hardware, which a busy controller host
  // cannot slow down.
  const std::string scheduling =
      o.normal_priority ? std::string("normal priority") : controller::enable_realtime(90);
  std::cout << "tractus-sim: " << preset.name << " patient (seed " << o.seed << ") on "
            << transport->address() << " [" << scheduling << "]" << std::endl;
  const std::uint64_t served = sim::server::run_server(table, *transport, g_stop);
  std::cerr << "tractus-sim: stopped after " << served << " requests, "
            << table.sim().elapsed().si() << " s simulated\n";
  return kExitOk;
}

} // namespace

int main(int argc, char **argv) {
  try {
    return run(argc, argv);
  } catch (const std::exception &e) {
    std::cerr << "tractus-sim: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
