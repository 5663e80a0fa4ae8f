// The clinic's sections of the configuration file (docs/configuration.md): what a clinic decides
// for its table rather than for its computer.
//
//   "clinic_limits": {"lumbar_hard_cap": "600 N", "max_rate": "30 N/s", "max_duration": "30 min"},
//   "daily_verification": {"valid_for_hours": 8},
//   "display_units": {"force": "lbf", "weight": "lb"},
//   "language": "en"
//
// Limits are written as profiles write quantities (profiles/quantity_text.hpp) and checked by
// profiles::limit_problems: a clinic may tighten them, never loosen them. Read with the rest of
// the file by read_config_file (cli/config_file.hpp); none of these has a flag.
#pragma once

#include "cli/serve_command.hpp"

#include <nlohmann/json_fwd.hpp>

#include <optional>
#include <span>
#include <string>
#include <vector>

namespace tractus::cli {

inline constexpr const char *kForceUnits[] = {"N", "lbf", "kgf"};
inline constexpr const char *kWeightUnits[] = {"kg", "lb"};
inline constexpr const char *kLanguages[] = {"en"}; // the translations shipped

// What the file sets of the clinic's sections; an empty optional leaves the default.
struct ClinicConfig {
  profiles::Limits limits = profiles::kDefaultLimits; // the file's members over the defaults
  std::vector<std::string> limits_set;                // the members the file gave
  std::optional<int> valid_for_hours;
  std::optional<std::string> force_unit, weight_unit, language;
};

// Reads the four sections of `doc` into `out`; each problem as "/pointer: what (allowed)".
void read_clinic_config(const nlohmann::json &doc, ClinicConfig &out,
                        std::vector<std::string> &problems);

// Puts the file's values in `options` (there are no flags for them) and appends each setting in
// force, with "default" or `from_file`, to `shown`.
void apply_clinic_config(const ClinicConfig &file, const std::string &from_file,
                         ServeOptions &options, std::vector<SettingShown> &shown);

// `value` when it is a string among `allowed`; otherwise nullopt and a problem at `pointer`
// naming the allowed values.
std::optional<std::string> one_of(const nlohmann::json &value, const std::string &pointer,
                                  std::span<const char *const> allowed,
                                  std::vector<std::string> &problems);

// "a, b, c": for the messages that list what is allowed.
std::string joined(std::span<const char *const> names);

} // namespace tractus::cli
