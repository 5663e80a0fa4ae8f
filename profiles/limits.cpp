#include "profiles/limits.hpp"

#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"

#include <string>

namespace tractus::profiles {
namespace {

class LimitChecker {
public:
  explicit LimitChecker(std::vector<Problem> &problems) : problems_(problems) {}

  // lowest <= value <= highest, where the text says what is allowed.
  template <class T, class Format>
  void in_range(std::string_view member, T value, T lowest, T highest, Format format) {
    if (value < lowest || value > highest || value != value)
      problems_.push_back({"limits", "/" + std::string(member),
                           format(value) + " is outside what a clinic may set (" + format(lowest) +
                               " to " + format(highest) + ")"});
  }
  template <class T, class Format>
  void ordered(std::string_view low_member, T low, std::string_view high_member, T high,
               Format format) {
    if (high < low)
      problems_.push_back({"limits", "/" + std::string(high_member),
                           format(high) + " is below " + std::string(low_member) + " (at least " +
                               format(low) + ")"});
  }

private:
  std::vector<Problem> &problems_;
};

std::string percent_bw(double percent) { return text::format_number(percent, 1) + " %bw"; }
std::string percent_max(double percent) { return text::format_number(percent, 1) + " %max"; }
std::string force_text(Force force) { return format_force(force); }
std::string steps_text(int steps) { return std::to_string(steps); }

} // namespace

Force hard_cap(const Limits &limits, Region region) {
  return region == Region::Lumbar ? limits.lumbar_hard_cap : limits.cervical_hard_cap;
}

double clinical_cap_percent_bw(const Limits &limits, Region region) {
  return region == Region::Lumbar ? limits.lumbar_clinical_cap_percent_bw
                                  : limits.cervical_clinical_cap_percent_bw;
}

std::vector<Problem> limit_problems(const Limits &limits) {
  constexpr Limits d = kDefaultLimits;
  std::vector<Problem> problems;
  LimitChecker check(problems);
  const auto durations = [](Duration t) { return format_duration(t); };
  // A minimum cord tension above 30 N would itself be a treatment force for a cervical
  // patient; below 15 N the harness may slip.
  check.in_range("min_cord_tension", limits.min_cord_tension, d.min_cord_tension, newtons(30.0),
                 force_text);
  check.in_range("lumbar_hard_cap", limits.lumbar_hard_cap, limits.min_cord_tension,
                 d.lumbar_hard_cap, force_text);
  check.in_range("cervical_hard_cap", limits.cervical_hard_cap, limits.min_cord_tension,
                 d.cervical_hard_cap, force_text);
  check.in_range("lumbar_clinical_cap_percent_bw", limits.lumbar_clinical_cap_percent_bw, 1.0,
                 d.lumbar_clinical_cap_percent_bw, percent_bw);
  check.in_range("cervical_clinical_cap_percent_bw", limits.cervical_clinical_cap_percent_bw, 1.0,
                 d.cervical_clinical_cap_percent_bw, percent_bw);
  check.in_range("max_rate", limits.max_rate, newtons_per_second(1.0), d.max_rate,
                 [](ForceRate r) { return format_rate(r); });
  check.in_range("min_hold_rest", limits.min_hold_rest, d.min_hold_rest, d.max_hold_rest,
                 durations);
  check.in_range("max_hold_rest", limits.max_hold_rest, d.min_hold_rest, d.max_hold_rest,
                 durations);
  check.ordered("min_hold_rest", limits.min_hold_rest, "max_hold_rest", limits.max_hold_rest,
                durations);
  check.in_range("min_ramp", limits.min_ramp, d.min_ramp, d.max_ramp, durations);
  check.in_range("max_ramp", limits.max_ramp, d.min_ramp, d.max_ramp, durations);
  check.ordered("min_ramp", limits.min_ramp, "max_ramp", limits.max_ramp, durations);
  check.in_range("min_duration", limits.min_duration, d.min_duration, d.max_duration, durations);
  check.in_range("max_duration", limits.max_duration, d.min_duration, d.max_duration, durations);
  check.ordered("min_duration", limits.min_duration, "max_duration", limits.max_duration,
                durations);
  check.in_range("max_steps", limits.max_steps, 0, d.max_steps, steps_text);
  check.in_range("max_oscillation_percent_of_max", limits.max_oscillation_percent_of_max, 0.0,
                 d.max_oscillation_percent_of_max, percent_max);
  const auto hz = [](Frequency f) { return format_frequency(f); };
  check.in_range("min_oscillation_frequency", limits.min_oscillation_frequency,
                 d.min_oscillation_frequency, d.max_oscillation_frequency, hz);
  check.in_range("max_oscillation_frequency", limits.max_oscillation_frequency,
                 d.min_oscillation_frequency, d.max_oscillation_frequency, hz);
  check.ordered("min_oscillation_frequency", limits.min_oscillation_frequency,
                "max_oscillation_frequency", limits.max_oscillation_frequency, hz);
  return problems;
}

} // namespace tractus::profiles
