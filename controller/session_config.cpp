#include "controller/session_config.hpp"

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
  s.force_loop = force_loop_params_for(in.period);
  s.hard_cap = profiles::hard_cap(in.limits, in.region);
  s.monitors.full_scale = s.calibration.full_scale;
  return s;
}

LoopOptions loop_options_for(Duration period) {
  LoopOptions o;
  o.period = period;
  o.sample_every = std::max(1, static_cast<int>(std::lround(0.1 / period.si()))); // 10 Hz
  return o;
}

} // namespace tractus::controller
