#include "controller/session_config.hpp"

#include "controller/baseline_loop.hpp"
#include "controller/force_loop.hpp"

#include <algorithm>
#include <cmath>

namespace tractus::controller {

SessionSetup session_setup(const SessionInputs &in) {
  SessionSetup s;
  s.trajectory = in.trajectory;
  if (in.calibration) s.calibration = *in.calibration;
  s.calibration_valid = in.calibration.has_value();
  s.screening_confirmed = in.screening_confirmed;
  s.period = in.period;
  s.controller = in.controller;
  s.force_loop = force_loop_params_for(in.period);
  s.baseline = baseline_loop_params_for(in.period);
  s.hard_cap = profiles::hard_cap(in.limits, in.region);
  // A clinic's tighter limits bind the running session too, not only the protocol's check: the
  // pause and resume ramps, and the tension always left on the cord. (A stop's release keeps
  // its own rate: releasing the patient sooner is never what a clinic limits.)
  s.timings.treatment_rate = min(s.timings.treatment_rate, in.limits.max_rate);
  s.timings.min_cord_tension = in.limits.min_cord_tension;
  s.monitors.full_scale = s.calibration.full_scale;
  return s;
}

std::optional<ControllerKind> parse_controller_kind(std::string_view name) {
  for (const ControllerKind k : {ControllerKind::Adaptive, ControllerKind::Baseline})
    if (name == to_string(k)) return k;
  return std::nullopt;
}

LoopOptions loop_options_for(Duration period) {
  LoopOptions o;
  o.period = period;
  o.sample_every = std::max(1, static_cast<int>(std::lround(0.1 / period.si()))); // 10 Hz
  return o;
}

} // namespace tractus::controller
