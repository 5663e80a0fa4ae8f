#include "cli/config_clinic.hpp"

#include "cli/config_file.hpp"
#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <string_view>
#include <variant>

namespace tractus::cli {

namespace {

using json = nlohmann::json;
using profiles::Limits;

// A member of profiles::Limits as the file writes it. The two percentages are both doubles:
// `unit` tells them apart ("%bw" or "%max").
using Member = std::variant<Force Limits::*, double Limits::*, ForceRate Limits::*,
                            Duration Limits::*, Frequency Limits::*, int Limits::*>;
struct LimitKey {
  const char *name;
  Member member;
  const char *unit = "";
};

// Every member limit_problems() bounds, in the order of profiles/limits.hpp.
const LimitKey kLimitKeys[] = {
    {"lumbar_hard_cap", &Limits::lumbar_hard_cap},
    {"cervical_hard_cap", &Limits::cervical_hard_cap},
    {"lumbar_clinical_cap_percent_bw", &Limits::lumbar_clinical_cap_percent_bw, "%bw"},
    {"cervical_clinical_cap_percent_bw", &Limits::cervical_clinical_cap_percent_bw, "%bw"},
    {"min_cord_tension", &Limits::min_cord_tension},
    {"max_rate", &Limits::max_rate},
    {"min_hold_rest", &Limits::min_hold_rest},
    {"max_hold_rest", &Limits::max_hold_rest},
    {"min_ramp", &Limits::min_ramp},
    {"max_ramp", &Limits::max_ramp},
    {"min_duration", &Limits::min_duration},
    {"max_duration", &Limits::max_duration},
    {"max_steps", &Limits::max_steps},
    {"max_oscillation_percent_of_max", &Limits::max_oscillation_percent_of_max, "%max"},
    {"min_oscillation_frequency", &Limits::min_oscillation_frequency},
    {"max_oscillation_frequency", &Limits::max_oscillation_frequency},
};

// "a force such as \"600 N\" or \"135 lbf\"": what a member's text must look like.
std::string syntax(const LimitKey &key) {
  struct Say {
    const LimitKey &key;
    std::string operator()(Force Limits::*) const {
      return "a force such as \"600 N\" or \"135 lbf\"";
    }
    std::string operator()(double Limits::*) const {
      return std::string("a percentage such as \"40 ") + key.unit + "\"";
    }
    std::string operator()(ForceRate Limits::*) const {
      return "a force per second such as \"30 N/s\"";
    }
    std::string operator()(Duration Limits::*) const {
      return "a duration such as \"30 min\" or \"10 s\"";
    }
    std::string operator()(Frequency Limits::*) const { return "a frequency such as \"0.5 Hz\""; }
    std::string operator()(int Limits::*) const { return "a whole number such as 5"; }
  };
  return std::visit(Say{key}, key.member);
}

// The member's value in force, as `tractus config show` prints it.
std::string shown_value(const LimitKey &key, const Limits &l) {
  struct Show {
    const LimitKey &key;
    const Limits &l;
    std::string operator()(Force Limits::*m) const { return profiles::format_force_n_lbf(l.*m); }
    std::string operator()(double Limits::*m) const {
      return text::format_number(l.*m, 1) + " " + key.unit;
    }
    std::string operator()(ForceRate Limits::*m) const { return profiles::format_rate(l.*m); }
    std::string operator()(Duration Limits::*m) const { return profiles::format_duration(l.*m); }
    std::string operator()(Frequency Limits::*m) const { return profiles::format_frequency(l.*m); }
    std::string operator()(int Limits::*m) const { return std::to_string(l.*m); }
  };
  return std::visit(Show{key, l}, key.member);
}

// Sets one member from its text, as profiles write quantities.
struct Parse {
  const LimitKey &key;
  const std::string &text;
  Limits &l;
  // `parsed.error`, or "" once the member holds the value.
  template <class T, class U> std::string put(T Limits::*m, const U &parsed) const {
    if (!parsed) return parsed.error;
    l.*m = T(*parsed.value);
    return "";
  }
  std::string operator()(Force Limits::*m) const { return put(m, profiles::parse_force(text)); }
  std::string operator()(double Limits::*m) const {
    const auto unit = std::string_view(key.unit) == "%bw" ? profiles::ForceUnit::PercentBodyWeight
                                                          : profiles::ForceUnit::PercentMax;
    const profiles::ForceUnit accepted[] = {unit};
    const auto spec = profiles::parse_force_spec(text, accepted);
    if (!spec) return spec.error;
    l.*m = spec.value->number;
    return "";
  }
  std::string operator()(ForceRate Limits::*m) const {
    // A force per second: the force is written as a profile's is ("30 N", "6.7 lbf").
    if (!text.ends_with("/s")) return profiles::in_quotes(text) + " is not per second";
    const auto force = profiles::parse_force(std::string_view(text).substr(0, text.size() - 2));
    if (!force) return force.error;
    l.*m = *force.value / seconds(1.0);
    return "";
  }
  std::string operator()(Duration Limits::*m) const {
    return put(m, profiles::parse_duration(text));
  }
  std::string operator()(Frequency Limits::*m) const {
    return put(m, profiles::parse_frequency(text));
  }
  std::string operator()(int Limits::*) const { return ""; } // read as a number by set_member
};

// Sets the member from the file's value; the parser's reason when it cannot.
std::string set_member(const LimitKey &key, const json &value, Limits &l) {
  if (std::holds_alternative<int Limits::*>(key.member)) {
    if (!value.is_number_integer()) return "must be a whole number";
    const auto n = value.get<std::int64_t>();
    // Beyond int is beyond every range: the limit check then says what is allowed.
    l.*std::get<int Limits::*>(key.member) = static_cast<int>(std::clamp<std::int64_t>(
        n, std::numeric_limits<int>::min(), std::numeric_limits<int>::max()));
    return "";
  }
  if (!value.is_string()) return "must be a string";
  const std::string text = value.get<std::string>();
  return std::visit(Parse{key, text, l}, key.member);
}

void read_limits(const json &doc, ClinicConfig &out, std::vector<std::string> &problems) {
  if (!doc.contains("clinic_limits")) return;
  const json &section = doc.at("clinic_limits");
  if (!section.is_object()) {
    problems.emplace_back(
        "/clinic_limits: must be an object, e.g. {\"lumbar_hard_cap\": \"600 N\"}");
    return;
  }
  std::vector<const char *> names;
  for (const LimitKey &key : kLimitKeys)
    names.push_back(key.name);
  for (const auto &[name, value] : section.items()) {
    const std::string pointer = "/clinic_limits/" + name;
    const auto *key = std::find_if(std::begin(kLimitKeys), std::end(kLimitKeys),
                                   [&](const LimitKey &k) { return name == k.name; });
    if (key == std::end(kLimitKeys)) {
      problems.push_back(pointer + ": unknown key (allowed here: " + joined(names) + ")");
      continue;
    }
    if (const std::string wrong = set_member(*key, value, out.limits); !wrong.empty()) {
      // The machine's value, not a bound: a clinic lowers a cap but raises a minimum.
      problems.push_back(pointer + ": " + wrong + " (" + syntax(*key) + "; the machine's value " +
                         shown_value(*key, profiles::kDefaultLimits) + ")");
      continue;
    }
    out.limits_set.push_back(name);
  }
  // Tighter only: a looser or inconsistent limit is named with what a clinic may set.
  for (const profiles::Problem &p : profiles::limit_problems(out.limits))
    problems.push_back("/clinic_limits" + p.pointer + ": " + p.message);
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
  for (const LimitKey &key : kLimitKeys) {
    const bool set =
        std::find(f.limits_set.begin(), f.limits_set.end(), key.name) != f.limits_set.end();
    shown.push_back(
        {std::string("clinic_limits.") + key.name, shown_value(key, o.clinic_limits), source(set)});
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
