// How late the control loop wakes up, cycle by cycle: a fixed-size histogram that the loop
// fills without allocating or locking, and that another thread (the console's diagnostics, a
// benchmark) reads at any time for the period error's p50 / p99 / p99.9.
//
// Bins are log-spaced in microseconds, four per octave (each bin 19 % to 25 % wide, like an
// HDR histogram at two significant bits): 0, 1, 2, 3 µs, then 4–4.99, 5–5.99, 6–6.99, 7–7.99,
// 8–9.99 µs … up to 2.1 s, the last bin holding everything later. A percentile answers the upper
// edge of the bin it falls in, so it never understates the lateness.
#pragma once

#include "units/units.hpp"

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>

namespace tractus::controller {

class LatenessHistogram {
public:
  static constexpr std::size_t kBins = 4 + 19 * 4; // 0–3 µs, then 19 octaves of 4 (to 2.1 s)

  struct Snapshot {
    std::array<std::uint64_t, kBins> counts{};
    [[nodiscard]] std::uint64_t total() const noexcept;
    // The lateness below which a fraction q (0 < q ≤ 1) of the cycles woke: the upper edge of
    // the bin holding that cycle. Zero when empty.
    [[nodiscard]] Duration percentile(double q) const noexcept;
  };

  // The bin a lateness (negative counts as 0) falls in, and a bin's upper edge in µs.
  static std::size_t bin_of(Duration late) noexcept;
  static std::uint64_t upper_edge_us(std::size_t bin) noexcept;

  // One writer (the loop thread): no read-modify-write, no lock.
  void add(Duration late) noexcept {
    // Under 1 µs (bin 0, as bin_of says) without the call: every cycle on the virtual clock.
    auto &c = counts_[late.si() * 1e6 >= 1.0 ? bin_of(late) : 0];
    c.store(c.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
  }
  // Any thread; each bin is read atomically (the bins together are nearly, not exactly, one
  // instant — good enough for percentiles of thousands of cycles).
  [[nodiscard]] Snapshot snapshot() const noexcept;

private:
  std::array<std::atomic<std::uint64_t>, kBins> counts_{};
};

} // namespace tractus::controller
