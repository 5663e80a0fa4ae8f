// The outer force loop: force setpoint in, cable-speed command out.
//
// Plant, as the loop sees it: the drive holds the commanded cable speed v, and the patient plus
// harness is a spring of effective stiffness k (N/m), so
//
//   dF/dt ≈ k · v          k ≈ 5–40 kN/m at treatment forces, stiffening with force,
//                          near zero while the harness is slack.
//
// The plant is an integrator whose gain k varies eight-fold between patients and forces. The
// loop therefore schedules its gains on an online estimate k̂:
//
//   v = PID(F_set - F_f) + F_set' / k̂        feedforward from the trajectory's rate
//   kp = ωc / k̂   ki = kp / Ti   kd = kp · Td   Tt = Ti
//
// so the open loop is L(s) ≈ (k / k̂) · ωc · (1 + 1 / (Ti·s)) / s: crossover at ωc whatever the
// patient, as long as k̂ is near k. F_f is the load cell through a short low-pass (force_filter).
//
// k̂ comes from ΔF/Δx between two moments of the same commanded movement (see
// StiffnessEstimator). Equations, defaults and the measured figures: docs/force-loop.md.
#pragma once

#include "controller/low_pass.hpp"
#include "controller/pid.hpp"
#include "units/units.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace tractus::controller {

struct ForceLoopParams {
  // ωc, target open-loop crossover (≈ closed-loop bandwidth), rad/s.
  double bandwidth_rad_per_s = 15.0;
  // Ti: PI corner at ωc/5, so the integrator costs ~11° of phase at crossover. Also the
  // anti-windup tracking time.
  Duration integral_time = seconds(0.5);
  // Td: 0 by default. The plant is an integrator; D on force only feeds load-cell noise through.
  Duration derivative_time = seconds(0.0);
  Duration derivative_filter = milliseconds(10);
  // Cable speed limits; positive pulls (force rises). Both directions must be possible.
  Speed min_speed = metres_per_second(-0.05);
  Speed max_speed = metres_per_second(0.05);
  // Longest cycle the integrator believes in (RTU runs at ~100 Hz: 50 ms is 5 late cycles).
  Duration max_dt = milliseconds(50);
  // Low-pass on the measured force before the PID: 0.4 N RMS noise at 1 kHz becomes 0.13 N,
  // for 2.9° of phase at 10 rad/s. 0 disables it.
  Duration force_filter = milliseconds(5);

  // Spasm relief: above setpoint + band, an extra payout of relief_gain · ωc / k̂ per newton
  // of excess. 0 disables it. See ForceLoop::relief().
  double relief_gain = 8.0;
  double relief_band = 0.002; // fraction of the setpoint
  Force relief_band_min = newtons(1.0);

  // Stiffness estimate: starting value and plausible range (the estimate is clamped to it).
  Stiffness initial_stiffness = newtons_per_metre(20'000.0);
  Stiffness min_stiffness = newtons_per_metre(5'000.0);
  Stiffness max_stiffness = newtons_per_metre(80'000.0);
  // Same low-pass on force and position before the slope: equal lag, so the slope is unbiased.
  Duration estimator_filter = milliseconds(20);
  // Estimation only while the harness is taut and the setpoint itself is moving: during a hold
  // the force barely changes while the position drifts (creep, muscle guarding), which would
  // read as a soft spring and inflate the gains.
  Force estimator_min_force = newtons(20.0);
  ForceRate estimator_min_setpoint_rate = newtons_per_second(2.0);
  // A slope is taken once force and position have both moved this far since the window opened;
  // 8 N is ~90× the filtered noise of the difference.
  Force estimator_min_force_change = newtons(8.0);
  Length estimator_min_travel = millimetres(0.1);
  // A window that has not become informative in this time is restarted: slow drift dominates.
  Duration estimator_max_window = seconds(1.0);
  // Weight of each new slope in the estimate (exponential smoothing), 0 < gain <= 1.
  double estimator_gain = 0.3;

  // Empty if usable, otherwise every problem as "field: what is wrong (what is allowed)".
  [[nodiscard]] std::string validate() const;
  [[nodiscard]] bool valid() const noexcept;
};

// k̂ = ΔF/Δx over a window of one commanded movement, smoothed over successive windows.
class StiffnessEstimator {
public:
  explicit StiffnessEstimator(const ForceLoopParams &params) noexcept;
  // Returns true if the estimate changed this cycle. dt must be > 0 and inputs finite.
  bool update(Force measured, Length position, ForceRate setpoint_rate, Duration dt) noexcept;
  // Forget the filters and the open window (after a pause); keeps the estimate.
  void restart() noexcept;
  [[nodiscard]] Stiffness estimate() const noexcept { return estimate_; }
  [[nodiscard]] std::uint64_t accepted_slopes() const noexcept { return accepted_slopes_; }

private:
  ForceLoopParams params_; // a copy: the estimator never dangles
  Stiffness estimate_;
  LowPass force_;
  LowPass position_;
  bool window_open_ = false;
  double window_force_ = 0.0;
  double window_position_ = 0.0;
  Duration window_age_{};
  std::uint64_t accepted_slopes_ = 0;
};

class ForceLoop {
public:
  // Throws std::invalid_argument with validate()'s message: parameters are checked at start-up.
  explicit ForceLoop(const ForceLoopParams &params);

  // Bumpless start or resume: the next command equals current_speed (clamped to the limits).
  // The stiffness estimate is kept: it belongs to the patient, not to the run.
  void reset(Speed current_speed) noexcept;

  // One cycle; dt is this cycle's measured duration. A bad dt or non-finite force holds the
  // last command; a non-finite position only pauses the stiffness estimate. `ceiling` lowers
  // the pulling speed limit for this cycle (a stop's release passes zero: never reel in).
  Speed update(Force setpoint, ForceRate setpoint_rate, Force measured, Length position,
               Duration dt,
               Speed ceiling = Speed(std::numeric_limits<double>::infinity())) noexcept;

  [[nodiscard]] Speed command() const noexcept { return Speed(pid_.output()); }
  [[nodiscard]] Stiffness stiffness_estimate() const noexcept { return estimator_.estimate(); }
  [[nodiscard]] const StiffnessEstimator &estimator() const noexcept { return estimator_; }
  // Saturation and the P/I/D/feedforward split, for diagnostics and tests.
  [[nodiscard]] const Pid &pid() const noexcept { return pid_; }
  [[nodiscard]] const ForceLoopParams &params() const noexcept { return params_; }

private:
  [[nodiscard]] Speed relief(Force setpoint, double filtered_force, Duration dt) const noexcept;

  ForceLoopParams params_;
  StiffnessEstimator estimator_;
  LowPass force_filter_;
  Pid pid_;
};

// The defaults for a loop running at `period`: 15 rad/s at 1 kHz, 10 rad/s at 100 Hz.
[[nodiscard]] ForceLoopParams force_loop_params_for(Duration period);

// The PID gains the loop uses at stiffness k (exposed for tests and docs).
[[nodiscard]] PidGains force_loop_gains(const ForceLoopParams &params, Stiffness k) noexcept;

} // namespace tractus::controller
