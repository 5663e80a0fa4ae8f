// The plant's physics: slack, stiffening, creep, unpowered release, motor limits, guarding.
#include "sim/patient_preset.hpp"
#include "sim/plant.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <ctime>

namespace tractus::sim {
namespace {

// A plain proportional force loop on the true tension: enough to put the plant at a force.
void drive_force(Plant &plant, Force target, Duration how_long) {
  const auto steps = static_cast<std::uint64_t>(std::llround(how_long / Plant::kStep));
  for (std::uint64_t i = 0; i < steps; ++i) {
    const double error = (target - plant.cable_tension()).si();
    plant.set_motor(MotorMode::Velocity, metres_per_second(std::clamp(2e-4 * error, -0.02, 0.02)));
    plant.step();
  }
}

// Holds the cable where it is (the drive holds zero speed).
void hold_cable(Plant &plant, Duration how_long) {
  plant.set_motor(MotorMode::Velocity, Speed{});
  plant.run(static_cast<std::uint64_t>(std::llround(how_long / Plant::kStep)));
}

TEST(Plant, SameSeedGivesBitIdenticalRun) {
  PlantConfig config = plant_config(kAveragePatient);
  config.guarding.mean_interval = seconds(20.0); // exercise the random guarding too
  Plant a(config, 42), b(config, 42);
  for (int i = 0; i < 120000; ++i) {
    const Speed v = metres_per_second(i < 60000 ? 0.002 : -0.001);
    a.set_motor(MotorMode::Velocity, v);
    b.set_motor(MotorMode::Velocity, v);
    a.step();
    b.step();
    ASSERT_EQ(a.cable_tension().si(), b.cable_tension().si()) << "step " << i;
    ASSERT_EQ(a.load_cell().counts, b.load_cell().counts) << "step " << i;
  }
}

TEST(Plant, DifferentSeedsGiveDifferentNoise) {
  const PlantConfig config = calm_plant_config(kAveragePatient);
  Plant a(config, 1), b(config, 2);
  int differing = 0;
  for (int i = 0; i < 100; ++i) {
    a.step();
    b.step();
    differing += a.load_cell().counts != b.load_cell().counts ? 1 : 0;
  }
  EXPECT_GT(differing, 80);
}

TEST(Plant, SlackGivesZeroForceUntilTaut) {
  Plant plant(calm_plant_config(kAveragePatient), 1); // 30 mm of slack
  plant.set_motor(MotorMode::Velocity, metres_per_second(0.005));
  while (plant.cable_position() < millimetres(29.0)) {
    plant.step();
    ASSERT_EQ(plant.cable_tension(), Force{})
        << "at " << plant.cable_position().si() * 1e3 << " mm";
  }
  plant.run(1000); // 5 mm more cable: the harness is taut
  EXPECT_GT(plant.cable_tension(), newtons(5.0));
}

TEST(Plant, ConstantReelInGivesForceRisingWithIncreasingSlope) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  plant.set_motor(MotorMode::Velocity, metres_per_second(0.002));
  // Slope dF/dx of the cable between two forces, measured as the force passes them.
  auto slope_between = [&](double f_lo, double f_hi) {
    while (plant.cable_tension().si() < f_lo)
      plant.step();
    const double f0 = plant.cable_tension().si(), x0 = plant.cable_position().si();
    while (plant.cable_tension().si() < f_hi)
      plant.step();
    return (plant.cable_tension().si() - f0) / (plant.cable_position().si() - x0);
  };
  const double k_low = slope_between(50.0, 100.0);
  const double k_mid = slope_between(400.0, 450.0);
  const double k_high = slope_between(800.0, 850.0);
  EXPECT_GT(k_low, 4e3);
  EXPECT_LT(k_low, 10e3);
  EXPECT_GT(k_mid, 1.5 * k_low);
  EXPECT_GT(k_high, 1.2 * k_mid);
  EXPECT_LT(k_high, 45e3); // order 5–40 kN/m at treatment forces
}

TEST(Plant, ConstantForceCreepsTravelByMillimetres) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  drive_force(plant, newtons(500.0), seconds(10.0));
  const Length early = plant.table_travel();
  drive_force(plant, newtons(500.0), seconds(180.0));
  const Length creep = plant.table_travel() - early;
  // Kelvin–Voigt: 500 N / 120 kN/m = 4.2 mm at the end; ≈ 3.4 mm after 3 time constants.
  EXPECT_GT(creep, millimetres(2.0));
  EXPECT_LT(creep, millimetres(4.5));
  EXPECT_NEAR(plant.cable_tension().si(), 500.0, 3.0);
}

TEST(Plant, ConstantLengthRelaxesForceByTenToThirtyPercent) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  drive_force(plant, newtons(500.0), seconds(10.0));
  hold_cable(plant, seconds(0.5));
  const Force held = plant.cable_tension();
  hold_cable(plant, seconds(180.0));
  const double relaxed = 1.0 - plant.cable_tension() / held;
  EXPECT_GT(relaxed, 0.10);
  EXPECT_LT(relaxed, 0.30);
}

TEST(Plant, UnpoweredMotorReleases890NewtonsBelow15WithinOneAndAHalfSeconds) {
  for (const PatientPreset &preset : {kLightPatient, kAveragePatient, kHeavyPatient}) {
    Plant plant(calm_plant_config(preset), 1);
    drive_force(plant, newtons(890.0), seconds(15.0));
    ASSERT_NEAR(plant.cable_tension().si(), 890.0, 5.0) << preset.name;
    plant.set_motor(MotorMode::Unpowered);
    plant.run(1500);
    EXPECT_LT(plant.cable_tension(), newtons(15.0)) << preset.name;
  }
}

TEST(Plant, UnpoweredCervicalReleases222NewtonsBelow15WithinTwoSeconds) {
  Plant plant(calm_plant_config(kCervicalPatient), 1);
  drive_force(plant, newtons(222.0), seconds(15.0));
  plant.set_motor(MotorMode::Unpowered);
  plant.run(2000);
  EXPECT_LT(plant.cable_tension(), newtons(15.0));
}

TEST(Plant, AccelerationLimitIsRespected) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  const double limit = plant.config().motor.accel_limit_m_per_s2 * Plant::kStep.si();
  plant.set_motor(MotorMode::Velocity, metres_per_second(0.1));
  double before = 0.0, largest = 0.0;
  for (int i = 0; i < 300; ++i) {
    plant.step();
    largest = std::max(largest, std::abs(plant.cable_speed().si() - before));
    before = plant.cable_speed().si();
  }
  EXPECT_LE(largest, limit * (1.0 + 1e-12));
  EXPECT_NEAR(plant.cable_speed().si(), 0.1, 1e-3); // 0.1 m/s at 0.5 m/s² is 200 ms
}

TEST(Plant, CommandedSpeedIsLimitedToMaxSpeed) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  plant.set_motor(MotorMode::Velocity, metres_per_second(5.0));
  plant.run(1000);
  EXPECT_NEAR(plant.cable_speed().si(), 0.1, 1e-9); // never above it
}

TEST(Plant, NonFiniteSpeedCommandMeansZeroSpeed) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  plant.set_motor(MotorMode::Velocity, metres_per_second(std::nan("")));
  plant.run(100);
  EXPECT_EQ(plant.cable_speed().si(), 0.0);
  EXPECT_EQ(plant.cable_position().si(), 0.0);
}

TEST(Plant, QuickStopDeceleratesAtItsRampThenHoldsZero) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  plant.set_motor(MotorMode::Velocity, metres_per_second(0.05));
  plant.run(300);
  plant.set_motor(MotorMode::QuickStop);
  plant.run(24); // 0.05 m/s at 2 m/s² takes 25 ms
  EXPECT_GT(plant.cable_speed().si(), 0.0);
  plant.run(2);
  EXPECT_EQ(plant.cable_speed().si(), 0.0);
  const Length stopped = plant.cable_position();
  plant.run(1000);
  EXPECT_EQ(plant.cable_position(), stopped);
}

TEST(Plant, MuscleGuardingRaisesForceAtFixedCablePositionThenRelaxes) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  drive_force(plant, newtons(400.0), seconds(10.0));
  hold_cable(plant, seconds(1.0));
  const Force before = plant.cable_tension();
  plant.start_guarding(GuardingEvent{}); // ×1.6, onset 1 s, hold 4 s, relax 2 s
  hold_cable(plant, seconds(3.0));
  EXPECT_GT(plant.cable_tension(), before * 1.15);
  EXPECT_DOUBLE_EQ(plant.guarding_factor(), 1.6);
  hold_cable(plant, seconds(5.0)); // relaxed; creep has eased the force a little meanwhile
  EXPECT_FALSE(plant.guarding_active());
  EXPECT_NEAR(plant.cable_tension().si(), before.si(), 0.05 * before.si());
}

TEST(Plant, RandomGuardingComesAtTheConfiguredMeanIntervalWithinTheRanges) {
  PlantConfig config = calm_plant_config(kAveragePatient);
  config.guarding.mean_interval = seconds(60.0);
  Plant plant(config, 7);
  int events = 0;
  double highest = 1.0;
  bool was_active = false;
  for (int i = 0; i < 1'800'000; ++i) { // 30 minutes
    plant.step();
    events += plant.guarding_active() && !was_active ? 1 : 0;
    was_active = plant.guarding_active();
    highest = std::max(highest, plant.guarding_factor());
  }
  // ~1800 s / (60 s + 7 s per event) ≈ 27 events.
  EXPECT_GE(events, 15);
  EXPECT_LE(events, 40);
  EXPECT_GE(highest, 1.3);
  EXPECT_LE(highest, 1.8);
}

TEST(Plant, ThirtyMinuteSessionSimulatesInUnderPointTwoSecondsOfCpu) {
#if !defined(__OPTIMIZE__) || defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
  GTEST_SKIP() << "timing is only meaningful in an optimised build without sanitizers";
#endif
  PlantConfig config = plant_config(kAveragePatient);
  config.guarding.mean_interval = seconds(30.0);
  Plant plant(config, 3);
  const std::clock_t start = std::clock();
  for (int i = 0; i < 1'800'000; ++i) { // intermittent 500 N / 300 N, 30 s each, with noise
    const double target = (i / 30000) % 2 == 0 ? 500.0 : 300.0;
    const double error = target - plant.cable_tension().si();
    plant.set_motor(MotorMode::Velocity, metres_per_second(std::clamp(2e-4 * error, -0.02, 0.02)));
    plant.step();
  }
  const double cpu_s = static_cast<double>(std::clock() - start) / CLOCKS_PER_SEC;
  RecordProperty("ns_per_step", static_cast<int>(cpu_s / 1.8e6 * 1e9));
  EXPECT_LT(cpu_s, 0.2);
}

} // namespace
} // namespace tractus::sim
