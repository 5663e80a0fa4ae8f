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

// 10^d for d = 0..9, as journal_number() computes it.
const std::array<double, 10> kPowersOfTen = [] {
  std::array<double, 10> p{};
  for (std::size_t d = 0; d < p.size(); ++d)
    p[d] = std::pow(10.0, static_cast<double>(d));
  return p;
}();

// `value` with at most `decimals` places and no trailing zeros ("2.501", "0.0", "-12.5").
//
// Nearly every number of a journal goes through here, on the writer thread: the digits come from
// the integer round(value·10^d) rather than from printf. They are printf's digits: "%.*f" prints
// journal_number(value, d) = round(value·10^d) / 10^d as the d-place decimal nearest to it, and
// while |round(value·10^d)| < 2^52 that double lies within half of its ulp, less than half of
// 10^-d, of the integer's own decimal. Anything else (NaN, infinities, huge values, d > 9) takes
// printf's way.
std::array<char, 32> decimal(double value, int decimals) {
  std::array<char, 32> text{};
  if (decimals >= 0 && static_cast<std::size_t>(decimals) < kPowersOfTen.size()) {
    const auto places = static_cast<std::size_t>(decimals);
    const double scaled = std::round(value * kPowersOfTen[places]);
    if (std::abs(scaled) < 0x1p52) {
      // Digits, least significant first, at least one before the point.
      char digits[24];
      std::size_t n = 0;
      for (auto v = static_cast<std::uint64_t>(std::abs(scaled)); v != 0 || n <= places; v /= 10)
        digits[n++] = static_cast<char>('0' + v % 10);
      // printf's text without its trailing zeros (one kept after the point).
      std::size_t keep = 0; // fraction digits kept
      if (places > 0) {
        keep = places;
        while (keep > 1 && digits[places - keep] == '0')
          --keep;
      }
      const bool zero = scaled == 0.0;
      std::size_t out = 0;
      // "-0.0" becomes "0.0", as below; printf's "-0" (no places) stays.
      if (std::signbit(scaled) && !(zero && places > 0)) text[out++] = '-';
      for (std::size_t i = n; i > places; --i)
        text[out++] = digits[i - 1];
      if (places > 0) {
        text[out++] = '.';
        for (std::size_t i = places; i > places - keep; --i)
          text[out++] = digits[i - 1];
      }
      text[out] = '\0';
      return text;
    }
  }
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

// Sets `line` to the sealed line of `json_object` (its text must end in '}'), reusing line's
// storage: the writer seals every sample in one buffer of its own.
void seal_into(std::string &line, std::string_view json_object) {
  // The checksum covers the object's text without its closing brace.
  const std::string_view body = json_object.substr(0, json_object.size() - 1);
  // "%08x" of the checksum.
  static constexpr std::string_view kHexDigits = "0123456789abcdef";
  char hex[8];
  std::uint32_t crc = crc32(body);
  for (std::size_t i = sizeof hex; i > 0; --i, crc >>= 4U)
    hex[i - 1] = kHexDigits[crc & 0xFU];
  line.assign(body);
  line += kCrcKey;
  line.append(hex, sizeof hex);
  line += "\"}\n";
}

} // namespace

double journal_number(double value, int decimals) noexcept {
  const double scale = std::pow(10.0, decimals);
  return std::round(value * scale) / scale;
}

std::string seal_line(const std::string &json_object) {
  std::string line;
  line.reserve(json_object.size() + kSuffixLength + 1);
  seal_into(line, json_object);
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
    char line[400]; // nine numbers of at most 31 characters, the keys and a state
    std::snprintf(line, sizeof line,
                  R"({"type":"sample","t":%s,"setpoint":%s,"force":%s,"command":%s,)"
                  R"("state":"%s","protocol_time":%s,"stiffness":%s,"damping":%s,)"
                  R"("identified":%s})",
                  decimal(r.t, 4).data(), decimal(r.setpoint, 2).data(),
                  decimal(r.measured, 2).data(), decimal(r.command, 6).data(), to_string(r.state),
                  decimal(r.protocol_time, 3).data(), decimal(r.stiffness, 0).data(),
                  decimal(r.damping, 1).data(), r.identified ? "true" : "false");
    // Sealed in the writer thread's own buffer: no allocation per sample.
    thread_local std::string sealed;
    seal_into(sealed, line);
    if (!append(sealed)) dropped_.fetch_add(1, std::memory_order_relaxed);
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
  if (r.event.kind == EventKind::GuardingOnset || r.event.kind == EventKind::GuardingEnd)
    j["size_n"] = journal_number(r.event.value, 1);
  if (r.event.kind == EventKind::WatchdogReset)
    j["stall_ms"] = journal_number(r.event.value * 1e3, 1);
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
