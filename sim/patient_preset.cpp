#include "sim/patient_preset.hpp"

namespace tractus::sim {

std::span<const PatientPreset> patient_presets() noexcept { return kPatientPresets; }

const PatientPreset *find_patient_preset(std::string_view name) noexcept {
  for (const PatientPreset &p : kPatientPresets) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::string_view patient_preset_names() noexcept { return "light, average, heavy, cervical"; }

PlantConfig plant_config(const PatientPreset &preset) {
  PlantConfig config;
  config.harness = preset.harness;
  config.section = preset.section;
  config.tissue = preset.tissue;
  config.guarding = preset.guarding;
  return config;
}

PlantConfig calm_plant_config(const PatientPreset &preset) {
  PlantConfig config = plant_config(preset);
  config.guarding.mean_interval = Duration{};
  return config;
}

} // namespace tractus::sim
