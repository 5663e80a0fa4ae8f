// The calibration procedure a technician follows, as a checked sequence of steps.
//
// A plan is a list of reference loads, ascending from 0 N (the zero) to the span, e.g.
// 0, 200, 400, 600, 800, 1000 N. One cycle reads them going up and then, except the span, going
// back down; the cycle is repeated (repeatability needs two at least):
//
//   cycle 1: 0↑ 200↑ 400↑ 600↑ 800↑ 1000↑ 800↓ 600↓ 400↓ 200↓ 0↓
//   cycle 2:    200↑ 400↑ 600↑ 800↑ 1000↑ 800↓ 600↓ 400↓ 200↓ 0↓
//
// (cycle 2 starts from the zero that ended cycle 1). At each step the technician says which
// load is on the cell; the procedure refuses a load outside the cell's range, a load out of
// order (not above the last one while loading, not below it while unloading) and a load that
// is not the plan's next one. The stable reading is then checked against the readings so far
// (or, for the first load, the transmitter's nominal sensitivity): a reading that disagrees
// with the stated load means the wrong weight is hanging, and the point is refused. A refused
// step is simply taken again; nothing is kept from it.
#pragma once

#include "calibration/fit.hpp"
#include "calibration/reading.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace tractus::calibration {

struct CalibrationPlan {
  std::vector<Force> loads; // ascending, from 0 N to the span
  int cycles = 2;
  Force capacity = newtons(2000); // the cell's rated capacity: no reference load above it
  // The span must reach the highest force the table applies (the lumbar hard cap, DESIGN §3):
  // a calibration vouches for nothing above its highest load. 222 N for a cervical-only table.
  Force min_span = newtons(890);
};

// Every problem with the plan, one sentence each; empty when it can be followed.
std::vector<std::string> check_plan(const CalibrationPlan &plan);

// "0, 200, 400, 600, 800, 1000 N"
std::string loads_text(const std::vector<Force> &loads);

struct PlannedStep {
  int cycle = 1;
  LoadDirection direction = LoadDirection::Loading;
  Force load{};
};
std::vector<PlannedStep> planned_steps(const CalibrationPlan &plan);

// How far a reading may stray from the stated load before it is refused as the wrong weight.
// Against the readings so far: 2 % of the load + 0.2 % of the span (a wrong weight is usually a
// whole weight of the set, 10 % or more; non-linearity and hysteresis are 100 times smaller).
// Against the nominal sensitivity (first load after the zero): 10 % of the load + 1 % of the
// span (a transmitter's nominal gain is only known to a few percent).
struct LoadMatchTolerance {
  double fraction_of_load = 0.02;
  double fraction_of_span = 0.002;
  double nominal_fraction_of_load = 0.10;
  double nominal_fraction_of_span = 0.01;
};

class CalibrationProcedure {
public:
  // Throws std::invalid_argument with check_plan()'s sentences if the plan is not valid.
  CalibrationProcedure(CalibrationPlan plan, double nominal_counts_per_newton,
                       LoadMatchTolerance tolerance = {});

  [[nodiscard]] bool done() const { return next_ == steps_.size(); }
  [[nodiscard]] const PlannedStep &next() const { return steps_.at(next_); }
  [[nodiscard]] std::size_t step_number() const { return next_ + 1; } // 1-based
  [[nodiscard]] std::size_t step_count() const { return steps_.size(); }
  [[nodiscard]] const CalibrationPlan &plan() const { return plan_; }

  // The technician says `entered` is on the cell. "" when it is the expected load, otherwise
  // the refusal, starting "refused: ".
  [[nodiscard]] std::string check_entered_load(Force entered) const;
  // A stable reading at the expected load: kept and "" when it agrees with the load, otherwise
  // the refusal ("refused: ...") and nothing is kept.
  std::string add_reading(const StableReading &reading);

  [[nodiscard]] const std::vector<CalibrationPoint> &points() const { return points_; }

private:
  CalibrationPlan plan_;
  std::vector<PlannedStep> steps_;
  double nominal_counts_per_newton_;
  LoadMatchTolerance tolerance_;
  std::size_t next_ = 0;
  std::vector<CalibrationPoint> points_;
};

} // namespace tractus::calibration
