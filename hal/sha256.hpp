// SHA-256 (FIPS 180-4): the integrity checksum of calibration records and verification lines.
//
// Why SHA-256 and not the journal's CRC-32: a calibration record lives for a year and decides
// every force the table applies; a CRC catches line noise but is trivially forged by accident
// (two edits can cancel out). SHA-256 makes any change to a record detectable. It is not a
// signature: whoever can write the file can also recompute the sum (docs/calibration.md).
// Written here rather than taken from controller/ or a library because hal must not depend on
// controller (DESIGN §1) and the algorithm is short; it is tested against the NIST vectors.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace tractus::hal {

class Sha256 {
public:
  using Digest = std::array<std::uint8_t, 32>;

  Sha256() noexcept;
  void update(std::string_view bytes) noexcept;
  // Pads, returns the digest and leaves the object to be discarded (call reset() to reuse).
  Digest finish() noexcept;
  void reset() noexcept;

private:
  void compress(const std::uint8_t *block) noexcept;

  std::array<std::uint32_t, 8> state_{};
  std::array<std::uint8_t, 64> buffer_{};
  std::size_t buffered_ = 0;
  std::uint64_t total_bytes_ = 0;
};

// The digest of `bytes` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);

} // namespace tractus::hal
