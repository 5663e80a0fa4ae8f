// Synthetic calibration readings for the hal tests: a cell whose truth is written down, so each
// figure the fit reports can be checked against it exactly.
#pragma once

#include "calibration/fit.hpp"
#include "calibration/procedure.hpp"

#include "support/temp_dir.hpp"

#include <filesystem>
#include <string>
#include <unistd.h>
#include <vector>

namespace tractus::calibration::test {

inline constexpr std::int64_t kJan2026 = 1767225600; // 2026-01-01T00:00:00Z

// counts = offset + gain·(F + k2·F²) ∓ half_hysteresis (reads low loading, high unloading,
// except at 0 N and the span where the loop closes) + `jitter` alternating with the cycle.
struct SyntheticCell {
  double offset = 8000.0;
  double gain = 100.0;                   // counts per newton
  double k2 = 0.0;                       // 1/N
  std::vector<double> half_hysteresis_n; // per load index; empty: none
  double jitter_n = 0.0;

  [[nodiscard]] std::vector<CalibrationPoint> readings(const CalibrationPlan &plan) const {
    std::vector<CalibrationPoint> points;
    for (const PlannedStep &s : planned_steps(plan)) {
      const double f = s.load.si();
      double sensed = f + k2 * f * f;
      for (std::size_t i = 0; i < plan.loads.size(); ++i)
        if (plan.loads[i] == s.load && i < half_hysteresis_n.size())
          sensed +=
              s.direction == LoadDirection::Loading ? -half_hysteresis_n[i] : half_hysteresis_n[i];
      sensed += (s.cycle % 2 == 0 ? 1.0 : -1.0) * jitter_n;
      CalibrationPoint p;
      p.cycle = s.cycle;
      p.direction = s.direction;
      p.load = s.load;
      p.counts = offset + gain * sensed;
      p.sigma_counts = 25.0;
      p.samples = 500;
      points.push_back(p);
    }
    return points;
  }
};

inline CalibrationPlan standard_plan() {
  CalibrationPlan plan;
  plan.loads = {newtons(0), newtons(200), newtons(400), newtons(600), newtons(800), newtons(1000)};
  plan.cycles = 2;
  return plan;
}

using tractus::testing::TempDir;

} // namespace tractus::calibration::test
