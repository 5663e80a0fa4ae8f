// `tractus calibrate run | verify | show`: the technician's load-cell workflow
// (docs/calibration.md).
//
//   tractus calibrate run --serial LC-1234 --technician "A. Tech" [--loads 0,200,...,1000]
//                         [--cycles 2] [--interactive] [--table sim|ADDRESS] [--store calibration]
//   tractus calibrate verify [--load 500N] [--technician T] [--interactive] [--table sim|ADDRESS]
//   tractus calibrate show [--store calibration]
//
// The work is in hal (calibration_procedure, calibration_fit, calibration_store); this file
// talks to the technician and to the table. Scripted runs need hands to hang the weights, which
// only the simulator has (in process, or tractus-sim over Modbus); on a real table the
// technician hangs them (--interactive).
//
// Exit codes (DESIGN §8): 0 calibration accepted and installed / verification passed / record
// in force; 2 bad input or a refused step — nothing was changed; 3 measured but failed
// acceptance (kept in history as rejected) or the verification failed (logged, and the
// calibration is out of force until a verification passes); 1 internal error.
#pragma once

#include "console/table_binding.hpp"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tractus::cli {

// The table named by --table, leased for a calibration through its binding
// (bindings::make_table_binding, as `tractus serve` and `tractus run` open it): "sim" or
// "sim:PRESET|FILE.json" (a calm simulated patient with these `inject` events), or a Modbus
// address (events refused: tractus-sim takes its own), whose transmitter must report its
// capacity and nominal gain. No lease, and why, when the address is not usable or the table
// cannot be opened.
console::LeaseOpen open_calibration_table(const std::string &address, std::uint64_t seed,
                                          const std::vector<std::string> &inject);

struct CalibrateRunOptions {
  std::string table = "sim";
  std::string store = "calibration";
  std::string serial;
  std::string technician;
  std::string loads = "0,200,400,600,800,1000"; // ascending; the way down is derived
  int cycles = 2;
  std::string min_span = "890N"; // the lumbar hard cap; 222N on a cervical-only table
  int valid_months = 12;
  bool interactive = false;
  std::string local_gravity; // m/s², required for loads typed in kg
  std::uint64_t seed = 1;
  std::vector<std::string> inject; // simulator events, e.g. loadcell-noise@0s
};

struct CalibrateVerifyOptions {
  std::string table = "sim";
  std::string store = "calibration";
  std::string technician = "unnamed";
  std::string load = "500N"; // the daily function test load (Eltrac 471)
  bool interactive = false;
  std::string local_gravity;
  std::uint64_t seed = 1;
  std::vector<std::string> inject;
};

// The commands, with the clock and the streams passed in so tests can drive them.
int calibrate_run(const CalibrateRunOptions &options, console::CalibrationLease &table,
                  std::int64_t now_unix, std::istream &in, std::ostream &out, std::ostream &err);
int calibrate_verify(const CalibrateVerifyOptions &options, console::CalibrationLease &table,
                     std::int64_t now_unix, std::istream &in, std::ostream &out, std::ostream &err);
int calibrate_show(const std::string &store, std::int64_t now_unix, std::ostream &out,
                   std::ostream &err);

// CLI11 wiring. In main: `auto calibrate = cli::add_calibrate_command(app);` before parsing,
// and `if (calibrate->invoked()) return calibrate->run(std::cin, std::cout, std::cerr);` after.
class CalibrateCommandLine {
public:
  explicit CalibrateCommandLine(CLI::App &app);
  [[nodiscard]] bool invoked() const;
  int run(std::istream &in, std::ostream &out, std::ostream &err);

private:
  CLI::App *calibrate_ = nullptr;
  CLI::App *run_ = nullptr;
  CLI::App *verify_ = nullptr;
  CLI::App *show_ = nullptr;
  CalibrateRunOptions run_options_;
  CalibrateVerifyOptions verify_options_;
  std::string show_store_ = "calibration";
};
std::unique_ptr<CalibrateCommandLine> add_calibrate_command(CLI::App &app);

} // namespace tractus::cli
