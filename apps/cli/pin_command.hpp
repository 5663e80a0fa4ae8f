// `tractus pin set ROLE [--data DIR]`: sets the console's operator or technician PIN
// (docs/console.md, "Roles, PINs and tokens"). The PIN is read from standard input — asked twice
// with echo off on a terminal, one line from a pipe (scripts, tests) — checked (4 to 12
// digits), and stored as an Argon2id hash in DIR/console/pins.json; the other role's PIN is
// kept. A PIN never appears on the command line, where `ps` and shell history would show it.
//
// Exit codes (DESIGN §8): 0 PIN stored; 2 bad input (unknown role, bad or mismatched PIN, no
// input, a corrupted or unwritable pins file) — nothing was changed; 1 internal error.
#pragma once

#include <iosfwd>
#include <memory>
#include <string>

namespace CLI {
class App;
}

namespace tractus::cli {

struct PinSetOptions {
  std::string role;     // operator | technician
  std::string data_dir; // default console::kDefaultDataDir
};

// `interactive`: `in` is a terminal (prompt on `err`, echo off, ask twice).
int pin_set(const PinSetOptions &options, std::istream &in, bool interactive, std::ostream &out,
            std::ostream &err);

// CLI11 wiring, as for calibrate: `auto pin = cli::add_pin_command(app);` before parsing,
// `if (pin->invoked()) return pin->run(std::cin, std::cout, std::cerr);` after.
class PinCommandLine {
public:
  explicit PinCommandLine(CLI::App &app);
  [[nodiscard]] bool invoked() const;
  // Interactive when `in` is std::cin and standard input is a terminal.
  int run(std::istream &in, std::ostream &out, std::ostream &err);

private:
  CLI::App *pin_ = nullptr;
  CLI::App *set_ = nullptr;
  PinSetOptions options_;
};
std::unique_ptr<PinCommandLine> add_pin_command(CLI::App &app);

} // namespace tractus::cli
