// The technician's procedure: plan, order, range and wrong-weight checks
// (calibration/procedure.hpp), and what counts as a stable reading
// (calibration/reading.hpp).
#include "calibration/procedure.hpp"
#include "calibration/reading.hpp"
#include "test_points.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

namespace tractus::calibration {
namespace {

using test::standard_plan;

StableReading stable_at(double counts) {
  StableReading r;
  r.stable = true;
  r.mean_counts = counts;
  r.sigma_counts = 25.0;
  r.samples = 500;
  return r;
}

// A procedure taken through its first `steps` steps on an ideal 100 counts/N cell.
CalibrationProcedure procedure_after(std::size_t steps) {
  CalibrationProcedure p(standard_plan(), 100.0);
  for (std::size_t i = 0; i < steps; ++i) {
    const Force load = p.next().load;
    EXPECT_EQ(p.check_entered_load(load), "");
    EXPECT_EQ(p.add_reading(stable_at(8000.0 + 100.0 * load.si())), "");
  }
  return p;
}

TEST(CalibrationProcedure, StepsGoUpThenDownAndRepeatFromTheZero) {
  const auto steps = planned_steps(standard_plan());
  ASSERT_EQ(steps.size(), 21U); // 6 up + 5 down, then 5 up + 5 down
  std::string sequence;
  for (const auto &s : steps)
    sequence += std::to_string(static_cast<int>(s.load.si())) +
                (s.direction == LoadDirection::Loading ? "u " : "d ");
  EXPECT_EQ(sequence, "0u 200u 400u 600u 800u 1000u 800d 600d 400d 200d 0d "
                      "200u 400u 600u 800u 1000u 800d 600d 400d 200d 0d ");
  EXPECT_EQ(steps[11].cycle, 2);
}

TEST(CalibrationProcedure, PlanProblemsAreAllReportedAtOnce) {
  CalibrationPlan plan;
  plan.loads = {newtons(100), newtons(400), newtons(300), newtons(2500)};
  plan.cycles = 1;
  const auto problems = check_plan(plan);
  ASSERT_EQ(problems.size(), 5U);
  EXPECT_EQ(problems[0], "a calibration needs at least 5 loads (zero, span and 3 between), got 4");
  EXPECT_EQ(problems[1], "the first load must be 0 N: the procedure starts with the zero");
  EXPECT_EQ(problems[2], "loads must be given in ascending order; 300 N follows 400 N (the "
                         "descending half is taken in reverse automatically)");
  EXPECT_EQ(problems[3], "2500 N is outside the range of the load cell (0 to 2000 N)");
  EXPECT_EQ(problems[4], "at least 2 cycles are needed to measure repeatability");
}

TEST(CalibrationProcedure, SpanBelowTheTablesHighestForceIsRefused) {
  CalibrationPlan plan = standard_plan();
  plan.loads = {newtons(0), newtons(100), newtons(200), newtons(300), newtons(400)};
  ASSERT_EQ(check_plan(plan).size(), 1U);
  EXPECT_EQ(check_plan(plan)[0], "the highest load 400 N is below 890 N, the highest force the "
                                 "table applies: a calibration vouches for nothing above its "
                                 "highest load");
}

TEST(CalibrationProcedure, LoadEnteredOutOfOrderIsRefused) {
  const CalibrationProcedure loading = procedure_after(4); // 0, 200, 400, 600 read; next 800
  EXPECT_EQ(loading.check_entered_load(newtons(400)),
            "refused: 400 N entered after 600 N while loading; loads go up to 1000 N, then back "
            "down to 0 N (next: 800 N)");
  const CalibrationProcedure unloading = procedure_after(7); // … 1000, 800 down; next 600
  EXPECT_EQ(unloading.check_entered_load(newtons(1000)),
            "refused: 1000 N entered after 800 N while unloading; loads go up to 1000 N, then "
            "back down to 0 N (next: 600 N)");
}

TEST(CalibrationProcedure, LoadOutsideTheRangeIsRefused) {
  const CalibrationProcedure p = procedure_after(2);
  EXPECT_EQ(p.check_entered_load(newtons(2500)),
            "refused: 2500 N is outside the range of the load cell (0 to 2000 N)");
  EXPECT_EQ(p.check_entered_load(newtons(-5)),
            "refused: -5 N is outside the range of the load cell (0 to 2000 N)");
}

TEST(CalibrationProcedure, SkippingALoadOfThePlanIsRefused) {
  const CalibrationProcedure p = procedure_after(2); // next 400
  EXPECT_EQ(p.check_entered_load(newtons(600)),
            "refused: 600 N is not the next load of the plan (400 N); plan: 0, 200, 400, 600, "
            "800, 1000 N, up then down, 2 cycles");
}

TEST(CalibrationProcedure, ReadingThatDisagreesWithTheLoadIsRefusedAsTheWrongWeight) {
  CalibrationProcedure p = procedure_after(3); // next 600 N; 800 N is hanging instead
  EXPECT_EQ(p.add_reading(stable_at(8000.0 + 100.0 * 800.0)),
            "refused: the reading (800 N) does not match the reference load 600 N (expected "
            "600 N ± 14 N from the readings so far): check the weights on the hanger");
  EXPECT_EQ(p.points().size(), 3U);                                // nothing kept
  EXPECT_EQ(p.add_reading(stable_at(8000.0 + 100.0 * 600.4)), ""); // the right weight
}

TEST(CalibrationProcedure, FirstLoadIsJudgedByTheNominalSensitivity) {
  CalibrationProcedure p = procedure_after(1); // zero read; next 200 N
  EXPECT_EQ(p.add_reading(stable_at(8000.0 + 100.0 * 400.0)),
            "refused: the reading (400 N) does not match the reference load 200 N (expected "
            "200 N ± 30 N from the transmitter's nominal sensitivity): check the weights on the "
            "hanger");
  EXPECT_EQ(p.add_reading(stable_at(8000.0 + 95.0 * 200.0)), ""); // 5 % off nominal is fine
}

TEST(CalibrationProcedure, UnstableReadingIsRefusedAndNotKept) {
  CalibrationProcedure p = procedure_after(1);
  StableReading unstable;
  unstable.why = "the reading did not settle within 20 s (spread 5.1 N, allowed 0.5 N; drift "
                 "0.1 N, allowed 0.25 N)";
  EXPECT_EQ(p.add_reading(unstable),
            "refused: unstable reading at 200 N: the reading did not settle within 20 s (spread "
            "5.1 N, allowed 0.5 N; drift 0.1 N, allowed 0.25 N)");
  EXPECT_EQ(p.points().size(), 1U);
}

// ---- stable readings from a scripted load cell ----

class ScriptedCell final : public hal::LoadCell {
public:
  std::function<double(int)> counts_at; // conversion number -> counts
  bool overload = false;
  bool frozen_after_first = false;
  hal::LoadCellSample read() noexcept override {
    hal::LoadCellSample s;
    s.io = hal::IoStatus::Ok;
    s.status = {true, overload, false};
    if (!(frozen_after_first && n_ > 0)) ++n_;
    s.sample_counter = static_cast<std::uint16_t>(n_);
    s.raw_counts = static_cast<std::int32_t>(std::lround(counts_at(n_)));
    return s;
  }

private:
  int n_ = 0;
};

StableReading read(ScriptedCell &cell) {
  return read_stable(
      cell, [] {}, milliseconds(1), StabilityCriteria{});
}

TEST(StableReading, SteadyNoisyReadingIsStableAndIsTheWindowMean) {
  ScriptedCell cell;
  cell.counts_at = [](int n) { return 50000.0 + (n % 2 == 0 ? 20.0 : -20.0); }; // ±0.2 N
  const StableReading r = read(cell);
  ASSERT_TRUE(r.stable) << r.why;
  EXPECT_NEAR(r.mean_counts, 50000.0, 0.1);
  EXPECT_EQ(r.samples, 500U);
}

TEST(StableReading, SwingingHangerNeverSettles) {
  ScriptedCell cell;
  cell.counts_at = [](int n) { return 50000.0 + 200.0 * std::sin(n * 0.0126); }; // 2 N at 2 Hz
  const StableReading r = read(cell);
  EXPECT_FALSE(r.stable);
  EXPECT_EQ(r.why.rfind("the reading did not settle within 20 s (spread 1.", 0), 0U) << r.why;
}

TEST(StableReading, CreepingLoadHasATrendAndIsNotStable) {
  ScriptedCell cell;
  cell.counts_at = [](int n) { return 50000.0 + 0.1 * n; }; // 1 N/s: 0.5 N across the window
  const StableReading r = read(cell);
  EXPECT_FALSE(r.stable);
  EXPECT_EQ(r.why, "the reading did not settle within 20 s (spread 0.14 N, allowed 0.5 N; drift "
                   "0.5 N, allowed 0.25 N)");
}

TEST(StableReading, OverloadOrAFrozenTransmitterIsNeverStable) {
  ScriptedCell overloaded;
  overloaded.counts_at = [](int) { return 50000.0; };
  overloaded.overload = true;
  EXPECT_EQ(read(overloaded).why, "the transmitter reports an overload: remove the load");
  ScriptedCell frozen;
  frozen.counts_at = [](int) { return 50000.0; };
  frozen.frozen_after_first = true;
  EXPECT_EQ(read(frozen).why, "the transmitter's sample counter stopped: it is not converting");
}

TEST(StableReading, WindowStatsAreMeanSampleSigmaAndTrendAcrossTheWindow) {
  const double ramp[] = {0.0, 1.0, 2.0, 3.0, 4.0};
  const WindowStats s = window_stats(ramp);
  EXPECT_DOUBLE_EQ(s.mean, 2.0);
  EXPECT_NEAR(s.sigma, std::sqrt(2.5), 1e-12);
  EXPECT_NEAR(s.trend, 4.0, 1e-12);
}

} // namespace
} // namespace tractus::calibration
