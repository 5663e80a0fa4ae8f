// Load-cell calibration: raw transmitter counts to force.
//
// A calibration is a polynomial in the raw counts, F = c0 + c1·n + c2·n², fitted by a
// technician against reference loads (docs/calibration.md). Most cells are linear (c2 = 0); the
// quadratic term is kept only where it measurably lowers the residual. Converting is pure
// arithmetic so it may run inside the control cycle.
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <string>

namespace tractus::hal {

struct Calibration {
  std::string id;     // names the record in the journal, e.g. "sim-factory" or a hash
  std::string source; // "simulator factory calibration", "technician record", ...
  double c0 = 0.0;    // N
  double c1 = 0.0;    // N per count
  double c2 = 0.0;    // N per count²
  Force full_scale{}; // the load cell's rated range; readings beyond it are out of range
  // The highest reference load a technician's calibration was fitted to: above it the curve is
  // an extrapolation no one checked. 0 for a factory line (rated over its whole range).
  Force calibrated_to{};
  std::int64_t expires_unix = 0; // seconds since the epoch; 0 = never (simulator only)

  [[nodiscard]] Force to_force(std::int32_t counts) const noexcept {
    const double n = static_cast<double>(counts);
    return Force(c0 + (c1 + c2 * n) * n);
  }
  [[nodiscard]] bool expired_at(std::int64_t now_unix) const noexcept {
    return expires_unix != 0 && now_unix >= expires_unix;
  }

  // The straight line of a transmitter's factory data, counts = offset + gain·F, inverted to
  // F = c0 + c1·counts (c2 = 0). Only the coefficients: the caller names the source.
  [[nodiscard]] static Calibration from_gain_offset(double gain_counts_per_n,
                                                    std::int32_t offset_counts) noexcept {
    Calibration c;
    c.c1 = 1.0 / gain_counts_per_n;
    c.c0 = -static_cast<double>(offset_counts) * c.c1;
    return c;
  }
};

} // namespace tractus::hal
