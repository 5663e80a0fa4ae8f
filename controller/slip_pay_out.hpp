// The drive's answer to a sudden loss of force (305 force-implausible: harness slipped, cable
// broke): what the latched fault commands for the first few hundred milliseconds.
//
// A slip under load leaves the patient's stretched tissue pulling the sliding section back
// into the new slack; when the strap catches it again the patient is loaded once more, with the
// drive already off (hazard H3, docs/safety/hazard-analysis.md). Three answers are possible:
//   - TorqueOff: disable at once, the drive train back-driven by the tension (the fault
//     reaction of every other code);
//   - PayOut: keep torque for a bounded time and reel the cable out at the drive's speed limit,
//     so the cable moves away from the recoiling patient instead of waiting for them, then
//     disable. The pay-out never pulls (the speed is ≤ 0 by construction) and ends at once —
//     torque off — when the strap takes force again (let the back-drivable train yield rather
//     than the velocity loop hold), when any monitor reports a fault (E-stop first), when the
//     loop stalls, or when its time is up;
//   - HoldZero: keep torque and hold the cable still for the same bounded time (a controlled
//     stop), then disable.
// What each measures on the recoil peak is in docs/safety/hazard-analysis.md (H3).
#pragma once

#include "units/units.hpp"

#include <cstdint>

namespace tractus::controller {

enum class SlipResponse : std::uint8_t { TorqueOff, PayOut, HoldZero };
const char *to_string(SlipResponse r);

struct SlipPayOutParams {
  SlipResponse response = SlipResponse::PayOut;
  Speed speed = metres_per_second(0.10); // the drive's speed limit at the cable
  // Torque off at the latest this long after the fault: at the drive's 0.5 m/s² profile
  // acceleration, 300 ms of pay-out is at most 20 mm of cable. 100 ms ends before a heavy
  // patient's recoil reaches the strap and barely helps (docs/safety/hazard-analysis.md, H3).
  Duration max_time = milliseconds(300);
  // The strap has caught the patient again once the force is back above this: torque off, so
  // the back-drivable drive train yields instead of the velocity loop holding the cable. Also
  // what keeps a pay-out from starting when the force did not really collapse. 2 × the
  // minimum cord tension: far above the load cell's noise (σ 0.25 N).
  Force recatch = newtons(30);
};

// What the pay-out asks of the drive this cycle.
struct SlipCommand {
  bool enable = false;
  Speed cable_speed{}; // ≤ 0: out, towards the patient
};

class SlipPayOut {
public:
  explicit SlipPayOut(const SlipPayOutParams &params) : params_(params) {}

  // The slip fault latched at `now`, with the drive holding torque (`drive_enabled`). Nothing
  // starts for TorqueOff or an unpowered drive.
  void begin(Duration now, bool drive_enabled) noexcept;
  // Every cycle in Fault. `fault_present`: a monitor reports a fault now (E-stop, lost
  // communication, over-force …) or the loop stalled; `drive_enabled`: the drive still reports
  // operation enabled. Once it has answered "disabled" it never enables again.
  SlipCommand step(Duration now, Force measured, bool fault_present, bool drive_enabled) noexcept;
  [[nodiscard]] bool active() const noexcept { return active_; }
  [[nodiscard]] const SlipPayOutParams &params() const noexcept { return params_; }

private:
  SlipPayOutParams params_;
  bool active_ = false;
  Duration began_{};
};

} // namespace tractus::controller
