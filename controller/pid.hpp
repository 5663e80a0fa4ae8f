// A PID controller for the force loop: derivative on the measurement, back-calculation
// anti-windup, bumpless enable and retune, measured dt, saturation reporting.
//
// Equations (e = r - y; u is what the actuator gets; all terms are in output units):
//
//   P_k  = kp · e_k
//   D_k  = -kd · ẏf_k                       derivative of the measurement, never of the error,
//   ẏf_k = a_d · ẏf_(k-1) + (1 - a_d) · (y_k - y_(k-1)) / h_k,  a_d = exp(-h_k / Tf)
//                                           (first-order low-pass of dy/dt, step-invariant for
//                                            any h_k, so |(1 - a_d) / h_k| <= 1 / Tf even for
//                                            a tiny h after a late cycle)
//   I_k  = I_(k-1) + ki · e_k · h'_k + min(h'_k / Tt, 1) · (u_(k-1) - v_(k-1))
//                                           integral over the interval that has just ended,
//                                           plus back-calculation: while saturated the
//                                           integrator is pulled back towards the limit with
//                                           time constant Tt, so it cannot wind up (the cap
//                                           stops a long cycle from correcting past the limit)
//   v_k  = P_k + I_k + D_k + ff_k           feedforward enters before saturation
//   u_k  = clamp(v_k, u_min, u_max)         limits may be asymmetric
//
//   h_k  is the measured duration of this cycle; h'_k = min(h_k, max_dt) bounds what a stall
//        can add to the integrator. h_k <= 0, a non-finite h_k or non-finite inputs: the update
//        is rejected and the last output is held (state untouched).
//
// Why the integrator is held as an output (I) and not as an error sum: changing ki then changes
// only future integration, never the present output. Retuning keeps the output continuous by
// moving the difference of the old and new P and D terms into I (bumpless parameter change,
// as in Åström & Hägglund, "Advanced PID Control", ISA 2006). Enabling with reset(u0) sets I on the
// first update so that u equals u0 exactly.
//
// While saturated the integrator settles where v - u = ki · Tt · e. With Tt = Ti = kp / ki that
// is v - u = kp · e, so the output leaves the limit on the first cycle the error changes sign,
// however long it was saturated (see docs/force-loop.md).
//
// A cycle may lower the upper limit for itself alone (`ceiling`): a stop's release may pay out
// but never reel in. At a ceiling the integrator is limited to it (I <= ceiling - D), so the
// output leaves the ceiling on the first cycle the error and feedforward do. A descent that
// saturated low with a large feedforward leaves I = u_min - ff by back-calculation; without the
// limit that held the cable for a second at the end of a stop's ramp. (The ceiling used to be a
// clamp outside the PID, which had to reset it every cycle.) Saturation, against whichever limit
// applied, is reported for diagnostics and tests.
//
// update(), reset(), set_gains() never allocate and never throw. Software is never the only
// safety layer on the table: this PID's limits are a convenience, the over-force monitor and the
// hardwired E-stop chain are the protection.
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <limits>
#include <string>

namespace tractus::controller {

struct PidGains {
  double kp = 0.0; // output per unit of error
  double ki = 0.0; // output per (unit of error · s)
  double kd = 0.0; // output · s per unit of measurement
  // Tf: time constant of the low-pass on the measurement's derivative; must be > 0 if kd > 0.
  Duration derivative_filter = milliseconds(10);
  // Tt: back-calculation tracking time constant; Ti = kp / ki is the usual choice.
  Duration tracking_time = seconds(1.0);
  double output_min = -1.0; // limits may be asymmetric; must be finite and min < max
  double output_max = 1.0;
  // Longest cycle the integrator believes in: a stalled loop must not integrate a huge step.
  Duration max_dt = milliseconds(100);

  // Empty if usable, otherwise every problem as "field: what is wrong (what is allowed)",
  // separated by "; ". For start-up and configuration, not for the control cycle.
  [[nodiscard]] std::string validate() const;
  // Same checks, without building a message: safe inside the control cycle.
  [[nodiscard]] bool valid() const noexcept;
};

// Appends "field: problem" to message, "; "-separated: the one format of the controller's
// validate() messages.
void append_problem(std::string &message, const char *field, const char *problem);

enum class Saturation { none, low, high };

// The parts of the last output, for diagnostics, the journal and tests.
struct PidTerms {
  double proportional = 0.0;
  double integral = 0.0;
  double derivative = 0.0;
  double feedforward = 0.0;
  double unsaturated = 0.0; // v: the sum before clamping
  double output = 0.0;      // u: what the actuator gets
};

class Pid {
public:
  // Throws std::invalid_argument with validate()'s message: gains are checked at start-up.
  explicit Pid(const PidGains &gains);

  // Bumpless enable (or switch from manual): the next update outputs current_output (clamped to
  // the limits) whatever the error, and the derivative starts from zero.
  void reset(double current_output) noexcept;

  // One cycle. dt is the measured time since the previous update. Returns u. `ceiling` lowers
  // the upper limit for this cycle (never raises it, never below output_min), a held output
  // included; a NaN ceiling is output_min.
  double update(double setpoint, double measurement, Duration dt, double feedforward = 0.0,
                double ceiling = std::numeric_limits<double>::infinity()) noexcept;

  // Bumpless retune while running. Invalid gains are refused (false) and the old ones kept.
  bool set_gains(const PidGains &gains) noexcept;

  [[nodiscard]] const PidGains &gains() const noexcept { return gains_; }
  [[nodiscard]] double output() const noexcept { return terms_.output; }
  [[nodiscard]] const PidTerms &terms() const noexcept { return terms_; }
  [[nodiscard]] Saturation saturation() const noexcept { return saturation_; }
  [[nodiscard]] bool saturated() const noexcept { return saturation_ != Saturation::none; }
  // Updates refused for a bad dt or non-finite input since construction.
  [[nodiscard]] std::uint64_t rejected_updates() const noexcept { return rejected_updates_; }

private:
  [[nodiscard]] double upper_limit(double ceiling) const noexcept;
  // The filtered measurement rate after a change dy over h (derivative_filter > 0).
  [[nodiscard]] double filtered_rate(double dy, double h) noexcept;

  PidGains gains_;
  PidTerms terms_;
  double integral_ = 0.0;             // I, in output units
  double measurement_rate_ = 0.0;     // ẏf, filtered derivative of the measurement
  double previous_measurement_ = 0.0; // y_(k-1)
  double last_error_ = 0.0;           // e of the last accepted update, for bumpless retune
  double pending_output_ = 0.0;       // what the first update after reset() must output
  bool starting_ = true;              // reset() armed, no update accepted since
  Saturation saturation_ = Saturation::none;
  std::uint64_t rejected_updates_ = 0;
  // exp(-h / tf) for the last h and tf it was computed for (filtered_rate).
  double rate_coefficient_h_ = -1.0, rate_coefficient_tf_ = -1.0, rate_coefficient_ = 0.0;
};

} // namespace tractus::controller
