// Seeded, fast, bit-reproducible random numbers for the simulator.
//
// Why not <random>: std::normal_distribution is implementation-defined (a run would differ
// between standard libraries) and its Box–Muller/ziggurat costs more than the whole plant step.
// xoshiro256** (Blackman & Vigna, 2018) is ~1 ns per draw and passes BigCrush; splitmix64 turns
// one user seed into its 256-bit state, as its authors recommend.
#pragma once

#include <cstdint>

namespace tractus::sim {

// splitmix64: expands a seed into well-mixed 64-bit words (also derives independent streams).
constexpr std::uint64_t splitmix64(std::uint64_t &state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30U)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27U)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31U);
}

class Random {
public:
  // `stream` separates independent sequences from one seed (load-cell noise vs. guarding), so
  // that changing how many noise draws a run makes never moves the guarding schedule.
  explicit constexpr Random(std::uint64_t seed, std::uint64_t stream = 0) {
    std::uint64_t sm = seed ^ (stream * 0xD1B54A32D192ED03ULL);
    for (auto &word : s_)
      word = splitmix64(sm);
  }

  // xoshiro256**: the next 64 random bits.
  constexpr std::uint64_t next() {
    const std::uint64_t result = rotl(s_[1] * 5U, 7) * 9U;
    const std::uint64_t t = s_[1] << 17U;
    s_[2] ^= s_[0];
    s_[3] ^= s_[1];
    s_[1] ^= s_[2];
    s_[0] ^= s_[3];
    s_[2] ^= t;
    s_[3] = rotl(s_[3], 45);
    return result;
  }

  // Uniform in [0, 1) with 53 random bits.
  constexpr double uniform() { return static_cast<double>(next() >> 11U) * 0x1.0p-53; }
  constexpr double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }

  // Approximately standard normal: the Irwin–Hall sum of four 16-bit uniforms from one draw,
  // centred and scaled to unit variance. Its tails stop at ±3.46 σ, which suits sensor noise
  // (a transmitter's filtered output has no wild outliers) and keeps test bounds exact.
  constexpr double normal() {
    const std::uint64_t r = next();
    const std::uint64_t sum =
        (r & 0xFFFFU) + ((r >> 16U) & 0xFFFFU) + ((r >> 32U) & 0xFFFFU) + ((r >> 48U) & 0xFFFFU);
    // Mean of the sum 4·65535/2; σ of one 16-bit uniform 65536/√12, of four 65536/√3.
    constexpr double kMean = 2.0 * 65535.0;
    constexpr double kInvSigma = 1.7320508075688772 / 65536.0;
    return (static_cast<double>(sum) - kMean) * kInvSigma;
  }

  // Largest |normal()| can return, for tests that bound noise exactly.
  static constexpr double kNormalBound = 3.4641016151377544;

private:
  static constexpr std::uint64_t rotl(std::uint64_t x, int k) {
    return (x << static_cast<unsigned>(k)) | (x >> static_cast<unsigned>(64 - k));
  }
  std::uint64_t s_[4]{};
};

} // namespace tractus::sim
