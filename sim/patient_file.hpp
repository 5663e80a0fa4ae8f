// Simulated patients from files: `tractus run --table sim:FILE.json`, `tractus-sim --patient
// FILE.json` (docs/simulator.md, "Patient files").
//
// A `tractus.patient/1` file gives every figure of a PatientPreset. It is read as strictly as a
// profile, because a typo that fell back to a default would simulate another patient than the
// one written: unknown and duplicate keys, missing keys, wrong JSON types, figures outside the
// envelope the loop is designed for (patient_envelope.hpp) are all problems, every one reported
// at once as `FILE: /pointer: what is wrong (what is allowed)`. The checks across figures run
// once every figure is inside its own range. Start-up only: nothing here throws but
// std::bad_alloc.
//
//   auto patient = sim::find_simulated_patient("patients/stiff.json"); // or "heavy"
//   if (!patient) fail(patient.error);          // every problem, one per line
//   sim::SimTable sim(patient.value->preset(), seed);
#pragma once

#include "profiles/problem.hpp"
#include "sim/simulated_patient.hpp"
#include "text/outcome.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <string_view>

namespace tractus::sim {

inline constexpr std::string_view kPatientFormat = "tractus.patient/1";

using PatientRead = profiles::Result<SimulatedPatient>;

// `file` labels the messages and becomes SimulatedPatient::file().
[[nodiscard]] PatientRead parse_patient(std::string_view json_text, std::string_view file);
// Reads and parses a file; messages name it as `path` was given.
[[nodiscard]] PatientRead load_patient_file(const std::filesystem::path &path);

// What `sim:WHAT` and `tractus-sim --patient WHAT` name: a file when it contains '/' or ends in
// ".json", a preset otherwise.
[[nodiscard]] bool names_patient_file(std::string_view what) noexcept;
// The preset or the file's patient. The error names an unknown preset and the known ones, or
// says the file is refused, then gives each of its problems on a line of its own.
[[nodiscard]] text::Outcome<SimulatedPatient> find_simulated_patient(std::string_view what);

// The patient as a `tractus.patient/1` document, figures to six decimals in the file's units:
// what the journal records of a patient read from a file. Figures written with at most six
// decimals (the presets', and any a person writes) read back the same.
[[nodiscard]] nlohmann::ordered_json patient_document(const PatientPreset &patient);

} // namespace tractus::sim
