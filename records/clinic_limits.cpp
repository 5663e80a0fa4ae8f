#include "records/clinic_limits.hpp"

#include "profiles/limits_json.hpp"
#include "records/row_values.hpp"
#include "records/utc_now.hpp"

#include <soci/soci.h>

namespace tractus::records {
namespace {

constexpr const char *kSetting = "clinic_limits";

} // namespace

std::optional<ClinicLimits> clinic_limits(RecordsStore &store) {
  std::optional<ClinicLimits> out;
  try {
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT value_json, set_utc, set_by FROM clinic_settings "
                                  "WHERE name = :n",
         soci::use(std::string(kSetting)));
    for (const auto &row : rows) {
      ClinicLimits c;
      c.members = nlohmann::json::parse(text_at(row, "value_json"), nullptr, false);
      c.set_utc = text_at(row, "set_utc");
      c.set_by = text_at(row, "set_by");
      out = std::move(c);
    }
  } catch (...) {
    store.rethrow("reading the clinic's limits");
  }
  if (!out) return out;
  const profiles::LimitsRead read = profiles::read_limits_json(out->members, "/limits");
  if (!read.problems.empty())
    throw StoreError(StoreFailure::Invalid,
                     "the clinic's limits in the records store do not read (" +
                         read.problems.front() + "): set them again from a console");
  out->limits = read.limits;
  return out;
}

LimitsSaved set_clinic_limits(RecordsStore &store, const nlohmann::json &members,
                              const std::string &by) {
  LimitsSaved result;
  const profiles::LimitsRead read = profiles::read_limits_json(members, "/limits");
  if (!read.problems.empty()) {
    result.problems = read.problems;
    return result;
  }
  ClinicLimits c{members, read.limits, utc_now(), by};
  const std::string text = members.dump();
  // One statement that inserts or replaces (SQLite and PostgreSQL both have it): two tables
  // setting the limits at once both succeed, the later one's standing.
  store.in_transaction([&] {
    store.sql() << "INSERT INTO clinic_settings (name, value_json, set_utc, set_by) "
                   "VALUES (:n, :v, :t, :by) ON CONFLICT (name) DO UPDATE SET "
                   "value_json = excluded.value_json, set_utc = excluded.set_utc, "
                   "set_by = excluded.set_by",
        soci::use(std::string(kSetting)), soci::use(text), soci::use(c.set_utc), soci::use(by);
  });
  result.saved = std::move(c);
  return result;
}

} // namespace tractus::records
