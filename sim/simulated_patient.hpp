// A simulated patient that owns its texts: a compiled-in preset, or a patient read from a
// `tractus.patient/1` file (patient_file.hpp).
//
// A PatientPreset views its name and description so that the presets can be constexpr; a
// patient read from a file has no static storage for them to view. This is what outlives the
// file: the bindings, tractus-sim and the journal hold one.
#pragma once

#include "sim/patient_preset.hpp"

#include <string>
#include <utility>

namespace tractus::sim {

class SimulatedPatient {
public:
  // A copy of `patient`, texts included. `file`: the patient file it was read from, as the user
  // gave it; empty for a compiled-in preset. Implicit, because a preset is a simulated patient.
  SimulatedPatient(const PatientPreset &patient, std::string file = {})
      : name_(patient.name), description_(patient.description), file_(std::move(file)),
        patient_(patient) {
    view_own_texts();
  }
  SimulatedPatient(const SimulatedPatient &other) : SimulatedPatient(other.patient_, other.file_) {}
  SimulatedPatient &operator=(const SimulatedPatient &other) {
    name_ = other.name_;
    description_ = other.description_;
    file_ = other.file_;
    patient_ = other.patient_;
    view_own_texts();
    return *this;
  }
  ~SimulatedPatient() = default;

  // Every figure of the patient; its name and description view this object.
  [[nodiscard]] const PatientPreset &preset() const noexcept { return patient_; }
  [[nodiscard]] const std::string &name() const noexcept { return name_; }
  // The patient file as given (`--table sim:FILE.json`), empty for a compiled-in preset.
  [[nodiscard]] const std::string &file() const noexcept { return file_; }

private:
  void view_own_texts() noexcept {
    patient_.name = name_;
    patient_.description = description_;
  }

  std::string name_, description_, file_;
  PatientPreset patient_;
};

} // namespace tractus::sim
