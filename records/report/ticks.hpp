// Axis ticks at "nice" steps (1, 2 or 5 × 10^n), the steps a reader counts in without effort:
// 0, 50, 100, 150 N rather than 0, 47.3, 94.6.
#pragma once

#include <vector>

namespace tractus::records::report {

struct Ticks {
  double min = 0, max = 1; // the axis range
  double step = 1;
  std::vector<double> values; // each tick inside [min, max], ascending
  int decimals = 0;           // what a label needs to show the step (0.5 -> 1)
};

// The nice step giving about `intervals` intervals over `span`.
[[nodiscard]] double nice_step(double span, int intervals);

// An axis covering [low, high]: from a multiple of the step at or below `low` to one at or
// above `high`. A range that is empty, reversed or not finite becomes a usable one (0 to 1, or
// around the one value), so bad data still draws an axis.
[[nodiscard]] Ticks nice_ticks(double low, double high, int intervals);

// Ticks at a nice step inside [low, high], the range kept as it is: a second scale of an axis
// whose range is set (pounds-force beside newtons).
[[nodiscard]] Ticks ticks_within(double low, double high, int intervals);

} // namespace tractus::records::report
