// libFuzzer target: a simulated patient file. Whatever the text, parse_patient() names its
// problems or returns a patient inside the envelope, whose document (for the journal) can be
// written.
#include "sim/patient_envelope.hpp"
#include "sim/patient_file.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace tractus::sim;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const PatientRead read = parse_patient(text, "fuzz.json");
  if (read.value.has_value() == !read.problems.empty()) std::abort();
  if (!read) return 0;
  const PatientPreset &patient = read.value->preset();
  for (const PatientFigure &figure : patient_figures())
    if (!outside_envelope(figure, figure.get(patient)).empty()) std::abort();
  if (!envelope_problems(patient).empty()) std::abort();
  if (!patient_document(patient).is_object()) std::abort();
  return 0;
}
