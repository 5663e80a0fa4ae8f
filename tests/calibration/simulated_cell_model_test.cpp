// The simulated load cell's imperfections themselves (sim/plant.hpp LoadCellParams), read
// noise-free with the force set directly (no bounce), so the figures are exact.
#include "calibration_support.hpp"

#include "sim/plant.hpp"

#include <gtest/gtest.h>

namespace tractus::calibration_test {
namespace {

// A noise- and drift-free cell at 100 counts/N, offset 8000; reads in newtons.
class QuietCell {
public:
  explicit QuietCell(sim::LoadCellParams cell) : plant_(quiet(cell), 1) {}
  double read_at(double force) {
    plant_.set_reference_force(newtons(force));
    plant_.step();
    return (plant_.load_cell().counts - 8000) / 100.0;
  }

private:
  static sim::PlantConfig quiet(sim::LoadCellParams cell) {
    cell.noise_sigma = Force{};
    cell.drift = ForceRate{};
    cell.gain_counts_per_n = 100.0;
    cell.offset_counts = 8000;
    return config_with(cell);
  }
  sim::Plant plant_;
};

TEST(SimulatedCellModel, NonLinearityAddsTheQuadraticAndCubicTerms) {
  sim::LoadCellParams cell;
  cell.quadratic_per_n = 6e-6;
  cell.cubic_per_n2 = -1e-9;
  QuietCell q(cell);
  EXPECT_NEAR(q.read_at(500.0), 500.0 + 1.5 - 0.125, 0.01);
  EXPECT_NEAR(q.read_at(1000.0), 1000.0 + 6.0 - 1.0, 0.01);
}

TEST(SimulatedCellModel, HysteresisIsALensThatClosesAtZeroAndAtTheTurn) {
  sim::LoadCellParams cell;
  cell.hysteresis = newtons(8.0); // at FS 2000 N: ρ = 8e-6 /N
  QuietCell q(cell);
  double up[6], down[6];
  for (int i = 0; i <= 5; ++i)
    up[i] = q.read_at(200.0 * i);
  for (int i = 5; i >= 0; --i)
    down[i] = q.read_at(200.0 * i);
  EXPECT_NEAR(down[0] - up[0], 0.0, 0.011);                  // closes at zero…
  EXPECT_NEAR(down[5] - up[5], 0.0, 0.011);                  // …and at the turning point
  EXPECT_NEAR(down[2] - up[2], 8e-6 * 400.0 * 600.0, 0.011); // ρ·F·(S − F) = 1.92 N
  EXPECT_NEAR(down[1] - up[1], 8e-6 * 200.0 * 800.0, 0.011); // 1.28 N
}

TEST(SimulatedCellModel, FullScaleLoopIsAsWideAsConfigured) {
  sim::LoadCellParams cell;
  cell.hysteresis = newtons(8.0);
  QuietCell q(cell);
  for (double f : {0.0, 500.0})
    q.read_at(f);
  const double loading = q.read_at(1000.0); // zero → FS, at mid-scale
  for (double f : {2000.0, 1500.0})
    q.read_at(f);
  const double unloading = q.read_at(1000.0); // FS → zero, at mid-scale
  EXPECT_NEAR(unloading - loading, 8.0, 0.011);
}

TEST(SimulatedCellModel, AClosedMinorLoopIsForgottenAndTheOuterBranchResumes) {
  sim::LoadCellParams cell;
  cell.hysteresis = newtons(8.0);
  QuietCell straight(cell), detour(cell);
  for (double f = 0.0; f <= 900.0; f += 100.0)
    straight.read_at(f);
  for (double f : {0.0, 400.0, 800.0, 500.0, 700.0, 600.0, 650.0, 800.0, 900.0})
    detour.read_at(f); // minor loops inside 500–800 N, then beyond 800 N
  EXPECT_NEAR(detour.read_at(900.0), straight.read_at(900.0), 0.011);
}

TEST(SimulatedCellModel, AnIdealCellReadsTheForceExactly) {
  QuietCell q({});
  for (double f : {0.0, 123.45, 500.0, 1000.0, 1999.0})
    EXPECT_NEAR(q.read_at(f), f, 0.005);
}

} // namespace
} // namespace tractus::calibration_test
