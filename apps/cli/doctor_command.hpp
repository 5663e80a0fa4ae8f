// `tractus doctor [serve's flags]`: the one command a technician runs on site, before the first
// patient and after any change to the table's computer (docs/installing.md, "tractus doctor").
// It checks what `tractus serve` would run with — the configuration (file and flags), the
// permissions of the real-time loop, the clock, the room for journals, the PINs, the table and
// its drive's watchdog, the calibration — and prints one line per check, OK, WARN or FAIL, with
// the fix for anything not OK. It makes no folder and sets no PIN; on the table it does what a
// session's start does (the drive's watchdog enabled, a disabled command), and only while it
// holds the table's lock: a table another tractus is using is not touched
// (bindings/table_lock.hpp).
//
// Exit 0 when nothing failed (warnings allowed), 3 when a check failed (the table is not ready
// for a patient), 2 for bad flags.
#pragma once

#include "cli/serve_command.hpp"

#include <iosfwd>
#include <memory>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tractus::cli {

enum class Verdict { Ok, Warn, Fail };

struct DoctorLine {
  Verdict verdict = Verdict::Ok;
  std::string check;  // "real-time scheduling"
  std::string detail; // what was found
  std::string fix;    // for WARN and FAIL: what to do about it
};

// Every check, in the order printed. `config_problems`: what reading the configuration said
// (empty when it was valid), `config_file` the file read ("" for none). Pure of output.
std::vector<DoctorLine> doctor_checks(const ServeOptions &options, const std::string &config_file,
                                      const std::string &config_problems);

class DoctorCommandLine {
public:
  explicit DoctorCommandLine(CLI::App &app);
  [[nodiscard]] bool invoked() const;
  int run(std::ostream &out, std::ostream &err);

private:
  CLI::App *doctor_ = nullptr;
  ServeOptions options_;
  std::unique_ptr<ServeFlags> flags_;
};
std::unique_ptr<DoctorCommandLine> add_doctor_command(CLI::App &app);

} // namespace tractus::cli
