// The session journal: an append-only JSON-lines file, "format": "tractus.journal/1".
//
// Line 1 is the header (session, profile as run, patient id and weight, calibration, software
// version); then decimated samples and every event; the last line is the summary. Each line ends
// with a "crc32" member: the CRC-32 of the line's text up to that member (see
// docs/journal.md). Lines are written with one write(2) each, so a crash of this process loses
// at most the line being written; a write that fails (a full disk, a file-size limit) is cut
// back to the last whole line, so the file always ends on a whole line.
//
// A journal that cannot be written is a fault like any other (204, docs/fault-codes.md): the
// writer thread raises failed(), which the loop passes to the session as a reading; the session
// releases the patient under control. The writer keeps a reserve of room for the session's end
// and raises failed() when the room left falls below it, so the fault and the release are
// normally still journaled; events it could not write are retried until room returns.
//
// The control loop never formats or writes: it pushes fixed-size records into a lock-free
// single-producer queue, and a writer thread of the journal's own formats and writes them.
#pragma once

#include "controller/journal_room.hpp"
#include "controller/session.hpp"

#include <boost/lockfree/spsc_queue.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <string>
#include <thread>

namespace tractus::controller {

struct JournalRecord {
  enum class Kind : std::uint8_t { Sample, Event };
  Kind kind = Kind::Sample;
  double t = 0;        // s since the session started
  double setpoint = 0; // N
  double measured = 0; // N
  double command = 0;  // cable speed, m/s
  double protocol_time = 0;
  State state = State::Idle;
  Event event{};
  // Samples: the force loop's identification of the cable (Identification).
  double stiffness = 0; // N/m
  double damping = 0;   // N·s/m
  bool identified = false;
};

// `value` rounded to `decimals` places, as the nearest double to that decimal, so the journal
// shows 2.501 rather than 2.5010000000000003. Every number written to a journal goes through it.
double journal_number(double value, int decimals) noexcept;

// Appends one line, with its checksum, to `line` (the object's text must end in '}').
std::string seal_line(const std::string &json_object);
// Whether a journal line's checksum matches its text.
bool line_intact(std::string_view line);

struct JournalOptions {
  // Room kept for the session's end (the fault, the release, its events and the summary: a few
  // kilobytes): once less than this is left for the file (free space on its file system, or the
  // process's file-size limit), failed() is raised while the rest still fits. Samples stop at
  // half of it; events and the summary are written as long as they fit.
  std::uint64_t reserve_bytes = kJournalReserveBytes;
  // Told of every event as the writer thread journals it (or keeps it for when room returns):
  // how a fault reaches the service log (console/live_session.cpp) without the loop formatting
  // or logging anything. Runs on the writer thread only; it must not throw.
  std::function<void(const JournalRecord &)> on_event;
};

class Journal {
public:
  // Creates DIR/SESSION_ID.jsonl (mode 0600: a patient's record) and writes the header. Throws
  // std::runtime_error naming the path if the file cannot be created or the header written; no
  // file is left behind then. Ignores SIGXFSZ for the process: a write past the file-size limit
  // must fail with EFBIG (a fault), never kill the controller mid-pull.
  Journal(const std::filesystem::path &dir, const std::string &session_id,
          const nlohmann::ordered_json &header, const JournalOptions &options = {});
  ~Journal();
  Journal(const Journal &) = delete;
  Journal &operator=(const Journal &) = delete;

  // Loop side: never blocks, never allocates. False if the queue is full (the record is lost
  // and counted; events get a reserve the samples cannot use).
  bool try_push(const JournalRecord &rec) noexcept;
  // For the virtual clock only, where waiting costs no deadline: waits for room.
  void push_waiting(const JournalRecord &rec) noexcept;

  // Drains the queue, writes the summary line (with `journal_problem` if the journal failed)
  // and fsyncs. False if the summary could not be written (failure() says why); never throws
  // for the file's sake.
  bool finish(const nlohmann::ordered_json &summary);

  // Loop side, lock-free: the journal could not be written, or is short of room (fault 204).
  [[nodiscard]] bool failed() const noexcept { return failed_.load(std::memory_order_acquire); }
  // Why, once failed() is true: one sentence naming the file.
  [[nodiscard]] std::string failure() const;

  [[nodiscard]] const std::filesystem::path &path() const noexcept { return path_; }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_.load(); }

private:
  bool append(const std::string &line);
  void note_failure(const std::string &why);
  void check_room();
  void write_record(const JournalRecord &r);
  void drain();
  void run();

  static constexpr std::size_t kCapacity = 8192;
  static constexpr std::size_t kEventReserve = 512;
  static constexpr std::size_t kBacklogLines = 1024;     // events kept while there is no room
  static constexpr std::uint64_t kRoomCheckEvery = 4096; // bytes written between room checks
  static_assert(std::atomic<bool>::is_always_lock_free);
  std::filesystem::path path_;
  JournalOptions options_;
  int fd_ = -1;
  boost::lockfree::spsc_queue<JournalRecord, boost::lockfree::capacity<kCapacity>> queue_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<bool> failed_{false};
  std::string failure_; // written once, before failed_ is raised
  // Writer thread only (then finish(), after the join).
  std::uint64_t committed_ = 0; // bytes of whole lines in the file
  std::uint64_t since_room_check_ = 0;
  bool broken_ = false; // a partial line could not be cut back: nothing more is written
  bool samples_fit_ = true;
  std::deque<std::string> backlog_; // event lines not yet written, oldest first
  std::thread writer_;
};

} // namespace tractus::controller
