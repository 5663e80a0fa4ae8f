// Room for a session's journal: how much a session may write, how much the file system and the
// process's file-size limit allow, and the check made before a session is loaded or started
// (refusal 118, docs/fault-codes.md). The estimate is documented in docs/journal.md.
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <filesystem>
#include <string>

namespace tractus::controller {

// The room a journal keeps for the session's end (JournalOptions::reserve_bytes).
inline constexpr std::uint64_t kJournalReserveBytes = 64 * 1024;
// Journal lines per second of a session: one sample every 100 ms (LoopOptions::sample_every).
inline constexpr double kJournalSamplesPerSecond = 10;

// An upper estimate of a journal's size, with its margin: the time the loop may run (waiting in
// Ready, the protocol, pretension, the session-time allowance, and 10 min for pauses, the release
// and the wait for the acknowledgement) at `samples_per_second` lines of at most 200 bytes, plus
// 16 KiB of header and 64 KiB of events and summary; all × 1.25, plus the writer's reserve.
std::uint64_t journal_bytes_needed(Duration protocol, Duration ready_wait,
                                   double samples_per_second, std::uint64_t reserve_bytes);

// Bytes one file of `size` bytes may still grow by: free space on its file system for an
// unprivileged writer, and the soft RLIMIT_FSIZE. `fd` is the open file.
std::uint64_t room_for_file(int fd, std::uint64_t size) noexcept;

struct JournalRoom {
  std::uint64_t needed = 0;
  std::uint64_t available = 0;
  std::string problem; // empty: there is room
  [[nodiscard]] bool ok() const noexcept { return problem.empty(); }
};

// Whether a new journal in `dir` (created if missing) has room for `needed` bytes. Creates no
// file in it. The problem, if any, names the folder and both figures.
JournalRoom check_journal_room(const std::filesystem::path &dir, std::uint64_t needed);

// The check before a session is loaded or started: room in `dir` for a session of `protocol`
// that may wait `ready_wait` for its start (refusal 118 when there is not).
JournalRoom check_room_for_session(const std::filesystem::path &dir, Duration protocol,
                                   Duration ready_wait);

} // namespace tractus::controller
