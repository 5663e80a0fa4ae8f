#include "controller/journal_room.hpp"

#include "controller/session.hpp"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <system_error>

namespace tractus::controller {

namespace {
constexpr std::uint64_t kNoLimit = std::numeric_limits<std::uint64_t>::max();

// The process's file-size limit (RLIMIT_FSIZE, soft), or kNoLimit.
std::uint64_t file_size_limit() noexcept {
  rlimit limit{};
  if (::getrlimit(RLIMIT_FSIZE, &limit) != 0 || limit.rlim_cur == RLIM_INFINITY) return kNoLimit;
  return static_cast<std::uint64_t>(limit.rlim_cur);
}

std::uint64_t free_bytes(const struct statvfs &st) noexcept {
  return static_cast<std::uint64_t>(st.f_bavail) * static_cast<std::uint64_t>(st.f_frsize);
}

std::string megabytes(std::uint64_t bytes) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return text;
}
} // namespace

std::uint64_t journal_bytes_needed(Duration protocol, Duration ready_wait,
                                   double samples_per_second, std::uint64_t reserve_bytes) {
  constexpr double kHeader = 16 * 1024;           // measured: 3–4 KiB with the profile as run
  constexpr double kEventsAndSummary = 64 * 1024; // ~300 events of ≤ 200 bytes, summary ~1 KiB
  constexpr double kSampleLine = 200;             // measured: 140–160 bytes
  // Pretension and the session-time allowance as the supervisor allows them (16 s and 2 min),
  // and 10 min for pauses, the release and the wait for the acknowledgement (the loop samples
  // until then).
  const SupervisorTimings timings{};
  const double seconds_running = ready_wait.si() + protocol.si() + timings.pretension_timeout.si() +
                                 timings.session_overrun_allowance.si() + 600;
  const double bytes =
      (kHeader + kEventsAndSummary + seconds_running * samples_per_second * kSampleLine) * 1.25;
  return static_cast<std::uint64_t>(std::ceil(bytes)) + reserve_bytes;
}

std::uint64_t room_for_file(int fd, std::uint64_t size) noexcept {
  std::uint64_t room = kNoLimit;
  struct statvfs st {};
  if (::fstatvfs(fd, &st) == 0) room = free_bytes(st);
  const std::uint64_t limit = file_size_limit();
  if (limit != kNoLimit) room = std::min(room, limit > size ? limit - size : 0);
  return room;
}

JournalRoom check_journal_room(const std::filesystem::path &dir, std::uint64_t needed) {
  JournalRoom r;
  r.needed = needed;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  struct statvfs st {};
  if (::statvfs(dir.c_str(), &st) != 0) {
    r.problem = "the journal folder " + dir.string() + " cannot be used: " + std::strerror(errno);
    return r;
  }
  r.available = std::min(free_bytes(st), file_size_limit());
  if (r.available < needed)
    r.problem = "the journal folder " + dir.string() + " has room for " + megabytes(r.available) +
                " of journal; this session may write " + megabytes(needed) +
                " (its estimate with margin): free space there first";
  return r;
}

JournalRoom check_room_for_session(const std::filesystem::path &dir, Duration protocol,
                                   Duration ready_wait) {
  return check_journal_room(
      dir,
      journal_bytes_needed(protocol, ready_wait, kJournalSamplesPerSecond, kJournalReserveBytes));
}

} // namespace tractus::controller
