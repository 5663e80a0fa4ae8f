#include "records/clinic_protocols.hpp"

#include "profiles/profile_parser.hpp"
#include "records/row_values.hpp"
#include "records/utc_now.hpp"

#include <soci/soci.h>

namespace tractus::records {
namespace {

constexpr const char *kColumns = "protocol_id, version, profile_json, created_utc, created_by";
// Who saved it, as the caller words it ("JD (technician, table-a)"): the initials the console and
// the command line take (64 characters at most) with the role and the table's name.
constexpr std::size_t kMaxSavedBy = 200;

ClinicProtocol protocol_from(const soci::row &row) {
  ClinicProtocol p;
  p.id = text_at(row, "protocol_id");
  p.version = static_cast<int>(integer_at(row, "version").value_or(0));
  p.profile_json = text_at(row, "profile_json");
  p.created_utc = text_at(row, "created_utc");
  p.created_by = text_at(row, "created_by");
  return p;
}

std::vector<ClinicProtocol> read_rows(soci::rowset<soci::row> &rows) {
  std::vector<ClinicProtocol> out;
  for (const auto &row : rows)
    out.push_back(protocol_from(row));
  return out;
}

// Inserts `text` as the next version of protocol `id`, or notes it unchanged when it equals the
// newest; Conflict when another table inserted that version first (the primary key refuses it:
// never an overwrite).
void insert_next_version(RecordsStore &store, const std::string &id, const std::string &text,
                         const std::string &by, ProtocolSaved &result) {
  store.in_transaction([&] {
    ClinicProtocol next{id, 1, text, utc_now(), by};
    std::optional<ClinicProtocol> newest;
    soci::rowset<soci::row> rows =
        (store.sql().prepare << "SELECT " << kColumns << " FROM clinic_protocols "
                             << "WHERE protocol_id = :id ORDER BY version DESC LIMIT 1",
         soci::use(id));
    for (const auto &row : rows)
      newest = protocol_from(row);
    if (newest && newest->profile_json == text) {
      result.saved = *newest;
      result.unchanged = true;
      return;
    }
    if (newest) next.version = newest->version + 1;
    // Two tables saving the same protocol at once: the primary key refuses the second
    // (Conflict), never an overwrite.
    store.sql() << "INSERT INTO clinic_protocols (" << kColumns
                << ") VALUES (:id, :v, :json, :t, :by)",
        soci::use(next.id), soci::use(next.version), soci::use(next.profile_json),
        soci::use(next.created_utc), soci::use(next.created_by);
    result.saved = std::move(next);
  });
}

} // namespace

std::string clinic_protocol_label(const std::string &id, int version) {
  return "clinic protocol " + id + " v" + std::to_string(version);
}

profiles::Result<profiles::Profile> profile_of(const ClinicProtocol &protocol,
                                               const profiles::Limits &limits) {
  return profiles::parse_profile(protocol.profile_json,
                                 clinic_protocol_label(protocol.id, protocol.version), limits);
}

ProtocolSaved save_clinic_protocol(RecordsStore &store, const std::string &profile_json,
                                   const std::string &by, const profiles::Limits &limits,
                                   const std::set<std::string> &reserved_ids) {
  ProtocolSaved result;
  if (by.empty() || by.size() > kMaxSavedBy)
    result.problems.emplace_back("/author: who saves the protocol, 1 to 200 characters "
                                 "(their initials or name, kept with the version)");
  auto parsed = profiles::parse_profile(profile_json, "protocol", limits);
  for (const auto &p : parsed.problems)
    result.problems.push_back(p.pointer + ": " + p.message);
  if (parsed.ok() && reserved_ids.contains(parsed.value->id))
    result.problems.push_back("/id: " + parsed.value->id +
                              " is a stock protocol's id: give the clinic's protocol an id of its "
                              "own (e.g. " +
                              parsed.value->id + "-clinic)");
  if (!result.problems.empty()) return result;

  const std::string text = profiles::to_json_text(*parsed.value);
  const std::string &id = parsed.value->id;
  try {
    insert_next_version(store, id, text, by, result);
  } catch (const StoreError &e) {
    if (e.failure() != StoreFailure::Conflict) throw;
    throw StoreError(StoreFailure::Conflict,
                     "clinic protocol " + id +
                         ": another table saved a version of it at the same moment; open it "
                         "again to see that version, then save yours if it is still wanted");
  }
  return result;
}

std::vector<ClinicProtocol> clinic_protocols(RecordsStore &store) {
  try {
    soci::rowset<soci::row> rows =
        (store.query().prepare
         << "SELECT " << kColumns << " FROM clinic_protocols p WHERE version = "
         << "(SELECT MAX(version) FROM clinic_protocols q WHERE q.protocol_id = p.protocol_id) "
         << "ORDER BY protocol_id");
    return read_rows(rows);
  } catch (...) {
    store.rethrow("reading the clinic's protocols");
  }
}

std::optional<ClinicProtocol> find_clinic_protocol(RecordsStore &store, const std::string &id,
                                                   std::optional<int> version) {
  try {
    const int wanted = version.value_or(0);
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kColumns << " FROM clinic_protocols "
                               << "WHERE protocol_id = :id AND (:v = 0 OR version = :v2) "
                               << "ORDER BY version DESC LIMIT 1",
         soci::use(id), soci::use(wanted), soci::use(wanted));
    for (auto &p : read_rows(rows))
      return p;
    return std::nullopt;
  } catch (...) {
    store.rethrow("reading clinic protocol " + id);
  }
}

std::vector<ClinicProtocol> protocol_versions(RecordsStore &store, const std::string &id) {
  try {
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kColumns << " FROM clinic_protocols "
                               << "WHERE protocol_id = :id ORDER BY version",
         soci::use(id));
    return read_rows(rows);
  } catch (...) {
    store.rethrow("reading the versions of clinic protocol " + id);
  }
}

} // namespace tractus::records
