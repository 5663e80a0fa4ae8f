// How telemetry leaves the control loop for the console (docs/console.md): a fixed-size
// lock-free queue of frames for the WebSocket (the loop drops a frame rather than wait when the
// console falls behind; the sequence number shows the gap), and the latest frame with the
// devices' readings in a seqlock for GET /api/state and the diagnostics.
//
// One channel lives as long as the service; the loops of successive sessions publish into it one
// after the other (each joined before the next starts), so the queue keeps one producer.
#pragma once

#include "console/seqlock.hpp"
#include "console/telemetry.hpp"
#include "controller/readings.hpp"

#include <boost/lockfree/spsc_queue.hpp>

#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tractus::console {

// What the loop last published: the frame and the readings it was made from.
struct LiveSnapshot {
  TelemetryFrame frame;
  controller::Readings readings;
  std::uint64_t cycles = 0;
  double t_s = 0; // loop time since the session was loaded
};

class TelemetryChannel {
public:
  // 256 frames: five seconds at 50 Hz, far more than a WebSocket write takes.
  static constexpr std::size_t kCapacity = 256;

  // Producer (the loop thread): stamps the sequence number and pushes; never waits.
  void publish(TelemetryFrame &frame) noexcept {
    frame.seq = next_seq_.fetch_add(1, std::memory_order_relaxed);
    if (!queue_.push(frame)) dropped_.fetch_add(1, std::memory_order_relaxed);
  }
  // Consumer (the HTTP server's I/O thread).
  std::size_t pop(TelemetryFrame *out, std::size_t max) noexcept { return queue_.pop(out, max); }
  // Frames made outside the loop (the service's idle frames) take their number here too.
  std::uint64_t take_seq() noexcept { return next_seq_.fetch_add(1, std::memory_order_relaxed); }
  [[nodiscard]] std::uint64_t dropped() const noexcept { return dropped_.load(); }
  // The number the next frame will take: a frame below it was published before now.
  [[nodiscard]] std::uint64_t next_seq() const noexcept { return next_seq_.load(); }

  Seqlock<LiveSnapshot> latest;

private:
  boost::lockfree::spsc_queue<TelemetryFrame, boost::lockfree::capacity<kCapacity>> queue_;
  std::atomic<std::uint64_t> next_seq_{1};
  std::atomic<std::uint64_t> dropped_{0};
};

} // namespace tractus::console
