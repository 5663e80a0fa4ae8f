// Past sessions from the journals (GET /api/sessions, /api/sessions/{id}, /api/tech/faults).
//
// Every journal is read with controller::read_journal, which checks each line's checksum: a
// damaged journal is listed with its problems, never trusted silently and never a crash. A
// journal's summary and faults are kept, keyed by file size and time, so listing a folder of
// long sessions reads each file once, not on every request.
//
// Ids are matched against the folder's listing, never joined into a path as given, so no id
// ("../x", "/etc/passwd", "a%2Fb") can name a file outside the journal folder.
//
// A journal that ends without its summary line is a session cut short (a crash or a power cut
// mid-session; DESIGN §5): it is listed with outcome "interrupted" and what it last recorded
// (time, state, force), and it has its entry in the fault history. One still being written (the
// session loaded now, or a journal written within the last 10 s, e.g. by `tractus run`) is
// "in-progress". A journal that cannot be read at all (no permission, 0 bytes, no header) is
// listed as "unreadable" with the reason, never left out.
#pragma once

#include "console/api_result.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace tractus::console {

inline constexpr std::size_t kMaxListedSessions = 200;
inline constexpr std::size_t kMaxCurvePoints = 2000;

class JournalIndex {
public:
  explicit JournalIndex(std::filesystem::path dir) : dir_(std::move(dir)) {}

  // {"sessions":[{"id","started_utc","profile","patient","outcome","code","complete",
  //   "simulated","problems", "last":{"t_s","state","force_N"} (interrupted),
  //   "unreadable" (why)},…]}: newest first, at most 200. `live_id` names the session loaded now
  // (in progress, not interrupted).
  ApiResult list(const std::string &live_id = {}) const;
  // {"id","outcome","header","events","summary","problems","samples":[[t,setpoint,force],…≤2000],
  //  "last"/"unreadable" as in list()}; 404
  // for an id that is no journal in the folder.
  ApiResult one(const std::string &id, const std::string &live_id = {}) const;
  // {"faults":[{"session","started_utc","t_s","code","name","meaning"},…]}: every latched
  // fault in every journal, and every interrupted session (code null, name "interrupted"),
  // newest first.
  ApiResult faults(const std::string &live_id = {}) const;
  // How the newest session in the folder ended, as GET /api/state's last_session
  // ({"id","outcome","code","journal", "last" when interrupted}); null for an empty folder.
  // For the console's start: an unfinished journal is interrupted, however recently written.
  [[nodiscard]] nlohmann::json newest_outcome() const;

private:
  struct Entry {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type written{};
    nlohmann::json listing;             // one element of list(), outcome aside
    std::vector<nlohmann::json> faults; // elements of faults(), interruption aside
    bool unfinished = false;            // a header and no summary: in progress or interrupted
    nlohmann::json interruption;        // the fault-history entry if it was interrupted
  };
  // The folder's journals, newest first: file name without ".jsonl" (the session id) → path.
  [[nodiscard]] std::vector<std::pair<std::string, std::filesystem::path>> files() const;
  const Entry &entry(const std::string &id, const std::filesystem::path &file) const;
  // The listing with its outcome as of now (whether an unfinished journal is still written).
  [[nodiscard]] nlohmann::json listing_now(const std::string &id, const std::filesystem::path &file,
                                           const std::string &live_id, bool grace = true) const;

  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Entry> cache_;
};

} // namespace tractus::console
