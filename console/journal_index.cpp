#include "console/journal_index.hpp"

#include "controller/fault_codes.hpp"
#include "controller/journal_reader.hpp"
#include "controller/session.hpp"

#include <algorithm>

namespace tractus::console {

namespace {

constexpr const char *kSuffix = ".jsonl";

nlohmann::json value_at(const nlohmann::json &j, const nlohmann::json::json_pointer &p) {
  return j.is_object() && j.contains(p) ? j.at(p) : nlohmann::json();
}

controller::JournalContents read_safely(const std::filesystem::path &file) {
  try {
    return controller::read_journal(file);
  } catch (const std::exception &e) {
    controller::JournalContents c;
    c.problems.push_back(e.what());
    return c;
  }
}

// Session ids made by tractus start with the UTC time ("20250301T093000Z-…"), so the names'
// order is the sessions' order.
bool newer_first(const std::pair<std::string, std::filesystem::path> &a,
                 const std::pair<std::string, std::filesystem::path> &b) {
  return a.first > b.first;
}

} // namespace

std::vector<std::pair<std::string, std::filesystem::path>> JournalIndex::files() const {
  std::vector<std::pair<std::string, std::filesystem::path>> out;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir_, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (!it->is_regular_file(ec) || name.size() <= 6 || !name.ends_with(kSuffix)) continue;
    out.emplace_back(name.substr(0, name.size() - 6), it->path());
  }
  std::sort(out.begin(), out.end(), newer_first);
  return out;
}

const JournalIndex::Entry &JournalIndex::entry(const std::string &id,
                                               const std::filesystem::path &file) const {
  std::error_code ec;
  const auto size = std::filesystem::file_size(file, ec);
  const auto written = std::filesystem::last_write_time(file, ec);
  auto found = cache_.find(id);
  if (found != cache_.end() && found->second.size == size && found->second.written == written)
    return found->second;

  const controller::JournalContents c = read_safely(file);
  Entry e;
  e.size = size;
  e.written = written;
  using P = nlohmann::json::json_pointer;
  const nlohmann::json started = value_at(c.header, P("/started_utc"));
  e.listing = {{"id", id},
               {"started_utc", started},
               {"profile", value_at(c.header, P("/profile/as_run/id"))},
               {"patient", value_at(c.header, P("/patient/id"))},
               {"simulated", value_at(c.header, P("/table/simulated"))},
               {"source",
                c.header.is_object() && c.header.contains("operator") ? "console" : "command line"},
               {"complete", c.summary.has_value()},
               {"outcome", c.summary ? value_at(*c.summary, P("/outcome")) : nlohmann::json()},
               {"code", c.summary ? value_at(*c.summary, P("/code")) : nlohmann::json()},
               {"problems", c.problems}};
  for (const auto &ev : c.events) {
    if (ev.value("event", "") != controller::to_string(controller::EventKind::FaultLatched))
      continue;
    const int code = ev.value("code", 0);
    const auto &i = controller::info(static_cast<controller::FaultCode>(code));
    e.faults.push_back({{"session", id},
                        {"started_utc", started},
                        {"t_s", ev.value("t", 0.0)},
                        {"code", code},
                        {"name", ev.value("fault", std::string(i.name))},
                        {"meaning", i.meaning}});
  }
  // A journal still being written changes size; it is read again next time.
  return cache_[id] = std::move(e);
}

ApiResult JournalIndex::list() const {
  const std::lock_guard lock(mutex_);
  nlohmann::json sessions = nlohmann::json::array();
  for (const auto &[id, file] : files()) {
    if (sessions.size() == kMaxListedSessions) break;
    sessions.push_back(entry(id, file).listing);
  }
  return api_ok({{"sessions", std::move(sessions)}, {"journal_dir", dir_.string()}});
}

ApiResult JournalIndex::one(const std::string &id) const {
  std::filesystem::path file;
  for (const auto &[name, path] : files())
    if (name == id) file = path; // only a name the folder itself lists
  if (file.empty()) return api_error(404, "not-found", "session \"" + id + "\": no such journal");
  const controller::JournalContents c = read_safely(file);
  const std::size_t n = c.samples.size();
  const std::size_t stride = n <= kMaxCurvePoints ? 1 : (n + kMaxCurvePoints - 1) / kMaxCurvePoints;
  nlohmann::json samples = nlohmann::json::array();
  for (std::size_t i = 0; i < n; i += stride) {
    const auto &s = c.samples[i];
    samples.push_back({s.value("t", 0.0), s.value("setpoint", 0.0), s.value("force", 0.0)});
  }
  return api_ok({{"id", id},
                 {"header", c.header},
                 {"events", c.events},
                 {"summary", c.summary ? *c.summary : nlohmann::json()},
                 {"problems", c.problems},
                 {"last_line_partial", c.last_line_partial},
                 {"samples", std::move(samples)},
                 {"samples_total", n}});
}

ApiResult JournalIndex::faults() const {
  const std::lock_guard lock(mutex_);
  nlohmann::json faults = nlohmann::json::array();
  for (const auto &[id, file] : files()) {
    const Entry &e = entry(id, file);
    // Newest first: sessions are; within one, the later fault first.
    for (auto it = e.faults.rbegin(); it != e.faults.rend(); ++it)
      faults.push_back(*it);
  }
  return api_ok({{"faults", std::move(faults)}});
}

} // namespace tractus::console
