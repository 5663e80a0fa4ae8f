// The baseline force controller (`tractus run --controller baseline`): a textbook PID with
// fixed gains, in the style of Brett Beauregard's "Improving the Beginner's PID" (the Arduino
// PID library). It is what a competent engineer would ship without tractus's adaptation, and
// it exists so that every tracking figure of ForceLoop can be stated as a ratio against it in
// the same run, under the same supervisor, limits and monitors.
//
//   e_k  = F_set − F_meas                         the raw load cell: no input filter
//   I_k  = clamp(I_(k−1) + ki · e_k · h'_k, u_min, c_k)
//                                                 reset-windup clamp: the integral alone is held
//                                                 inside the output limits (and this cycle's
//                                                 ceiling), so it cannot wind up against either
//   D_k  = −kd · (F_k − F_(k−1)) / h_k            derivative on the measurement, unfiltered
//   u_k  = clamp(kp · e_k + I_k + D_k, u_min, c_k)
//
//   h_k   the measured cycle time (the library's fixed SampleTime, replaced by what passed);
//         h'_k = min(h_k, max_dt) bounds what a stall adds to the integral.
//   c_k   = min(u_max, ceiling_k), never below u_min; a NaN ceiling is u_min.
//   reset(u0): I = u0 (clamped) and the derivative's memory starts on the next measurement,
//         the library's Initialize(): no derivative kick, and the output continues from u0 plus
//         whatever the present error asks through P.
//
// What it deliberately does not have (ForceLoop does): no gain scheduling, no stiffness
// estimate, no feedforward of the setpoint's rate, no spasm relief, no force filter, no
// back-calculation. Its gains are tuned once on the simulator's average patient and never
// change (docs/force-loop.md, "The baseline controller").
//
// update() and reset() never allocate and never throw. Software is never the only safety layer
// on the table: the over-force monitor and the hardwired E-stop chain are the protection.
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace tractus::controller {

// The tuning point (docs/force-loop.md): the average patient (sim/patient_preset.hpp) at
// 200 N, the middle of what the lumbar stock protocols ask of that patient (15 N of cord
// tension to 353 N), where the simulator's cable stiffness is 14.1 kN/m (docs/simulator.md).
inline constexpr Stiffness kBaselineDesignStiffness = newtons_per_metre(14'100.0);
// Crossover at that stiffness: ForceLoop's own ωc, so the two loops differ in their adaptation
// and not in how hard they were tuned. 15 rad/s at 1 kHz, 10 rad/s for loops slower than 500 Hz.
inline constexpr double kBaselineBandwidthFast = 15.0; // rad/s
inline constexpr double kBaselineBandwidthSlow = 10.0; // rad/s
// Ti, ForceLoop's: the PI corner at 2 rad/s, ωc/7.5 at 1 kHz and ωc/5 at 100 Hz.
inline constexpr Duration kBaselineIntegralTime = seconds(0.5);

struct BaselineLoopParams {
  // Fixed gains; the defaults are the 1 kHz tuning (baseline_loop_params_for says which).
  double kp = kBaselineBandwidthFast / kBaselineDesignStiffness.si(); // (m/s)/N
  double ki = kp / kBaselineIntegralTime.si();                        // (m/s)/(N·s)
  // m/N. 0: the plant is an integrator, so P already brings 90° of phase, and an unfiltered
  // derivative of a 0.4 N RMS load cell at 1 kHz is noise times kd/h.
  double kd = 0.0;
  // Cable speed limits, as ForceLoopParams; positive pulls (force rises).
  Speed min_speed = metres_per_second(-0.05);
  Speed max_speed = metres_per_second(0.05);
  // Longest cycle the integral believes in (as ForceLoopParams: 5 late cycles at 100 Hz).
  Duration max_dt = milliseconds(50);

  // Empty if usable, otherwise every problem as "field: what is wrong (what is allowed)",
  // "; "-separated (the controller's one format, pid.hpp's append_problem).
  [[nodiscard]] std::string validate() const;
  // Same checks, without building a message.
  [[nodiscard]] bool valid() const noexcept;
};

class BaselineLoop {
public:
  // Throws std::invalid_argument with validate()'s message: parameters are checked at start-up.
  explicit BaselineLoop(const BaselineLoopParams &params);

  // Bumpless start or resume (the library's Initialize()): the integral takes current_speed,
  // clamped to the limits, and the derivative starts from the next measurement.
  void reset(Speed current_speed) noexcept;

  // One cycle; dt is this cycle's measured duration. The same calling shape as ForceLoop's, so
  // the session calls either; setpoint_rate and position are unused (no feedforward, no
  // stiffness estimate: that is the point of the baseline). A bad dt or a non-finite setpoint
  // or force holds the last command, capped by this cycle's ceiling. `ceiling` lowers the
  // pulling speed limit for this cycle (a stop's release passes zero: never reel in); the
  // integral is clamped to it as to the limits, so it never winds up against it.
  Speed update(Force setpoint, ForceRate setpoint_rate, Force measured, Length position,
               Duration dt,
               Speed ceiling = Speed(std::numeric_limits<double>::infinity())) noexcept;

  [[nodiscard]] Speed command() const noexcept { return Speed(output_); }
  // The integral term (m/s), for diagnostics and tests.
  [[nodiscard]] Speed integral() const noexcept { return Speed(integral_); }
  // Updates refused for a bad dt or non-finite input since construction.
  [[nodiscard]] std::uint64_t rejected_updates() const noexcept { return rejected_updates_; }
  [[nodiscard]] const BaselineLoopParams &params() const noexcept { return params_; }

private:
  [[nodiscard]] double upper_limit(double ceiling) const noexcept;

  BaselineLoopParams params_;
  double integral_ = 0.0;
  double output_ = 0.0;
  double last_measured_ = 0.0;
  bool have_last_measured_ = false; // false after reset(): no derivative on the first cycle
  std::uint64_t rejected_updates_ = 0;
};

// The parameters for a loop running at `period`: ωc = 15 rad/s at the design stiffness at
// 1 kHz (in-process), 10 rad/s for loops slower than 500 Hz (Modbus TCP at 200 Hz, RTU at
// ~100 Hz), as force_loop_params_for; Ti = 0.5 s either way.
[[nodiscard]] BaselineLoopParams baseline_loop_params_for(Duration period);

} // namespace tractus::controller
