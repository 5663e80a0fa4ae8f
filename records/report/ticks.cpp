#include "records/report/ticks.hpp"

#include <algorithm>
#include <cmath>

namespace tractus::records::report {
namespace {

// A sane range: finite, ascending, not empty.
void make_usable(double &low, double &high) {
  if (!std::isfinite(low) || !std::isfinite(high)) low = 0, high = 1;
  if (low > high) std::swap(low, high);
  if (high - low < 1e-9 * std::max(1.0, std::abs(high))) {
    low -= 1, high += 1;
  }
}

Ticks with_values(double min, double max, double step) {
  Ticks t;
  t.min = min, t.max = max, t.step = step;
  t.decimals = std::max(0, static_cast<int>(-std::floor(std::log10(step) + 1e-9)));
  const double tolerance = step * 1e-6;
  // Each value from its index, not by adding steps: no drift, and no "-0".
  for (double k = std::ceil((min - tolerance) / step); k * step <= max + tolerance; k += 1) {
    t.values.push_back(k * step == 0 ? 0.0 : k * step);
    if (t.values.size() > 200) break; // an absurd request still ends
  }
  return t;
}

} // namespace

double nice_step(double span, int intervals) {
  const double raw = std::abs(span) / std::max(1, intervals);
  if (!std::isfinite(raw) || raw <= 0) return 1;
  const double magnitude = std::pow(10.0, std::floor(std::log10(raw)));
  const double fraction = raw / magnitude;
  // The nearest of 1, 2, 5 and 10 on a log scale (the cut-offs are their geometric means), so
  // the count of intervals stays close to the one asked for.
  const double nice = fraction < std::sqrt(2.0)    ? 1
                      : fraction < std::sqrt(10.0) ? 2
                      : fraction < std::sqrt(50.0) ? 5
                                                   : 10;
  return nice * magnitude;
}

Ticks nice_ticks(double low, double high, int intervals) {
  make_usable(low, high);
  const double step = nice_step(high - low, intervals);
  return with_values(std::floor(low / step + 1e-9) * step, std::ceil(high / step - 1e-9) * step,
                     step);
}

Ticks ticks_within(double low, double high, int intervals) {
  make_usable(low, high);
  return with_values(low, high, nice_step(high - low, intervals));
}

} // namespace tractus::records::report
