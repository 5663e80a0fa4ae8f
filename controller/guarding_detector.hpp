// Muscle guarding: the patient's reflex tightening against the pull, seen from what a real
// table measures (the load cell's force and the drum's cable position), never from the
// simulator's truth.
//
// A spasm stiffens the tissue at a fixed cable position, so the force rises by more than the
// cable drawn in explains; the loop then pays cable out to hold the setpoint, and the force
// settles back while the cable has gone out. Neither the force nor the cable alone shows it;
// their combination does. The detector keeps the force the cable's movement does not explain,
//
//   u += ΔF_f − k̂ · Δx_f          (F_f, x_f: force and position through the same low-pass;
//                                   k̂: the force loop's identified cable stiffness)
//
// summed from cycle to cycle, so that a change of k̂ changes how new movement is read, never
// the sum so far. Creep (the force falling at a held position), a release and the section's
// friction letting go all push u down; a spasm pushes it up. A baseline b follows u down at
// once and up slowly (baseline_rise_time), so the evidence e = u − b is a rise of unexplained
// force over the last second or so:
//
//   onset   e ≥ max(onset_fraction · F_set, onset_min)       guarding-onset, size e
//               + ramp_allowance · |F_set'|_held · baseline_rise_time
//               (|F_set'| held with a baseline_rise_time decay after a ramp ends)
//   end     e ≤ end_fraction · (the event's largest e)       guarding-end, size: that largest e
//           (or the session leaves treatment, or max_event)
//
// While an event lasts the baseline is frozen (the event's own force must not become the new
// normal). The size is the force the spasm added at the cable position it found, in newtons:
// what it would have done to the patient had the loop not paid out. The mechanism and its
// measured hit rate: docs/force-loop.md, "Muscle guarding".
#pragma once

#include "controller/low_pass.hpp"
#include "units/units.hpp"

#include <string>

namespace tractus::controller {

struct GuardingDetectorParams {
  // Same lag on force and position, so a movement's ΔF and Δx line up.
  Duration filter = milliseconds(20);
  // Below this force the harness may be slack and the cable's movement explains nothing.
  Force min_force = newtons(20);
  // While the cable is drawn in, a force rising faster than k̂ explains is often the section
  // sticking (friction holds it after the cable turned; the harness alone then takes the pull,
  // up to 300 kN/m): so while pulling, movement is read at this stiffness, the stiffest harness
  // of the envelope, and only a rise beyond it counts. A spasm makes the loop pay out within a
  // few tens of milliseconds, and paid-out cable is read at k̂.
  Stiffness pulling_stiffness = newtons_per_metre(300'000);
  // While the setpoint falls faster than this, nothing is held against the patient: the
  // cable's stiffness on the way down is not the one identified on the way up (the section's
  // friction turns and holds it, the tissue softens as it unloads: k̂ read 31-64 kN/m on a
  // 20 kN/m cable with 42 N of friction), and the table is easing off anyway. The baseline
  // follows, and an event under way goes on being judged.
  ForceRate falling_rate = newtons_per_second(1.0);
  // ...and for this long after it stops falling: the loop is still decelerating its pay-out
  // and the section's friction may let go (a stick-slip pushes the force up while the loop pays
  // cable out), both read at the k̂ of the way up. On the rest plateaus of the intermittent
  // protocols they made most of the calm false alarms (0.5 mm paid out at level force read at
  // 20 kN/m on a 2.3 kN/m neck, a slip read at the 80 kN/m bound on a 23 kN/m cable). 100 ms
  // removes half of them and no detection in the sweep; longer holds cost detections
  // (docs/force-loop.md).
  Duration falling_hold = milliseconds(100);
  // The onset threshold: a fraction of the setpoint, at least onset_min.
  double onset_fraction = 0.05;
  Force onset_min = newtons(8);
  // On a ramp, k̂ lagging the stiffening cable leaves part of each newton unexplained; the
  // baseline follows that drift a baseline_rise_time behind. The threshold allows for an
  // estimate this far off (a fraction of the setpoint's change over that time).
  double ramp_allowance = 0.05;
  // The event ends once its evidence has fallen to this fraction of its largest.
  double end_fraction = 0.35;
  // How fast the baseline follows a rise of unexplained force that is not a spasm (a
  // stiffening the estimate has not caught up with yet).
  Duration baseline_rise_time = seconds(5.0);
  // An event longer than this is ended and the baseline taken afresh: the longest spasm the
  // loop is designed for holds 60 s, plus its onset and relaxation (docs/simulator.md).
  Duration max_event = seconds(100);

  [[nodiscard]] std::string validate() const;
  [[nodiscard]] bool valid() const noexcept;
};

// What one cycle of the detector found.
enum class GuardingChange : std::uint8_t { None, Onset, End };

class GuardingDetector {
public:
  // Throws std::invalid_argument with validate()'s message: parameters are checked at start-up.
  explicit GuardingDetector(const GuardingDetectorParams &params);

  // One cycle while the patient is under tension (treating or paused). `stiffness` is the
  // force loop's k̂. Non-finite inputs or a bad dt skip the cycle.
  GuardingChange update(Force setpoint, ForceRate setpoint_rate, Force measured, Length position,
                        Stiffness stiffness, Duration dt) noexcept;
  // The session left treatment: an event under way ends (End), and everything is forgotten.
  GuardingChange stop() noexcept;

  [[nodiscard]] bool active() const noexcept { return active_; }
  // The unexplained force rise now (N), and an event's size: at onset the evidence that
  // crossed the threshold, at its end the largest the event reached.
  [[nodiscard]] Force evidence() const noexcept { return Force(unexplained_ - baseline_); }
  [[nodiscard]] Force size() const noexcept { return Force(size_); }
  [[nodiscard]] Duration event_age() const noexcept { return event_age_; }

private:
  GuardingDetectorParams params_;
  LowPass force_;
  LowPass position_;
  bool primed_ = false;
  double last_force_ = 0.0;
  double last_position_ = 0.0;
  double unexplained_ = 0.0;
  double baseline_ = 0.0;
  double allowed_rate_ = 0.0; // |F_set'| for the ramp allowance, decaying over the baseline's lag
  // The allowance's decay over one cycle, kept for the dt it was computed for (nearly always the
  // nominal period): an exp() a cycle was 2 % of a simulated cycle.
  double decay_dt_ = -1.0;
  double decay_ = 0.0;
  Duration since_fall_{}; // since the setpoint last fell faster than falling_rate
  bool active_ = false;
  double size_ = 0.0;
  Duration event_age_{};
};

} // namespace tractus::controller
