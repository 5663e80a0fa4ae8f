#include "cli/config_clinic.hpp"

#include "cli/config_file.hpp"
#include "profiles/limits_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <string_view>

namespace tractus::cli {

namespace {

using json = nlohmann::json;

void read_limits(const json &doc, ClinicConfig &out, std::vector<std::string> &problems) {
  if (!doc.contains("clinic_limits")) return;
  profiles::LimitsRead read = profiles::read_limits_json(doc.at("clinic_limits"), "/clinic_limits");
  out.limits = read.limits;
  out.limits_set = std::move(read.set);
  problems.insert(problems.end(), read.problems.begin(), read.problems.end());
}

void read_verification(const json &doc, ClinicConfig &out, std::vector<std::string> &problems) {
  if (!doc.contains("daily_verification")) return;
  const json &section = doc.at("daily_verification");
  const std::string allowed =
      "{\"valid_for_hours\": " + std::to_string(calibration::kMinVerificationHours) + " to " +
      std::to_string(calibration::kMaxVerificationHours) + "}";
  if (!section.is_object()) {
    problems.push_back("/daily_verification: must be an object " + allowed);
    return;
  }
  for (const auto &[name, value] : section.items())
    if (name != "valid_for_hours")
      problems.push_back("/daily_verification/" + name +
                         ": unknown key (allowed here: valid_for_hours)");
  if (!section.contains("valid_for_hours")) return;
  const json &hours = section.at("valid_for_hours");
  const bool whole = hours.is_number_integer();
  const auto n = whole ? hours.get<std::int64_t>() : 0;
  if (!whole || n < calibration::kMinVerificationHours || n > calibration::kMaxVerificationHours) {
    problems.push_back("/daily_verification/valid_for_hours: " + hours.dump() +
                       " is not allowed (a whole number of hours, " +
                       std::to_string(calibration::kMinVerificationHours) + " to " +
                       std::to_string(calibration::kMaxVerificationHours) +
                       "; leave daily_verification out to accept a pass all its calendar day)");
    return;
  }
  out.valid_for_hours = static_cast<int>(n);
}

void read_units(const json &doc, ClinicConfig &out, std::vector<std::string> &problems) {
  if (!doc.contains("display_units")) return;
  const json &section = doc.at("display_units");
  if (!section.is_object()) {
    problems.emplace_back(
        "/display_units: must be an object {\"force\": \"N\" | \"lbf\" | \"kgf\", "
        "\"weight\": \"kg\" | \"lb\"}");
    return;
  }
  for (const auto &[name, value] : section.items()) {
    const std::string pointer = "/display_units/" + name;
    if (name == "force")
      out.force_unit = one_of(value, pointer, kForceUnits, problems);
    else if (name == "weight")
      out.weight_unit = one_of(value, pointer, kWeightUnits, problems);
    else
      problems.push_back(pointer + ": unknown key (allowed here: force, weight)");
  }
}

} // namespace

std::optional<std::string> one_of(const json &value, const std::string &pointer,
                                  std::span<const char *const> allowed,
                                  std::vector<std::string> &problems) {
  const bool known = value.is_string() &&
                     std::any_of(allowed.begin(), allowed.end(),
                                 [&](const char *a) { return value.get<std::string>() == a; });
  if (known) return value.get<std::string>();
  problems.push_back(pointer + ": " + value.dump() +
                     " is not allowed (allowed: " + joined(allowed) + ")");
  return std::nullopt;
}

std::string joined(std::span<const char *const> names) {
  std::string s;
  for (const char *name : names)
    s += (s.empty() ? "" : ", ") + std::string(name);
  return s;
}

void read_clinic_config(const json &doc, ClinicConfig &out, std::vector<std::string> &problems) {
  read_limits(doc, out, problems);
  read_verification(doc, out, problems);
  read_units(doc, out, problems);
  if (doc.contains("language"))
    out.language = one_of(doc.at("language"), "/language", kLanguages, problems);
}

void apply_clinic_config(const ClinicConfig &f, const std::string &from_file, ServeOptions &o,
                         std::vector<SettingShown> &shown) {
  const auto source = [&](bool in_file) { return in_file ? from_file : std::string("default"); };
  o.clinic_limits = f.limits;
  for (const std::string &name : profiles::limit_member_names()) {
    const bool set =
        std::find(f.limits_set.begin(), f.limits_set.end(), name) != f.limits_set.end();
    shown.push_back(
        {"clinic_limits." + name, profiles::shown_limit(name, o.clinic_limits), source(set)});
  }
  if (f.valid_for_hours) o.daily_verification.valid_for_hours = *f.valid_for_hours;
  shown.push_back({"daily_verification",
                   f.valid_for_hours ? "a pass on the same calendar day, at most " +
                                           std::to_string(*f.valid_for_hours) + " h old"
                                     : std::string("a pass on the same calendar day"),
                   source(f.valid_for_hours.has_value())});
  const auto one = [&](const char *key, std::string &value, const std::optional<std::string> &in) {
    if (in) value = *in;
    shown.push_back({key, value, source(in.has_value())});
  };
  one("display_units.force", o.force_unit, f.force_unit);
  one("display_units.weight", o.weight_unit, f.weight_unit);
  one("language", o.language, f.language);
}

} // namespace tractus::cli
