#include "console/loop_bridge.hpp"

#include "console/heartbeat.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>

namespace tractus::console {

LoopBridge::LoopBridge(LoopMailbox &mailbox, TelemetryChannel &channel,
                       const controller::Session &session, Duration period, bool simulated,
                       Duration publish_every)
    : mailbox_(mailbox), channel_(channel), session_(session), simulated_(simulated),
      cycles_per_frame_(
          static_cast<std::uint64_t>(std::max(1.0, std::round(publish_every.si() / period.si())))) {
}

controller::OperatorInput LoopBridge::poll(Duration, const controller::CycleOutput &) noexcept {
  // exchange: every request posted since the last cycle is taken exactly once, as an edge.
  const std::uint32_t bits = mailbox_.take();
  const auto has = [bits](OperatorCommand c) {
    return (bits & (1U << static_cast<unsigned>(c))) != 0;
  };
  controller::OperatorInput in;
  in.start = has(OperatorCommand::Start);
  in.pause = has(OperatorCommand::Pause);
  in.resume = has(OperatorCommand::Resume);
  in.stop = has(OperatorCommand::Stop);
  in.acknowledge = has(OperatorCommand::Acknowledge);
  return in;
}

void LoopBridge::on_cycle(Duration t, const controller::Readings &r,
                          const controller::CycleOutput &out) noexcept {
  ++cycles_;
  mailbox_.state.store(static_cast<std::uint8_t>(out.state), std::memory_order_relaxed);
  mailbox_.last_cycle_ns.store(heartbeat_now_ns(), std::memory_order_relaxed);
  for (std::uint8_t i = 0; i < out.event_count && i < out.events.size(); ++i) {
    const controller::Event &e = out.events[i];
    if (e.kind == controller::EventKind::GuardingOnset) ++guarding_events_;
  }
  if (++since_frame_ < cycles_per_frame_ && out.event_count == 0) return;
  since_frame_ = 0;

  LiveSnapshot s;
  TelemetryFrame &f = s.frame;
  f.wall_ms =
      std::chrono::duration<double, std::milli>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  f.protocol_s = out.protocol_time.si();
  f.setpoint_n = out.setpoint.si();
  f.force_n = out.measured.si();
  f.state = out.state;
  f.phase = out.phase;
  f.outcome = out.outcome;
  // `out.fault` also names why a stop happened (150, 151); the frame's fault is a latched one,
  // shown from the cycle it latches: in Fault, or during the controlled release of a fault that
  // keeps the drive in control (204, journal-unwritable).
  const bool latched =
      out.state == controller::State::Fault ||
      (out.outcome == controller::Outcome::Faulted && controller::is_active(out.state));
  f.fault = latched ? out.fault : controller::FaultCode::None;
  f.alarm = out.alarm;
  f.reminder = out.reminder;
  f.press_test_passed = session_.press_test_passed();
  f.estop_chain_closed = r.safety.io == hal::IoStatus::Ok && r.safety.estop_chain_closed;
  f.patient_switch_connected =
      r.safety.io == hal::IoStatus::Ok && r.safety.patient_switch_connected;
  f.simulated = simulated_;
  f.loop_running = true;
  f.guarding = out.guarding;
  // The event's largest size so far, not its size at onset: the notice grows with the spasm.
  f.guarding_n = out.guarding ? session_.guarding_size().si() : 0.0;
  f.guarding_events = guarding_events_;
  f.events = out.events;
  f.event_count = out.event_count;
  channel_.publish(f); // stamps f.seq
  s.readings = r;
  s.cycles = cycles_;
  s.t_s = t.si();
  channel_.latest.store(s);
}

} // namespace tractus::console
