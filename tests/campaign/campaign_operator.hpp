// The campaign's scripted operator, shared by the in-process and the Modbus campaigns: starts
// once the patient has tested the hand switch; pauses and resumes when the plan says so; stops
// when told to (operator-stop); never acknowledges anything; and after a fault, a stop or the
// end asks to start again every 500 ms (each request must be refused or ignored: invariant d).
#pragma once

#include "campaign.hpp"

#include "controller/loop_runner.hpp"
#include "sim/virtual_time.hpp"

namespace tractus::campaign {

class CampaignOperator final : public controller::OperatorSource {
public:
  // The operator asks to start again this long after a fault, stop or end, then every period.
  static constexpr Micros kRestartFirst = 100'000;
  static constexpr Micros kRestartEvery = 500'000;

  explicit CampaignOperator(const SessionPlan &plan) : plan_(plan) {}

  controller::OperatorInput poll(Duration now,
                                 const controller::CycleOutput &last) noexcept override {
    using controller::State;
    controller::OperatorInput op;
    const Micros t = sim::to_micros(now);
    last_now = t;
    for (std::uint8_t i = 0; i < last.event_count; ++i)
      if (last.events[i].kind == controller::EventKind::PressTestPassed) tested_ = true;
    if (tested_ && !started_ && last.state == State::Ready) op.start = started_ = true;
    if (plan_.target == Target::Paused) {
      if (!pause_sent_ && last.state == State::Treating &&
          sim::to_micros(last.protocol_time) >= sim::to_micros(plan_.pause_at))
        op.pause = pause_sent_ = true;
      if (last.state == State::Paused && paused_at_ < 0) paused_at_ = t;
      if (paused_at_ >= 0 && !resume_sent_ && last.state == State::Paused &&
          t - paused_at_ >= sim::to_micros(plan_.pause_for))
        op.resume = resume_sent_ = true;
    }
    if (stop_at >= 0 && !stop_sent_ && t >= stop_at) op.stop = stop_sent_ = true;
    const bool ended = last.state == State::Fault || last.state == State::Complete ||
                       last.outcome == controller::Outcome::PatientStop ||
                       last.outcome == controller::Outcome::OperatorStop;
    if (ended && ended_at_ < 0) {
      ended_at_ = t;
      next_start_ = t + kRestartFirst;
    }
    if (ended_at_ >= 0 && t >= next_start_) {
      op.start = true; // must be refused or ignored (d)
      ++restart_requests;
      next_start_ = t + kRestartEvery;
    }
    return op;
  }

  [[nodiscard]] bool started() const noexcept { return started_; }

  Micros stop_at = -1; // the operator presses stop in the first cycle at or after this time
  Micros last_now = 0; // the time of the cycle being run (set by poll)
  std::uint64_t restart_requests = 0;

private:
  const SessionPlan &plan_;
  bool tested_ = false;
  bool started_ = false;
  bool stop_sent_ = false;
  bool pause_sent_ = false;
  bool resume_sent_ = false;
  Micros paused_at_ = -1;
  Micros ended_at_ = -1;
  Micros next_start_ = 0;
};

} // namespace tractus::campaign
