// The session journal: an append-only JSON-lines file, "format": "tractus.journal/1".
//
// Line 1 is the header (session, profile as run, patient id and weight, calibration, software
// version); then decimated samples and every event; the last line is the summary. Each line ends
// with a "crc32" member: the CRC-32 of the line's text up to that member (see
// docs/journal.md). Lines are written with one write(2) each, so a crash of this process loses
// at most the line being written.
//
// The control loop never formats or writes: it pushes fixed-size records into a lock-free
// single-producer queue, and a writer thread of the journal's own formats and writes them.
#pragma once

#include "controller/session.hpp"

#include <boost/lockfree/spsc_queue.hpp>
#include <nlohmann/json.hpp>

#include <atomic>
#include <filesystem>
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
};

// `value` rounded to `decimals` places, as the nearest double to that decimal, so the journal
// shows 2.501 rather than 2.5010000000000003. Every number written to a journal goes through it.
double journal_number(double value, int decimals) noexcept;

// Appends one line, with its checksum, to `line` (the object's text must end in '}').
std::string seal_line(const std::string &json_object);
// Whether a journal line's checksum matches its text.
bool line_intact(std::string_view line);

class Journal {
public:
  // Creates DIR/SESSION_ID.jsonl and writes the header. Throws std::runtime_error naming the
  // path if the file cannot be created.
  Journal(const std::filesystem::path &dir, const std::string &session_id,
          const nlohmann::ordered_json &header);
  ~Journal();
  Journal(const Journal &) = delete;
  Journal &operator=(const Journal &) = delete;

  // Loop side: never blocks, never allocates. False if the queue is full (the record is lost
  // and counted; events get a reserve the samples cannot use).
  bool try_push(const JournalRecord &rec) noexcept;
  // For the virtual clock only, where waiting costs no deadline: waits for room.
  void push_waiting(const JournalRecord &rec) noexcept;

  // Drains the queue, writes the summary line and closes the file.
  void finish(const nlohmann::ordered_json &summary);

  [[nodiscard]] const std::filesystem::path &path() const noexcept { return path_; }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_.load(); }

private:
  void write_line(const std::string &object_text);
  void drain();
  void run();

  static constexpr std::size_t kCapacity = 8192;
  static constexpr std::size_t kEventReserve = 512;
  std::filesystem::path path_;
  int fd_ = -1;
  boost::lockfree::spsc_queue<JournalRecord, boost::lockfree::capacity<kCapacity>> queue_;
  std::atomic<bool> stop_{false};
  std::atomic<std::uint64_t> dropped_{0};
  std::thread writer_;
};

} // namespace tractus::controller
