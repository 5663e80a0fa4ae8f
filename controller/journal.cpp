#include "controller/journal.hpp"
#include "controller/crc32.hpp"
#include "controller/journal_room.hpp"

#include <array>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace tractus::controller {

namespace {
constexpr std::string_view kCrcKey = ",\"crc32\":\"";
// The sealed suffix is ,"crc32":"xxxxxxxx"} : the key, 8 hex digits, a quote and the brace.
constexpr std::size_t kSuffixLength = kCrcKey.size() + 8 + 2;

// `value` with at most `decimals` places and no trailing zeros ("2.501", "0.0", "-12.5").
std::array<char, 32> decimal(double value, int decimals) {
  std::array<char, 32> text{};
  std::snprintf(text.data(), text.size(), "%.*f", decimals, journal_number(value, decimals));
  std::size_t n = std::strlen(text.data());
  if (std::memchr(text.data(), '.', n) != nullptr) {
    while (n > 0 && text[n - 1] == '0')
      text[--n] = '\0';
    if (n > 0 && text[n - 1] == '.') text[n++] = '0'; // keep "1.0" a number with a point
  }
  if (std::strcmp(text.data(), "-0.0") == 0) std::strcpy(text.data(), "0.0");
  return text;
}

} // namespace

double journal_number(double value, int decimals) noexcept {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string seal_line(const std::string &json_object) {
  // The checksum covers the object's text without its closing brace.
  const std::string_view body(json_object.data(), json_object.size() - 1);
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc32(body));
  std::string line(body);
  line += kCrcKey;
  line += hex;
  line += "\"}\n";
  return line;
}

bool line_intact(std::string_view line) {
  while (!line.empty() && (line.back() == '\n' || line.back() == '\r'))
    line.remove_suffix(1);
  if (line.size() < kSuffixLength + 2 || line.back() != '}') return false;
  const std::string_view body = line.substr(0, line.size() - kSuffixLength);
  const std::string_view suffix = line.substr(line.size() - kSuffixLength);
  if (suffix.substr(0, kCrcKey.size()) != kCrcKey) return false;
  char hex[9];
  std::snprintf(hex, sizeof hex, "%08x", crc32(body));
  return suffix.substr(kCrcKey.size(), 8) == std::string_view(hex, 8) &&
         suffix.substr(kCrcKey.size() + 8) == "\"}";
}

Journal::Journal(const std::filesystem::path &dir, const std::string &session_id,
                 const nlohmann::ordered_json &header, const JournalOptions &options)
    : options_(options) {
  // A write past RLIMIT_FSIZE raises SIGXFSZ, whose default action ends the process: mid-pull
  // that is an uncontrolled release. Ignored, the write fails with EFBIG and becomes fault 204.
  std::signal(SIGXFSZ, SIG_IGN);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  path_ = dir / (session_id + ".jsonl");
  // 0600: the journal is a patient's record (pseudonymous, but still health data).
  fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC, 0600);
  if (fd_ < 0)
    throw std::runtime_error("cannot create journal " + path_.string() + ": " +
                             std::strerror(errno));
  nlohmann::ordered_json h;
  h["type"] = "header";
  h["format"] = "tractus.journal/1";
  h["session"] = session_id;
  for (const auto &[k, v] : header.items())
    h[k] = v;
  if (!append(seal_line(h.dump()))) {
    // No header, no journal: an empty file would be listed as a session that never was.
    ::close(fd_);
    fd_ = -1;
    ::unlink(path_.c_str());
    throw std::runtime_error(failure_);
  }
  writer_ = std::thread([this] { run(); });
}

Journal::~Journal() {
  stop_ = true;
  if (writer_.joinable()) writer_.join();
  if (fd_ >= 0) ::close(fd_);
}

bool Journal::try_push(const JournalRecord &rec) noexcept {
  // Samples leave room for events: losing a sample thins a plot, losing an event loses a fact.
  if (rec.kind == JournalRecord::Kind::Sample && queue_.write_available() <= kEventReserve) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return false;
  }
  if (queue_.push(rec)) return true;
  dropped_.fetch_add(1, std::memory_order_relaxed);
  return false;
}

void Journal::push_waiting(const JournalRecord &rec) noexcept {
  while (!queue_.push(rec))
    std::this_thread::yield();
}

std::string Journal::failure() const { return failed() ? failure_ : std::string(); }

void Journal::note_failure(const std::string &why) {
  if (failed_.load(std::memory_order_relaxed)) return;
  failure_ = why;
  failed_.store(true, std::memory_order_release);
}

// One sealed line, in as many write(2)s as the kernel needs. If one fails (ENOSPC, EFBIG, EIO)
// the part already written is cut off again, so the file ends on its last whole line.
bool Journal::append(const std::string &line) {
  if (broken_) return false;
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n > 0) {
      done += static_cast<std::size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    const int error = n < 0 ? errno : ENOSPC; // nothing written and no error: no room
    samples_fit_ = false;
    if (done > 0 && ::ftruncate(fd_, static_cast<off_t>(committed_)) != 0) {
      broken_ = true;
      note_failure("cannot cut a partial line off journal " + path_.string() + ": " +
                   std::strerror(errno));
    }
    note_failure("cannot write journal " + path_.string() + ": " + std::strerror(error));
    return false;
  }
  committed_ += line.size();
  since_room_check_ += line.size();
  return true;
}

// Whether the room left still holds the session's end (JournalOptions::reserve_bytes).
void Journal::check_room() {
  since_room_check_ = 0;
  const std::uint64_t left = room_for_file(fd_, committed_);
  samples_fit_ = left >= options_.reserve_bytes / 2;
  if (left < options_.reserve_bytes)
    note_failure("journal " + path_.string() + " is short of room: " + std::to_string(left) +
                 " bytes left, " + std::to_string(options_.reserve_bytes) +
                 " kept for the session's end");
}

void Journal::write_record(const JournalRecord &r) {
  if (r.kind == JournalRecord::Kind::Sample) {
    // Samples are nearly every line: formatted directly, same text as the JSON library's. One
    // that does not fit is dropped and counted; it never waits for room.
    if (!samples_fit_ || !backlog_.empty()) {
      dropped_.fetch_add(1, std::memory_order_relaxed);
      return;
    }
    char line[256];
    std::snprintf(line, sizeof line,
                  R"({"type":"sample","t":%s,"setpoint":%s,"force":%s,"command":%s,)"
                  R"("state":"%s","protocol_time":%s})",
                  decimal(r.t, 4).data(), decimal(r.setpoint, 2).data(),
                  decimal(r.measured, 2).data(), decimal(r.command, 6).data(), to_string(r.state),
                  decimal(r.protocol_time, 3).data());
    if (!append(seal_line(line))) dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  if (options_.on_event) options_.on_event(r);
  nlohmann::ordered_json j;
  j["type"] = "event";
  j["t"] = journal_number(r.t, 4);
  j["event"] = to_string(r.event.kind);
  j["state"] = to_string(r.event.state);
  if (r.event.code != FaultCode::None) {
    j["code"] = number(r.event.code);
    j["fault"] = info(r.event.code).name;
  }
  j["detail"] = r.event.detail != nullptr ? r.event.detail : "";
  j["protocol_time"] = journal_number(r.protocol_time, 3);
  std::string line = seal_line(j.dump());
  // Events keep their order: while older ones wait for room, a new one waits behind them.
  if (backlog_.empty() && append(line)) return;
  if (backlog_.size() < kBacklogLines)
    backlog_.push_back(std::move(line));
  else
    dropped_.fetch_add(1, std::memory_order_relaxed);
}

void Journal::drain() {
  check_room();
  // Events that found no room earlier go first, as soon as room returns.
  while (!backlog_.empty() && append(backlog_.front()))
    backlog_.pop_front();
  JournalRecord r;
  while (queue_.pop(r)) {
    write_record(r);
    if (since_room_check_ >= kRoomCheckEvery) check_room();
  }
}

void Journal::run() {
  while (!stop_.load()) {
    drain();
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  drain();
}

bool Journal::finish(const nlohmann::ordered_json &summary) {
  stop_ = true;
  if (writer_.joinable()) writer_.join();
  drain();
  nlohmann::ordered_json s;
  s["type"] = "summary";
  for (const auto &[k, v] : summary.items())
    s[k] = v;
  s["journal_records_dropped"] = dropped();
  if (failed()) s["journal_problem"] = failure_;
  const bool written = backlog_.empty() && append(seal_line(s.dump()));
  if (::fsync(fd_) != 0)
    note_failure("cannot fsync journal " + path_.string() + ": " + std::strerror(errno));
  return written;
}

} // namespace tractus::controller
