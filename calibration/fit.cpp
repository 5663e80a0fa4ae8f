#include "calibration/fit.hpp"

#include "calibration/text.hpp"
#include "text/number_text.hpp"

#include <Eigen/Dense>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <map>
#include <stdexcept>
#include <utility>

namespace tractus::calibration {

const char *to_string(LoadDirection d) {
  return d == LoadDirection::Loading ? "loading" : "unloading";
}

const char *to_string(CurveModel m) { return m == CurveModel::Linear ? "linear" : "quadratic"; }

double f_critical_99(int dof) {
  // F₀.₉₉(1, ν) for ν = 1…30, then 40, 60, 120 and ∞ (any statistics table; checked here as
  // t²₀.₉₉₅(ν) by numerical integration of Student's t density).
  static constexpr std::array<double, 30> kSmall = {
      4052.2, 98.50, 34.12, 21.20, 16.26, 13.75, 12.25, 11.26, 10.56, 10.04,
      9.65,   9.33,  9.07,  8.86,  8.68,  8.53,  8.40,  8.29,  8.18,  8.10,
      8.02,   7.95,  7.88,  7.82,  7.77,  7.72,  7.68,  7.64,  7.60,  7.56};
  if (dof < 1) return std::numeric_limits<double>::infinity();
  if (dof <= 30) return kSmall[static_cast<std::size_t>(dof - 1)];
  if (dof < 40) return 7.56;
  if (dof < 60) return 7.31;
  if (dof < 120) return 7.08;
  return 6.85; // ν ≥ 120 (6.63 at ∞; the ν = 120 value is kept as the conservative one)
}

namespace {

struct LoadReadings {
  std::vector<double> loading, unloading;
};

double mean(const std::vector<double> &v) {
  double sum = 0.0;
  for (const double x : v)
    sum += x;
  return sum / static_cast<double>(v.size());
}

double spread(const std::vector<double> &v) {
  if (v.size() < 2) return 0.0;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  return *hi - *lo;
}

// A least-squares polynomial force(counts) of the given order, solved on counts centred and
// scaled to [-1, 1] over the span (raw counts squared reach 10¹⁰ and would cost precision),
// then expanded back to coefficients in raw counts.
struct Polynomial {
  double c0 = 0.0, c1 = 0.0, c2 = 0.0, rss = 0.0;
  [[nodiscard]] double at(double n) const { return c0 + (c1 + c2 * n) * n; }
};

Polynomial fit_polynomial(std::span<const CalibrationPoint> points, int order, double centre,
                          double half_range) {
  const auto rows = static_cast<Eigen::Index>(points.size());
  Eigen::MatrixXd design(rows, order + 1);
  Eigen::VectorXd force(rows);
  for (Eigen::Index i = 0; i < rows; ++i) {
    const CalibrationPoint &p = points[static_cast<std::size_t>(i)];
    const double x = (p.counts - centre) / half_range;
    design(i, 0) = 1.0;
    design(i, 1) = x;
    if (order == 2) design(i, 2) = x * x;
    force(i) = p.load.si();
  }
  const Eigen::VectorXd a = design.colPivHouseholderQr().solve(force);
  Polynomial poly;
  const double a2 = order == 2 ? a(2) : 0.0;
  const double m = centre, h = half_range;
  poly.c2 = a2 / (h * h);
  poly.c1 = a(1) / h - 2.0 * a2 * m / (h * h);
  poly.c0 = a(0) - a(1) * m / h + a2 * m * m / (h * h);
  poly.rss = (design * a - force).squaredNorm();
  return poly;
}

std::string exceeds(const char *what, double value_pct, double limit_pct) {
  return std::string(what) + " " + percent_text(value_pct) + " of FS is above the limit of " +
         percent_text(limit_pct);
}

} // namespace

CalibrationFit fit_calibration(std::span<const CalibrationPoint> points,
                               const CalibrationLimits &limits) {
  std::map<double, LoadReadings> by_load;
  std::map<std::pair<double, int>, std::vector<double>> by_load_and_direction;
  for (const CalibrationPoint &p : points) {
    auto &group = by_load[p.load.si()];
    (p.direction == LoadDirection::Loading ? group.loading : group.unloading).push_back(p.counts);
    by_load_and_direction[{p.load.si(), static_cast<int>(p.direction)}].push_back(p.counts);
  }
  if (by_load.size() < 5)
    throw std::invalid_argument("a calibration needs readings at 5 or more loads, got " +
                                std::to_string(by_load.size()));
  if (by_load.begin()->first != 0.0 || by_load.begin()->second.loading.empty())
    throw std::invalid_argument("a calibration needs a zero reading (0 N) taken while loading");
  const double span = by_load.rbegin()->first;
  for (const auto &[load, group] : by_load)
    if (load != span && (group.loading.empty() || group.unloading.empty()))
      throw std::invalid_argument("the load " + newtons_text(load) +
                                  " needs a reading while loading and one while unloading");
  bool repeated = false;
  for (const auto &[key, readings] : by_load_and_direction)
    repeated = repeated || readings.size() >= 2;
  if (!repeated)
    throw std::invalid_argument("repeatability needs at least two loading/unloading cycles");

  // The mean of the loading and unloading readings at each load: hysteresis cancels from it,
  // so the non-linearity figures measure the curve alone.
  std::map<double, double> midpoint;
  for (const auto &[load, group] : by_load) {
    const double up = mean(group.loading);
    midpoint[load] = group.unloading.empty() ? up : 0.5 * (up + mean(group.unloading));
  }
  const double zero_counts = midpoint.begin()->second;
  CalibrationFit fit;
  fit.span = Force(span);
  fit.span_counts = midpoint.rbegin()->second - zero_counts;
  if (!(std::abs(fit.span_counts) > 0.0))
    throw std::invalid_argument("the readings do not change with the load");
  const double counts_per_n = fit.span_counts / span;
  const double to_pct = 100.0 / (std::abs(counts_per_n) * span); // counts -> % FS

  for (const auto &[load, mid] : midpoint) {
    const double terminal = zero_counts + counts_per_n * load;
    fit.cell_nonlinearity_pct =
        std::max(fit.cell_nonlinearity_pct, std::abs(mid - terminal) * to_pct);
  }
  for (const auto &[load, group] : by_load)
    if (!group.unloading.empty())
      fit.hysteresis_pct = std::max(fit.hysteresis_pct,
                                    std::abs(mean(group.unloading) - mean(group.loading)) * to_pct);
  for (const auto &[key, readings] : by_load_and_direction)
    fit.repeatability_pct = std::max(fit.repeatability_pct, spread(readings) * to_pct);

  const double centre = zero_counts + 0.5 * fit.span_counts;
  const double half_range = 0.5 * fit.span_counts;
  const Polynomial linear = fit_polynomial(points, 1, centre, half_range);
  const Polynomial quadratic = fit_polynomial(points, 2, centre, half_range);
  auto nonlinearity_pct = [&](const Polynomial &poly) {
    double worst = 0.0;
    for (const auto &[load, mid] : midpoint)
      worst = std::max(worst, std::abs(poly.at(mid) - load) * 100.0 / span);
    return worst;
  };

  // Extra-sum-of-squares F-test for the quadratic term (one extra parameter).
  const int dof = static_cast<int>(points.size()) - 3;
  fit.rss_linear = linear.rss;
  fit.rss_quadratic = quadratic.rss;
  fit.f_critical = f_critical_99(dof);
  const double gained = linear.rss - quadratic.rss;
  if (gained > 1e-12 * linear.rss && dof > 0)
    fit.f_statistic = quadratic.rss > 0.0 ? gained / (quadratic.rss / dof)
                                          : std::numeric_limits<double>::infinity();
  fit.linear_nonlinearity_pct = nonlinearity_pct(linear);
  const double quadratic_nonlinearity_pct = nonlinearity_pct(quadratic);
  // Monotonic from one span below zero to two spans above it: the curve must never fold back
  // anywhere the cell could be read (an overload, a reversed pull).
  const double slope_low = quadratic.c1 + 2.0 * quadratic.c2 * (zero_counts - fit.span_counts);
  const double slope_high = quadratic.c1 + 2.0 * quadratic.c2 * (zero_counts + 2 * fit.span_counts);
  const bool monotonic = slope_low * quadratic.c1 > 0.0 && slope_high * quadratic.c1 > 0.0;
  const bool use_quadratic =
      fit.f_statistic > fit.f_critical &&
      fit.linear_nonlinearity_pct - quadratic_nonlinearity_pct >= kQuadraticMinImprovementPct &&
      monotonic;
  const Polynomial &chosen = use_quadratic ? quadratic : linear;
  fit.model = use_quadratic ? CurveModel::Quadratic : CurveModel::Linear;
  fit.c0 = chosen.c0;
  fit.c1 = chosen.c1;
  fit.c2 = chosen.c2;
  fit.nonlinearity_pct = use_quadratic ? quadratic_nonlinearity_pct : fit.linear_nonlinearity_pct;
  for (const CalibrationPoint &p : points)
    fit.max_error_pct =
        std::max(fit.max_error_pct, std::abs(chosen.at(p.counts) - p.load.si()) * 100.0 / span);

  if (fit.nonlinearity_pct > limits.nonlinearity_pct)
    fit.failures.push_back(exceeds("non-linearity", fit.nonlinearity_pct, limits.nonlinearity_pct));
  if (fit.hysteresis_pct > limits.hysteresis_pct)
    fit.failures.push_back(exceeds("hysteresis", fit.hysteresis_pct, limits.hysteresis_pct));
  if (fit.repeatability_pct > limits.repeatability_pct)
    fit.failures.push_back(
        exceeds("repeatability", fit.repeatability_pct, limits.repeatability_pct));
  if (fit.cell_nonlinearity_pct > limits.cell_nonlinearity_pct)
    fit.failures.push_back(exceeds("the cell's own non-linearity", fit.cell_nonlinearity_pct,
                                   limits.cell_nonlinearity_pct) +
                           " (an overloaded cell or a rubbing load path: have it inspected)");
  if (std::abs(fit.span_counts) < limits.min_span_counts)
    fit.failures.push_back("resolution: " + text::format_number(std::abs(fit.span_counts), 0) +
                           " counts over the span, at least " +
                           text::format_number(limits.min_span_counts, 0) + " are needed");
  return fit;
}

} // namespace tractus::calibration
