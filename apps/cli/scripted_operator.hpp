// The operator of `tractus run`: there is nobody at a console, so the command line's choices
// stand in for the operator's presses. It starts the session as soon as the patient has tested
// the hand switch, and gives up (ending the loop) if the start is refused or the press test does
// not happen in time. It never acknowledges anything: alarms and reminders stay in the journal
// as raised.
#pragma once

#include "controller/loop_runner.hpp"

#include <array>
#include <atomic>
#include <span>

namespace tractus::cli {

class ScriptedOperator final : public controller::OperatorSource {
public:
  explicit ScriptedOperator(Duration press_test_timeout)
      : press_test_timeout_(press_test_timeout) {}

  controller::OperatorInput poll(Duration now,
                                 const controller::CycleOutput &last) noexcept override;

  void attach(controller::LoopRunner *runner) noexcept { runner_ = runner; }
  [[nodiscard]] bool start_refused() const noexcept { return refused_; }
  // Each condition the start was refused for (code and reason), as the session emitted them.
  [[nodiscard]] std::span<const controller::Event> refusals() const noexcept {
    return {refusals_.data(), refusal_count_};
  }
  [[nodiscard]] bool press_test_timed_out() const noexcept { return timed_out_; }

private:
  Duration press_test_timeout_;
  controller::LoopRunner *runner_ = nullptr;
  bool press_test_passed_ = false;
  bool start_sent_ = false;
  bool refused_ = false;
  std::array<controller::Event, controller::kStartConditionCount> refusals_{};
  std::size_t refusal_count_ = 0;
  bool timed_out_ = false;
};

} // namespace tractus::cli
