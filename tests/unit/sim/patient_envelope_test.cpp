// The envelope of simulated patients the loop is designed for: the presets inside it, and the
// checks across figures that keep the cable inside what the monitors expect.
#include "sim/patient_envelope.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace tractus::sim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

std::vector<std::string> problems_of(const PatientPreset &patient) {
  std::vector<std::string> out;
  for (const EnvelopeProblem &p : envelope_problems(patient))
    out.push_back(p.pointer + ": " + p.message);
  return out;
}

TEST(PatientEnvelope, EveryPresetLiesInsideIt) {
  for (const PatientPreset &preset : patient_presets()) {
    for (const PatientFigure &figure : patient_figures())
      EXPECT_EQ(outside_envelope(figure, figure.get(preset)), "") << preset.name;
    EXPECT_TRUE(problems_of(preset).empty()) << preset.name << ": " << problems_of(preset)[0];
  }
}

TEST(PatientEnvelope, EveryFigureOfAPatientIsInTheTableOnce) {
  // Setting each figure of a default-built patient to the heavy preset's gives the preset back:
  // no figure is missing from the table (and so from the file format).
  PatientPreset patient{};
  patient.name = kHeavyPatient.name;
  patient.description = kHeavyPatient.description;
  for (const PatientFigure &figure : patient_figures())
    figure.set(patient, figure.get(kHeavyPatient));
  EXPECT_TRUE(patient == kHeavyPatient);
}

TEST(PatientEnvelope, SaysItsRangesInTheUnitsOfTheFile) {
  const auto text_of = [](std::string_view pointer) {
    for (const PatientFigure &figure : patient_figures())
      if (figure.pointer == pointer) return envelope_text(figure);
    return std::string("no such figure");
  };
  EXPECT_EQ(text_of("/body_mass"), "40 to 200 kg");
  EXPECT_EQ(text_of("/harness/stiffness_n_per_m"), "40000 to 300000 N/m");
  EXPECT_EQ(text_of("/tissue/creep_time"), "10 s to 10 min");
  EXPECT_EQ(text_of("/guarding/mean_interval"), "0 (none) or 1 min to 120 min");
}

TEST(PatientEnvelope, CableDrawnInToTheHardCapIsWhatTheModelNeeds) {
  // docs/simulator.md: ≈ 81 mm to reach 890 N on the average patient before creep (30 mm
  // slack, 45 mm tissue, 6 mm harness); creep settled adds 890 N / 120 kN/m = 7.4 mm.
  EXPECT_NEAR(cable_drawn_in(kAveragePatient, newtons(890)).si() * 1e3, 81.0 + 7.4, 1.0);
}

TEST(PatientEnvelope, TheStiffestCornerStaysInsideWhatThePlausibilityMonitorExpects) {
  // Stiffest harness and tissue, guarding at its highest peak, at the lumbar hard cap: a spasm
  // shortens the tissue as it stiffens it, so even ×3 keeps the cable below 80 kN/m.
  PatientPreset stiffest = kHeavyPatient;
  stiffest.harness.stiffness = newtons_per_metre(300e3);
  stiffest.tissue.k1 = newtons_per_metre(20e3);
  stiffest.tissue.k3_n_per_m3 = 30e6;
  for (const double guarding : {1.0, 3.0})
    EXPECT_LT(cable_stiffness(stiffest, newtons(890), guarding), kLoopDesign.max_cable_stiffness)
        << "guarding ×" << guarding;
  EXPECT_TRUE(problems_of(stiffest).empty()) << problems_of(stiffest)[0];
}

TEST(PatientEnvelope, ACableThatBarelyRisesWhenDrawnInIsRefused) {
  // What the plausibility monitor reads as a slipping harness: 20 mm drawn in, less than 40 N.
  PatientPreset soft = kCervicalPatient;
  soft.tissue.k1 = newtons_per_metre(1000);
  soft.tissue.k3_n_per_m3 = 1e6;
  soft.section.coulomb = newtons(12);
  soft.section.breakaway = newtons(14);
  EXPECT_THAT(problems_of(soft), ElementsAre(HasSubstr("/tissue/k1_n_per_m: drawing in 20 mm "
                                                       "from the 15 N minimum cord tension raises "
                                                       "the force by ")));
  EXPECT_THAT(problems_of(soft)[0], HasSubstr("N, less than the 40 N below which the plausibility "
                                              "monitor takes the travel for a slipping harness"));
}

TEST(PatientEnvelope, StictionFarAboveTheSlidingFrictionIsRefused) {
  PatientPreset sticky = kAveragePatient;
  sticky.section.breakaway = newtons(20);
  EXPECT_THAT(problems_of(sticky),
              ElementsAre("/section/breakaway: 20 N is more than 1.5 times the coulomb friction of "
                          "13 N (the section breaking free is a jump the loop must catch)"));
}

TEST(PatientEnvelope, AnUnderdampedHarnessIsRefusedWithTheDampingItNeeds) {
  PatientPreset ringing = kHeavyPatient; // 180 kN/m on 86 kg: critical damping 7869 N·s/m
  ringing.harness.damping_ns_per_m = 500;
  EXPECT_THAT(problems_of(ringing),
              ElementsAre("/harness/damping_ns_per_m: the section rings on the harness with a "
                          "damping ratio of 0.064, below the 0.1 that pretension is designed for "
                          "(at least 787 N·s/m with this harness stiffness and moving mass)"));
}

TEST(PatientEnvelope, ASpasmFasterThanTheLoopRidesThroughIsRefused) {
  PatientPreset spasm = kAveragePatient;
  spasm.guarding.peak_max = 2.0; // ×2 in 0.5 s
  EXPECT_THAT(problems_of(spasm),
              ElementsAre("/guarding/onset_min: a spasm to ×2 in 0.5 s stiffens the tissue by "
                          "200 % a second, faster than the 160 % a second the force loop rides "
                          "through (a longer onset_min or a lower peak_max)"));
  spasm.guarding.onset_min = seconds(0.625);
  EXPECT_TRUE(problems_of(spasm).empty());
}

TEST(PatientEnvelope, APatientNeedingMostOfTheTravelLimitIsRefused) {
  PatientPreset long_pull = kLightPatient;
  long_pull.harness.slack = millimetres(60);
  long_pull.harness.stiffness = newtons_per_metre(40e3);
  long_pull.tissue.k1 = newtons_per_metre(2500);
  long_pull.tissue.k3_n_per_m3 = 1e6;
  long_pull.tissue.creep_stiffness = newtons_per_metre(20e3);
  EXPECT_THAT(problems_of(long_pull),
              ElementsAre(HasSubstr("/: reaching the 890 N lumbar hard cap draws in ")));
  EXPECT_THAT(problems_of(long_pull)[0],
              HasSubstr("mm of cable with creep settled, more than the 200 mm that leave a fifth "
                        "of the travel monitor's 250 mm unused"));
}

TEST(PatientEnvelope, CreepFasterThanTheSlipWindowAllowsIsRefused) {
  PatientPreset creepy = kAveragePatient;
  creepy.tissue.creep_time = seconds(10);
  creepy.tissue.creep_stiffness = newtons_per_metre(20e3);
  EXPECT_THAT(problems_of(creepy),
              ElementsAre("/tissue/creep_time: creep draws in 28.1 mm in the first 10 s at the "
                          "890 N lumbar hard cap, more than half the 20 mm the plausibility "
                          "monitor takes for a slipping harness when the force does not rise "
                          "(raise creep_time or creep_stiffness_n_per_m)"));
}

} // namespace
} // namespace tractus::sim
