#include "console/journal_index.hpp"

#include "controller/fault_codes.hpp"
#include "controller/journal_reader.hpp"
#include "controller/session.hpp"

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>

namespace tractus::console {

namespace {

constexpr const char *kSuffix = ".jsonl";

nlohmann::json value_at(const nlohmann::json &j, const nlohmann::json::json_pointer &p) {
  return j.is_object() && j.contains(p) ? j.at(p) : nlohmann::json();
}

// A journal written to within this long may still be written (samples come at least once a
// second, DESIGN §5): not yet called interrupted.
constexpr auto kStillWriting = std::chrono::seconds(10);

controller::JournalContents read_safely(const std::filesystem::path &file) {
  try {
    return controller::read_journal(file);
  } catch (const std::exception &e) {
    controller::JournalContents c;
    c.problems.push_back(e.what());
    return c;
  }
}

// Why the journal cannot be used at all, or "" when it has a header.
std::string unreadable_reason(const std::filesystem::path &file, std::uintmax_t size,
                              const controller::JournalContents &c) {
  if (std::ifstream in(file, std::ios::binary); !in)
    return std::string("cannot be read: ") + std::strerror(errno);
  if (size == 0)
    return "empty (0 bytes): tractus stopped before it wrote the header (a full disk, a crash)";
  if (!c.header.is_object() || c.header.value("type", "") != "header")
    return "no header line: not a session journal, or damaged from its first line";
  return "";
}

// What an unfinished journal last recorded: the latest of its last sample and last event.
nlohmann::json last_record(const controller::JournalContents &c) {
  nlohmann::json last = {{"t_s", nullptr}, {"state", nullptr}, {"force_N", nullptr}};
  if (!c.samples.empty()) {
    const auto &s = c.samples.back();
    last = {{"t_s", s.value("t", 0.0)},
            {"state", s.value("state", "")},
            {"force_N", s.value("force", 0.0)}};
  }
  if (!c.events.empty() && c.events.back().value("t", 0.0) >= last.value("t_s", -1.0)) {
    last["t_s"] = c.events.back().value("t", 0.0);
    last["state"] = c.events.back().value("state", "");
  }
  return last;
}

std::string number_text(const nlohmann::json &n, int decimals) {
  if (!n.is_number()) return "?";
  char text[32];
  std::snprintf(text, sizeof text, "%.*f", decimals, n.get<double>());
  return text;
}

// A session whose loop ended before its first start: not "running" (the controller's word for
// an outcome not yet reached), which is what such journals said before this was named.
nlohmann::json outcome_of(const nlohmann::json &summary) {
  nlohmann::json outcome = value_at(summary, nlohmann::json::json_pointer("/outcome"));
  if (outcome == "running") return "not started";
  return outcome;
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
               {"outcome", c.summary ? outcome_of(*c.summary) : nlohmann::json()},
               {"code", c.summary ? value_at(*c.summary, P("/code")) : nlohmann::json()},
               // Muscle guarding as the summary counts it ({"events","largest_n","seconds"});
               // null for a journal without it (older, or unfinished).
               {"guarding", c.summary ? value_at(*c.summary, P("/guarding")) : nlohmann::json()},
               {"problems", c.problems},
               {"journal", file.string()}};
  if (const std::string why = unreadable_reason(file, size, c); !why.empty()) {
    e.listing["outcome"] = "unreadable";
    e.listing["unreadable"] = why;
  } else if (!c.summary) {
    e.unfinished = true;
    const nlohmann::json last = last_record(c);
    e.listing["last"] = last;
    e.interruption = {
        {"session", id},
        {"started_utc", started},
        {"t_s", last["t_s"]},
        {"code", nullptr},
        {"name", "interrupted"},
        {"meaning", "the session's journal ends without its summary: tractus stopped mid-session "
                    "(a crash, a kill or a power cut); last recorded at " +
                        number_text(last["t_s"], 1) + " s, " +
                        (last["state"].is_string() ? last["state"].get<std::string>() : "?") +
                        ", " + number_text(last["force_N"], 1) + " N"}};
  }
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

nlohmann::json JournalIndex::listing_now(const std::string &id, const std::filesystem::path &file,
                                         const std::string &live_id, bool grace) const {
  const Entry &e = entry(id, file);
  nlohmann::json listing = e.listing;
  if (!e.unfinished) return listing;
  const bool writing =
      id == live_id ||
      (grace && std::filesystem::file_time_type::clock::now() - e.written < kStillWriting);
  listing["outcome"] = writing ? "in-progress" : "interrupted";
  if (!writing) listing["problems"].push_back(e.interruption["meaning"].get<std::string>());
  return listing;
}

ApiResult JournalIndex::list(const std::string &live_id) const {
  const std::lock_guard lock(mutex_);
  nlohmann::json sessions = nlohmann::json::array();
  for (const auto &[id, file] : files()) {
    if (sessions.size() == kMaxListedSessions) break;
    sessions.push_back(listing_now(id, file, live_id));
  }
  return api_ok({{"sessions", std::move(sessions)}, {"journal_dir", dir_.string()}});
}

nlohmann::json JournalIndex::newest_outcome() const {
  const std::lock_guard lock(mutex_);
  const auto all = files();
  if (all.empty()) return nullptr;
  // No grace: called as the console starts, when no session of its own writes, and a journal
  // it finds unfinished is one a crash (perhaps a second ago) cut short.
  const nlohmann::json l = listing_now(all.front().first, all.front().second, {}, false);
  nlohmann::json o = {
      {"id", l["id"]}, {"outcome", l["outcome"]}, {"code", l["code"]}, {"journal", l["journal"]}};
  if (l.contains("last")) o["last"] = l["last"];
  if (l.value("guarding", nlohmann::json()).is_object()) o["guarding"] = l["guarding"];
  if (l.contains("unreadable")) o["unreadable"] = l["unreadable"];
  return o;
}

ApiResult JournalIndex::one(const std::string &id, const std::string &live_id) const {
  std::filesystem::path file;
  for (const auto &[name, path] : files())
    if (name == id) file = path; // only a name the folder itself lists
  if (file.empty()) return api_error(404, "not-found", "session \"" + id + "\": no such journal");
  nlohmann::json listing;
  {
    const std::lock_guard lock(mutex_);
    listing = listing_now(id, file, live_id);
  }
  const controller::JournalContents c = read_safely(file);
  const std::size_t n = c.samples.size();
  const std::size_t stride = n <= kMaxCurvePoints ? 1 : (n + kMaxCurvePoints - 1) / kMaxCurvePoints;
  nlohmann::json samples = nlohmann::json::array();
  for (std::size_t i = 0; i < n; i += stride) {
    const auto &s = c.samples[i];
    samples.push_back({s.value("t", 0.0), s.value("setpoint", 0.0), s.value("force", 0.0)});
  }
  nlohmann::json body = {{"id", id},
                         {"outcome", listing["outcome"]},
                         {"header", c.header},
                         {"events", c.events},
                         {"summary", c.summary ? *c.summary : nlohmann::json()},
                         {"problems", listing["problems"]},
                         {"last_line_partial", c.last_line_partial},
                         {"samples", std::move(samples)},
                         {"samples_total", n}};
  for (const char *key : {"last", "unreadable"})
    if (listing.contains(key)) body[key] = listing[key];
  return api_ok(std::move(body));
}

ApiResult JournalIndex::faults(const std::string &live_id) const {
  const std::lock_guard lock(mutex_);
  nlohmann::json faults = nlohmann::json::array();
  for (const auto &[id, file] : files()) {
    const nlohmann::json listing = listing_now(id, file, live_id);
    const Entry &e = entry(id, file);
    // Newest first: sessions are; within one, the interruption (its end), then the later
    // fault first.
    if (listing["outcome"] == "interrupted") faults.push_back(e.interruption);
    for (auto it = e.faults.rbegin(); it != e.faults.rend(); ++it)
      faults.push_back(*it);
  }
  return api_ok({{"faults", std::move(faults)}});
}

} // namespace tractus::console
