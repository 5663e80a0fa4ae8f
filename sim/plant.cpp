#include "sim/plant.hpp"

#include <algorithm>
#include <cmath>

namespace tractus::sim {
namespace {

// Streams of the one seed: load-cell noise and muscle guarding never share draws.
constexpr std::uint64_t kNoiseStream = 1;
constexpr std::uint64_t kGuardingStream = 2;

std::uint64_t to_steps(Duration d) {
  const double n = std::round(d.si() / Plant::kStep.si());
  return n < 1.0 ? 1U : static_cast<std::uint64_t>(n);
}

// 0 → 0, 1 → 1 with zero slope at both ends: a spasm builds and fades smoothly.
double smoothstep(double u) { return u * u * (3.0 - 2.0 * u); }

} // namespace

Plant::Plant(const PlantConfig &config, std::uint64_t seed)
    : config_(config), guard_rng_(seed, kGuardingStream), noise_rng_(seed, kNoiseStream) {
  const MotorParams &m = config.motor;
  lag_gain_ = std::min(1.0, dt_ / m.speed_lag.si());
  accel_step_ = m.accel_limit_m_per_s2 * dt_;
  quick_stop_step_ = m.quick_stop_decel_m_per_s2 * dt_;
  max_speed_ = m.max_speed.si();
  backdrive_dt_over_m_ = dt_ / m.reflected_inertia.si();
  backdrive_den_ = 1.0 + backdrive_dt_over_m_ * m.back_drive_ns_per_m;

  k_harness_ = config.harness.stiffness.si();
  c_harness_ = config.harness.damping_ns_per_m;
  slack_ = config.harness.slack.si();

  const SectionParams &s = config.section;
  inv_mass_ = 1.0 / s.moving_mass.si();
  coulomb_ = s.coulomb.si();
  breakaway_ = std::max(s.breakaway.si(), coulomb_);
  viscous_ = s.viscous_ns_per_m;

  const TissueParams &t = config.tissue;
  k1_ = t.k1.si();
  k3_ = t.k3_n_per_m3;
  k_creep_ = t.creep_stiffness.si();
  dt_over_c_creep_ = dt_ / (k_creep_ * t.creep_time.si());

  const LoadCellParams &lc = config.load_cell;
  lc_gain_ = lc.gain_counts_per_n;
  lc_offset_ = static_cast<double>(lc.offset_counts);
  lc_sigma_ = lc.noise_sigma.si() * lc_gain_;
  lc_drift_per_step_ = lc.drift.si() * dt_ * lc_gain_;
  lc_full_scale_ = lc.full_scale.si();
  lc_steps_per_conversion_ = std::max<std::uint32_t>(1U, lc.steps_per_conversion);
  lc_steps_to_conversion_ = lc_steps_per_conversion_;
  lc_k2_ = lc.quadratic_per_n;
  lc_k3_ = lc.cubic_per_n2;
  // Uniform Preisach density ρ over [0, FS]: a zero → FS → zero loop is ρ·FS²/4 wide at FS/2.
  lc_hyst_density_ = 4.0 * lc.hysteresis.si() / (lc_full_scale_ * lc_full_scale_);

  schedule_next_guarding();
  convert_load_cell();
}

void Plant::step() noexcept {
  // Semi-implicit Euler: velocities from the forces at the start of the step, then positions
  // from the new velocities (stable here: the fastest mode, harness on the section, has
  // ω·dt ≈ 0.1 ≪ 2).
  const double tension = tension_;
  switch (mode_) {
  case MotorMode::Velocity: {
    const double dv = (target_speed_ - motor_speed_) * lag_gain_;
    motor_speed_ += std::clamp(dv, -accel_step_, accel_step_);
    break;
  }
  case MotorMode::QuickStop:
    motor_speed_ -= std::clamp(motor_speed_, -quick_stop_step_, quick_stop_step_);
    break;
  case MotorMode::Unpowered:
    // m·dv/dt = −T − b·v, implicit in b so any back-drive coefficient is stable.
    motor_speed_ = (motor_speed_ - backdrive_dt_over_m_ * tension) / backdrive_den_;
    break;
  }
  cable_pos_ += motor_speed_ * dt_;

  // Sliding section: stuck until the net force beats breakaway; while sliding, kinetic
  // friction opposes the motion, and a step that would reverse the velocity sticks instead
  // (no chatter around zero speed).
  const double net = tension - tissue_force_ - viscous_ * table_speed_;
  if (table_speed_ == 0.0) {
    if (std::abs(net) > breakaway_) {
      table_speed_ = (net - std::copysign(coulomb_, net)) * inv_mass_ * dt_;
    }
  } else {
    const double v = table_speed_ + (net - std::copysign(coulomb_, table_speed_)) * inv_mass_ * dt_;
    table_speed_ = (v * table_speed_ < 0.0) ? 0.0 : v;
  }
  table_pos_ += table_speed_ * dt_;

  // Kelvin–Voigt creep: k_c·x_c + c_c·dx_c/dt = tissue force.
  creep_ += (tissue_force_ - k_creep_ * creep_) * dt_over_c_creep_;

  ++steps_;
  if (guard_phase_ != GuardPhase::Idle || steps_ >= next_guard_step_) update_guarding();
  update_forces();
  if (--lc_steps_to_conversion_ == 0) {
    lc_steps_to_conversion_ = lc_steps_per_conversion_;
    convert_load_cell();
  }
}

void Plant::update_forces() noexcept {
  const double x = table_pos_ - creep_;
  tissue_force_ = guard_ * x * (k1_ + k3_ * x * x);
  const double stretch = cable_pos_ - table_pos_ - slack_;
  // A strap pulls and never pushes: no force until taut, and damping cannot make it negative.
  tension_ = stretch > 0.0
                 ? std::max(0.0, k_harness_ * stretch + c_harness_ * (motor_speed_ - table_speed_))
                 : 0.0;
}

double Plant::motor_current_a() const noexcept {
  if (mode_ == MotorMode::Unpowered) return 0.0;
  return config_.motor.no_load_current_a + config_.motor.amps_per_newton * tension_;
}

void Plant::convert_load_cell() noexcept {
  if (lc_frozen_) return; // a hung transmitter: neither the value nor the counter moves
  ++reading_.sample_counter;
  // A lost excitation leaves the bridge output at zero: the value reads as no load.
  const double applied = reference_active_ ? reference_force_ : tension_;
  const double force = lc_failed_ ? 0.0 : applied;
  double sensed = force + force * force * (lc_k2_ + lc_k3_ * force);
  if (lc_hyst_density_ > 0.0) sensed += load_cell_hysteresis(force);
  const double noise = lc_sigma_ * lc_noise_factor_ * noise_rng_.normal();
  const double drift = lc_drift_per_step_ * static_cast<double>(steps_);
  const double counts = lc_offset_ + lc_gain_ * sensed + drift + noise;
  constexpr double kMax = static_cast<double>(std::numeric_limits<std::int32_t>::max());
  constexpr double kMin = static_cast<double>(std::numeric_limits<std::int32_t>::min());
  reading_.counts = static_cast<std::int32_t>(std::lrint(std::clamp(counts, kMin, kMax)));
  reading_.overload = std::abs(applied) > lc_full_scale_;
  reading_.adc_ok = !lc_failed_;
  reading_.excitation_fault = lc_failed_;
}

// Hysteresis as a Preisach model with a uniform density ρ on [0, FS]: every branch is a
// parabola from its turning point, p = p_turn ± ρ·(x − x_turn)²/2, and turning points are kept
// until the input passes the one before them, which closes (wipes out) that minor loop and
// resumes the outer branch (Madelung's rules). A hung weight bounces, so this memory matters:
// forgetting closed loops would let every bounce widen the loop. The output is taken about the
// major loop's mid-line (ρ·FS·x/2): it reads low while loading and high while unloading.
// docs/calibration.md ("The simulated load cell").
double Plant::load_cell_hysteresis(double force) noexcept {
  const double rho = lc_hyst_density_, fs = lc_full_scale_;
  const double x = std::clamp(force, 0.0, fs);
  if (x != hyst_x_) {
    const int direction = x > hyst_x_ ? 1 : -1;
    if (direction != hyst_direction_) {
      if (hyst_direction_ != 0) {
        // Full: forget the innermost closed loop, the smallest (a bounce's decaying tail).
        if (hyst_depth_ == kHysteresisTurns) hyst_depth_ -= 2;
        hyst_turns_[hyst_depth_++] = {hyst_x_, hyst_p_};
      }
      hyst_direction_ = direction;
    }
    // Passing the turning point before the last closes the minor loop between them.
    while (hyst_depth_ >= 3 && (direction > 0 ? x >= hyst_turns_[hyst_depth_ - 2].x
                                              : x <= hyst_turns_[hyst_depth_ - 2].x))
      hyst_depth_ -= 2;
    const HysteresisTurn &turn = hyst_turns_[hyst_depth_ - 1];
    const double d = x - turn.x;
    const double branch = turn.p + static_cast<double>(direction) * 0.5 * rho * d * d;
    // The major loop bounds every state (ascending ρx²/2, descending ρ(FS² − (FS − x)²)/2).
    const double lower = 0.5 * rho * x * x;
    const double upper = 0.5 * rho * (fs * fs - (fs - x) * (fs - x));
    hyst_p_ = std::clamp(branch, lower, upper);
    hyst_x_ = x;
  }
  return hyst_p_ - 0.5 * rho * fs * x;
}

void Plant::shift_load_cell_offset(Force shift) noexcept { lc_offset_ += shift.si() * lc_gain_; }

void Plant::add_slack(Length extra) noexcept {
  slack_ += extra.si();
  update_forces();
}

void Plant::start_guarding(const GuardingEvent &event) noexcept {
  guard_event_ = event;
  guard_from_ = guard_; // an event during another builds from where the tissue is now
  guard_phase_ = GuardPhase::Onset;
  guard_phase_start_ = steps_;
  guard_phase_len_ = to_steps(event.onset);
  next_guard_step_ = std::numeric_limits<std::uint64_t>::max();
}

void Plant::update_guarding() noexcept {
  if (guard_phase_ == GuardPhase::Idle) {
    const GuardingParams &g = config_.guarding;
    GuardingEvent e;
    e.peak = guard_rng_.uniform(g.peak_min, g.peak_max);
    e.onset = Duration(guard_rng_.uniform(g.onset_min.si(), g.onset_max.si()));
    e.hold = Duration(guard_rng_.uniform(g.hold_min.si(), g.hold_max.si()));
    e.relax = Duration(guard_rng_.uniform(g.relax_min.si(), g.relax_max.si()));
    start_guarding(e);
  }
  const std::uint64_t in_phase = steps_ - guard_phase_start_;
  if (in_phase >= guard_phase_len_) {
    guard_phase_start_ = steps_;
    switch (guard_phase_) {
    case GuardPhase::Onset:
      guard_phase_ = GuardPhase::Hold;
      guard_phase_len_ = to_steps(guard_event_.hold);
      break;
    case GuardPhase::Hold:
      guard_phase_ = GuardPhase::Relax;
      guard_phase_len_ = to_steps(guard_event_.relax);
      break;
    case GuardPhase::Relax:
    case GuardPhase::Idle:
      guard_phase_ = GuardPhase::Idle;
      guard_ = 1.0;
      schedule_next_guarding();
      return;
    }
  }
  const double u =
      static_cast<double>(steps_ - guard_phase_start_) / static_cast<double>(guard_phase_len_);
  const double peak = guard_event_.peak;
  switch (guard_phase_) {
  case GuardPhase::Onset: guard_ = guard_from_ + (peak - guard_from_) * smoothstep(u); break;
  case GuardPhase::Hold: guard_ = peak; break;
  case GuardPhase::Relax: guard_ = 1.0 + (peak - 1.0) * (1.0 - smoothstep(u)); break;
  case GuardPhase::Idle: guard_ = 1.0; break;
  }
}

void Plant::schedule_next_guarding() noexcept {
  const double mean = config_.guarding.mean_interval.si();
  if (mean <= 0.0) {
    next_guard_step_ = std::numeric_limits<std::uint64_t>::max();
    return;
  }
  // Exponential intervals: spasms come without memory of the last one.
  const double wait = -mean * std::log(1.0 - guard_rng_.uniform());
  next_guard_step_ = steps_ + to_steps(Duration(wait));
}

} // namespace tractus::sim
