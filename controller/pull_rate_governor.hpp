// The pull-rate governor: the force loop never yanks the patient back up.
//
// The loop's gains are set for the stiffness it has identified, k̂. Where the patient's section
// sticks on the table (static friction), the cable pulls the harness alone, up to 300 kN/m in
// the envelope against a k̂ of 20-70 kN/m, and a section that then slips drops the force 20-30 N
// in 25 ms. The loop answered the drop at the speed its gains give for k̂ (up to 11 mm/s), which
// on the stuck harness raised the force at 400-3,000 N/s: a jolt for the patient, and fault 302
// (force-rate) for the session. docs/force-loop.md, "The pull-rate governor".
//
// So the loop watches how fast the force is rising over the stiffness it is actually pulling
// against right now: a trough follows the filtered force down at once and up with a 50 ms lag,
// the cable position with it. Once the force stands more than `engage_rise` above that trough,
// the cable's speed in the pulling direction is limited to the one that raises the force at
// `allowed_rate` on the stiffness seen since the trough, ΔF/Δx, until the force is back within
// `release_rise` of its trough (the gap keeps the limit from switching on and off every few
// cycles). A force rising that fast while the cable is not drawn in (a spasm, the section
// letting go behind the harness) allows no pulling at all. The governor only ever lowers the
// pulling speed limit: paying out, and so the spasm relief and every release, are untouched. A
// ramp alone never engages it: the fastest (50 N/s) stands 2.3-2.5 N above its trough.
#pragma once

#include "units/units.hpp"

namespace tractus::controller {

struct PullRateGovernorParams {
  Force engage_rise = newtons(4.0);                   // above the trough: engaged …
  Force release_rise = newtons(2.0);                  // … until back within this of it
  ForceRate allowed_rate = newtons_per_second(100.0); // the force rate allowed while engaged
  Duration trough_lag = milliseconds(50);             // how fast the trough follows a rise
  Length min_travel = millimetres(0.001);             // less drawn in is "not drawn in"
};

class PullRateGovernor {
public:
  explicit PullRateGovernor(const PullRateGovernorParams &params) noexcept : params_(params) {}

  // Forget the trough (a start, a resume, a position that could not be read): the next cycle
  // starts a new one.
  void reset() noexcept {
    primed_ = false;
    engaged_ = false;
  }

  // Every cycle, with the loop's filtered force and the cable position (finite; dt > 0).
  // Returns the pulling speed limit: +infinity while not engaged, never below zero.
  [[nodiscard]] Speed update(double force, double position, Duration dt) noexcept;

  // Whether the last update limited pulling (the rise had passed engage_rise and not yet
  // fallen back within release_rise).
  [[nodiscard]] bool engaged() const noexcept { return engaged_; }

private:
  PullRateGovernorParams params_;
  bool primed_ = false;
  bool engaged_ = false;
  double trough_force_ = 0.0;
  double trough_position_ = 0.0;
  double coefficient_dt_ = -1.0; // the dt the trough's coefficient was computed for
  double coefficient_ = 0.0;
};

} // namespace tractus::controller
