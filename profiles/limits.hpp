// The limits every profile is checked against (DESIGN §3).
//
// The defaults are the hard caps of the machine and of clinical practice. A clinic may lower
// them (a smaller hard cap, a slower ramp rate, shorter sessions) but never raise them:
// limit_problems() refuses any Limits that is looser than the defaults.
#pragma once

#include "profiles/problem.hpp"
#include "units/units.hpp"

#include <cstdint>
#include <string_view>
#include <vector>

namespace tractus::profiles {

enum class Region : std::uint8_t { Lumbar, Cervical };

struct Limits {
  // Hard caps: the most the table may ever pull (Saunders: 200 lb lumbar, 50 lb cervical).
  Force lumbar_hard_cap = newtons(890.0);
  Force cervical_hard_cap = newtons(222.0);
  // Clinical caps in percent of body weight: lumbar separation needs about 40-50 %bw, cervical
  // traction stays well below (REFERENCE "Clinical numbers").
  double lumbar_clinical_cap_percent_bw = 50.0;
  double cervical_clinical_cap_percent_bw = 20.0;
  // Always on the cord during treatment so the harness stays seated (Eltrac 471: 15 N).
  Force min_cord_tension = newtons(15.0);
  // Fastest the force may change during treatment, release included.
  ForceRate max_rate = newtons_per_second(50.0);
  Duration min_hold_rest = seconds(5.0); // hold and rest
  Duration max_hold_rest = minutes(5.0);
  Duration min_ramp = seconds(2.0);
  Duration max_ramp = minutes(2.0);
  Duration min_duration = minutes(1.0);
  Duration max_duration = minutes(99.0); // Chattanooga static: up to 99 min
  int max_steps = 10;                    // progressive and regressive steps each
  // Oscillation is a small ripple on a hold, not a second treatment.
  double max_oscillation_percent_of_max = 20.0;
  Frequency min_oscillation_frequency = hertz(0.05);
  Frequency max_oscillation_frequency = hertz(1.0); // a table's cable drive follows ~1 Hz
};

// The defaults, which are also the loosest limits allowed.
inline constexpr Limits kDefaultLimits{};

[[nodiscard]] Force hard_cap(const Limits &limits, Region region);
[[nodiscard]] double clinical_cap_percent_bw(const Limits &limits, Region region);

// Every way `limits` is looser than kDefaultLimits or inconsistent, reported against the file
// label "limits" and a pointer naming the member, e.g.
// `limits: /max_rate: 80 N/s is above the default (at most 50 N/s)`. Empty when usable.
[[nodiscard]] std::vector<Problem> limit_problems(const Limits &limits);

} // namespace tractus::profiles
