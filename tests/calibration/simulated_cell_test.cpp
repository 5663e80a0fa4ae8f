// The procedure recovers simulated load cells whose truth is known: the fitted calibration
// reads the true force within 0.1 % of full scale across the range, and the non-linearity and
// hysteresis it reports are the cell's own within ±0.01 % FS.
#include "calibration_support.hpp"

#include "calibration/reading.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

namespace tractus::calibration_test {
namespace {

constexpr double kSpan = 1000.0; // the default plan: 0, 200, … 1000 N
constexpr double kStep = 200.0;

struct Outcome {
  calibration::CalibrationRecord record;
  double worst_error_pct = 0.0; // over a 0 → span → 0 sweep in 50 N steps, % of span
};

// Calibrates the cell with `tractus calibrate run` (scripted, on the simulator), then hangs 41
// loads up and down the range and reads each through the installed calibration.
Outcome calibrate_and_sweep(const sim::LoadCellParams &cell, const std::string &name) {
  TempDir dir(name);
  bindings::SimLease table(config_with(cell), 7);
  const CommandResult run = run_calibration(run_options(dir.path()), table);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  const calibration::RecordRead current =
      calibration::CalibrationStore(dir.path()).current(kJan2026);
  EXPECT_TRUE(current) << current.error;
  Outcome o{*current.record, 0.0};
  calibration::StabilityCriteria criteria;
  criteria.counts_per_newton = cell.gain_counts_per_n;
  for (int i = 0; i <= 40; ++i) {
    const double load = 50.0 * (i <= 20 ? i : 40 - i);
    table.hang_reference_load(newtons(load));
    const calibration::StableReading r = calibration::read_stable(
        table.load_cell(), [&] { table.wait_one_period(); }, table.period(), criteria);
    EXPECT_TRUE(r.stable) << r.why;
    const double error_pct = std::abs(o.record.fit.to_newtons(r.mean_counts) - load) / kSpan * 100;
    o.worst_error_pct = std::max(o.worst_error_pct, error_pct);
  }
  std::printf("[ figures  ] %s: %s fit, worst error %.4f %% FS; non-linearity cell %.4f %% "
              "(true %.4f %%), calibrated %.4f %%; hysteresis %.4f %% (true %.4f %%); "
              "repeatability %.4f %%\n",
              name.c_str(), calibration::to_string(o.record.fit.model), o.worst_error_pct,
              o.record.fit.cell_nonlinearity_pct, true_cell_nonlinearity_pct(cell, kSpan, kStep),
              o.record.fit.nonlinearity_pct, o.record.fit.hysteresis_pct,
              true_hysteresis_pct(cell, kSpan, kStep), o.record.fit.repeatability_pct);
  return o;
}

TEST(SimulatedCell, LinearCellIsRecoveredWithinATenthOfAPercentOfFullScale) {
  sim::LoadCellParams cell;
  cell.gain_counts_per_n = 123.4; // not the factory 100, so nothing is assumed
  cell.offset_counts = -25000;
  const Outcome o = calibrate_and_sweep(cell, "cal-linear");
  EXPECT_EQ(o.record.fit.model, calibration::CurveModel::Linear);
  EXPECT_NEAR(o.record.fit.c1, 1.0 / 123.4, 1e-4 / 123.4); // gain within 0.01 %
  EXPECT_NEAR(o.record.fit.c0, 25000.0 / 123.4, 0.1);      // offset within 0.1 N
  EXPECT_LT(o.worst_error_pct, 0.1);
  EXPECT_NEAR(o.record.fit.cell_nonlinearity_pct, 0.0, 0.01);
  EXPECT_NEAR(o.record.fit.hysteresis_pct, 0.0, 0.01);
  EXPECT_TRUE(o.record.accepted());
}

TEST(SimulatedCell, MildlyNonLinearCellGetsAQuadraticAndIsRecovered) {
  sim::LoadCellParams cell;
  cell.quadratic_per_n = 6e-6; // 1.44 N (0.14 % FS) off the terminal line at 400 and 600 N,
  cell.cubic_per_n2 = -1e-9;   // less 0.34 N of S-shape that the quadratic cannot take out
  const Outcome o = calibrate_and_sweep(cell, "cal-nonlinear");
  EXPECT_EQ(o.record.fit.model, calibration::CurveModel::Quadratic);
  EXPECT_LT(o.worst_error_pct, 0.1);
  EXPECT_NEAR(o.record.fit.cell_nonlinearity_pct, true_cell_nonlinearity_pct(cell, kSpan, kStep),
              0.01);
  EXPECT_NEAR(o.record.fit.hysteresis_pct, 0.0, 0.01);
  EXPECT_LT(o.record.fit.nonlinearity_pct, o.record.fit.linear_nonlinearity_pct);
  EXPECT_TRUE(o.record.accepted());
}

TEST(SimulatedCell, CellWithHysteresisIsRecoveredAndItsLoopMeasured) {
  sim::LoadCellParams cell;
  cell.hysteresis = newtons(3.2); // 0.77 N (0.077 % FS) wide at 400 and 600 N of a 1000 N loop
  const Outcome o = calibrate_and_sweep(cell, "cal-hysteresis");
  EXPECT_EQ(o.record.fit.model,
            calibration::CurveModel::Linear); // a symmetric loop is not curvature
  EXPECT_LT(o.worst_error_pct, 0.1);
  EXPECT_NEAR(o.record.fit.hysteresis_pct, true_hysteresis_pct(cell, kSpan, kStep), 0.01);
  EXPECT_NEAR(o.record.fit.cell_nonlinearity_pct, 0.0, 0.01);
  EXPECT_TRUE(o.record.accepted());
}

TEST(SimulatedCell, AllThreeImperfectionsTogetherAreRecovered) {
  sim::LoadCellParams cell;
  cell.gain_counts_per_n = 80.0;
  cell.offset_counts = 3000;
  cell.quadratic_per_n = -5e-6;
  cell.hysteresis = newtons(2.4);
  const Outcome o = calibrate_and_sweep(cell, "cal-combined");
  EXPECT_EQ(o.record.fit.model, calibration::CurveModel::Quadratic);
  EXPECT_LT(o.worst_error_pct, 0.1);
  EXPECT_NEAR(o.record.fit.cell_nonlinearity_pct, true_cell_nonlinearity_pct(cell, kSpan, kStep),
              0.01);
  EXPECT_NEAR(o.record.fit.hysteresis_pct, true_hysteresis_pct(cell, kSpan, kStep), 0.01);
}

TEST(SimulatedCell, HangingAWeightBouncesThenSettlesOnIt) {
  bindings::SimLease table(config_with({}), 1);
  table.hang_reference_load(newtons(200));
  double peak = 0.0;
  for (int i = 0; i < 3000; ++i) {
    table.wait_one_period();
    peak = std::max(peak, table.sim().load_cell_force().si());
  }
  EXPECT_NEAR(peak, 232.6, 1.0); // 16 % overshoot: damping ratio 0.5
  EXPECT_NEAR(table.sim().load_cell_force().si(), 200.0, 0.01);
  EXPECT_NEAR(table.sim().true_force().si(), 0.0, 1e-9); // the patient's cable carries nothing
  table.remove_reference_load();
  EXPECT_FALSE(table.sim().reference_load_hung());
}

} // namespace
} // namespace tractus::calibration_test
