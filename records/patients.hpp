// Patients: a clinic's pseudonymous id for a person, never a name, with their body mass.
//
// The id is what the clinic already uses on its own files ("P-0042", "2026-117"): 1 to 32
// letters, digits, '_' or '-' (as a session's patient id), starting with a letter or digit and
// holding at least one digit. The digit rule is a guard, not a proof: it refuses "Smith" or
// "JaneDoe" typed where an id belongs, which is the mistake that would put a name into every
// journal and report.
#pragma once

#include "records/store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tractus::records {

struct Patient {
  std::string clinic_id;
  double body_mass_kg = 0;
  std::string note; // free text of the clinic's; never shown in exports
  std::string created_utc;
  std::string created_by; // the role or person who added them ("clinician", "technician", "cli")
};

// Why `id` is no usable clinic id ("patient id "Jane Doe": …"), or empty when it is one.
[[nodiscard]] std::string clinic_id_problem(const std::string &id);
// Why `kg` is no body mass the table treats (20–300 kg, as the command line and console), or
// empty.
[[nodiscard]] std::string body_mass_problem(double kg);

// Adds a patient; StoreError Invalid for a bad id or mass, Conflict if the id is taken.
void add_patient(RecordsStore &store, const Patient &patient);
// The patient, or nothing.
[[nodiscard]] std::optional<Patient> find_patient(RecordsStore &store,
                                                  const std::string &clinic_id);
// Patients whose id contains `part` (case-insensitive), by id, at most `limit`.
[[nodiscard]] std::vector<Patient> search_patients(RecordsStore &store, const std::string &part,
                                                   int limit = 50);
// Records a new body mass (the clinic weighs patients during a course); NotFound if none.
void update_body_mass(RecordsStore &store, const std::string &clinic_id, double kg);

} // namespace tractus::records
