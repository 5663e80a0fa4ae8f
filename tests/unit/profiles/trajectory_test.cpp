// The shape of each mode's force curve, read off the compiled trajectory: levels, times,
// cycles, steps, oscillation and the final release.
#include "test_support.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <numbers>

namespace tractus::profiles {
namespace {

using testing::compiled;
using testing::parsed;

constexpr double kN = 1e-6; // newtons: numerical agreement, far below anything felt

Setpoint at(const Trajectory &trajectory, double t) { return trajectory.at(seconds(t)); }

// Patients heavy enough that 400 N stays under the 50 %bw clinical cap (490 N at 100 kg).
constexpr double kPatientKg = 100.0;

// lumbar static 400 N, 10 s ramps, 10 min
const Trajectory &static_400() {
  static const Trajectory trajectory = compiled(parsed(R"({
  "format": "tractus.profile/1", "id": "s", "name": "S", "region": "lumbar", "mode": "static",
  "max_force": "400 N", "ramp": "10 s", "duration": "10 min"})"),
                                                kPatientKg);
  return trajectory;
}

TEST(StaticTrajectory, StartsAtTheCordTensionAndRampsLinearlyToMax) {
  const Trajectory &t = static_400();
  EXPECT_NEAR(at(t, 0).force.si(), 15.0, kN);
  EXPECT_EQ(at(t, 0).phase, Phase::Ramp);
  EXPECT_EQ(at(t, 0).cycle, 1);
  EXPECT_NEAR(at(t, 5).force.si(), 207.5, kN);
  EXPECT_NEAR(at(t, 5).rate.si(), 38.5, kN); // (400 - 15) N / 10 s
}

TEST(StaticTrajectory, HoldsAtMaxUntilTheRelease) {
  const Trajectory &t = static_400();
  for (const double time : {10.0, 300.0, 589.999}) {
    EXPECT_NEAR(at(t, time).force.si(), 400.0, kN) << time;
    EXPECT_EQ(at(t, time).phase, Phase::Hold) << time;
    EXPECT_EQ(at(t, time).rate.si(), 0.0) << time;
  }
}

TEST(StaticTrajectory, ReleasesToZeroOverOneRampAndEndsAtTheDuration) {
  const Trajectory &t = static_400();
  EXPECT_EQ(at(t, 595).phase, Phase::Release);
  EXPECT_EQ(at(t, 595).cycle, 0);
  EXPECT_NEAR(at(t, 595).force.si(), 200.0, kN);
  EXPECT_NEAR(at(t, 595).rate.si(), -40.0, kN);
  EXPECT_NEAR(at(t, 599.999999).force.si(), 0.0, 1e-3);
  EXPECT_DOUBLE_EQ(t.total_duration().si(), 600.0);
  EXPECT_EQ(t.cycle_count(), 1);
  EXPECT_EQ(t.segments().size(), 3U);
}

TEST(Trajectory, IsDoneAtZeroFromTheTotalDurationOn) {
  const Trajectory &t = static_400();
  for (const double time : {600.0, 601.0, 1e9}) {
    const Setpoint setpoint = at(t, time);
    EXPECT_EQ(setpoint.phase, Phase::Done);
    EXPECT_EQ(setpoint.force.si(), 0.0);
    EXPECT_EQ(setpoint.rate.si(), 0.0);
  }
}

TEST(Trajectory, BeforeTheStartHoldsThePretensionStill) {
  const Setpoint setpoint = at(static_400(), -1.0);
  EXPECT_NEAR(setpoint.force.si(), 15.0, kN);
  EXPECT_EQ(setpoint.rate.si(), 0.0);
}

TEST(Trajectory, ANotANumberTimeGivesTheSafeState) {
  const Setpoint setpoint = static_400().at(Duration(std::nan("")));
  EXPECT_EQ(setpoint.phase, Phase::Done);
  EXPECT_EQ(setpoint.force.si(), 0.0);
}

TEST(Trajectory, AnEmptyTrajectoryIsAlwaysDone) {
  const Trajectory empty;
  EXPECT_EQ(empty.at(seconds(-1.0)).phase, Phase::Done);
  EXPECT_EQ(empty.at(seconds(0.0)).phase, Phase::Done);
}

TEST(Trajectory, RefusesSegmentsWithAJumpInForce) {
  std::vector<Segment> segments{
      {seconds(0), seconds(10), newtons(15), newtons(100), Shape::Linear, Phase::Ramp, 1, {}, {}},
      {seconds(10),
       seconds(10),
       newtons(120),
       newtons(120),
       Shape::Constant,
       Phase::Hold,
       1,
       {},
       {}}};
  EXPECT_THROW(Trajectory(segments, {}, {}), std::invalid_argument);
}

TEST(Trajectory, AnswersInWellUnderAMicrosecond) {
  // The control loop asks every 1 ms; the budget is 50 ns. This guards against an accidental
  // linear scan or allocation, with room for a loaded CI machine.
  const Trajectory t = compiled(*find_profile("lumbar-cyclic").value, 80.0);
  constexpr int kCalls = 1'000'000;
  const double step = t.total_duration().si() / kCalls;
  double sum = 0.0;
  const auto begin = std::chrono::steady_clock::now();
  for (int i = 0; i < kCalls; ++i)
    sum += t.at(seconds(i * step)).force.si();
  const auto elapsed = std::chrono::steady_clock::now() - begin;
  const double ns_per_call = std::chrono::duration<double, std::nano>(elapsed).count() / kCalls;
  RecordProperty("ns_per_call", std::to_string(ns_per_call));
  EXPECT_GT(sum, 0.0);
  EXPECT_LT(ns_per_call, 1000.0);
}

// DESIGN §3 example at 80 kg: max 313.8 N, rest 156.9 N; 10 cycles of 110 s fit in 20 min.
const Trajectory &design_example() {
  static const Trajectory trajectory = compiled(parsed(testing::kDesignExample), 80.0);
  return trajectory;
}

TEST(IntermittentTrajectory, FitsTenWholeCyclesInTwentyMinutes) {
  // floor((1200 s - 10 s release) / (10 + 60 + 10 + 30 s)) = 10
  EXPECT_EQ(design_example().cycle_count(), 10);
  EXPECT_DOUBLE_EQ(design_example().total_duration().si(), 1200.0);
}

TEST(IntermittentTrajectory, ProgressiveStepsClimbInEqualStepsWithHalfRests) {
  // From the 15 N cord tension to 313.8 N in 4 equal steps; the 4th is the first full cycle.
  const auto cycles = design_example().cycles();
  const double holds[] = {89.7032, 164.4064, 239.1096};
  for (int i = 0; i < 3; ++i) {
    EXPECT_NEAR(cycles[static_cast<std::size_t>(i)].hold.si(), holds[i], 1e-4);
    EXPECT_NEAR(cycles[static_cast<std::size_t>(i)].rest.si(), holds[i] / 2.0, 1e-4);
  }
}

TEST(IntermittentTrajectory, MiddleCyclesHoldAtMaxAndRestAtRestForce) {
  const auto cycles = design_example().cycles();
  for (std::size_t i = 3; i < 8; ++i) {
    EXPECT_NEAR(cycles[i].hold.si(), 313.8128, 1e-4);
    EXPECT_NEAR(cycles[i].rest.si(), 156.9064, 1e-4);
  }
}

TEST(IntermittentTrajectory, RegressiveStepsMirrorTheProgressiveOnes) {
  const auto cycles = design_example().cycles();
  EXPECT_NEAR(cycles[8].hold.si(), 214.2085, 1e-4); // 15 + 298.8 x 2/3
  EXPECT_NEAR(cycles[9].hold.si(), 114.6043, 1e-4); // 15 + 298.8 x 1/3
  EXPECT_NEAR(cycles[9].rest.si(), 57.3021, 1e-4);
}

TEST(IntermittentTrajectory, HoldsAndRestsComeAtTheirTimes) {
  const Trajectory &t = design_example();
  // Cycle 5 starts at 440 s: ramp to 450 s, hold to 510 s, ramp to 520 s, rest to 550 s.
  EXPECT_EQ(at(t, 480).phase, Phase::Hold);
  EXPECT_EQ(at(t, 480).cycle, 5);
  EXPECT_NEAR(at(t, 480).force.si(), 313.8128, 1e-4);
  EXPECT_EQ(at(t, 515).phase, Phase::Ramp);
  EXPECT_EQ(at(t, 535).phase, Phase::Rest);
  EXPECT_NEAR(at(t, 535).force.si(), 156.9064, 1e-4);
}

TEST(IntermittentTrajectory, TheLeftOverTimeLengthensTheLastRest) {
  // 1190 s - 10 x 110 s = 90 s left over: the last rest runs 30 + 90 s, from 1070 to 1190 s.
  const Trajectory &t = design_example();
  EXPECT_EQ(at(t, 1069.9).phase, Phase::Ramp);
  EXPECT_EQ(at(t, 1070.1).phase, Phase::Rest);
  EXPECT_EQ(at(t, 1189.9).phase, Phase::Rest);
  EXPECT_EQ(at(t, 1189.9).cycle, 10);
  EXPECT_NEAR(at(t, 1189.9).force.si(), 57.3021, 1e-4);
}

TEST(IntermittentTrajectory, ReleasesFromTheLastRestToZeroAtTheEnd) {
  const Trajectory &t = design_example();
  EXPECT_EQ(at(t, 1195).phase, Phase::Release);
  EXPECT_NEAR(at(t, 1195).force.si(), 28.6511, 1e-4);
  EXPECT_EQ(at(t, 1200).phase, Phase::Done);
}

// lumbar cyclic 400 N / 50 %max, 20 s ramps, 10 min: 14 cycles of 40 s, 20 s left over.
const Trajectory &cyclic_400() {
  static const Trajectory trajectory = compiled(parsed(R"({
  "format": "tractus.profile/1", "id": "c", "name": "C", "region": "lumbar", "mode": "cyclic",
  "max_force": "400 N", "rest_force": "50 %max", "ramp": "20 s", "duration": "10 min"})"),
                                                kPatientKg);
  return trajectory;
}

TEST(CyclicTrajectory, MovesBetweenRestAndMaxWithoutHolding) {
  const Trajectory &t = cyclic_400();
  EXPECT_EQ(t.cycle_count(), 14);
  EXPECT_NEAR(at(t, 20).force.si(), 400.0, kN);
  EXPECT_NEAR(at(t, 40).force.si(), 200.0, kN);
  EXPECT_NEAR(at(t, 60).force.si(), 400.0, kN);
  for (const Segment &segment : t.segments())
    EXPECT_NE(segment.phase, Phase::Hold);
}

TEST(CyclicTrajectory, UsesARaisedCosineWhosePeakRateIsPiOverTwoTimesTheAverage) {
  const Trajectory &t = cyclic_400();
  EXPECT_NEAR(at(t, 10).force.si(), 207.5, kN);
  EXPECT_NEAR(at(t, 10).rate.si(), std::numbers::pi / 2.0 * 385.0 / 20.0, kN); // 30.2 N/s
  EXPECT_NEAR(at(t, 20).rate.si(), 0.0, kN);
}

TEST(CyclicTrajectory, TheRateNeverJumps) {
  // Raised-cosine segments meet at zero rate: between 1 ms samples the rate changes by at most
  // the peak second derivative (pi^2/2 x 385 N / (20 s)^2 = 4.7 N/s^2) x 1 ms.
  const Trajectory &t = cyclic_400();
  double previous = at(t, 0).rate.si();
  for (double time = 0.001; time < t.total_duration().si(); time += 0.001) {
    const double rate = at(t, time).rate.si();
    ASSERT_LT(std::abs(rate - previous), 0.01) << "at " << time << " s";
    previous = rate;
  }
}

TEST(CyclicTrajectory, DwellsAtTheLastRestForTheLeftOverThenReleases) {
  const Trajectory &t = cyclic_400();
  EXPECT_EQ(at(t, 570).phase, Phase::Rest); // 560 to 580 s
  EXPECT_NEAR(at(t, 570).force.si(), 200.0, kN);
  EXPECT_EQ(at(t, 590).phase, Phase::Release);
  EXPECT_NEAR(at(t, 590).force.si(), 100.0, kN);
}

TEST(ProgressiveSteps, RestNeverGoesBelowTheCordTension) {
  // Cervical 12 %bw at 50 kg = 58.8 N: the first step holds 29.6 N; half of it would be 14.8 N.
  const Trajectory t = compiled(*find_profile("cervical-intermittent").value, 50.0);
  EXPECT_NEAR(t.cycles()[0].hold.si(), 29.613, 1e-3);
  EXPECT_DOUBLE_EQ(t.cycles()[0].rest.si(), 15.0);
}

// lumbar static 400 N with a 10 N, 0.25 Hz oscillation: the 580 s hold is 145 whole periods.
const Trajectory &oscillating_static() {
  static const Trajectory trajectory = compiled(parsed(R"({
  "format": "tractus.profile/1", "id": "o", "name": "O", "region": "lumbar", "mode": "static",
  "max_force": "400 N", "ramp": "10 s", "duration": "10 min",
  "oscillation": {"amplitude": "10 N", "frequency": "0.25 Hz"}})"),
                                                kPatientKg);
  return trajectory;
}

TEST(Oscillation, IsASineAroundTheHoldLevel) {
  const Trajectory &t = oscillating_static();
  EXPECT_NEAR(at(t, 11).force.si(), 410.0, kN); // a quarter period into the hold
  EXPECT_NEAR(at(t, 13).force.si(), 390.0, kN);
  EXPECT_NEAR(at(t, 10).rate.si(), 2.0 * std::numbers::pi * 0.25 * 10.0, kN); // 15.7 N/s
  EXPECT_NEAR(t.peak_force().si(), 410.0, kN);
  EXPECT_NEAR(t.forces().oscillation_amplitude->si(), 10.0, kN);
}

TEST(Oscillation, StaysOffTheRampsAndTheRelease) {
  const Trajectory &t = oscillating_static();
  EXPECT_NEAR(at(t, 5).force.si(), 207.5, kN);
  EXPECT_NEAR(at(t, 595).force.si(), 200.0, kN);
}

TEST(Oscillation, RunsWholePeriodsSoTheHoldEndsAtItsLevel) {
  // 45 s holds at 0.3 Hz: 13 whole periods (43.3 s), then 1.7 s steady.
  const Trajectory t = compiled(
      *load_profile(testing::data_dir() / "good" / "pounds-with-oscillation.json").value, 120.0);
  for (const Segment &segment : t.segments()) {
    if (segment.shape != Shape::Sine) continue;
    EXPECT_EQ(segment.phase, Phase::Hold);
    const double periods = segment.length.si() * segment.frequency.si();
    EXPECT_NEAR(periods, std::round(periods), 1e-9);
    EXPECT_NEAR(segment.at(segment.length).force.si(), segment.from.si(), 1e-9);
  }
}

} // namespace
} // namespace tractus::profiles
