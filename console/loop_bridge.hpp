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
// A session id's key in LoopMailbox::commands: never 0 (0 is no session).
inline std::uint32_t session_key_of(std::string_view session_id) noexcept {
  const auto hash = static_cast<std::uint64_t>(std::hash<std::string_view>{}(session_id));
  return static_cast<std::uint32_t>(hash ^ (hash >> 32U)) | 1U;
}

struct LoopMailbox {
  // One word: the command bits (low 32, one per OperatorCommand, taken once per cycle) and the
  // loaded session's key (high 32, session_key_of; 0: none). A command that names a session is
  // posted by a compare-and-swap that holds only while that session is the one loaded, so a
  // session loaded between a check and the post never receives a command its page never sent.
  // Checked on the I/O thread without the service's lock (which a load holds while it opens
  // files: STOP must never wait behind that).
  std::atomic<std::uint64_t> commands{0};
  std::atomic<std::uint8_t> state{0}; // the session's controller::State, every cycle
  std::atomic<bool> running{false};   // a loop runs (set before its thread starts)
  // console::heartbeat_now_ns() at the loop's last cycle: its heartbeat, read by the service's
  // watchdog (TableService::loop_heartbeat). One relaxed store a cycle.
  std::atomic<std::int64_t> last_cycle_ns{0};

  static constexpr std::uint64_t kBits = 0xFFFF'FFFFU;
  static std::uint64_t bit(OperatorCommand c) noexcept {
    return std::uint64_t{1} << static_cast<unsigned>(c);
  }
  // Whatever session is loaded (a stop only ever makes the table safer).
  void post(OperatorCommand c) noexcept { commands.fetch_or(bit(c), std::memory_order_release); }
  // Only while the session of `key` is the one loaded; false, nothing posted, otherwise.
  bool post_for(OperatorCommand c, std::uint32_t key) noexcept {
    std::uint64_t seen = commands.load(std::memory_order_relaxed);
    do {
      if ((seen >> 32U) != key) return false;
    } while (!commands.compare_exchange_weak(seen, seen | bit(c), std::memory_order_release,
                                             std::memory_order_relaxed));
    return true;
  }
  // The loop, once a cycle: every command posted since the last, exactly once, as an edge.
  std::uint32_t take() noexcept {
    return static_cast<std::uint32_t>(commands.fetch_and(~kBits, std::memory_order_acquire) &
                                      kBits);
  }
  // A session is loaded: its key, and no command posted before it.
  void open_session(std::uint32_t key) noexcept {
    commands.store(std::uint64_t{key} << 32U, std::memory_order_release);
  }
  void close_session() noexcept { commands.store(0, std::memory_order_release); }
};

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
