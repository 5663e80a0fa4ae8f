#include "cli/scripted_operator.hpp"

namespace tractus::cli {

using controller::EventKind;
using controller::State;

controller::OperatorInput ScriptedOperator::poll(Duration now,
                                                 const controller::CycleOutput &last) noexcept {
  controller::OperatorInput op;
  for (std::uint8_t i = 0; i < last.event_count; ++i) {
    if (last.events[i].kind == EventKind::PressTestPassed) press_test_passed_ = true;
    if (last.events[i].kind != EventKind::StartRefused) continue;
    refused_ = true;
    if (refusal_count_ < refusals_.size()) refusals_[refusal_count_++] = last.events[i];
  }
  if (refused_ || timed_out_) {
    if (runner_ != nullptr) runner_->request_stop();
    return op;
  }
  if (last.state == State::Ready && !start_sent_) {
    if (press_test_passed_) {
      op.start = true;
      start_sent_ = true;
    } else if (now > press_test_timeout_) {
      timed_out_ = true;
    }
  }
  return op;
}

} // namespace tractus::cli
