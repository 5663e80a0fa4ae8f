// compile() refuses, with the field to change, what only the patient's weight reveals; and it
// resolves the forces of a valid profile for that patient.
#include "test_support.hpp"

#include <gtest/gtest.h>

namespace tractus::profiles {
namespace {

using testing::parsed;

std::vector<std::string> compile_problems(std::string_view json, double body_mass_kg) {
  return to_strings(compile(parsed(json), Patient{"p1", kilograms(body_mass_kg)}).problems);
}

constexpr std::string_view kStatic50PercentBw = R"({
  "format": "tractus.profile/1", "id": "s", "name": "S", "region": "lumbar", "mode": "static",
  "max_force": "50 %bw", "ramp": "30 s", "duration": "10 min"})";

TEST(Compile, RefusesPercentBodyWeightAboveTheHardCapForAHeavyPatient) {
  // 50 %bw of 185 kg is 907.1 N, over the 890 N lumbar cap; the same file is fine at 80 kg.
  EXPECT_EQ(compile_problems(kStatic50PercentBw, 185.0),
            std::vector<std::string>{"t.json: /max_force: 50 %bw = 907.1 N at 185 kg is above the "
                                     "lumbar hard cap (at most 890 N = 200.1 lbf)"});
  EXPECT_TRUE(compile_problems(kStatic50PercentBw, 80.0).empty());
}

TEST(Compile, RefusesAnAbsoluteForceAboveTheClinicalCapForALightPatient) {
  // 50 %bw of 50 kg is 245.2 N.
  EXPECT_EQ(
      compile_problems(R"({
  "format": "tractus.profile/1", "id": "s", "name": "S", "region": "lumbar", "mode": "static",
  "max_force": "400 N", "ramp": "30 s", "duration": "10 min"})",
                       50.0),
      std::vector<std::string>{"t.json: /max_force: 400 N is above the lumbar clinical cap at "
                               "50 kg (at most 50 %bw = 245.2 N)"});
}

TEST(Compile, RefusesAMaxForceThatResolvesBelowTheCordTension) {
  EXPECT_EQ(compile_problems(R"({
  "format": "tractus.profile/1", "id": "c", "name": "C", "region": "cervical", "mode": "static",
  "max_force": "1 %bw", "ramp": "30 s", "duration": "10 min"})",
                             50.0),
            std::vector<std::string>{"t.json: /max_force: 1 %bw = 4.9 N at 50 kg is not above the "
                                     "minimum cord tension (more than 15 N)"});
}

TEST(Compile, RefusesARestForceThatResolvesBelowTheCordTension) {
  // 20 % of 10 %bw of 50 kg = 9.8 N.
  EXPECT_EQ(compile_problems(R"({
  "format": "tractus.profile/1", "id": "c", "name": "C", "region": "cervical",
  "mode": "intermittent", "max_force": "10 %bw", "rest_force": "20 %max", "hold": "30 s",
  "rest": "10 s", "ramp": "10 s", "duration": "10 min"})",
                             50.0),
            std::vector<std::string>{"t.json: /rest_force: 20 %max = 9.8 N is below the minimum "
                                     "cord tension (at least 15 N)"});
}

TEST(Compile, RefusesAnAbsoluteRestNotBelowAPercentMax) {
  // 40 %bw of 50 kg = 196.1 N, less than the 200 N rest.
  EXPECT_EQ(compile_problems(R"({
  "format": "tractus.profile/1", "id": "l", "name": "L", "region": "lumbar",
  "mode": "intermittent", "max_force": "40 %bw", "rest_force": "200 N", "hold": "30 s",
  "rest": "10 s", "ramp": "10 s", "duration": "10 min"})",
                             50.0),
            std::vector<std::string>{"t.json: /rest_force: 200 N is not below max_force (less than "
                                     "40 %bw = 196.1 N at 50 kg)"});
}

constexpr std::string_view kIntermittent45PercentBw = R"({
  "format": "tractus.profile/1", "id": "l", "name": "L", "region": "lumbar",
  "mode": "intermittent", "max_force": "45 %bw", "rest_force": "50 %max", "hold": "60 s",
  "rest": "30 s", "ramp": "10 s", "duration": "20 min"})";

TEST(Compile, RefusesARampTooSteepForAHeavyPatient) {
  // 45 %bw of 185 kg = 816.4 N, reached from 15 N in 10 s: 80.1 N/s. At 80 kg: 33.8 N/s.
  EXPECT_EQ(compile_problems(kIntermittent45PercentBw, 185.0),
            std::vector<std::string>{"t.json: /ramp: 10 s is too short, the force would change at "
                                     "80.1 N/s (at most 50 N/s, a ramp of at least 16.1 s)"});
  EXPECT_TRUE(compile_problems(kIntermittent45PercentBw, 80.0).empty());
}

TEST(Compile, TheSuggestedRampIsEnough) {
  std::string text(kIntermittent45PercentBw);
  text.replace(text.find("\"10 s\""), 6, "\"16.1 s\"");
  EXPECT_TRUE(compile_problems(text, 185.0).empty());
}

TEST(Compile, RefusesAnOscillationPeakAboveTheClinicalCap) {
  // 50 %bw of 80 kg = 392.3 N; 2 % of it (7.8 N) on top reaches 400.1 N.
  EXPECT_EQ(compile_problems(R"({
  "format": "tractus.profile/1", "id": "s", "name": "S", "region": "lumbar", "mode": "static",
  "max_force": "50 %bw", "ramp": "30 s", "duration": "10 min",
  "oscillation": {"amplitude": "2 %max", "frequency": "0.2 Hz"}})",
                             80.0),
            std::vector<std::string>{
                "t.json: /oscillation/amplitude: 2 %max = 7.8 N on the hold at 392.3 N peaks at "
                "400.1 N, above the lumbar clinical cap at 80 kg (at most 50 %bw = 392.3 N)"});
}

TEST(Compile, RefusesABodyMassOutsideTheAcceptedRange) {
  EXPECT_EQ(compile_problems(kStatic50PercentBw, 10.0),
            std::vector<std::string>{
                "patient: /body_mass: 10 kg is outside the accepted range (20 kg to 300 kg)"});
}

TEST(Compile, RefusesAnInvalidProfileWithTheValidationMessages) {
  Profile profile = parsed(testing::kDesignExample);
  profile.hold = seconds(2.0);
  EXPECT_EQ(to_strings(compile(profile, Patient{"p1", kilograms(80.0)}).problems),
            std::vector<std::string>{"t.json: /hold: 2 s is too short (5 s to 5 min)"});
}

TEST(Compile, ResolvesTheDesignExampleFor80Kilograms) {
  const Trajectory trajectory = testing::compiled(parsed(testing::kDesignExample), 80.0);
  const ResolvedForces &forces = trajectory.forces();
  EXPECT_NEAR(forces.body_weight.si(), 784.532, 1e-3); // 80 kg x 9.80665
  EXPECT_NEAR(forces.max.si(), 313.8128, 1e-4);        // 40 %bw
  ASSERT_TRUE(forces.rest.has_value());
  EXPECT_NEAR(forces.rest->si(), 156.9064, 1e-4);  // 50 %max
  EXPECT_NEAR(forces.ceiling.si(), 392.266, 1e-3); // 50 %bw, below the 890 N hard cap
  EXPECT_FALSE(forces.oscillation_amplitude.has_value());
  EXPECT_EQ(forces.body_mass, kilograms(80.0));
}

TEST(Compile, TheCeilingIsTheHardCapForAHeavyPatient) {
  const Trajectory trajectory = testing::compiled(parsed(testing::kDesignExample), 185.0);
  EXPECT_EQ(trajectory.forces().ceiling, newtons(890.0));
}

} // namespace
} // namespace tractus::profiles
