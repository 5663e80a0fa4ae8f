// What the console plugs into a controller::LoopRunner: operator commands in through an atomic
// bitmask, telemetry out through the channel. Both sides are lock-free and allocation-free, so
// the loop never waits for the console (docs/console.md, "Architecture").
//
//   console side (any thread)          loop side (the loop thread, every cycle)
//   mailbox.post(Start)       ──bits──> poll(): exchange(0) → one-cycle OperatorInput edges
//   channel.pop() / latest    <─frames─ on_cycle(): a frame every 20 ms and on every event
#pragma once

#include "console/operator_command.hpp"
#include "console/telemetry_channel.hpp"
#include "controller/loop_runner.hpp"
#include "controller/session.hpp"

#include <atomic>
#include <cstdint>
#include <functional>
#include <string_view>

namespace tractus::console {

// Lives as long as the service: the console posts into it whether or not a loop runs.
struct LoopMailbox {
  std::atomic<std::uint32_t> commands{0}; // one bit per OperatorCommand, taken once per cycle
  std::atomic<std::uint8_t> state{0};     // the session's controller::State, every cycle
  std::atomic<bool> running{false};       // a loop runs (set before its thread starts)
  // console::heartbeat_now_ns() at the loop's last cycle: its heartbeat, read by the service's
  // watchdog (TableService::loop_heartbeat). One relaxed store a cycle.
  std::atomic<std::int64_t> last_cycle_ns{0};
  // The loaded session's id as session_key_of gives it (0: none): a command that names the
  // session its page shows is checked against it on the I/O thread, without the service's lock
  // (which a load holds while it opens files: STOP must never wait behind that).
  std::atomic<std::uint64_t> session_key{0};

  void post(OperatorCommand c) noexcept {
    commands.fetch_or(1U << static_cast<unsigned>(c), std::memory_order_release);
  }
};

// A session id's key in LoopMailbox::session_key: never 0.
inline std::uint64_t session_key_of(std::string_view session_id) noexcept {
  return std::hash<std::string_view>{}(session_id) | 1U;
}

class LoopBridge final : public controller::OperatorSource, public controller::CycleObserver {
public:
  // A frame every `publish_every` of loop time (20 ms: 50 Hz) and at once on every event.
  LoopBridge(LoopMailbox &mailbox, TelemetryChannel &channel, const controller::Session &session,
             Duration period, bool simulated, Duration publish_every = milliseconds(20));

  controller::OperatorInput poll(Duration now,
                                 const controller::CycleOutput &last) noexcept override;
  void on_cycle(Duration t, const controller::Readings &readings,
                const controller::CycleOutput &out) noexcept override;

private:
  LoopMailbox &mailbox_;
  TelemetryChannel &channel_;
  const controller::Session &session_;
  bool simulated_;
  std::uint64_t cycles_per_frame_;
  std::uint64_t cycles_ = 0;
  std::uint64_t since_frame_ = 0;
  // Muscle guarding events begun this session.
  std::uint32_t guarding_events_ = 0;
};

} // namespace tractus::console
