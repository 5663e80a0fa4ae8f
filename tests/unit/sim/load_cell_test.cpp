// The simulated load-cell transmitter: gain, offset, noise, quantisation, drift, counter.
#include "sim/patient_preset.hpp"
#include "sim/plant.hpp"
#include "sim/random.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace tractus::sim {
namespace {

// A plant pulled to a few hundred newtons, where the force moves a little every step.
Plant pulled_plant(const PlantConfig &config) {
  Plant plant(config, 5);
  plant.set_motor(MotorMode::Velocity, metres_per_second(0.002));
  plant.run(30000);
  return plant;
}

double ideal_counts(const Plant &plant) {
  const LoadCellParams &lc = plant.config().load_cell;
  return static_cast<double>(lc.offset_counts) + lc.gain_counts_per_n * plant.cable_tension().si();
}

TEST(LoadCell, CountsAreOffsetPlusGainTimesForceWithinNoise) {
  Plant plant = pulled_plant(calm_plant_config(kAveragePatient));
  ASSERT_GT(plant.cable_tension(), newtons(300.0));
  const LoadCellParams &lc = plant.config().load_cell;
  // Noise bound: the normal's hard tail (3.46 σ) + half a count of rounding + 30 s of drift.
  const double bound = Random::kNormalBound * lc.noise_sigma.si() * lc.gain_counts_per_n + 0.5 +
                       lc.drift.si() * 60.0 * lc.gain_counts_per_n;
  double sum = 0.0, sum_sq = 0.0;
  constexpr int kSamples = 20000;
  for (int i = 0; i < kSamples; ++i) {
    plant.step();
    const double error = plant.load_cell().counts - ideal_counts(plant);
    ASSERT_LE(std::abs(error), bound);
    sum += error;
    sum_sq += error * error;
  }
  const double mean = sum / kSamples;
  const double sigma = std::sqrt(sum_sq / kSamples - mean * mean);
  EXPECT_NEAR(mean, 0.0, 1.0);   // counts (0.01 N)
  EXPECT_NEAR(sigma, 25.0, 1.5); // 0.25 N at 100 counts/N
}

TEST(LoadCell, CountsAreQuantisedToWholeCountsOfTheConfiguredGain) {
  PlantConfig config = calm_plant_config(kAveragePatient);
  config.load_cell.gain_counts_per_n = 1.0; // 1 N per count makes the steps visible
  config.load_cell.noise_sigma = Force{};
  config.load_cell.drift = ForceRate{};
  Plant plant = pulled_plant(config);
  int changes = 0;
  std::int32_t last = plant.load_cell().counts;
  const Force start = plant.cable_tension();
  for (int i = 0; i < 2000; ++i) {
    plant.step();
    const std::int32_t counts = plant.load_cell().counts;
    ASSERT_LE(std::abs(counts - ideal_counts(plant)), 0.5); // rounded to the nearest count
    changes += counts != last ? 1 : 0;
    last = counts;
  }
  // The force rises smoothly: the reading moves in one-count steps, once per newton crossed.
  const double risen = (plant.cable_tension() - start).si();
  ASSERT_GT(risen, 30.0);
  EXPECT_GE(changes, static_cast<int>(risen) - 1);
  EXPECT_LE(changes, static_cast<int>(risen) + 2);
}

TEST(LoadCell, DriftsHalfANewtonPerHour) {
  PlantConfig config = calm_plant_config(kAveragePatient);
  config.load_cell.noise_sigma = Force{};
  Plant plant(config, 1); // unloaded: the harness stays slack
  const std::int32_t start = plant.load_cell().counts;
  plant.run(3'600'000);
  EXPECT_EQ(plant.cable_tension(), Force{});
  EXPECT_NEAR(plant.load_cell().counts - start, 50, 1); // 0.5 N · 100 counts/N
}

TEST(LoadCell, SampleCounterIncrementsWithEachConversion) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  const std::uint16_t start = plant.load_cell().sample_counter;
  plant.run(10);
  EXPECT_EQ(plant.load_cell().sample_counter, static_cast<std::uint16_t>(start + 10));
}

TEST(LoadCell, SampleCounterFollowsASlowerConversionRate) {
  PlantConfig config = calm_plant_config(kAveragePatient);
  config.load_cell.steps_per_conversion = 4; // a 250 Hz transmitter under a 1 kHz loop
  Plant plant(config, 1);
  const std::uint16_t start = plant.load_cell().sample_counter;
  plant.run(40);
  EXPECT_EQ(plant.load_cell().sample_counter, static_cast<std::uint16_t>(start + 10));
}

TEST(LoadCell, SampleCounterWrapsAt16Bits) {
  Plant plant(calm_plant_config(kAveragePatient), 1);
  const std::uint16_t start = plant.load_cell().sample_counter;
  plant.run(65535 - start);
  EXPECT_EQ(plant.load_cell().sample_counter, 65535);
  plant.step();
  EXPECT_EQ(plant.load_cell().sample_counter, 0);
}

TEST(LoadCell, FreezeStopsValueAndCounterWhileTheForceMoves) {
  Plant plant = pulled_plant(calm_plant_config(kAveragePatient));
  plant.freeze_load_cell(true);
  const LoadCellReading frozen = plant.load_cell();
  const Force before = plant.cable_tension();
  plant.run(1000);
  EXPECT_GT(plant.cable_tension(), before + newtons(20.0));
  EXPECT_EQ(plant.load_cell().counts, frozen.counts);
  EXPECT_EQ(plant.load_cell().sample_counter, frozen.sample_counter);
}

TEST(LoadCell, OverloadBitIsSetBeyondFullScale) {
  PlantConfig config = calm_plant_config(kAveragePatient);
  config.load_cell.full_scale = newtons(300.0);
  Plant plant = pulled_plant(config);
  ASSERT_GT(plant.cable_tension(), newtons(300.0));
  EXPECT_TRUE(plant.load_cell().overload);
  EXPECT_TRUE(plant.load_cell().adc_ok);
}

} // namespace
} // namespace tractus::sim
