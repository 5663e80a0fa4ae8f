// `tractus serve`: runs the table console (DESIGN §7, docs/console.md).
//
//   tractus serve [--listen 127.0.0.1:8080]
//                 [--table sim|sim:PRESET|sim:FILE.json|modbus-tcp://…|modbus-rtu://…]
//                 [--data DIR] [--journal DIR] [--store DIR] [--seed N]
//                 [--tls-cert FILE --tls-key FILE] [--allow-origin ORIGIN]...
//                 [--log-level LEVEL] [--log-dir DIR]
//                 [--config FILE | --no-config]
//
// The settings may also come from a configuration file (cli/config_file.hpp): --config FILE, or
// /etc/tractus/tractus.json when it exists; a flag given overrides the file.
//
// Wiring only: the table binding (apps/bindings), the console's TableService, its PINs (Auth)
// and its HTTP server. SIGINT or SIGTERM stops the server, stops a running session with a
// controlled release and waits for its loop, then exits 0.
//
// Exit codes (DESIGN §8): 0 stopped by a signal; 2 bad input, nothing started (a bad
// configuration file, listen address,
// table address or table unreachable, no PINs set, a corrupted PIN file, address in use, a
// certificate or key that cannot be used, an origin that is not one);
// 1 internal error.
#pragma once

#include "calibration/verification_policy.hpp"
#include "profiles/limits.hpp"
#include "text/outcome.hpp"

#include <cstdint>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace tractus::cli {

// The levels of --log-level and "log_level", quietest last (spdlog's names).
inline constexpr const char *kLogLevels[] = {"trace", "debug", "info", "warn", "error", "off"};

struct ServeOptions {
  std::string listen = "127.0.0.1:8080"; // HOST:PORT, IPv6 as [::1]:8080; bound to loopback
  std::string table = "sim";
  std::string data_dir;                   // default console::kDefaultDataDir (PINs)
  std::string journal_dir = "sessions";   // as `tractus run --journal`
  std::string store = "calibration";      // as `tractus calibrate --store`
  std::uint64_t seed = 1;                 // the first simulated session's seed
  std::string tls_cert;                   // PEM certificate chain: HTTPS and WSS (with tls_key)
  std::string tls_key;                    // its PEM private key, unencrypted
  std::vector<std::string> allow_origins; // "http://tractus.clinic.example:8080", …
  // The service log (docs/configuration.md): trace, debug, info, warn, error or off. Under
  // systemd it goes to the journal; otherwise to a rotating LOG_DIR/tractus.log.
  std::string log_level = "info";
  std::string log_dir; // empty: DATA/log, inside the data folder
  // The clinic's settings, from the configuration file only (cli/config_clinic.hpp).
  profiles::Limits clinic_limits = profiles::kDefaultLimits; // never looser than the defaults
  calibration::VerificationPolicy daily_verification;        // default: the calendar day
  std::string force_unit = "N";   // the console page's default: N, lbf or kgf
  std::string weight_unit = "kg"; // kg or lb
  std::string language = "en";    // the only translation shipped
  // The clinic's records (docs/records.md): empty is DATA/records.sqlite; and this table's
  // name in them, empty being this computer's name.
  std::string records;
  std::string table_name;
  // The simulator only: simulated time this many times faster than the wall clock.
  double sim_speed = 1.0;
  // The simulator only: events KIND@TIME (a spasm, a fault) in every session, TIME after it is
  // loaded, as `tractus run --inject` takes them: demonstrations, training, and tests.
  std::vector<std::string> inject;
};

struct ListenAddress {
  std::string host;
  std::uint16_t port = 0;
};
// "127.0.0.1:8080", "[::1]:8080", "0.0.0.0:0": nullopt and `error` when it is not HOST:PORT with
// an IP address and a port 0 to 65535.
text::Outcome<ListenAddress> parse_listen(const std::string &text);

struct SettingShown; // cli/config_file.hpp

// `settings`, when given, are written to the service log as the configuration in force.
int serve(const ServeOptions &options, std::ostream &out, std::ostream &err,
          const std::vector<SettingShown> *settings = nullptr);

// serve's settings as flags on `command` (serve itself, and `tractus config show`, which takes
// the same ones to show what they would put in force), with --config FILE.
class ServeFlags {
public:
  // `me` begins each message: "tractus serve: ".
  ServeFlags(CLI::App &command, ServeOptions &options, std::string me);
  // The configuration file (--config, else kSystemConfigFile when it exists) read and applied
  // under the flags given: false, with every problem said on `err`, when the file is bad.
  // `shown`, when given, receives each setting in force and where it came from.
  bool configure(ServeOptions &options, std::ostream &err, std::string *file_used = nullptr,
                 std::vector<SettingShown> *shown = nullptr) const;

private:
  CLI::App &command_;
  std::string me_;
  std::string config_;
  bool no_config_ = false;
};

// CLI11 wiring, as for calibrate: `auto serve = cli::add_serve_command(app);` before parsing,
// `if (serve->invoked()) return serve->run(std::cout, std::cerr);` after.
class ServeCommandLine {
public:
  explicit ServeCommandLine(CLI::App &app);
  [[nodiscard]] bool invoked() const;
  int run(std::ostream &out, std::ostream &err);

private:
  CLI::App *serve_ = nullptr;
  ServeOptions options_;
  std::unique_ptr<ServeFlags> flags_;
};
std::unique_ptr<ServeCommandLine> add_serve_command(CLI::App &app);

} // namespace tractus::cli
