// Fitting a load-cell calibration to reference loads, and judging it against acceptance limits.
//
// The technician hangs known loads on the cell, zero first, up to the span, back down, and
// repeats the cycle (calibration_procedure.hpp). Each stable reading is a CalibrationPoint.
// From them, by least squares (Eigen), this file fits force = c0 + c1·n (+ c2·n²) in raw counts
// n and reports the cell's errors in the terms of load-cell datasheets and OIML R60:
//
// - FS (full scale) is the calibrated span: the highest reference load. Errors are in % of it,
//   not of the cell's larger rated capacity, because the calibration vouches only for the
//   range it was measured over, and a smaller denominator never flatters the figures.
// - Non-linearity (of the calibrated output): the largest deviation of the fitted curve from
//   the reference loads, taken on the mean of the loading and unloading readings at each load
//   (so hysteresis is not counted twice; OIML R60 treats the two as separate errors).
// - Cell non-linearity: the cell's own deviation from the straight line through its zero and
//   span readings (the datasheet "terminal" definition). Informational and the reason a
//   quadratic is fitted; above a sanity limit it points at an overloaded or damaged cell.
// - Hysteresis: the largest difference between the unloading and the loading reading at the
//   same load (datasheet definition, zero → span → zero).
// - Repeatability: the largest spread of the readings of one load, approached from the same
//   direction, over the repeated cycles (OIML R60 "repeatability error").
//
// Linear by default. The quadratic is kept only when it is both statistically significant (the
// extra-sum-of-squares F-test at 1 %: F > F₀.₉₉(1, n−3)) and practically useful (it lowers the
// non-linearity by at least kQuadraticMinImprovementPct), and stays monotonic over the range.
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tractus::calibration {

enum class LoadDirection : std::uint8_t { Loading, Unloading };
const char *to_string(LoadDirection d); // "loading", "unloading"

// One stable reading at one reference load.
struct CalibrationPoint {
  int cycle = 1; // 1-based
  LoadDirection direction = LoadDirection::Loading;
  Force load{};              // the reference load, hanger included
  double counts = 0.0;       // mean raw counts over the stable window
  double sigma_counts = 0.0; // their standard deviation
  std::uint32_t samples = 0;
};

// Acceptance limits in % of FS. Defaults: a C3-class strain-gauge cell (OIML R60) is ten times
// better on each; these leave room for the hanger, the cable and the transmitter while staying
// far inside the table's force accuracy (essential performance, IEC 60601-1).
struct CalibrationLimits {
  double nonlinearity_pct = 0.1;
  double hysteresis_pct = 0.1;
  double repeatability_pct = 0.05;
  // A sound cell is linear to a few hundredths of a percent; half a percent means overload
  // damage or a rubbing load path, which must be fixed rather than calibrated away.
  double cell_nonlinearity_pct = 0.5;
  // Fewer counts than this over the span cannot resolve 0.01 % FS (OIML class III scales
  // use at most 10 000 divisions).
  double min_span_counts = 10000.0;
};

// The quadratic must lower the non-linearity by at least this (% FS): a fifth of its limit.
inline constexpr double kQuadraticMinImprovementPct = 0.02;

enum class CurveModel : std::uint8_t { Linear, Quadratic };
const char *to_string(CurveModel m); // "linear", "quadratic"

struct CalibrationFit {
  CurveModel model = CurveModel::Linear;
  double c0 = 0.0, c1 = 0.0, c2 = 0.0; // force = c0 + c1·n + c2·n² (N, N/count, N/count²)
  Force span{};                        // FS: the highest reference load
  double span_counts = 0.0;            // counts between zero and span (terminal line)

  double nonlinearity_pct = 0.0;      // of the calibrated output (limit applies)
  double cell_nonlinearity_pct = 0.0; // of the cell, terminal line (sanity limit)
  double hysteresis_pct = 0.0;
  double repeatability_pct = 0.0;
  double max_error_pct = 0.0; // worst single reading through the fitted curve (incl. hysteresis)

  // Why the model was chosen: residual sums of squares (N²) over every reading, the F
  // statistic for the quadratic term and its 1 % critical value, and the linear fit's
  // non-linearity for comparison.
  double rss_linear = 0.0, rss_quadratic = 0.0, f_statistic = 0.0, f_critical = 0.0;
  double linear_nonlinearity_pct = 0.0;

  // One sentence per limit exceeded; empty when the calibration is accepted.
  std::vector<std::string> failures;

  [[nodiscard]] bool accepted() const { return failures.empty(); }
  [[nodiscard]] double to_newtons(double counts) const { return c0 + (c1 + c2 * counts) * counts; }
};

// Fits and judges. Needs readings at 0 N and at least four further loads, each load read while
// loading and (except the span) while unloading; throws std::invalid_argument saying what is
// missing otherwise (calibration_procedure.hpp only produces complete sets).
CalibrationFit fit_calibration(std::span<const CalibrationPoint> points,
                               const CalibrationLimits &limits = {});

// The 99 % quantile of Fisher's F(1, ν) (= t²₀.₉₉₅(ν)), from the standard table; between table
// rows the next smaller ν is used, which is conservative.
double f_critical_99(int dof);

} // namespace tractus::calibration
