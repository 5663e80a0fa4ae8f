// The configuration file of `tractus serve` (docs/configuration.md): the settings its flags
// take, written once for the table's computer, so that a service starts with no flags at all.
//
//   {"format": "tractus.config/1", "table": "modbus-tcp://10.0.0.9:502",
//    "listen": "0.0.0.0:8080", "allow_origins": ["http://table-1.clinic.example:8080"],
//    "data_dir": "/var/lib/tractus/console", "journal_dir": "/var/lib/tractus/journals",
//    "calibration_dir": "/var/lib/tractus/calibration",
//    "tls": {"cert": "/etc/tractus/tls/cert.pem", "key": "/etc/tractus/tls/key.pem"},
//    "log_level": "info", "log_dir": "/var/log/tractus",
//    "clinic_limits": {"lumbar_hard_cap": "600 N"}, "daily_verification": {"valid_for_hours": 8},
//    "display_units": {"force": "lbf", "weight": "lb"}, "language": "en"}
//
// Every key but "format" may be left out (its default stands). Read like a profile: an unknown
// key or a bad value is refused, naming the file, the JSON pointer and what is allowed there,
// all problems at once. Flags override the file; `tractus config show` prints each setting in
// force and where it came from.
#pragma once

#include "cli/config_clinic.hpp"
#include "cli/serve_command.hpp"
#include "text/outcome.hpp"

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tractus::cli {

// Read when present and no --config names another file.
inline constexpr const char *kSystemConfigFile = "/etc/tractus/tractus.json";
inline constexpr const char *kConfigFormat = "tractus.config/1";

// What the file sets; an empty optional leaves the default (or a flag) in force.
struct ConfigFile {
  std::string path;
  std::optional<std::string> table, listen, data_dir, journal_dir, calibration_dir;
  std::optional<std::string> tls_cert, tls_key;
  std::optional<std::vector<std::string>> allow_origins;
  std::optional<std::string> log_level, log_dir;
  ClinicConfig clinic; // clinic_limits, daily_verification, display_units, language
  std::optional<std::string> records, table_name; // docs/records.md
};

// The file read and checked; on failure every problem, one per line, each naming
// "FILE: /pointer: what is wrong (what is allowed)".
text::Outcome<ConfigFile> read_config_file(const std::filesystem::path &file);

// One setting in force and where it came from: "default", the file's path, or the flag.
struct SettingShown {
  std::string key;   // as in the file: "table", "listen", …
  std::string value; // as text; a list joined with ", "
  std::string from;
};

// Which of serve's flags the command line gave, by the file's key names.
struct FlagsGiven {
  bool table = false, listen = false, data_dir = false, journal_dir = false;
  bool calibration_dir = false, tls_cert = false, tls_key = false, allow_origins = false;
  bool log_level = false, log_dir = false, records = false, table_name = false;
};

// `options` holds the defaults and the flags given; the file's values go over the defaults
// only. Returns every setting with its source, in the file's key order.
std::vector<SettingShown> apply_config(const ConfigFile *file, const FlagsGiven &flags,
                                       ServeOptions &options);

} // namespace tractus::cli
