// The stock patients: lookup by name, and the stiffness each presents to the cable.
#include "sim/patient_envelope.hpp"
#include "sim/patient_preset.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <utility>

namespace tractus::sim {
namespace {

TEST(PatientPreset, LookupByNameFindsEveryListedPreset) {
  std::string names;
  for (const PatientPreset &p : patient_presets()) {
    EXPECT_EQ(find_patient_preset(p.name), &p);
    names += (names.empty() ? "" : ", ") + std::string(p.name);
  }
  EXPECT_EQ(names, patient_preset_names());
  EXPECT_EQ(find_patient_preset("medium"), nullptr);
}

TEST(PatientPreset, HeavyIsTheHeaviestPatientTheLumbarCapServesAtHalfBodyWeight) {
  EXPECT_NEAR(weight_of(kHeavyPatient.body_mass).si() * 0.5, 890.0, 20.0);
  EXPECT_EQ(kAveragePatient.body_mass, kilograms(80.0));
  EXPECT_EQ(kCervicalPatient.region, Region::Cervical);
  EXPECT_LT(kCervicalPatient.section.moving_mass, kAveragePatient.section.moving_mass);
  EXPECT_LT(kCervicalPatient.harness.slack, kAveragePatient.harness.slack);
}

// Cable stiffness dF/dx while reeling in slowly through [f, f + 20 N].
double cable_stiffness_at(const PatientPreset &preset, double f) {
  Plant plant(calm_plant_config(preset), 1);
  plant.set_motor(MotorMode::Velocity, metres_per_second(0.001));
  while (plant.cable_tension().si() < f)
    plant.step();
  const double f0 = plant.cable_tension().si(), x0 = plant.cable_position().si();
  while (plant.cable_tension().si() < f + 20.0)
    plant.step();
  return (plant.cable_tension().si() - f0) / (plant.cable_position().si() - x0);
}

TEST(PatientPreset, LumbarPatientsStiffenFromAFewToAboutFortyKilonewtonsPerMetre) {
  for (const PatientPreset &p : {kLightPatient, kAveragePatient, kHeavyPatient}) {
    const double low = cable_stiffness_at(p, 50.0), high = cable_stiffness_at(p, 850.0);
    EXPECT_GT(low, 3e3) << p.name;
    EXPECT_LT(low, 10e3) << p.name;
    EXPECT_GT(high, 25e3) << p.name;
    EXPECT_LT(high, 45e3) << p.name;
  }
}

// The patient files' envelope checks the cable with a formula: harness in series with the
// tissue, friction and creep left out. With creep held still, the plant agrees with it.
TEST(PatientPreset, CableStiffnessFormulaOfTheEnvelopeIsThePlantsWithoutCreep) {
  for (PatientPreset p : {kLightPatient, kAveragePatient, kHeavyPatient, kCervicalPatient}) {
    p.tissue.creep_time = seconds(1e9);
    for (const double f : {50.0, 200.0, p.region == Region::Lumbar ? 850.0 : 200.0}) {
      const double plant = cable_stiffness_at(p, f);
      EXPECT_NEAR(cable_stiffness(p, newtons(f + 10.0)).si(), plant, 0.03 * plant)
          << p.name << " at " << f << " N";
    }
  }
}

TEST(PatientPreset, CervicalPatientIsSofterAtNeckForces) {
  const double at_150 = cable_stiffness_at(kCervicalPatient, 150.0);
  EXPECT_GT(at_150, 5e3);
  EXPECT_LT(at_150, 12e3);
  EXPECT_LT(at_150, cable_stiffness_at(kAveragePatient, 150.0));
}

TEST(PatientPreset, PresetsGuardAboutEveryFiveMinutesAndTheCalmVariantNever) {
  for (const PatientPreset &p : patient_presets()) {
    EXPECT_EQ(plant_config(p).guarding.mean_interval, seconds(300.0)) << p.name;
    EXPECT_EQ(calm_plant_config(p).guarding.mean_interval, Duration{}) << p.name;
  }
}

TEST(PatientPreset, SameSeedAndInjectionsGiveABitIdenticalSimulatedTable) {
  auto run = [](std::uint64_t seed) {
    SimTable sim(kAveragePatient, seed);
    sim.inject(*parse_injection("muscle-guarding@5s").injection);
    hal::DriveCommand cmd;
    cmd.enable = true;
    cmd.cable_speed = metres_per_second(0.004);
    std::uint64_t checksum = 0;
    for (int i = 0; i < 30000; ++i) {
      sim.drive().exchange(cmd);
      sim.advance(milliseconds(1.0));
      checksum = checksum * 31U + static_cast<std::uint32_t>(sim.load_cell().read().raw_counts);
    }
    return std::pair{checksum, sim.true_force().si()};
  };
  EXPECT_EQ(run(9), run(9));
  EXPECT_NE(run(9).first, run(10).first);
}

} // namespace
} // namespace tractus::sim
