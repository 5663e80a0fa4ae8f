// Force against cable travel: is what the load cell says physically possible for a patient?
//
// A patient plus harness is a spring whose stiffness lies in a known range (the simulator's
// presets and published tables: about 3-80 kN/m once taut). Two disagreements are checked over
// a short history of filtered force and cable position, while the harness should be taut:
//   - a sudden drop: the force fell by far more than the cable paid out can explain even for
//     the stiffest patient (harness slipped, cable broke, load cell lost);
//   - travel without force: the cable was drawn in a long way while the force rose less than
//     the softest patient would give (harness slipping, load cell reading low).
// Also the force-rate monitor: the force rising much faster than any treatment allows while
// the drive pulls (a runaway drive), which shares the same history.
#pragma once

#include "controller/low_pass.hpp"
#include "units/units.hpp"

#include <array>
#include <cstdint>

namespace tractus::controller {

struct PlausibilityLimits {
  Stiffness max_stiffness = newtons_per_metre(80'000); // stiffest patient + harness
  Stiffness min_stiffness = newtons_per_metre(2'000);  // softest, once taut (cervical at
                                                       // low force is 3.8 kN/m with friction)
  Duration drop_window = milliseconds(100);
  Force drop_margin = newtons(30);        // a drop must exceed this …
  double drop_fraction = 0.25;            // … and this share of the force to count
  Length travel_window = millimetres(20); // drawn in this far, the force must have risen
  Duration travel_max_time = seconds(10); // a longer window is creep, not a slip
  Duration rate_window = milliseconds(50);
  ForceRate max_rise_rate = newtons_per_second(250); // 5x the 50 N/s treatment limit
  Speed pulling_speed = metres_per_second(0.001);    // the drive counts as pulling above this
  Duration filter = milliseconds(10);
};

enum class Implausibility : std::uint8_t { None, SuddenDrop, TravelWithoutForce, RiseTooFast };

class PlausibilityMonitor {
public:
  explicit PlausibilityMonitor(const PlausibilityLimits &limits)
      : limits_(limits), filter_(limits.filter) {}

  // Every cycle. `taut`: the harness should be taut (after pretension, torque on). History is
  // forgotten whenever it is not, so pretension and release never count.
  void observe(Duration now, Force measured, Length cable_position, Speed cable_speed,
               bool taut) noexcept;
  [[nodiscard]] Implausibility verdict() const noexcept { return verdict_; }

private:
  static constexpr std::size_t kHistory = 256; // 256 ms at 1 kHz, 2.56 s at 100 Hz
  struct Sample {
    double t, force, position;
  };
  // The newest sample at or before `t`, found by a cursor that only moves forward (time only
  // moves forward), so a lookup costs O(1) amortised; null until the history reaches back.
  [[nodiscard]] const Sample *lagged(std::uint64_t &cursor, double t) const noexcept;

  PlausibilityLimits limits_;
  std::array<Sample, kHistory> history_{};
  std::uint64_t pushed_ = 0; // samples ever pushed since the history restarted
  std::uint64_t drop_cursor_ = 0, rate_cursor_ = 0;
  LowPass filter_;
  double filtered_ = 0;
  bool primed_ = false;
  Sample travel_ref_{};
  Implausibility verdict_ = Implausibility::None;
};

} // namespace tractus::controller
