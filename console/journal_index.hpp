// Past sessions from the journals (GET /api/sessions, /api/sessions/{id}, /api/tech/faults).
//
// Every journal is read with controller::read_journal, which checks each line's checksum: a
// damaged journal is listed with its problems, never trusted silently and never a crash. A
// journal's summary and faults are kept, keyed by file size and time, so listing a folder of
// long sessions reads each file once, not on every request.
//
// Ids are matched against the folder's listing, never joined into a path as given, so no id
// ("../x", "/etc/passwd", "a%2Fb") can name a file outside the journal folder.
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
  //   "simulated","problems"},…]}: newest first, at most 200.
  ApiResult list() const;
  // {"id","header","events","summary","problems","samples":[[t,setpoint,force],…≤2000]}; 404
  // for an id that is no journal in the folder.
  ApiResult one(const std::string &id) const;
  // {"faults":[{"session","started_utc","t_s","code","name","meaning"},…]}: every latched
  // fault in every journal, newest first.
  ApiResult faults() const;

private:
  struct Entry {
    std::uintmax_t size = 0;
    std::filesystem::file_time_type written{};
    nlohmann::json listing;             // one element of list()
    std::vector<nlohmann::json> faults; // elements of faults()
  };
  // The folder's journals, newest first: file name without ".jsonl" (the session id) → path.
  [[nodiscard]] std::vector<std::pair<std::string, std::filesystem::path>> files() const;
  const Entry &entry(const std::string &id, const std::filesystem::path &file) const;

  std::filesystem::path dir_;
  mutable std::mutex mutex_;
  mutable std::map<std::string, Entry> cache_;
};

} // namespace tractus::console
