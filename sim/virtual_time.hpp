// The simulator's clock: whole microseconds since the table was powered up.
//
// Why integers: events are scheduled at times people type ("300s", "1500ms") and compared with
// a clock that moves in 1 ms steps; 0.001 has no exact double, so after 300 000 steps a double
// clock reads 299.99999999999... and an event "at 300 s" would fire one step late.
#pragma once

#include "units/units.hpp"

#include <cmath>
#include <cstdint>

namespace tractus::sim {

using Micros = std::int64_t;

inline Micros to_micros(Duration d) noexcept { return std::llround(d.si() * 1e6); }
constexpr Duration from_micros(Micros us) noexcept {
  return Duration(static_cast<double>(us) * 1e-6);
}

} // namespace tractus::sim
