#include "profiles/trajectory.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <string>

namespace tractus::profiles {

namespace {
// The logarithmic ramp's curve, log10(1 + 9x) (0 at x = 0, 1 at x = 1), and its slope.
constexpr double kLogCurve = 9.0;
double log_curve(double x) noexcept {
  return std::log1p(kLogCurve * x) / std::log(1.0 + kLogCurve);
}
double log_slope(double x) noexcept {
  return kLogCurve / ((1.0 + kLogCurve * x) * std::log(1.0 + kLogCurve));
}
} // namespace

std::string_view to_string(Phase phase) {
  switch (phase) {
  case Phase::Ramp: return "ramp";
  case Phase::Hold: return "hold";
  case Phase::Rest: return "rest";
  case Phase::Release: return "release";
  case Phase::Done: return "done";
  }
  return "?";
}

Setpoint Segment::at(Duration elapsed) const noexcept {
  Setpoint setpoint{from, ForceRate(0.0), phase, cycle};
  const double fraction = length.si() > 0.0 ? elapsed.si() / length.si() : 1.0;
  switch (shape) {
  case Shape::Constant: break;
  case Shape::Linear:
    setpoint.force = from + (to - from) * fraction;
    setpoint.rate = (to - from) / length;
    break;
  case Shape::RaisedCosine: {
    const double angle = std::numbers::pi * fraction;
    setpoint.force = from + (to - from) * (0.5 - 0.5 * std::cos(angle));
    setpoint.rate = (to - from) / length * (0.5 * std::numbers::pi * std::sin(angle));
    break;
  }
  case Shape::Logarithmic:
    setpoint.force = from + (to - from) * log_curve(fraction);
    setpoint.rate = (to - from) / length * log_slope(fraction);
    break;
  case Shape::Sine: {
    const double omega = 2.0 * std::numbers::pi * frequency.si();
    const double angle = omega * elapsed.si();
    setpoint.force = from + amplitude * std::sin(angle);
    setpoint.rate = ForceRate(amplitude.si() * omega * std::cos(angle));
    break;
  }
  }
  return setpoint;
}

ForceRate Segment::peak_rate() const noexcept {
  const double change = std::abs((to - from).si());
  switch (shape) {
  case Shape::Constant: return ForceRate(0.0);
  case Shape::Linear: return ForceRate(change / length.si());
  case Shape::RaisedCosine: return ForceRate(0.5 * std::numbers::pi * change / length.si());
  case Shape::Logarithmic: return ForceRate(log_slope(0.0) * change / length.si()); // at its start
  case Shape::Sine:
    return ForceRate(2.0 * std::numbers::pi * frequency.si() * std::abs(amplitude.si()));
  }
  return ForceRate(0.0);
}

Force Segment::highest() const noexcept {
  return shape == Shape::Sine ? from + abs(amplitude) : max(from, to);
}

Force Segment::lowest() const noexcept {
  return shape == Shape::Sine ? from - abs(amplitude) : min(from, to);
}

Trajectory::Trajectory(std::vector<Segment> segments, std::vector<CycleLevels> cycles,
                       ResolvedForces forces)
    : segments_(std::move(segments)), cycles_(std::move(cycles)), forces_(forces) {
  // A micronewton or microsecond: far below anything a patient or the drive could feel, far
  // above the rounding of a 99-minute session of sines.
  constexpr double kTolerance = 1e-6;
  Duration expected_start(0.0);
  Force previous_end = segments_.empty() ? Force(0.0) : segments_.front().from;
  for (const Segment &segment : segments_) {
    if (std::abs((segment.start - expected_start).si()) > kTolerance ||
        !(segment.length.si() > 0.0))
      throw std::invalid_argument("trajectory segments must be contiguous from t = 0");
    if (std::abs((segment.at(Duration(0.0)).force - previous_end).si()) > kTolerance)
      throw std::invalid_argument(
          "trajectory force jumps at t = " + std::to_string(segment.start.si()) + " s");
    expected_start = segment.end();
    previous_end = segment.at(segment.length).force;
    ends_.push_back(segment.end().si());
    peak_force_ = max(peak_force_, segment.highest());
    peak_rate_ = max(peak_rate_, segment.peak_rate());
  }
  total_ = expected_start;
}

Setpoint Trajectory::at(Duration t) const noexcept {
  if (segments_.empty() || !(t < total_)) // NaN lands here too
    return Setpoint{Force(0.0), ForceRate(0.0), Phase::Done, 0};
  if (t.si() < 0.0) {
    const Segment &first = segments_.front();
    return Setpoint{first.from, ForceRate(0.0), first.phase, first.cycle};
  }
  // The first segment ending after t; exists because t < total_ == ends_.back().
  const auto end = std::upper_bound(ends_.begin(), ends_.end(), t.si());
  const Segment &segment = segments_[static_cast<std::size_t>(end - ends_.begin())];
  return segment.at(t - segment.start);
}

} // namespace tractus::profiles
