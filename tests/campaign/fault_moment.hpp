// When a session reaches its plan's moment for the fault: the same rule in-process and over
// Modbus, so both campaigns put the fault at the same place of a session.
#pragma once

#include "campaign.hpp"

#include "controller/session.hpp"
#include "sim/virtual_time.hpp"

namespace tractus::campaign {

class FaultMoment {
public:
  explicit FaultMoment(const SessionPlan &plan)
      : target_(plan.target), target_us_(sim::to_micros(plan.at)) {}

  // Called with every cycle's output at loop time `t`; true in the cycle the moment has come.
  // Pretension or a pause that ends before the planned moment: the event lands at its end.
  bool due(Micros t, const controller::CycleOutput &out) noexcept {
    using controller::State;
    if (target_ == Target::Pretension) {
      if (out.state == State::Pretension && pretension_since_ < 0) pretension_since_ = t;
      return pretension_since_ >= 0 &&
             (t - pretension_since_ >= target_us_ || out.state != State::Pretension);
    }
    if (target_ == Target::Paused) {
      if (out.state == State::Paused && paused_since_ < 0) paused_since_ = t;
      return paused_since_ >= 0 && (t - paused_since_ >= target_us_ || out.state != State::Paused);
    }
    return (out.state == State::Treating || out.state == State::Releasing) &&
           sim::to_micros(out.protocol_time) >= target_us_;
  }

private:
  Target target_;
  Micros target_us_;
  Micros pretension_since_ = -1;
  Micros paused_since_ = -1;
};

} // namespace tractus::campaign
