// How a session is laid out in time: the one place that turns levels and times into segments.
// Internal to profiles/ (used by the checks, to know the rates, and by compile()).
//
// Layout (docs/profiles.md "How a session fills its duration"):
//   static:        ramp up | hold (duration - 2 ramps) | release
//   intermittent:  N x [ramp up | hold | ramp down | rest] | release
//   cyclic:        N x [ramp up | ramp down] | release        (raised-cosine ramps)
// Static and intermittent ramps take the profile's ramp_shape; their release is linear.
// N is the largest number of whole cycles that fit before the release; the time left over
// (less than one cycle) lengthens the last rest, so the session ends exactly at `duration`.
// Every ramp and the release take `ramp`. The first N_p cycles are progressive steps, the
// last N_r regressive steps, with hold levels in equal steps between the minimum cord tension
// and max and rest levels at half the hold level (never below the minimum cord tension).
#pragma once

#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"

#include <vector>

namespace tractus::profiles {

struct SessionTiming {
  Mode mode = Mode::Static;
  Duration ramp;
  Duration hold; // intermittent only
  Duration rest; // intermittent only
  Duration duration;
  int progressive_steps = 0;
  int regressive_steps = 0;
  RampShape ramp_shape = RampShape::Linear; // static and intermittent treatment ramps
};

[[nodiscard]] SessionTiming timing_of(const Profile &profile);

// One treatment cycle: [ramp up | hold | ramp down | rest]; [up | down] in cyclic mode.
[[nodiscard]] Duration cycle_period(const SessionTiming &timing);
// Whole cycles that fit in the duration (intermittent and cyclic).
[[nodiscard]] int cycles_that_fit(const SessionTiming &timing);
// Cycles the steps need: the progressive and regressive ones plus one at max.
[[nodiscard]] int cycles_needed(const SessionTiming &timing);
// Shortest duration that satisfies the layout (steps in all modes, the minimum hold in static).
[[nodiscard]] Duration shortest_duration(const SessionTiming &timing, Duration min_static_hold);

struct SessionLevels {
  Force start; // the minimum cord tension: where t = 0 begins
  Force max;
  Force rest; // intermittent and cyclic
  Force oscillation_amplitude;
  Frequency oscillation_frequency;
};

// Hold and rest level of cycle `cycle` (1-based) of `cycle_count`.
[[nodiscard]] CycleLevels cycle_levels(const SessionTiming &timing, const SessionLevels &levels,
                                       int cycle, int cycle_count);

struct SessionPlan {
  std::vector<Segment> segments;
  std::vector<CycleLevels> cycles;
};

// Precondition: the timing fits (duration >= shortest_duration) and rest < max.
[[nodiscard]] SessionPlan plan_session(const SessionTiming &timing, const SessionLevels &levels);

} // namespace tractus::profiles
