#include "profiles/session_plan.hpp"

#include <algorithm>
#include <cmath>

namespace tractus::profiles {
namespace {

// Segments shorter than this are rounding left-overs, not intended phases.
constexpr double kShortestSegment = 1e-6; // s

class SegmentList {
public:
  explicit SegmentList(std::vector<Segment> &segments) : segments_(segments) {}

  void add(Duration length, Force from, Force to, Shape shape, Phase phase, int cycle) {
    if (!(length.si() > kShortestSegment)) return;
    segments_.push_back(Segment{now_, length, from, to, shape, phase, cycle, {}, {}});
    now_ += length;
  }

  // A hold with the oscillation over whole periods only, so the force is back at the hold
  // level, with no jump, when the hold ends.
  void add_hold(Duration length, Force level, int cycle, const SessionLevels &levels) {
    const double periods =
        std::floor(length.si() * levels.oscillation_frequency.si() + 1e-9); // whole periods
    if (levels.oscillation_amplitude.si() > 0.0 && periods >= 1.0) {
      const Duration oscillating(periods / levels.oscillation_frequency.si());
      segments_.push_back(Segment{now_, oscillating, level, level, Shape::Sine, Phase::Hold, cycle,
                                  levels.oscillation_amplitude, levels.oscillation_frequency});
      now_ += oscillating;
      length -= oscillating;
    }
    add(length, level, level, Shape::Constant, Phase::Hold, cycle);
  }

  [[nodiscard]] Duration now() const { return now_; }

private:
  std::vector<Segment> &segments_;
  Duration now_{0.0};
};

Force step_level(const SessionLevels &levels, int step, int steps) {
  return levels.start + (levels.max - levels.start) * (static_cast<double>(step) / (steps + 1));
}

Shape segment_shape(RampShape shape) {
  switch (shape) {
  case RampShape::Linear: return Shape::Linear;
  case RampShape::Logarithmic: return Shape::Logarithmic;
  case RampShape::SCurve: return Shape::RaisedCosine;
  }
  return Shape::Linear;
}

} // namespace

SessionTiming timing_of(const Profile &profile) {
  return SessionTiming{profile.mode,
                       profile.ramp_or_default(),
                       profile.hold.value_or(Duration(0.0)),
                       profile.rest.value_or(Duration(0.0)),
                       profile.duration,
                       profile.progressive_steps,
                       profile.regressive_steps,
                       profile.ramp_shape};
}

Duration cycle_period(const SessionTiming &timing) {
  if (timing.mode == Mode::Intermittent) return 2.0 * timing.ramp + timing.hold + timing.rest;
  return 2.0 * timing.ramp;
}

int cycles_that_fit(const SessionTiming &timing) {
  if (timing.mode == Mode::Static) return 1;
  const double cycles = (timing.duration - timing.ramp) / cycle_period(timing);
  return std::max(0, static_cast<int>(std::floor(cycles + 1e-9)));
}

int cycles_needed(const SessionTiming &timing) {
  if (timing.mode == Mode::Static) return 1;
  return timing.progressive_steps + timing.regressive_steps + 1;
}

Duration shortest_duration(const SessionTiming &timing, Duration min_static_hold) {
  if (timing.mode == Mode::Static) return 2.0 * timing.ramp + min_static_hold;
  return cycles_needed(timing) * cycle_period(timing) + timing.ramp;
}

CycleLevels cycle_levels(const SessionTiming &timing, const SessionLevels &levels, int cycle,
                         int cycle_count) {
  if (timing.mode == Mode::Static) return {cycle, levels.max, levels.max};
  const int regressive_from = cycle_count - timing.regressive_steps + 1;
  Force hold = levels.max;
  if (cycle <= timing.progressive_steps)
    hold = step_level(levels, cycle, timing.progressive_steps);
  else if (cycle >= regressive_from)
    hold = step_level(levels, cycle_count - cycle + 1, timing.regressive_steps);
  else
    return {cycle, levels.max, levels.rest};
  // During steps the rest is half the step (Chattanooga Triton), never below the minimum.
  return {cycle, hold, max(hold * 0.5, levels.start)};
}

SessionPlan plan_session(const SessionTiming &timing, const SessionLevels &levels) {
  SessionPlan plan;
  SegmentList list(plan.segments);
  const Force zero(0.0);
  if (timing.mode == Mode::Static) {
    plan.cycles.push_back({1, levels.max, levels.max});
    list.add(timing.ramp, levels.start, levels.max, segment_shape(timing.ramp_shape), Phase::Ramp,
             1);
    list.add_hold(timing.duration - 2.0 * timing.ramp, levels.max, 1, levels);
    list.add(timing.duration - list.now(), levels.max, zero, Shape::Linear, Phase::Release, 0);
    return plan;
  }
  // Cyclic moves continuously: raised-cosine ramps keep the rate continuous (zero at the
  // turning points) so the patient feels no jolt.
  const Shape shape =
      timing.mode == Mode::Cyclic ? Shape::RaisedCosine : segment_shape(timing.ramp_shape);
  const bool holds = timing.mode == Mode::Intermittent;
  const int count = cycles_that_fit(timing);
  const Duration left_over =
      max(Duration(0.0), timing.duration - timing.ramp - count * cycle_period(timing));
  Force level = levels.start;
  for (int cycle = 1; cycle <= count; ++cycle) {
    const CycleLevels cycle_level = cycle_levels(timing, levels, cycle, count);
    plan.cycles.push_back(cycle_level);
    list.add(timing.ramp, level, cycle_level.hold, shape, Phase::Ramp, cycle);
    if (holds) list.add_hold(timing.hold, cycle_level.hold, cycle, levels);
    list.add(timing.ramp, cycle_level.hold, cycle_level.rest, shape, Phase::Ramp, cycle);
    const Duration rest =
        (holds ? timing.rest : Duration(0.0)) + (cycle == count ? left_over : Duration(0.0));
    list.add(rest, cycle_level.rest, cycle_level.rest, Shape::Constant, Phase::Rest, cycle);
    level = cycle_level.rest;
  }
  // The release: the cyclic S-curve, or linear (a release's rate is the same whatever the ramps).
  list.add(timing.duration - list.now(), level, zero,
           timing.mode == Mode::Cyclic ? Shape::RaisedCosine : Shape::Linear, Phase::Release, 0);
  return plan;
}

} // namespace tractus::profiles
