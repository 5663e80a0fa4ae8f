#include "calibration/procedure.hpp"

#include "calibration/text.hpp"
#include "text/number_text.hpp"

#include <cmath>
#include <stdexcept>
#include <utility>

namespace tractus::calibration {
namespace {

// A load typed as "222.4" for the plan's 50 lbf (222.41 N) is the same load: the plan's value
// is the one recorded, and 0.05 N is 0.005 % of a 1000 N span, below any figure that matters.
constexpr double kSameLoadN = 0.05;

bool same_load(Force a, Force b) { return std::abs(a.si() - b.si()) <= kSameLoadN; }

} // namespace

std::string loads_text(const std::vector<Force> &loads) {
  std::string s;
  for (std::size_t i = 0; i < loads.size(); ++i)
    s += (i == 0 ? "" : ", ") + text::format_number(loads[i].si(), 1);
  return s + " N";
}

std::vector<std::string> check_plan(const CalibrationPlan &plan) {
  std::vector<std::string> problems;
  if (plan.loads.size() < 5)
    problems.push_back("a calibration needs at least 5 loads (zero, span and 3 between), got " +
                       std::to_string(plan.loads.size()));
  if (!plan.loads.empty() && plan.loads.front() != Force{})
    problems.push_back("the first load must be 0 N: the procedure starts with the zero");
  for (std::size_t i = 1; i < plan.loads.size(); ++i)
    if (!(plan.loads[i] > plan.loads[i - 1]))
      problems.push_back("loads must be given in ascending order; " +
                         newtons_text(plan.loads[i].si()) + " follows " +
                         newtons_text(plan.loads[i - 1].si()) +
                         " (the descending half is taken in reverse automatically)");
  for (const Force load : plan.loads)
    if (load < Force{} || load > plan.capacity || !std::isfinite(load.si()))
      problems.push_back(newtons_text(load.si()) + " is outside the range of the load cell (0 to " +
                         newtons_text(plan.capacity.si()) + ")");
  if (!plan.loads.empty() && plan.loads.back() < plan.min_span)
    problems.push_back("the highest load " + newtons_text(plan.loads.back().si()) + " is below " +
                       newtons_text(plan.min_span.si()) +
                       ", the highest force the table applies: a calibration vouches for "
                       "nothing above its highest load");
  if (plan.cycles < 2) problems.push_back("at least 2 cycles are needed to measure repeatability");
  return problems;
}

std::vector<PlannedStep> planned_steps(const CalibrationPlan &plan) {
  std::vector<PlannedStep> steps;
  const std::size_t n = plan.loads.size();
  for (int cycle = 1; cycle <= plan.cycles; ++cycle) {
    // Every cycle after the first starts from the zero that ended the one before.
    for (std::size_t i = cycle == 1 ? 0 : 1; i < n; ++i)
      steps.push_back({cycle, LoadDirection::Loading, plan.loads[i]});
    for (std::size_t i = n - 1; i-- > 0;)
      steps.push_back({cycle, LoadDirection::Unloading, plan.loads[i]});
  }
  return steps;
}

CalibrationProcedure::CalibrationProcedure(CalibrationPlan plan, double nominal_counts_per_newton,
                                           LoadMatchTolerance tolerance)
    : plan_(std::move(plan)), nominal_counts_per_newton_(nominal_counts_per_newton),
      tolerance_(tolerance) {
  const auto problems = check_plan(plan_);
  if (!problems.empty()) {
    std::string all;
    for (const auto &p : problems)
      all += (all.empty() ? "" : "; ") + p;
    throw std::invalid_argument(all);
  }
  steps_ = planned_steps(plan_);
}

std::string CalibrationProcedure::check_entered_load(Force entered) const {
  if (done()) return "refused: the procedure is complete";
  const PlannedStep &step = next();
  const std::string order = "; loads go up to " + newtons_text(plan_.loads.back().si()) +
                            ", then back down to 0 N (next: " + newtons_text(step.load.si()) + ")";
  if (!std::isfinite(entered.si()) || entered < Force{} || entered > plan_.capacity)
    return "refused: " + newtons_text(entered.si()) +
           " is outside the range of the load cell (0 to " + newtons_text(plan_.capacity.si()) +
           ")";
  if (!points_.empty()) {
    const Force previous = points_.back().load;
    if (step.direction == LoadDirection::Loading && !(entered > previous) &&
        !same_load(entered, previous))
      return "refused: " + newtons_text(entered.si()) + " entered after " +
             newtons_text(previous.si()) + " while loading" + order;
    if (step.direction == LoadDirection::Unloading && !(entered < previous) &&
        !same_load(entered, previous))
      return "refused: " + newtons_text(entered.si()) + " entered after " +
             newtons_text(previous.si()) + " while unloading" + order;
    if (same_load(entered, previous))
      return "refused: " + newtons_text(entered.si()) + " was the previous load" + order;
  }
  if (!same_load(entered, step.load))
    return "refused: " + newtons_text(entered.si()) + " is not the next load of the plan (" +
           newtons_text(step.load.si()) + "); plan: " + loads_text(plan_.loads) +
           ", up then down, " + std::to_string(plan_.cycles) + " cycles";
  return "";
}

std::string CalibrationProcedure::add_reading(const StableReading &reading) {
  if (done()) return "refused: the procedure is complete";
  if (!reading.stable)
    return "refused: unstable reading at " + newtons_text(next().load.si()) + ": " + reading.why;
  const PlannedStep &step = next();
  const double span = plan_.loads.back().si();

  // What force does this reading mean, judged by everything read so far?
  double estimate = 0.0, allowed = 0.0;
  const char *basis = nullptr;
  double sum_l = 0, sum_c = 0, sum_ll = 0, sum_lc = 0;
  bool two_loads = false;
  for (const CalibrationPoint &p : points_) {
    sum_l += p.load.si();
    sum_c += p.counts;
    sum_ll += p.load.si() * p.load.si();
    sum_lc += p.load.si() * p.counts;
    two_loads = two_loads || !same_load(p.load, points_.front().load);
  }
  if (two_loads) {
    const auto n = static_cast<double>(points_.size());
    const double slope = (n * sum_lc - sum_l * sum_c) / (n * sum_ll - sum_l * sum_l);
    const double intercept = (sum_c - slope * sum_l) / n;
    estimate = (reading.mean_counts - intercept) / slope;
    allowed = tolerance_.fraction_of_load * step.load.si() + tolerance_.fraction_of_span * span;
    basis = "from the readings so far";
  } else if (!points_.empty()) {
    estimate = points_.front().load.si() +
               (reading.mean_counts - points_.front().counts) / nominal_counts_per_newton_;
    allowed = tolerance_.nominal_fraction_of_load * step.load.si() +
              tolerance_.nominal_fraction_of_span * span;
    basis = "from the transmitter's nominal sensitivity";
  }
  if (basis != nullptr && std::abs(estimate - step.load.si()) > allowed)
    return "refused: the reading (" + newtons_text(estimate) +
           ") does not match the reference load " + newtons_text(step.load.si()) + " (expected " +
           newtons_text(step.load.si()) + " ± " + newtons_text(allowed) + " " + basis +
           "): check the weights on the hanger";

  CalibrationPoint point;
  point.cycle = step.cycle;
  point.direction = step.direction;
  point.load = step.load;
  point.counts = reading.mean_counts;
  point.sigma_counts = reading.sigma_counts;
  point.samples = reading.samples;
  points_.push_back(point);
  ++next_;
  return "";
}

} // namespace tractus::calibration
