// `tractus run`: one treatment session from the command line (DESIGN §8).
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace tractus::cli {

struct RunOptions {
  std::string profile;       // stock id or a profile file
  std::string weight;        // "80kg", "176 lb"
  std::string table = "sim"; // sim, sim:PRESET, sim:FILE.json, modbus-tcp://…, modbus-rtu://…
  std::string patient;       // pseudonymous id; a generated one when empty
  bool realtime = false;     // wall-clock pacing (always on for a real table)
  std::string journal_dir = "sessions";
  std::uint64_t seed = 1;
  std::vector<std::string> inject;   // KIND@TIME, simulator only
  std::string screening;             // completed checklist (JSON), required on a real table
  std::string store = "calibration"; // the calibration store, on a real table
  std::string records; // the clinic's records store: its limits and protocols; none when empty
  // The force controller: "adaptive" (tractus's own loop) or "baseline" (a textbook PID with
  // fixed gains, to state the adaptive loop's figures against); any other value is exit 2.
  std::string controller = "adaptive";
};

// Exit codes (DESIGN §8).
inline constexpr int kExitCompleted = 0;
inline constexpr int kExitInternal = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitStopped = 3;

int run_session(const RunOptions &options, std::ostream &out, std::ostream &err);

} // namespace tractus::cli
