#include "profiles/force_checks.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tractus::profiles {
namespace {

// Rates are compared with a relative tolerance so that a profile exactly at the limit (as
// computed by a person: 500 N over 10 s is 50 N/s) is not refused for a rounding error.
constexpr double kRateTolerance = 1e-9;

// "400 N", "90 lbf = 400.3 N", "40 %bw = 313.8 N at 80 kg", "50 %max = 156.9 N", "40 %bw".
std::string describe(const ForceSpec &spec, std::optional<Force> resolved,
                     std::optional<Mass> body_mass) {
  std::string text = to_string(spec);
  if (spec.unit == ForceUnit::Newton || !resolved) return text;
  text += " = " + format_force(*resolved);
  if (spec.unit == ForceUnit::PercentBodyWeight && body_mass)
    text += " at " + format_mass(*body_mass);
  return text;
}

struct Cap {
  Force force;
  std::string text; // "the lumbar hard cap (at most 890 N = 200.1 lbf)"
};

bool too_fast(ForceRate rate, ForceRate limit) { return rate > limit * (1.0 + kRateTolerance); }

// The lowest hold of the session: the first progressive or the last regressive step.
Force lowest_hold(const ProfileDraft &d, Force start, Force max) {
  Force lowest = max;
  for (const int steps : {d.progressive_steps.value_or(0), d.regressive_steps.value_or(0)})
    if (steps > 0) lowest = min(lowest, start + (max - start) / (steps + 1.0));
  return lowest;
}

void check_ramp_rates(const CheckContext &c, Force max, std::optional<Force> rest) {
  const SessionTiming &timing = *c.timing;
  const SessionLevels levels{c.limits.min_cord_tension, max, rest.value_or(max), Force(0.0),
                             Frequency(0.0)};
  const SessionPlan plan = plan_session(timing, levels);
  ForceRate worst(0.0);
  for (const Segment &segment : plan.segments)
    if (segment.phase == Phase::Ramp || segment.phase == Phase::Release)
      worst = tractus::max(worst, segment.peak_rate());
  const ForceRate limit = c.limits.max_rate;
  if (!too_fast(worst, limit)) return;
  // Every ramp lasts `ramp`, so the rate scales with 1/ramp: this ramp would just do.
  const Duration needed(std::ceil(timing.ramp.si() * (worst / limit) * 10.0 - 1e-6) / 10.0);
  const std::string ramp = c.draft.ramp ? format_duration(timing.ramp)
                                        : "the default of " + format_duration(timing.ramp);
  // A logarithmic or S-curve ramp is faster than the linear one at its steepest: say which.
  const std::string shape = timing.ramp_shape == RampShape::Linear
                                ? std::string()
                                : " " + std::string(to_string(timing.ramp_shape));
  c.problems.add("/ramp", ramp + shape + " is too short, the force would change at " +
                              format_rate(worst) + " (at most " + format_rate(limit) +
                              ", a ramp of at least " + format_duration(needed) + ")");
}

} // namespace

std::optional<Force> resolve(const ForceSpec &spec, std::optional<Mass> body_mass,
                             std::optional<Force> max) {
  switch (spec.unit) {
  case ForceUnit::Newton:
  case ForceUnit::PoundForce:
  case ForceUnit::KilogramForce: return spec.absolute();
  case ForceUnit::PercentBodyWeight:
    if (body_mass) return weight_of(*body_mass) * (spec.number / 100.0);
    break;
  case ForceUnit::PercentMax:
    if (max) return *max * (spec.number / 100.0);
    break;
  }
  return std::nullopt;
}

void check_forces(const CheckContext &c) {
  const ProfileDraft &d = c.draft;
  if (!d.region || !d.mode) return; // caps depend on the region, which forces count on the mode
  const Force start = c.limits.min_cord_tension;
  const std::string region(to_string(*d.region));
  const Force hard = hard_cap(c.limits, *d.region);
  const std::string hard_text =
      "the " + region + " hard cap (at most " + format_force_n_lbf(hard) + ")";
  Cap ceiling{hard, hard_text};
  std::optional<Cap> clinical;
  if (c.body_mass) {
    const double percent = clinical_cap_percent_bw(c.limits, *d.region);
    const Force force = weight_of(*c.body_mass) * (percent / 100.0);
    clinical = Cap{
        force, "the " + region + " clinical cap at " + format_mass(*c.body_mass) + " (at most " +
                   describe({percent, ForceUnit::PercentBodyWeight}, force, std::nullopt) + ")"};
    if (clinical->force < ceiling.force) ceiling = *clinical;
  }

  std::optional<Force> max;
  if (c.usable(d.max_force, "/max_force")) {
    if (const auto force = resolve(*d.max_force, c.body_mass, std::nullopt)) {
      const std::string text = describe(*d.max_force, force, c.body_mass);
      if (!(*force > start))
        c.problems.add("/max_force", text + " is not above the minimum cord tension (more than " +
                                         format_force(start) + ")");
      else if (*force > hard)
        c.problems.add("/max_force", text + " is above " + hard_text);
      else if (clinical && *force > clinical->force)
        c.problems.add("/max_force", text + " is above " + clinical->text);
      else
        max = force;
    }
  }

  std::optional<Force> rest;
  if (d.mode != Mode::Static && c.usable(d.rest_force, "/rest_force")) {
    if (const auto force = resolve(*d.rest_force, c.body_mass, max)) {
      const std::string text = describe(*d.rest_force, force, c.body_mass);
      if (!(*force >= start))
        c.problems.add("/rest_force", text + " is below the minimum cord tension (at least " +
                                          format_force(start) + ")");
      else if (max && *force >= *max)
        c.problems.add("/rest_force", text + " is not below max_force (less than " +
                                          describe(*d.max_force, max, c.body_mass) + ")");
      else
        rest = force;
    } else if (d.rest_force->unit == ForceUnit::PercentBodyWeight &&
               c.usable(d.max_force, "/max_force") &&
               d.max_force->unit == ForceUnit::PercentBodyWeight &&
               d.rest_force->number >= d.max_force->number) {
      c.problems.add("/rest_force", to_string(*d.rest_force) +
                                        " is not below max_force (less than " +
                                        to_string(*d.max_force) + ")");
    }
  }

  if (d.mode != Mode::Cyclic && c.usable(d.amplitude, "/oscillation/amplitude")) {
    const auto amplitude = resolve(*d.amplitude, std::nullopt, max);
    const std::string text = describe(*d.amplitude, amplitude, std::nullopt);
    if (amplitude && max) {
      const double percent = c.limits.max_oscillation_percent_of_max;
      const Force lowest = lowest_hold(d, start, *max);
      if (*amplitude > *max * (percent / 100.0))
        c.problems.add(
            "/oscillation/amplitude",
            text + " is too large (at most " +
                describe({percent, ForceUnit::PercentMax}, *max * (percent / 100.0), std::nullopt) +
                ")");
      else if (*max + *amplitude > ceiling.force)
        c.problems.add("/oscillation/amplitude",
                       text + " on the hold at " + format_force(*max) + " peaks at " +
                           format_force(*max + *amplitude) + ", above " + ceiling.text);
      else if (!c.problems.has("/progressive_steps") && !c.problems.has("/regressive_steps") &&
               lowest - *amplitude < start)
        c.problems.add("/oscillation/amplitude", text + " on the lowest hold at " +
                                                     format_force(lowest) + " dips to " +
                                                     format_force(lowest - *amplitude) +
                                                     ", below the minimum cord tension (at least " +
                                                     format_force(start) + ")");
    }
    if (amplitude && c.usable(d.frequency, "/oscillation/frequency")) {
      const ForceRate rate(2.0 * std::numbers::pi * d.frequency->si() * amplitude->si());
      if (too_fast(rate, c.limits.max_rate))
        c.problems.add("/oscillation", text + " at " + format_frequency(*d.frequency) +
                                           " is too fast, the force would change at " +
                                           format_rate(rate) + " (at most " +
                                           format_rate(c.limits.max_rate) + ")");
    }
  }

  if (c.timing && max && (d.mode == Mode::Static || rest)) check_ramp_rates(c, *max, rest);
}

} // namespace tractus::profiles
