#include "records/patients.hpp"

#include "profiles/quantity_text.hpp"
#include "records/row_values.hpp"
#include "records/utc_now.hpp"
#include "text/number_text.hpp"
#include "text/patient_id.hpp"

#include <soci/soci.h>

#include <algorithm>

namespace tractus::records {
namespace {

Patient patient_from(const soci::row &row) {
  Patient p;
  p.clinic_id = text_at(row, "clinic_id");
  p.body_mass_kg = real_at(row, "body_mass_kg").value_or(0.0);
  p.note = text_at(row, "note");
  p.created_utc = text_at(row, "created_utc");
  p.created_by = text_at(row, "created_by");
  return p;
}

constexpr const char *kColumns = "clinic_id, body_mass_kg, note, created_utc, created_by";

} // namespace

std::string clinic_id_problem(const std::string &id) { return text::patient_id_problem(id); }

std::string body_mass_problem(double kg) {
  const double low = profiles::kMinBodyMass.si();
  const double high = profiles::kMaxBodyMass.si();
  if (!(kg >= low && kg <= high)) { // NaN included
    return "body mass " + text::format_number(kg, 1) + " kg is outside " +
           text::format_number(low, 0) + "–" + text::format_number(high, 0) + " kg";
  }
  return {};
}

void add_patient(RecordsStore &store, const Patient &patient) {
  for (const auto &problem :
       {clinic_id_problem(patient.clinic_id), body_mass_problem(patient.body_mass_kg)}) {
    if (!problem.empty()) {
      throw StoreError(StoreFailure::Invalid, problem);
    }
  }
  if (find_patient(store, patient.clinic_id)) {
    throw StoreError(StoreFailure::Conflict,
                     "patient " + patient.clinic_id + " is already in the records");
  }
  const auto created = patient.created_utc.empty() ? utc_now() : patient.created_utc;
  store.in_transaction([&] {
    store.sql() << "INSERT INTO patients (" << kColumns << ") VALUES (:id, :kg, :note, :t, :by)",
        soci::use(patient.clinic_id), soci::use(patient.body_mass_kg), soci::use(patient.note),
        soci::use(created), soci::use(patient.created_by);
  });
}

std::optional<Patient> find_patient(RecordsStore &store, const std::string &clinic_id) {
  try {
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kColumns << " FROM patients WHERE clinic_id = :id",
         soci::use(clinic_id));
    for (const auto &row : rows) {
      return patient_from(row);
    }
    return std::nullopt;
  } catch (...) {
    store.rethrow("reading patient " + clinic_id);
  }
}

std::vector<Patient> search_patients(RecordsStore &store, const std::string &part, int limit) {
  try {
    std::string pattern = "%";
    for (const char c : part) { // the id alphabet has no LIKE wildcard but '_': escape it
      if (c == '_' || c == '%' || c == '\\') {
        pattern += '\\';
      }
      pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    pattern += '%';
    std::vector<Patient> out;
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kColumns
                               << " FROM patients WHERE LOWER(clinic_id) LIKE :p ESCAPE '\\'"
                                  " ORDER BY clinic_id LIMIT :n",
         soci::use(pattern), soci::use(limit));
    for (const auto &row : rows) {
      out.push_back(patient_from(row));
    }
    return out;
  } catch (...) {
    store.rethrow("searching patients");
  }
}

void update_body_mass(RecordsStore &store, const std::string &clinic_id, double kg) {
  if (const auto problem = body_mass_problem(kg); !problem.empty()) {
    throw StoreError(StoreFailure::Invalid, "patient " + clinic_id + ": " + problem);
  }
  if (!find_patient(store, clinic_id)) {
    throw StoreError(StoreFailure::NotFound, "no patient " + clinic_id + " in the records");
  }
  store.in_transaction([&] {
    store.sql() << "UPDATE patients SET body_mass_kg = :kg WHERE clinic_id = :id", soci::use(kg),
        soci::use(clinic_id);
  });
}

} // namespace tractus::records
