// Shared by the calibration tests: simulated cells with known truth, a store in a temporary
// directory, and a way to run `tractus calibrate` as a function.
#pragma once

#include "bindings/sim_lease.hpp"
#include "calibration/store.hpp"
#include "cli/calibrate_command.hpp"
#include "sim/patient_preset.hpp"

#include "support/temp_dir.hpp"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>

namespace tractus::calibration_test {

inline constexpr std::int64_t kJan2026 = 1767225600; // 2026-01-01T00:00:00Z

// The simulated table of a test: the average patient (calm), with this load cell.
inline sim::PlantConfig config_with(const sim::LoadCellParams &cell) {
  sim::PlantConfig config = sim::calm_plant_config(sim::kAveragePatient);
  config.load_cell = cell;
  return config;
}

// Truth of a simulated cell over a calibration from 0 to `span`, at the loads read, in % of
// the span: the terminal-line non-linearity of F + k2·F² + k3·F³, and the widest gap of the
// Preisach lens, ρ·F·(S − F) with ρ = 4·h/FS².
inline double true_cell_nonlinearity_pct(const sim::LoadCellParams &c, double span, double step) {
  auto sensed = [&](double f) { return f + f * f * (c.quadratic_per_n + c.cubic_per_n2 * f); };
  const double slope = sensed(span) / span;
  double worst = 0.0;
  for (double f = 0.0; f <= span; f += step)
    worst = std::max(worst, std::abs(sensed(f) - slope * f) / slope);
  return worst / span * 100.0;
}
inline double true_hysteresis_pct(const sim::LoadCellParams &c, double span, double step) {
  const double fs = c.full_scale.si();
  const double rho = 4.0 * c.hysteresis.si() / (fs * fs);
  double worst = 0.0;
  for (double f = 0.0; f <= span; f += step)
    worst = std::max(worst, rho * f * (span - f));
  return worst / span * 100.0;
}

using tractus::testing::TempDir;

inline std::string bytes_of(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct CommandResult {
  int exit_code = -1;
  std::string out, err;
};

inline cli::CalibrateRunOptions run_options(const std::filesystem::path &store) {
  cli::CalibrateRunOptions o;
  o.store = store.string();
  o.serial = "LC-1234";
  o.technician = "A. Tech";
  return o;
}

inline CommandResult run_calibration(const cli::CalibrateRunOptions &o,
                                     console::CalibrationLease &table,
                                     const std::string &input = "", std::int64_t now = kJan2026) {
  std::istringstream in(input);
  std::ostringstream out, err;
  CommandResult r;
  r.exit_code = cli::calibrate_run(o, table, now, in, out, err);
  r.out = out.str();
  r.err = err.str();
  return r;
}

} // namespace tractus::calibration_test
