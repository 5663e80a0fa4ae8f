#include "records/sessions.hpp"

#include "records/row_values.hpp"
#include "records/utc_now.hpp"

#include <soci/soci.h>

#include <cmath>

namespace tractus::records {
namespace {

nlohmann::json without_checksum(nlohmann::json line) {
  if (line.is_object()) {
    line.erase("crc32");
    line.erase("type");
  }
  return line;
}

std::string text_member(const nlohmann::json &object, const char *key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

template <class T> std::optional<T> number_member(const nlohmann::json &object, const char *key) {
  const auto it = object.find(key);
  if (it == object.end() || !it->is_number()) {
    return std::nullopt;
  }
  return it->get<T>();
}

double rounded(double value) { return std::round(value * 10.0) / 10.0; }

// One point a second: the sample with the highest force of each second, so the chart keeps
// every peak a hold reached.
nlohmann::json curve_of(const std::vector<nlohmann::json> &samples) {
  nlohmann::json curve = nlohmann::json::array();
  long long second = -1;
  for (const auto &s : samples) {
    const auto t = number_member<double>(s, "t");
    const auto setpoint = number_member<double>(s, "setpoint");
    const auto force = number_member<double>(s, "force");
    if (!t || !setpoint || !force) {
      continue;
    }
    const auto this_second = static_cast<long long>(std::floor(*t));
    if (this_second != second) {
      second = this_second;
      curve.push_back({rounded(*t), rounded(*setpoint), rounded(*force)});
    } else if (*force > curve.back()[2].get<double>()) {
      curve.back() = {rounded(*t), rounded(*setpoint), rounded(*force)};
    }
  }
  return curve;
}

constexpr const char *kListColumns =
    "session_id, patient_id, table_name, started_utc, profile_id, profile_name, region,"
    " body_mass_kg, simulated, outcome, exit_code, fault_code, peak_force_n,"
    " hold_rms_error_percent, duration_s, journal_file, journal_bytes, problems, indexed_utc";

std::optional<int> small(const std::optional<long long> &v) {
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

SessionEntry listing_from(const soci::row &row) {
  SessionEntry e;
  e.session_id = text_at(row, "session_id");
  e.patient_id = text_at(row, "patient_id");
  e.table_name = text_at(row, "table_name");
  e.started_utc = text_at(row, "started_utc");
  e.profile_id = text_at(row, "profile_id");
  e.profile_name = text_at(row, "profile_name");
  e.region = text_at(row, "region");
  e.body_mass_kg = real_at(row, "body_mass_kg");
  e.simulated = integer_at(row, "simulated").value_or(0) != 0;
  e.outcome = text_at(row, "outcome");
  e.exit_code = small(integer_at(row, "exit_code"));
  e.fault_code = small(integer_at(row, "fault_code"));
  e.peak_force_n = real_at(row, "peak_force_n");
  e.hold_rms_error_percent = real_at(row, "hold_rms_error_percent");
  e.duration_s = real_at(row, "duration_s");
  e.journal_file = text_at(row, "journal_file");
  e.journal_bytes = static_cast<std::uint64_t>(integer_at(row, "journal_bytes").value_or(0));
  for (const auto &p : nlohmann::json::parse(text_at(row, "problems"))) {
    e.problems.push_back(p.get<std::string>());
  }
  e.indexed_utc = text_at(row, "indexed_utc");
  return e;
}

// SOCI binds an optional as a value and an indicator (a non-const one, which SOCI may write).
template <class T> struct Nullable {
  T value{};
  soci::indicator ind = soci::i_null;
  explicit Nullable(const std::optional<T> &v) {
    if (v) {
      value = *v;
      ind = soci::i_ok;
    }
  }
};

} // namespace

SessionEntry session_entry(const JournalView &journal, const std::string &table_name) {
  const auto &h = journal.header;
  const auto where = "journal " + journal.file + ": ";
  if (!h.is_object() || text_member(h, "session").empty() ||
      text_member(h, "started_utc").empty() || !h.contains("profile") ||
      !h["profile"].is_object()) {
    throw StoreError(StoreFailure::Invalid,
                     where + "no session header (session, started_utc and profile)");
  }
  // The session id is the store's key and the file's name: a copy ("X (copy).jsonl") or another
  // session's journal saved under this name would be indexed twice, or replace a session.
  if (text_member(h, "session") != journal.session_id) {
    throw StoreError(StoreFailure::Invalid,
                     where + "its header is session " + text_member(h, "session") +
                         ", but the file is named " + journal.session_id +
                         ".jsonl (a copy or a renamed journal; a journal keeps the name its "
                         "session gave it)");
  }
  SessionEntry e;
  e.session_id = journal.session_id;
  e.table_name = table_name;
  e.started_utc = text_member(h, "started_utc");
  const auto as_run = h["profile"].value("as_run", nlohmann::json::object());
  e.profile_id = text_member(as_run, "id");
  e.profile_name = text_member(as_run, "name");
  e.region = text_member(as_run, "region");
  if (const auto patient = h.find("patient"); patient != h.end() && patient->is_object()) {
    e.patient_id = text_member(*patient, "id");
    e.body_mass_kg = number_member<double>(*patient, "body_mass_kg");
  }
  if (const auto table = h.find("table"); table != h.end() && table->is_object()) {
    e.simulated = table->value("simulated", false);
  }
  e.header = without_checksum(h);
  e.events = nlohmann::json::array();
  double last_t = 0;
  for (const auto &event : journal.events) {
    e.events.push_back(without_checksum(event));
    last_t = std::max(last_t, number_member<double>(event, "t").value_or(0.0));
  }
  for (const auto &sample : journal.samples) {
    last_t = std::max(last_t, number_member<double>(sample, "t").value_or(0.0));
  }
  e.duration_s = rounded(last_t);
  if (journal.summary) {
    const auto &s = *journal.summary;
    e.summary = without_checksum(s);
    e.outcome = text_member(s, "outcome");
    e.exit_code = number_member<int>(s, "exit_code");
    e.fault_code = number_member<int>(s, "code");
    e.peak_force_n = number_member<double>(s, "peak_force_n");
    e.hold_rms_error_percent = number_member<double>(s, "hold_rms_error_percent");
  } else {
    e.outcome = "interrupted";
  }
  if (e.outcome.empty()) {
    e.outcome = "unknown";
  }
  e.curve = curve_of(journal.samples);
  e.journal_file = journal.file;
  e.journal_bytes = journal.bytes;
  e.problems = journal.problems;
  e.indexed_utc = utc_now();
  return e;
}

void index_session(RecordsStore &store, const SessionEntry &e, const std::function<void()> &also) {
  const std::string header = e.header.dump();
  const std::string events = e.events.dump();
  Nullable<std::string> summary(e.summary ? std::optional(e.summary->dump()) : std::nullopt);
  const std::string curve = e.curve.dump();
  const std::string problems = nlohmann::json(e.problems).dump();
  Nullable<std::string> patient(e.patient_id.empty() ? std::nullopt : std::optional(e.patient_id));
  Nullable<double> mass(e.body_mass_kg), peak(e.peak_force_n), rms(e.hold_rms_error_percent),
      duration(e.duration_s);
  Nullable<int> exit_code(e.exit_code), fault(e.fault_code);
  const int simulated = e.simulated ? 1 : 0;
  const auto bytes = static_cast<long long>(e.journal_bytes);
  store.in_transaction([&] {
    // Indexed again (once whole, or once more) only as the table that ran it: another name
    // would move a session to a table that never ran it.
    std::string ran_on;
    soci::indicator ind = soci::i_null;
    store.sql() << "SELECT table_name FROM sessions WHERE session_id = :id",
        soci::use(e.session_id), soci::into(ran_on, ind);
    if (store.sql().got_data() && ind == soci::i_ok && ran_on != e.table_name) {
      throw StoreError(StoreFailure::Invalid, "journal " + e.journal_file + ": session " +
                                                  e.session_id + " is indexed already as table " +
                                                  ran_on + "'s, not again as table " +
                                                  e.table_name + "'s");
    }
    store.sql() << "DELETE FROM sessions WHERE session_id = :id", soci::use(e.session_id);
    store.sql() << "INSERT INTO sessions (session_id, patient_id, table_name, started_utc,"
                   " profile_id, profile_name, region, body_mass_kg, simulated, outcome,"
                   " exit_code, fault_code, peak_force_n, hold_rms_error_percent, duration_s,"
                   " journal_file, journal_bytes, problems, header_json, events_json,"
                   " summary_json, curve_json, indexed_utc) VALUES (:id, :patient, :tbl, :t0,"
                   " :pid, :pname, :region, :kg, :sim, :outcome, :exit, :fault, :peak, :rms,"
                   " :dur, :file, :bytes, :problems, :header, :events, :summary, :curve, :t)",
        soci::use(e.session_id), soci::use(patient.value, patient.ind), soci::use(e.table_name),
        soci::use(e.started_utc), soci::use(e.profile_id), soci::use(e.profile_name),
        soci::use(e.region), soci::use(mass.value, mass.ind), soci::use(simulated),
        soci::use(e.outcome), soci::use(exit_code.value, exit_code.ind),
        soci::use(fault.value, fault.ind), soci::use(peak.value, peak.ind),
        soci::use(rms.value, rms.ind), soci::use(duration.value, duration.ind),
        soci::use(e.journal_file), soci::use(bytes), soci::use(problems), soci::use(header),
        soci::use(events), soci::use(summary.value, summary.ind), soci::use(curve),
        soci::use(e.indexed_utc);
    if (also) also();
  });
}

std::optional<SessionEntry> find_session(RecordsStore &store, const std::string &session_id) {
  try {
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kListColumns
                               << ", header_json, events_json, summary_json, curve_json"
                                  " FROM sessions WHERE session_id = :id",
         soci::use(session_id));
    for (const auto &row : rows) {
      auto e = listing_from(row);
      e.header = nlohmann::json::parse(text_at(row, "header_json"));
      e.events = nlohmann::json::parse(text_at(row, "events_json"));
      if (!is_null(row, "summary_json")) {
        e.summary = nlohmann::json::parse(text_at(row, "summary_json"));
      }
      e.curve = nlohmann::json::parse(text_at(row, "curve_json"));
      return e;
    }
    return std::nullopt;
  } catch (...) {
    store.rethrow("reading session " + session_id);
  }
}

std::vector<SessionEntry> sessions_of_patient(RecordsStore &store, const std::string &patient_id) {
  try {
    std::vector<SessionEntry> out;
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT " << kListColumns
                               << ", summary_json FROM sessions WHERE patient_id = :id"
                                  " ORDER BY started_utc, session_id",
         soci::use(patient_id));
    for (const auto &row : rows) {
      out.push_back(listing_from(row));
      // The summary (about 1 KiB) rides along: a course report counts each visit's guarding
      // from it (records/report/course_report.hpp).
      if (!is_null(row, "summary_json"))
        out.back().summary = nlohmann::json::parse(text_at(row, "summary_json"));
    }
    return out;
  } catch (...) {
    store.rethrow("reading the sessions of patient " + patient_id);
  }
}

std::vector<IndexedJournal> journals_of_table(RecordsStore &store, const std::string &table_name) {
  try {
    std::vector<IndexedJournal> out;
    soci::rowset<soci::row> rows =
        (store.query().prepare << "SELECT session_id, journal_file, journal_bytes FROM sessions"
                                  " WHERE table_name = :t ORDER BY session_id",
         soci::use(table_name));
    for (const auto &row : rows) {
      out.push_back({text_at(row, "session_id"), text_at(row, "journal_file"),
                     static_cast<std::uint64_t>(integer_at(row, "journal_bytes").value_or(0))});
    }
    return out;
  } catch (...) {
    store.rethrow("listing the journals of table " + table_name);
  }
}

} // namespace tractus::records
