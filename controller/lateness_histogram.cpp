#include "controller/lateness_histogram.hpp"

#include <bit>
#include <cmath>

namespace tractus::controller {

std::size_t LatenessHistogram::bin_of(Duration late) noexcept {
  const double us = late.si() * 1e6;
  if (!(us >= 1.0)) return 0; // negative, NaN or under 1 µs
  if (us >= 2e6) return kBins - 1;
  const auto v = static_cast<std::uint64_t>(us);
  if (v < 4) return static_cast<std::size_t>(v);
  // v in [2^e, 2^(e+1)): the two bits after the leading one pick the quarter of the octave.
  const auto e = static_cast<std::size_t>(std::bit_width(v) - 1);
  const auto quarter = static_cast<std::size_t>((v >> (e - 2)) & 3U);
  const std::size_t bin = 4 + (e - 2) * 4 + quarter;
  return bin < kBins ? bin : kBins - 1;
}

std::uint64_t LatenessHistogram::upper_edge_us(std::size_t bin) noexcept {
  if (bin < 4) return bin + 1;
  const std::size_t e = (bin - 4) / 4 + 2;
  const std::uint64_t quarter = (bin - 4) % 4;
  return (4 + quarter + 1) << (e - 2);
}

std::uint64_t LatenessHistogram::Snapshot::total() const noexcept {
  std::uint64_t n = 0;
  for (const auto c : counts)
    n += c;
  return n;
}

Duration LatenessHistogram::Snapshot::percentile(double q) const noexcept {
  const std::uint64_t n = total();
  if (n == 0) return Duration{};
  // The rank of the cycle at fraction q, 1-based: p50 of 10 cycles is the 5th.
  const auto rank = static_cast<std::uint64_t>(
      std::ceil(std::min(std::max(q, 0.0), 1.0) * static_cast<double>(n)));
  std::uint64_t seen = 0;
  for (std::size_t b = 0; b < kBins; ++b) {
    seen += counts[b];
    if (seen >= std::max<std::uint64_t>(rank, 1))
      return Duration(static_cast<double>(upper_edge_us(b)) * 1e-6);
  }
  return Duration(static_cast<double>(upper_edge_us(kBins - 1)) * 1e-6);
}

LatenessHistogram::Snapshot LatenessHistogram::snapshot() const noexcept {
  Snapshot s;
  for (std::size_t b = 0; b < kBins; ++b)
    s.counts[b] = counts_[b].load(std::memory_order_relaxed);
  return s;
}

} // namespace tractus::controller
