#include "profiles/limits_json.hpp"

#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <variant>

namespace tractus::profiles {

namespace {

using json = nlohmann::json;

// A member of Limits as it is written. The two percentages are both doubles: `unit` tells them
// apart ("%bw" or "%max").
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

const LimitKey *find_key(std::string_view name) {
  const auto *key = std::find_if(std::begin(kLimitKeys), std::end(kLimitKeys),
                                 [&](const LimitKey &k) { return name == k.name; });
  return key == std::end(kLimitKeys) ? nullptr : key;
}

// "a force such as \"600 N\" or \"135 lbf\"": what a member's text must look like.
std::string syntax(const LimitKey &key) {
  struct Say {
    const LimitKey &key;
    std::string operator()(Force Limits::*) const {
      return "a force such as \"600 N\" or \"135 lbf\"";
    }
    std::string operator()(double Limits::*) const {
      return std::string("a percent figure such as \"40 ") + key.unit + "\"";
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

std::string shown_value(const LimitKey &key, const Limits &l) {
  struct Show {
    const LimitKey &key;
    const Limits &l;
    std::string operator()(Force Limits::*m) const { return format_force_n_lbf(l.*m); }
    std::string operator()(double Limits::*m) const {
      return text::format_number(l.*m, 1) + " " + key.unit;
    }
    std::string operator()(ForceRate Limits::*m) const { return format_rate(l.*m); }
    std::string operator()(Duration Limits::*m) const { return format_duration(l.*m); }
    std::string operator()(Frequency Limits::*m) const { return format_frequency(l.*m); }
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
  std::string operator()(Force Limits::*m) const { return put(m, parse_force(text)); }
  std::string operator()(double Limits::*m) const {
    const auto unit =
        std::string_view(key.unit) == "%bw" ? ForceUnit::PercentBodyWeight : ForceUnit::PercentMax;
    const ForceUnit accepted[] = {unit};
    const auto spec = parse_force_spec(text, accepted);
    if (!spec) return spec.error;
    l.*m = spec.value->number;
    return "";
  }
  std::string operator()(ForceRate Limits::*m) const {
    // A force per second: the force is written as a profile's is ("30 N", "6.7 lbf").
    if (!text.ends_with("/s")) return in_quotes(text) + " is not per second";
    const auto force = parse_force(std::string_view(text).substr(0, text.size() - 2));
    if (!force) return force.error;
    l.*m = *force.value / seconds(1.0);
    return "";
  }
  std::string operator()(Duration Limits::*m) const { return put(m, parse_duration(text)); }
  std::string operator()(Frequency Limits::*m) const { return put(m, parse_frequency(text)); }
  std::string operator()(int Limits::*) const { return ""; } // read as a number by set_member
};

// Sets the member from its JSON value; the parser's reason when it cannot.
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

// The stricter of the two values of one member: a minimum's higher, anything else's lower.
struct Stricter {
  const LimitKey &key;
  const Limits &a;
  const Limits &b;
  Limits &out;
  template <class T> void operator()(T Limits::*m) const {
    const bool minimum = std::string_view(key.name).starts_with("min_");
    out.*m = minimum ? std::max(a.*m, b.*m) : std::min(a.*m, b.*m);
  }
};

} // namespace

LimitsRead read_limits_json(const json &section, std::string_view pointer, const Limits &base) {
  LimitsRead out;
  out.limits = base;
  const std::string at(pointer);
  if (!section.is_object()) {
    out.problems.push_back(at + ": must be an object, e.g. {\"lumbar_hard_cap\": \"600 N\"}");
    return out;
  }
  for (const auto &[name, value] : section.items()) {
    const std::string member = at + "/" + name;
    const LimitKey *key = find_key(name);
    if (key == nullptr) {
      std::string names;
      for (const LimitKey &k : kLimitKeys)
        names += (names.empty() ? "" : ", ") + std::string(k.name);
      out.problems.push_back(member + ": unknown key (allowed here: " + names + ")");
      continue;
    }
    if (const std::string wrong = set_member(*key, value, out.limits); !wrong.empty()) {
      // The machine's value, not a bound: a clinic lowers a cap but raises a minimum.
      out.problems.push_back(member + ": " + wrong + " (" + syntax(*key) +
                             "; the machine's value " + shown_value(*key, kDefaultLimits) + ")");
      continue;
    }
    out.set.push_back(name);
  }
  // Tighter only: a looser or inconsistent limit is named with what a clinic may set.
  for (const Problem &p : limit_problems(out.limits))
    out.problems.push_back(at + p.pointer + ": " + p.message);
  return out;
}

std::vector<std::string> limit_member_names() {
  std::vector<std::string> names;
  for (const LimitKey &k : kLimitKeys)
    names.emplace_back(k.name);
  return names;
}

std::string shown_limit(std::string_view member, const Limits &limits) {
  const LimitKey *key = find_key(member);
  return key == nullptr ? std::string() : shown_value(*key, limits);
}

Limits stricter(const Limits &a, const Limits &b) {
  Limits out = a;
  for (const LimitKey &key : kLimitKeys)
    std::visit(Stricter{key, a, b, out}, key.member);
  return out;
}

} // namespace tractus::profiles
