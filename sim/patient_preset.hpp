// Simulated patients: the tissue, harness and moving mass of four typical set-ups.
//
// Figures are chosen so the stiffness the cable sees (harness, section and tissue in series)
// lies in the range measured on traction tables, about 5 kN/m at the first tens of newtons to
// 35–45 kN/m at 890 N, stiffening with force; the reasons for each number are beside it and
// the resulting curves are in docs/simulator.md. Guarding (back spasms) is on by default at a
// mean of one every 5 minutes, because that is what the treated patients have; set
// PlantConfig::guarding.mean_interval to zero for a calm patient.
#pragma once

#include "sim/plant.hpp"

#include <span>
#include <string_view>

namespace tractus::sim {

enum class Region : std::uint8_t { Lumbar, Cervical };

// Views its texts, so the presets below can be constexpr. A patient read from a file is a
// SimulatedPatient (simulated_patient.hpp), which owns its texts and gives this view of them.
struct PatientPreset {
  std::string_view name;
  std::string_view description; // one line: who this patient is
  Region region;
  Mass body_mass;
  HarnessParams harness;
  SectionParams section;
  TissueParams tissue;
  GuardingParams guarding; // the presets: a spasm every 5 min on average, of the default kind
  friend bool operator==(const PatientPreset &, const PatientPreset &) = default;
};

// Spasms of the default kind (GuardingParams), one every 5 min on average.
inline constexpr GuardingParams kFiveMinuteGuarding = [] {
  GuardingParams guarding;
  guarding.mean_interval = seconds(300.0);
  return guarding;
}();

// Moving mass on the lumbar section: the carriage (≈ 12 kg) plus the pelvis and legs, ≈ 40 %
// of body mass (Winter, Biomechanics of Human Movement, segment tables). Coulomb friction of
// linear bearings μ ≈ 0.03 of that weight; breakaway 15 % above it.

inline constexpr PatientPreset kLightPatient{
    "light",
    "55 kg adult, slim: softer tissue, thinner belts (cap 50 %bw = 270 N)",
    Region::Lumbar,
    kilograms(55.0),
    HarnessParams{millimetres(25.0), newtons_per_metre(120e3), 1300.0},
    SectionParams{kilograms(34.0), newtons(10.0), newtons(11.5), 150.0},
    TissueParams{newtons_per_metre(3500.0), 6.1e6, newtons_per_metre(80e3), seconds(60.0)},
    kFiveMinuteGuarding};

inline constexpr PatientPreset kAveragePatient{
    "average",
    "80 kg adult: the reference patient of the stock protocols",
    Region::Lumbar,
    kilograms(80.0),
    HarnessParams{millimetres(30.0), newtons_per_metre(150e3), 1800.0},
    SectionParams{kilograms(44.0), newtons(13.0), newtons(15.0), 150.0},
    TissueParams{newtons_per_metre(5000.0), 7.57e6, newtons_per_metre(120e3), seconds(60.0)},
    kFiveMinuteGuarding};

// 185 kg is the heaviest patient the 890 N lumbar hard cap serves at the 50 %bw clinical cap.
inline constexpr PatientPreset kHeavyPatient{
    "heavy",
    "185 kg adult: stiffer, more soft tissue under wider belts (more slack)",
    Region::Lumbar,
    kilograms(185.0),
    HarnessParams{millimetres(40.0), newtons_per_metre(180e3), 2700.0},
    SectionParams{kilograms(86.0), newtons(25.0), newtons(29.0), 150.0},
    TissueParams{newtons_per_metre(8000.0), 1.108e7, newtons_per_metre(200e3), seconds(60.0)},
    kFiveMinuteGuarding};

// Cervical: an 80 kg patient pulled at the head through a halter on a light head carriage
// (head ≈ 6 % of body mass + 3 kg carriage); the neck is far softer than the lumbar chain and
// the halter takes up little slack. Treatment forces 100–222 N.
inline constexpr PatientPreset kCervicalPatient{
    "cervical",
    "80 kg adult, neck: light head carriage, soft tissue, halter with little slack",
    Region::Cervical,
    kilograms(80.0),
    HarnessParams{millimetres(10.0), newtons_per_metre(60e3), 450.0},
    SectionParams{kilograms(8.0), newtons(4.0), newtons(4.6), 40.0},
    TissueParams{newtons_per_metre(2000.0), 2.37e6, newtons_per_metre(40e3), seconds(45.0)},
    kFiveMinuteGuarding};

inline constexpr PatientPreset kPatientPresets[] = {kLightPatient, kAveragePatient, kHeavyPatient,
                                                    kCervicalPatient};

// All presets, in the order above.
std::span<const PatientPreset> patient_presets() noexcept;
// The preset with this name, or nullptr.
const PatientPreset *find_patient_preset(std::string_view name) noexcept;
// "light, average, heavy, cervical": for usage and error messages.
std::string_view patient_preset_names() noexcept;
// The plant of this patient on the stock table (motor and load cell defaults).
PlantConfig plant_config(const PatientPreset &preset);
// The same patient without random muscle guarding: for tests that need a calm plant.
PlantConfig calm_plant_config(const PatientPreset &preset);

} // namespace tractus::sim
