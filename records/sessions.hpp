// The session index: what the store keeps of each journal.
//
// The journal stays on the table that ran the session, the primary and checksummed record. The
// store keeps what a report and every other table of the clinic need without that file: the
// header, every event, the summary, and the force curve at one point a second (the highest
// force of each second, so no peak is lost to the thinning). A journal indexed twice replaces
// its entry (a session interrupted then finished by its own summary, or re-imported after a
// repair): the session id is the key.
#pragma once

#include "records/store.hpp"

#include <nlohmann/json.hpp>

#include <functional>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tractus::records {

// A journal as read back (controller::read_journal gives these; records/ does not read files).
struct JournalView {
  std::string session_id; // the file name without .jsonl
  std::string file;       // where it is, as the table that indexed it knows it
  std::uint64_t bytes = 0;
  nlohmann::json header;
  std::vector<nlohmann::json> samples;
  std::vector<nlohmann::json> events;
  std::optional<nlohmann::json> summary;
  std::vector<std::string> problems; // damaged lines, "FILE:LINE: what is wrong"
};

struct SessionEntry {
  std::string session_id;
  std::string patient_id; // empty when the session named none
  std::string table_name;
  std::string started_utc;
  std::string profile_id, profile_name, region;
  std::optional<double> body_mass_kg;
  bool simulated = false;
  std::string outcome; // the summary's, or "interrupted" when the journal has none
  std::optional<int> exit_code, fault_code;
  std::optional<double> peak_force_n, hold_rms_error_percent, duration_s;
  std::string journal_file;
  std::uint64_t journal_bytes = 0;
  std::vector<std::string> problems;
  nlohmann::json header; // without its checksum
  nlohmann::json events; // array, without checksums
  std::optional<nlohmann::json> summary;
  nlohmann::json curve; // [[t_s, setpoint_N, force_N], …] one a second
  std::string indexed_utc;
};

// What the store keeps of a journal. Throws StoreError Invalid when the view is no session
// journal (no header, or a header without session, start time or profile), naming the file.
[[nodiscard]] SessionEntry session_entry(const JournalView &journal, const std::string &table_name);

// Inserts or replaces the entry of its session id; `also`, when given, runs in the same
// transaction (a visit tied or released with it: records/courses.hpp).
void index_session(RecordsStore &store, const SessionEntry &entry,
                   const std::function<void()> &also = {});
[[nodiscard]] std::optional<SessionEntry> find_session(RecordsStore &store,
                                                       const std::string &session_id);
// A patient's sessions, oldest first, with their summaries but without header, events and
// curve (a listing).
[[nodiscard]] std::vector<SessionEntry> sessions_of_patient(RecordsStore &store,
                                                            const std::string &patient_id);

// Every session `table_name` indexed: where its journal was and its size then.
struct IndexedJournal {
  std::string session_id, file;
  std::uint64_t bytes = 0;
};
[[nodiscard]] std::vector<IndexedJournal> journals_of_table(RecordsStore &store,
                                                            const std::string &table_name);

} // namespace tractus::records
