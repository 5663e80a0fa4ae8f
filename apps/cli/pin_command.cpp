#include "cli/pin_command.hpp"

#include "console/auth_pins.hpp"

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <stdexcept>
#include <termios.h>
#include <unistd.h>

namespace tractus::cli {
namespace {

constexpr int kOk = 0, kBadInput = 2;

// Turns the terminal's echo off for as long as it lives, so the PIN is not shown as typed.
class EchoOff {
public:
  EchoOff() {
    if (::tcgetattr(STDIN_FILENO, &saved_) != 0) return;
    termios quiet = saved_;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    active_ = ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
  }
  ~EchoOff() {
    if (active_) ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_);
  }
  EchoOff(const EchoOff &) = delete;
  EchoOff &operator=(const EchoOff &) = delete;

private:
  termios saved_{};
  bool active_ = false;
};

std::optional<std::string> read_line(std::istream &in) {
  std::string line;
  if (!std::getline(in, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> ask(std::istream &in, std::ostream &err, const std::string &prompt) {
  err << prompt << std::flush;
  const EchoOff quiet;
  auto line = read_line(in);
  err << "\n"; // the Enter key was not echoed either
  return line;
}

} // namespace

int pin_set(const PinSetOptions &options, std::istream &in, bool interactive, std::ostream &out,
            std::ostream &err) {
  const auto role = console::parse_role(options.role);
  if (!role) {
    err << "tractus pin set: unknown role \"" << options.role << "\" (operator or technician)\n";
    return kBadInput;
  }
  const std::string name = console::to_string(*role);
  const std::string data_dir =
      options.data_dir.empty() ? std::string(console::kDefaultDataDir) : options.data_dir;

  std::optional<std::string> pin;
  if (interactive) {
    pin = ask(in, err, "New " + name + " PIN (4 to 12 digits): ");
    if (pin && console::pin_problem(*pin).empty()) {
      const auto again = ask(in, err, "The same PIN again: ");
      if (again != pin) {
        err << "tractus pin set: the two PINs differ; nothing was changed\n";
        return kBadInput;
      }
    }
  } else {
    pin = read_line(in);
  }
  if (!pin || pin->empty()) {
    err << "tractus pin set: no PIN given on standard input; nothing was changed\n";
    return kBadInput;
  }
  if (const auto problem = console::pin_problem(*pin); !problem.empty()) {
    err << "tractus pin set: " << problem << "; nothing was changed\n";
    return kBadInput;
  }
  try {
    console::set_pin(data_dir, *role, *pin);
  } catch (const console::PinFileError &e) {
    err << "tractus pin set: " << e.what() << "; nothing was changed\n";
    return kBadInput;
  }
  out << "The " << name << " PIN is set (" << console::pins_file(data_dir).string()
      << "). A running `tractus serve` uses it after a restart.\n";
  return kOk;
}

PinCommandLine::PinCommandLine(CLI::App &app) {
  pin_ = app.add_subcommand("pin", "Set the console's PINs (operator, technician)");
  pin_->require_subcommand(1);
  set_ = pin_->add_subcommand("set", "Set a role's PIN, read from standard input");
  set_->add_option("ROLE", options_.role, "operator or technician")
      ->required()
      ->check(CLI::IsMember({"operator", "technician"}));
  options_.data_dir = console::kDefaultDataDir;
  set_->add_option("--data", options_.data_dir, "Data folder (PINs in DATA/console/pins.json)")
      ->capture_default_str();
}

bool PinCommandLine::invoked() const { return set_->parsed(); }

int PinCommandLine::run(std::istream &in, std::ostream &out, std::ostream &err) {
  const bool terminal = &in == &std::cin && ::isatty(STDIN_FILENO) == 1;
  return pin_set(options_, in, terminal, out, err);
}

std::unique_ptr<PinCommandLine> add_pin_command(CLI::App &app) {
  return std::make_unique<PinCommandLine>(app);
}

} // namespace tractus::cli
