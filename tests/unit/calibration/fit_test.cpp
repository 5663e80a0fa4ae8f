// The least-squares calibration fit and the figures it reports (calibration/fit.hpp).
#include "calibration/fit.hpp"
#include "test_points.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>

namespace tractus::calibration {
namespace {

using test::standard_plan;
using test::SyntheticCell;

TEST(CalibrationFit, LinearCellIsFittedLinearlyAndRecoversGainAndOffset) {
  SyntheticCell cell; // ideal: the fit must give back exactly what made the readings
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  EXPECT_EQ(fit.model, CurveModel::Linear);
  EXPECT_NEAR(fit.c1, 0.01, 1e-12); // 1 / (100 counts/N)
  EXPECT_NEAR(fit.c0, -80.0, 1e-9); // −offset / gain
  EXPECT_EQ(fit.c2, 0.0);
  EXPECT_DOUBLE_EQ(fit.span.si(), 1000.0);
  EXPECT_NEAR(fit.span_counts, 100000.0, 1e-9);
  EXPECT_TRUE(fit.accepted());
}

TEST(CalibrationFit, QuadraticIsKeptWhereItLowersTheNonLinearityMeasurably) {
  SyntheticCell cell;
  cell.k2 = 8e-6; // 2 N (0.2 % FS) off the terminal line at mid-span
  cell.jitter_n = 0.02;
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  EXPECT_EQ(fit.model, CurveModel::Quadratic);
  EXPECT_GT(fit.f_statistic, fit.f_critical);
  EXPECT_GT(fit.linear_nonlinearity_pct, 0.08);
  EXPECT_LT(fit.nonlinearity_pct, 0.005);
  for (double f = 0.0; f <= 1000.0; f += 50.0) // the curve inverts the cell everywhere
    EXPECT_NEAR(fit.to_newtons(8000.0 + 100.0 * (f + cell.k2 * f * f)), f, 0.01) << f;
  EXPECT_TRUE(fit.accepted());
}

TEST(CalibrationFit, SignificantButNegligibleCurvatureStaysLinear) {
  SyntheticCell cell;
  cell.k2 = 2e-7; // 0.005 % FS: statistically clear in noise-free data, practically nothing
  cell.jitter_n = 0.001;
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  EXPECT_GT(fit.f_statistic, fit.f_critical);
  EXPECT_LT(fit.linear_nonlinearity_pct, kQuadraticMinImprovementPct);
  EXPECT_EQ(fit.model, CurveModel::Linear);
}

TEST(CalibrationFit, CellNonLinearityIsTheDeviationFromTheZeroToSpanLine) {
  SyntheticCell cell;
  cell.k2 = 8e-6;
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  // Deviation k2·F·(S − F) is largest at the loads nearest mid-span (400 and 600 N): 1.92 N,
  // divided by the terminal sensitivity (1 + k2·S) to be in newtons of the line.
  const double expected_pct = 8e-6 * 400.0 * 600.0 / (1.0 + 8e-6 * 1000.0) / 1000.0 * 100.0;
  EXPECT_NEAR(fit.cell_nonlinearity_pct, expected_pct, 1e-9);
}

TEST(CalibrationFit, HysteresisIsTheLargestUnloadingMinusLoadingDifference) {
  SyntheticCell cell;
  cell.half_hysteresis_n = {0.0, 0.2, 0.35, 0.3, 0.1, 0.0}; // widest at 400 N: 0.7 N
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  EXPECT_NEAR(fit.hysteresis_pct, 0.07, 1e-9);
  EXPECT_NEAR(fit.cell_nonlinearity_pct, 0.0, 1e-9); // midpoints cancel a symmetric loop
}

TEST(CalibrationFit, RepeatabilityIsTheLargestSpreadOfOneLoadFromOneDirection) {
  SyntheticCell cell;
  cell.jitter_n = 0.15; // cycles 1 and 2 differ by 0.3 N at every load
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  EXPECT_NEAR(fit.repeatability_pct, 0.03, 1e-5); // (the jittered zero moves the line a little)
}

TEST(CalibrationFit, EachLimitExceededIsOneSentence) {
  SyntheticCell cell;
  cell.half_hysteresis_n = {0.0, 0.3, 0.6, 0.6, 0.3, 0.0}; // 1.2 N = 0.12 % FS
  cell.jitter_n = 0.3;                                     // 0.6 N = 0.06 % FS
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  ASSERT_EQ(fit.failures.size(), 2U);
  EXPECT_EQ(fit.failures[0], "hysteresis 0.12 % of FS is above the limit of 0.1 %");
  EXPECT_EQ(fit.failures[1], "repeatability 0.06 % of FS is above the limit of 0.05 %");
  EXPECT_FALSE(fit.accepted());
}

TEST(CalibrationFit, GrosslyNonLinearCellFailsAsSuspectedDamage) {
  SyntheticCell cell;
  cell.k2 = 3e-5; // 7.2 N (0.7 % FS) off the line at 400 and 600 N
  const CalibrationFit fit = fit_calibration(cell.readings(standard_plan()));
  ASSERT_FALSE(fit.failures.empty());
  EXPECT_EQ(fit.failures.back(),
            "the cell's own non-linearity 0.699 % of FS is above the limit of 0.5 % (an "
            "overloaded cell or a rubbing load path: have it inspected)");
}

TEST(CalibrationFit, TooFewLoadsOrCyclesCannotBeFitted) {
  CalibrationPlan plan = standard_plan();
  auto points = SyntheticCell{}.readings(plan);
  EXPECT_THROW((void)fit_calibration(std::span(points).first(6)), std::invalid_argument);
  plan.cycles = 1;
  points = SyntheticCell{}.readings(plan);
  EXPECT_THROW((void)fit_calibration(points), std::invalid_argument);
}

TEST(CalibrationFit, FCriticalFollowsTheTableAndIsConservativeBetweenRows) {
  EXPECT_DOUBLE_EQ(f_critical_99(10), 10.04);
  EXPECT_DOUBLE_EQ(f_critical_99(18), 8.29);
  EXPECT_DOUBLE_EQ(f_critical_99(35), 7.56); // the ν = 30 row, larger than the true 7.42
  EXPECT_TRUE(std::isinf(f_critical_99(0)));
}

} // namespace
} // namespace tractus::calibration
