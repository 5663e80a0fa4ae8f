#include "controller/pid.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tractus::controller {
namespace {

bool finite_non_negative(double v) { return std::isfinite(v) && v >= 0.0; }
bool finite_positive(double v) { return std::isfinite(v) && v > 0.0; }

// The one list of rules. report(field, problem) is called for each broken rule; validate()
// formats them and valid() only counts them, so the two can never disagree.
template <class Report> void check_gains(const PidGains &g, Report &&report) {
  if (!finite_non_negative(g.kp)) report("kp", "must be finite and >= 0");
  if (!finite_non_negative(g.ki)) report("ki", "must be finite and >= 0");
  if (!finite_non_negative(g.kd)) report("kd", "must be finite and >= 0");
  const double tf = g.derivative_filter.si();
  if (!finite_non_negative(tf))
    report("derivative_filter", "must be finite and >= 0 s");
  else if (g.kd > 0.0 && tf <= 0.0)
    report("derivative_filter", "must be > 0 s when kd > 0 (an unfiltered derivative "
                                "amplifies load-cell noise without bound)");
  if (!finite_positive(g.tracking_time.si()))
    report("tracking_time", "must be finite and > 0 s (anti-windup needs it)");
  if (!std::isfinite(g.output_min)) report("output_min", "must be finite");
  if (!std::isfinite(g.output_max)) report("output_max", "must be finite");
  if (std::isfinite(g.output_min) && std::isfinite(g.output_max) && !(g.output_min < g.output_max))
    report("output_min", "must be < output_max");
  if (!finite_positive(g.max_dt.si())) report("max_dt", "must be finite and > 0 s");
}

} // namespace

void append_problem(std::string &message, const char *field, const char *problem) {
  if (!message.empty()) message += "; ";
  message += field;
  message += ": ";
  message += problem;
}

std::string PidGains::validate() const {
  std::string message;
  check_gains(*this, [&message](const char *field, const char *problem) {
    append_problem(message, field, problem);
  });
  return message;
}

bool PidGains::valid() const noexcept {
  bool ok = true;
  check_gains(*this, [&ok](const char *, const char *) { ok = false; });
  return ok;
}

Pid::Pid(const PidGains &gains) : gains_(gains) {
  if (const std::string problem = gains.validate(); !problem.empty())
    throw std::invalid_argument("PID gains: " + problem);
  reset(0.0);
}

void Pid::reset(double current_output) noexcept {
  pending_output_ = std::clamp(std::isfinite(current_output) ? current_output : 0.0,
                               gains_.output_min, gains_.output_max);
  // Until the first update, the output held (also by a rejected cycle) is the current one.
  terms_ = PidTerms{};
  terms_.unsaturated = terms_.output = pending_output_;
  starting_ = true;
  measurement_rate_ = 0.0;
  saturation_ = Saturation::none;
}

double Pid::update(double setpoint, double measurement, Duration dt, double feedforward,
                   double ceiling) noexcept {
  const double h = dt.si();
  if (!(std::isfinite(h) && h > 0.0) || !std::isfinite(setpoint) || !std::isfinite(measurement) ||
      !std::isfinite(feedforward)) {
    ++rejected_updates_;
    // Hold: a bad cycle must not move the table, nor pass this cycle's ceiling (the first
    // cycle of a stop's release holds what the pull before it commanded). A capped hold is
    // what the actuator got, so output() reports it.
    terms_.output = std::min(terms_.output, upper_limit(ceiling));
    return terms_.output;
  }
  const PidGains &g = gains_;
  const double error = setpoint - measurement;
  const double p = g.kp * error;

  if (starting_) {
    // Bumpless enable: choose I so that this output is exactly the actuator's current one.
    measurement_rate_ = 0.0;
    integral_ = std::clamp(pending_output_, g.output_min, g.output_max) - p - feedforward;
    starting_ = false;
  } else {
    // Integrate over the interval that has just ended (at most max_dt), and bleed off what the
    // last output could not deliver: the integrator is up to date with the time that passed.
    const double hi = std::min(h, g.max_dt.si());
    const double tracking = std::min(hi / g.tracking_time.si(), 1.0);
    integral_ += g.ki * error * hi + tracking * (terms_.output - terms_.unsaturated);
    // The real h, not the nominal period: a late cycle's larger dy is divided by its larger h.
    if (g.derivative_filter.si() > 0.0)
      measurement_rate_ = filtered_rate(measurement - previous_measurement_, h);
  }
  const double d = -g.kd * measurement_rate_;
  double v = p + integral_ + d + feedforward;
  const double upper = upper_limit(ceiling);
  if (v > upper && upper < g.output_max) {
    // Only the integrator is limited (I <= ceiling - D): the present error and feedforward act
    // in full, so the force above the target is paid out on the first cycle. Tracking alone
    // (Tt) would keep a descent's feedforward in I for a second and hold the cable (pid.hpp).
    integral_ = std::min(integral_, upper - d);
    v = p + integral_ + d + feedforward;
  }
  const double u = std::clamp(v, g.output_min, upper);

  terms_ = PidTerms{p, integral_, d, feedforward, v, u};
  // From the output after the integrator's limit: the cycle that pays out from a ceiling is
  // not saturated (the force loop restarts its stiffness window only while the ceiling holds).
  saturation_ = v > upper          ? Saturation::high
                : v < g.output_min ? Saturation::low
                                   : Saturation::none;

  previous_measurement_ = measurement;
  last_error_ = error;
  return u;
}

// d/dt of the measurement through a first-order low-pass (tf > 0), exact for a sample held
// over h. The gain (1 - a) / h never exceeds 1 / tf, however small h is. The loop's h is nearly
// always the same double from one cycle to the next: a = exp(-h / tf) is kept for the last h and
// tf rather than computed every cycle (the same value, bit for bit).
double Pid::filtered_rate(double dy, double h) noexcept {
  const double tf = gains_.derivative_filter.si();
  if (h != rate_coefficient_h_ || tf != rate_coefficient_tf_) {
    rate_coefficient_h_ = h;
    rate_coefficient_tf_ = tf;
    rate_coefficient_ = std::exp(-h / tf);
  }
  const double a = rate_coefficient_;
  return a * measurement_rate_ + (1.0 - a) * dy / h;
}

// A NaN ceiling is the lowest one, output_min: a limit that cannot be read must not let the
// output rise (for the cable, paying out is the safe direction).
double Pid::upper_limit(double ceiling) const noexcept {
  if (std::isnan(ceiling)) return gains_.output_min;
  return std::max(std::min(gains_.output_max, ceiling), gains_.output_min);
}

bool Pid::set_gains(const PidGains &gains) noexcept {
  if (!gains.valid()) return false;
  if (!starting_) {
    // Keep P + I + D unchanged for the last error and measurement rate: the output does not
    // step, only its future response changes.
    const double old_pd = gains_.kp * last_error_ - gains_.kd * measurement_rate_;
    const double new_pd = gains.kp * last_error_ - gains.kd * measurement_rate_;
    integral_ += old_pd - new_pd;
    terms_.integral = integral_;
  }
  if (gains.derivative_filter.si() <= 0.0) measurement_rate_ = 0.0; // only kd = 0 allows it
  gains_ = gains;
  return true;
}

} // namespace tractus::controller
