#include "profiles/profile_checks.hpp"

#include "profiles/force_checks.hpp"
#include "profiles/session_plan.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace tractus::profiles {
namespace {

constexpr std::array<std::string_view, 15> kProfileKeys{
    "format",           "id",       "name",       "region", "mode",       "max_force",
    "rest_force",       "hold",     "rest",       "ramp",   "ramp_shape", "progressive_steps",
    "regressive_steps", "duration", "oscillation"};
constexpr std::array<std::string_view, 2> kOscillationKeys{"amplitude", "frequency"};

constexpr std::array kMaxForceUnits{ForceUnit::Newton, ForceUnit::PoundForce,
                                    ForceUnit::KilogramForce, ForceUnit::PercentBodyWeight};
constexpr std::array kRestForceUnits{ForceUnit::Newton, ForceUnit::PoundForce,
                                     ForceUnit::KilogramForce, ForceUnit::PercentBodyWeight,
                                     ForceUnit::PercentMax};
constexpr std::array kAmplitudeUnits{ForceUnit::Newton, ForceUnit::PoundForce,
                                     ForceUnit::KilogramForce, ForceUnit::PercentMax};

// Position of a pointer in the documented field order; the whole document comes first and
// unknown keys last.
std::size_t rank(std::string_view pointer) {
  if (pointer == "/") return 0;
  for (std::size_t i = 0; i < kProfileKeys.size(); ++i)
    if (pointer.substr(1) == kProfileKeys[i]) return 1 + 3 * i;
  if (pointer == "/oscillation/amplitude") return 1 + 3 * (kProfileKeys.size() - 1) + 1;
  if (pointer == "/oscillation/frequency") return 1 + 3 * (kProfileKeys.size() - 1) + 2;
  return 1 + 3 * kProfileKeys.size();
}

enum class Need { Required, Optional, Forbidden };

Need need(std::string_view key, Mode mode) {
  if (key == "rest_force") return mode == Mode::Static ? Need::Forbidden : Need::Required;
  if (key == "hold" || key == "rest")
    return mode == Mode::Intermittent ? Need::Required : Need::Forbidden;
  if (key == "progressive_steps" || key == "regressive_steps")
    return mode == Mode::Static ? Need::Forbidden : Need::Optional;
  if (key == "oscillation") return mode == Mode::Cyclic ? Need::Forbidden : Need::Optional;
  if (key == "ramp") return Need::Optional;
  // A cyclic session never stops moving: its ramps are always the S-curve.
  if (key == "ramp_shape") return mode == Mode::Cyclic ? Need::Forbidden : Need::Optional;
  return Need::Required;
}

// Reports missing and meaningless fields; returns the draft without the meaningless ones, so
// no later check reads a value the mode ignores.
ProfileDraft check_presence(const ProfileDraft &draft, ProblemList &problems) {
  ProfileDraft kept = draft;
  for (const std::string_view key : kProfileKeys) {
    const std::string pointer = "/" + std::string(key);
    const bool present = draft.present.contains(pointer);
    if (!draft.mode) {
      if (need(key, Mode::Static) == Need::Required && need(key, Mode::Cyclic) == Need::Required &&
          !present)
        problems.add(pointer, "missing (required)");
      continue;
    }
    const Need needed = need(key, *draft.mode);
    const std::string in_mode = " in " + std::string(to_string(*draft.mode)) + " mode";
    if (needed == Need::Required && !present)
      problems.add(pointer, need(key, Mode::Static) == Need::Required
                                ? "missing (required)"
                                : "missing (required" + in_mode + ")");
    if (needed == Need::Forbidden && present)
      problems.add(pointer, "has no meaning" + in_mode + " (remove it)");
  }
  if (draft.mode && need("rest_force", *draft.mode) == Need::Forbidden) kept.rest_force.reset();
  if (draft.mode && need("hold", *draft.mode) == Need::Forbidden) {
    kept.hold.reset();
    kept.rest.reset();
  }
  if (draft.mode && need("progressive_steps", *draft.mode) == Need::Forbidden) {
    kept.progressive_steps.reset();
    kept.regressive_steps.reset();
  }
  if (draft.mode && need("ramp_shape", *draft.mode) == Need::Forbidden) kept.ramp_shape.reset();
  if (draft.mode && need("oscillation", *draft.mode) == Need::Forbidden) {
    kept.amplitude.reset();
    kept.frequency.reset();
  }
  if (draft.present.contains("/oscillation") && !problems.has("/oscillation"))
    for (const std::string_view key : kOscillationKeys) {
      const std::string pointer = "/oscillation/" + std::string(key);
      if (!draft.present.contains(pointer)) problems.add(pointer, "missing (required)");
    }
  return kept;
}

void check_text_fields(const ProfileDraft &draft, ProblemList &problems) {
  if (draft.format && *draft.format != kProfileFormat)
    problems.add("/format", in_quotes(*draft.format) + " is not supported (\"" +
                                std::string(kProfileFormat) + "\")");
  if (draft.id) {
    if (!is_profile_id(*draft.id))
      problems.add("/id", in_quotes(*draft.id) +
                              " is not a valid id (1 to 64 characters from a-z, 0-9 and -)");
  }
  if (draft.name) {
    const std::string allowed = " (1 to 80 printable characters)";
    const std::string &name = *draft.name;
    // Characters, not bytes: count every byte that does not continue a UTF-8 sequence.
    const auto length = std::count_if(name.begin(), name.end(), [](char c) {
      return (static_cast<unsigned char>(c) & 0xC0U) != 0x80U;
    });
    const bool control = std::any_of(name.begin(), name.end(), [](char c) {
      return static_cast<unsigned char>(c) < 0x20U || c == 0x7F;
    });
    if (name.find_first_not_of(' ') == std::string::npos)
      problems.add("/name", "is empty" + allowed);
    else if (control)
      problems.add("/name", "contains a control character" + allowed);
    else if (length > 80)
      problems.add("/name", "is " + std::to_string(length) + " characters long" + allowed);
  }
}

void check_duration(ProblemList &problems, std::string_view pointer,
                    const std::optional<Duration> &value, Duration lowest, Duration highest) {
  if (!value) return;
  const std::string range =
      " (" + format_duration(lowest) + " to " + format_duration(highest) + ")";
  if (!(*value >= lowest)) // NaN too, from a profile built in code
    problems.add(std::string(pointer), format_duration(*value) + " is too short" + range);
  else if (*value > highest)
    problems.add(std::string(pointer), format_duration(*value) + " is too long" + range);
}

void check_steps(ProblemList &problems, std::string_view pointer, const std::optional<int> &value,
                 int highest) {
  if (!value) return;
  const std::string range = " (0 to " + std::to_string(highest) + ")";
  if (*value < 0)
    problems.add(std::string(pointer), std::to_string(*value) + " is negative" + range);
  else if (*value > highest)
    problems.add(std::string(pointer), std::to_string(*value) + " is too many" + range);
}

std::string spec_text(double number, ForceUnit unit) { return to_string(ForceSpec{number, unit}); }

// Checks on a force field that need no conversion to newtons: its unit, and the bounds of
// percentages.
void check_force_field(const ProfileDraft &draft, const Limits &limits, ProblemList &problems,
                       std::string_view pointer, const std::optional<ForceSpec> &spec) {
  if (!spec) return;
  const std::string at(pointer);
  const auto units = accepted_units(pointer);
  if (std::find(units.begin(), units.end(), spec->unit) == units.end()) {
    problems.add(at, in_quotes(to_string(*spec)) + ": unit " + in_quotes(unit_symbol(spec->unit)) +
                         " is not accepted (" + field_syntax(pointer) + ")");
    return;
  }
  const double number = spec->number;
  const ForceUnit unit = spec->unit;
  const bool is_max = pointer == "/max_force";
  const bool is_amplitude = pointer == "/oscillation/amplitude";
  // Absolute max and rest forces are bounded below by the minimum cord tension, checked in
  // newtons by check_forces(); everything else must at least be more than zero.
  if (spec->is_absolute() && !is_amplitude) return;
  std::string range = " (more than " + spec_text(0, unit);
  if (is_max && draft.region) {
    const double cap = clinical_cap_percent_bw(limits, *draft.region);
    if (number > cap)
      return problems.add(at, to_string(*spec) + " is above the " +
                                  std::string(to_string(*draft.region)) +
                                  " clinical cap (at most " + spec_text(cap, unit) + ")");
    range += ", at most " + spec_text(cap, unit);
  } else if (is_amplitude && unit == ForceUnit::PercentMax) {
    const double cap = limits.max_oscillation_percent_of_max;
    range += ", at most " + spec_text(cap, unit);
    if (number > cap) return problems.add(at, to_string(*spec) + " is too large" + range + ")");
  } else if (unit == ForceUnit::PercentMax) {
    range += ", less than " + spec_text(100, unit);
    if (number >= 100.0)
      return problems.add(at, to_string(*spec) + " is not below max_force" + range + ")");
  }
  if (!(number > 0.0)) problems.add(at, to_string(*spec) + " is too low" + range + ")");
}

void check_frequency(const ProfileDraft &draft, const Limits &limits, ProblemList &problems) {
  if (!draft.frequency) return;
  const Frequency lowest = limits.min_oscillation_frequency;
  const Frequency highest = limits.max_oscillation_frequency;
  const std::string range =
      " (" + format_frequency(lowest) + " to " + format_frequency(highest) + ")";
  if (!(*draft.frequency >= lowest))
    problems.add("/oscillation/frequency",
                 format_frequency(*draft.frequency) + " is too slow" + range);
  else if (*draft.frequency > highest)
    problems.add("/oscillation/frequency",
                 format_frequency(*draft.frequency) + " is too fast" + range);
}

std::string cycles_text(int count) {
  return std::to_string(count) + (count == 1 ? " cycle" : " cycles");
}

// Does the session layout fit its duration? Returns the timing when it does.
std::optional<SessionTiming> check_timing(const CheckContext &context) {
  const ProfileDraft &d = context.draft;
  ProblemList &problems = context.problems;
  const bool intermittent = d.mode == Mode::Intermittent;
  if (!d.mode || !context.usable(d.duration, "/duration") || problems.has("/ramp") ||
      problems.has("/progressive_steps") || problems.has("/regressive_steps") ||
      (intermittent && (!context.usable(d.hold, "/hold") || !context.usable(d.rest, "/rest"))))
    return std::nullopt;
  const SessionTiming timing{*d.mode,
                             d.ramp.value_or(kDefaultRamp),
                             d.hold.value_or(Duration(0.0)),
                             d.rest.value_or(Duration(0.0)),
                             *d.duration,
                             d.progressive_steps.value_or(0),
                             d.regressive_steps.value_or(0),
                             d.ramp_shape.value_or(RampShape::Linear)};
  const Duration shortest = shortest_duration(timing, context.limits.min_hold_rest);
  const std::string ramp = format_duration(timing.ramp);
  if (*d.duration < shortest - Duration(1e-9)) {
    std::string what;
    if (timing.mode == Mode::Static) {
      what = "a " + ramp + " ramp, a " + format_duration(context.limits.min_hold_rest) +
             " hold and a " + ramp + " release";
    } else {
      const int needed = cycles_needed(timing);
      what = cycles_text(needed);
      if (needed > 1)
        what += " (" + std::to_string(timing.progressive_steps) + " progressive, " +
                std::to_string(timing.regressive_steps) + " regressive, 1 at max)";
      what += " of " + format_duration(cycle_period(timing)) + " and a " + ramp + " release";
    }
    problems.add("/duration", format_duration(*d.duration) + " is too short for " + what +
                                  " (at least " + format_duration(shortest) + ")");
    return std::nullopt;
  }
  if (context.usable(d.frequency, "/oscillation/frequency") && timing.mode != Mode::Cyclic) {
    const Duration hold =
        timing.mode == Mode::Static ? timing.duration - 2.0 * timing.ramp : timing.hold;
    if (d.frequency->si() * hold.si() < 1.0 - 1e-9)
      problems.add("/oscillation/frequency",
                   format_frequency(*d.frequency) + " is too slow for a " + format_duration(hold) +
                       " hold (at least " +
                       format_frequency(Frequency(std::ceil(1000.0 / hold.si()) / 1000.0)) +
                       ", one whole period per hold)");
  }
  return timing;
}

} // namespace

void ProblemList::add(std::string pointer, std::string message) {
  if (has(pointer)) return; // one problem per field: the first is what to fix
  problems_.push_back({file_, std::move(pointer), std::move(message)});
}

bool ProblemList::has(std::string_view pointer) const {
  return std::any_of(problems_.begin(), problems_.end(),
                     [&](const Problem &problem) { return problem.pointer == pointer; });
}

std::vector<Problem> ProblemList::sorted() const {
  std::vector<Problem> sorted = problems_;
  std::stable_sort(sorted.begin(), sorted.end(), [](const Problem &a, const Problem &b) {
    return rank(a.pointer) < rank(b.pointer);
  });
  return sorted;
}

std::span<const std::string_view> profile_keys() { return kProfileKeys; }
std::span<const std::string_view> oscillation_keys() { return kOscillationKeys; }

std::span<const ForceUnit> accepted_units(std::string_view pointer) {
  if (pointer == "/max_force") return kMaxForceUnits;
  if (pointer == "/oscillation/amplitude") return kAmplitudeUnits;
  return kRestForceUnits;
}

std::string field_syntax(std::string_view pointer) {
  if (pointer == "/max_force") return R"(a force such as "400 N", "90 lbf", "40 kgf" or "40 %bw")";
  if (pointer == "/rest_force")
    return R"(a force such as "200 N", "45 lbf", "20 kgf", "20 %bw" or "50 %max")";
  if (pointer == "/oscillation/amplitude")
    return R"(a force such as "10 N", "2 lbf", "1 kgf" or "3 %max")";
  if (pointer == "/oscillation/frequency") return R"(a frequency such as "0.2 Hz")";
  return R"(a duration such as "60 s" or "2 min")";
}

ProfileDraft draft_of(const Profile &profile) {
  ProfileDraft draft;
  draft.format = std::string(kProfileFormat);
  draft.id = profile.id;
  draft.name = profile.name;
  draft.region = profile.region;
  draft.mode = profile.mode;
  draft.max_force = profile.max_force;
  draft.rest_force = profile.rest_force;
  draft.hold = profile.hold;
  draft.rest = profile.rest;
  draft.ramp = profile.ramp;
  if (profile.ramp_shape != RampShape::Linear) draft.ramp_shape = profile.ramp_shape;
  if (profile.progressive_steps != 0) draft.progressive_steps = profile.progressive_steps;
  if (profile.regressive_steps != 0) draft.regressive_steps = profile.regressive_steps;
  draft.duration = profile.duration;
  if (profile.oscillation) {
    draft.amplitude = profile.oscillation->amplitude;
    draft.frequency = profile.oscillation->frequency;
    draft.present.insert({"/oscillation", "/oscillation/amplitude", "/oscillation/frequency"});
  }
  draft.present.insert({"/format", "/id", "/name", "/region", "/mode", "/max_force", "/duration"});
  if (draft.rest_force) draft.present.insert("/rest_force");
  if (draft.hold) draft.present.insert("/hold");
  if (draft.rest) draft.present.insert("/rest");
  if (draft.ramp) draft.present.insert("/ramp");
  if (draft.ramp_shape) draft.present.insert("/ramp_shape");
  if (draft.progressive_steps) draft.present.insert("/progressive_steps");
  if (draft.regressive_steps) draft.present.insert("/regressive_steps");
  return draft;
}

Profile profile_of(const ProfileDraft &draft, std::string source) {
  Profile profile;
  profile.source = std::move(source);
  profile.id = draft.id.value_or("");
  profile.name = draft.name.value_or("");
  profile.region = draft.region.value_or(Region::Lumbar);
  profile.mode = draft.mode.value_or(Mode::Static);
  profile.max_force = draft.max_force.value_or(ForceSpec{});
  profile.rest_force = draft.rest_force;
  profile.hold = draft.hold;
  profile.rest = draft.rest;
  profile.ramp = draft.ramp;
  profile.ramp_shape = draft.ramp_shape.value_or(RampShape::Linear);
  profile.progressive_steps = draft.progressive_steps.value_or(0);
  profile.regressive_steps = draft.regressive_steps.value_or(0);
  profile.duration = draft.duration.value_or(Duration(0.0));
  if (draft.amplitude && draft.frequency)
    profile.oscillation = Oscillation{*draft.amplitude, *draft.frequency};
  return profile;
}

void check_profile(const ProfileDraft &draft, const Limits &limits, std::optional<Mass> body_mass,
                   ProblemList &problems) {
  const ProfileDraft kept = check_presence(draft, problems);
  check_text_fields(kept, problems);
  check_duration(problems, "/hold", kept.hold, limits.min_hold_rest, limits.max_hold_rest);
  check_duration(problems, "/rest", kept.rest, limits.min_hold_rest, limits.max_hold_rest);
  check_duration(problems, "/ramp", kept.ramp, limits.min_ramp, limits.max_ramp);
  check_duration(problems, "/duration", kept.duration, limits.min_duration, limits.max_duration);
  check_steps(problems, "/progressive_steps", kept.progressive_steps, limits.max_steps);
  check_steps(problems, "/regressive_steps", kept.regressive_steps, limits.max_steps);
  check_force_field(kept, limits, problems, "/max_force", kept.max_force);
  check_force_field(kept, limits, problems, "/rest_force", kept.rest_force);
  check_force_field(kept, limits, problems, "/oscillation/amplitude", kept.amplitude);
  check_frequency(kept, limits, problems);
  CheckContext context{kept, limits, body_mass, problems, std::nullopt};
  context.timing = check_timing(context);
  check_forces(context);
}

} // namespace tractus::profiles
