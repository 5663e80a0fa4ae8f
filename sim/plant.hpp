// The physical table and patient, stepped at a fixed 1 ms (DESIGN §6).
//
// One model, two users: the in-process SimTable (sim_table.hpp) and the Modbus table server
// wrap it; it knows nothing of hal interfaces, clocks or registers. The chain, cable end first:
//
//   motor (velocity mode, lag + acceleration limit; unpowered: back-driven by the tension)
//     → drum and cable (cable position integrates motor speed)
//     → harness (slack, then a tension-only spring + damper)
//     → sliding table section (mass; Coulomb stick/slip + viscous friction)
//     → patient tissue (stiffening spring k1·x + k3·x³, scaled by muscle guarding,
//        in series with a Kelvin–Voigt creep element) → fixed upper body
//   load cell on the cable (or, for calibration, under a dead weight): counts = offset +
//   gain·(F + k2·F² + k3·F³ + hysteresis) + drift + noise, quantised, sample counter.
//
// Equations and the reasons for every default are in docs/simulator.md. step() does no
// allocation, no virtual call and no exception: a 30-minute session (1.8 M steps) runs in tens
// of milliseconds.
#pragma once

#include "sim/random.hpp"
#include "units/units.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>

namespace tractus::sim {

// The servo motor and drum, referred to the cable (table hardware: the same for every patient).
struct MotorParams {
  Speed max_speed = metres_per_second(0.10); // drive speed limit at the cable
  double accel_limit_m_per_s2 = 0.5;         // the drive's profile acceleration
  Duration speed_lag = milliseconds(20);     // closed speed loop ≈ first-order lag
  double quick_stop_decel_m_per_s2 = 2.0;    // CiA 402 quick-stop deceleration
  // Unpowered, the tension back-drives the gearmotor: speed = −T / back_drive (quasi-static).
  // 2500 N·s/m lets 890 N pay out at 0.36 m/s and takes the tension below 15 N in 0.6–1.5 s on
  // the stock patients (docs/simulator.md, "Unpowered release").
  double back_drive_ns_per_m = 2500.0;
  Mass reflected_inertia = kilograms(20.0); // rotor + drum seen at the cable
  double amps_per_newton = 0.0075;          // 890 N ≈ 6.7 A motor current
  double no_load_current_a = 0.3;
};

// The harness and cable between drum and patient.
struct HarnessParams {
  Length slack = millimetres(30.0); // strap take-up before any force
  Stiffness stiffness = newtons_per_metre(150e3);
  double damping_ns_per_m = 1800.0; // soft tissue under the belt is lossy
  friend bool operator==(const HarnessParams &, const HarnessParams &) = default;
};

// The sliding table section with the part of the patient that moves with it.
struct SectionParams {
  Mass moving_mass = kilograms(44.0);
  Force coulomb = newtons(13.0);   // kinetic friction while sliding
  Force breakaway = newtons(15.0); // static friction to start sliding (≥ coulomb)
  double viscous_ns_per_m = 150.0;
  friend bool operator==(const SectionParams &, const SectionParams &) = default;
};

// Patient tissue: F = g·(k1·x + k3·x³) on the elastic part x, in series with a Kelvin–Voigt
// creep element (spring creep_stiffness ‖ dashpot creep_stiffness·creep_time).
struct TissueParams {
  Stiffness k1 = newtons_per_metre(5000.0);
  double k3_n_per_m3 = 7.57e6;
  Stiffness creep_stiffness = newtons_per_metre(120e3);
  Duration creep_time = seconds(60.0);
  friend bool operator==(const TissueParams &, const TissueParams &) = default;
};

// One muscle-guarding event: the tissue stiffness rises to `peak` times normal over `onset`,
// stays for `hold`, and relaxes back over `relax` (smoothstep ramps).
struct GuardingEvent {
  double peak = 1.6;
  Duration onset = seconds(1.0);
  Duration hold = seconds(4.0);
  Duration relax = seconds(2.0);
};

// Random guarding: exponential intervals with this mean (zero: none), each event drawn
// uniformly from the ranges below (a back spasm: ×1.3–1.8 in 0.5–1.5 s, for a few seconds).
struct GuardingParams {
  Duration mean_interval = seconds(0.0);
  double peak_min = 1.3, peak_max = 1.8;
  Duration onset_min = seconds(0.5), onset_max = seconds(1.5);
  Duration hold_min = seconds(2.0), hold_max = seconds(6.0);
  Duration relax_min = seconds(1.5), relax_max = seconds(3.0);
  friend bool operator==(const GuardingParams &, const GuardingParams &) = default;
};

// The load-cell transmitter (modelled on Laumas/Flintec weight transmitters).
struct LoadCellParams {
  double gain_counts_per_n = 100.0;  // 0.01 N per count
  std::int32_t offset_counts = 8000; // zero-load bridge imbalance (80 N, 4 % of range)
  Force noise_sigma = newtons(0.25); // filtered output noise at 1 kHz conversion
  ForceRate drift = newtons_per_second(0.5 / 3600.0); // thermal drift: 0.5 N per hour
  Force full_scale = newtons(2000.0);     // rated range; beyond it the overload bit is set
  std::uint32_t steps_per_conversion = 1; // 1 kHz conversion rate
  // Imperfections a calibration must find (zero: an ideal cell). Non-linearity: the bridge
  // reads F + k2·F² + k3·F³. Hysteresis: the largest loading/unloading difference over a
  // zero → full scale → zero cycle, a lens-shaped loop (uniform Preisach density, with the
  // memory of its turning points); a loop to a fraction u of full scale shows u² of it.
  double quadratic_per_n = 0.0; // k2, 1/N
  double cubic_per_n2 = 0.0;    // k3, 1/N²
  Force hysteresis{};
};

struct PlantConfig {
  MotorParams motor{};
  HarnessParams harness{};
  SectionParams section{};
  TissueParams tissue{};
  GuardingParams guarding{};
  LoadCellParams load_cell{};
};

// What the drive does with the motor this step (the drive model decides, see drive_model.hpp).
enum class MotorMode : std::uint8_t {
  Unpowered, // no torque (disabled, fault or STO): back-driven by the cable tension
  Velocity,  // follow the target speed through the lag and acceleration limit
  QuickStop, // decelerate at the quick-stop ramp, then hold zero speed
};

// One conversion of the transmitter, as its registers would show it.
struct LoadCellReading {
  std::int32_t counts = 0;
  std::uint16_t sample_counter = 0;
  bool adc_ok = true;
  bool overload = false;
  bool excitation_fault = false;
};

class Plant {
public:
  static constexpr Duration kStep = milliseconds(1.0);

  Plant(const PlantConfig &config, std::uint64_t seed);

  // Inline: the simulated table sets the motor after every step and every drive command.
  void set_motor(MotorMode mode, Speed target = Speed{}) noexcept {
    mode_ = mode;
    // A non-finite command (a controller bug) must not poison the physics: the drive's
    // registers are integers and could never carry one, so it means "no speed".
    const double v = std::isfinite(target.si()) ? target.si() : 0.0;
    target_speed_ = std::clamp(v, -max_speed_, max_speed_);
  }
  void step() noexcept; // advance the physics by kStep
  void run(std::uint64_t steps) noexcept {
    for (std::uint64_t i = 0; i < steps; ++i)
      step();
  }

  // ---- truth (what no sensor sees exactly) ----
  [[nodiscard]] Force cable_tension() const noexcept { return Force(tension_); }
  [[nodiscard]] Length table_travel() const noexcept { return Length(table_pos_); }
  [[nodiscard]] Length cable_position() const noexcept { return Length(cable_pos_); }
  [[nodiscard]] Speed cable_speed() const noexcept { return Speed(motor_speed_); }
  [[nodiscard]] Speed table_speed() const noexcept { return Speed(table_speed_); }
  [[nodiscard]] Force tissue_force() const noexcept { return Force(tissue_force_); }
  [[nodiscard]] Length creep() const noexcept { return Length(creep_); }
  [[nodiscard]] Length slack() const noexcept { return Length(slack_); }
  [[nodiscard]] double guarding_factor() const noexcept { return guard_; }
  [[nodiscard]] bool guarding_active() const noexcept { return guard_phase_ != GuardPhase::Idle; }
  [[nodiscard]] double motor_current_a() const noexcept;
  [[nodiscard]] MotorMode motor_mode() const noexcept { return mode_; }
  [[nodiscard]] std::uint64_t steps() const noexcept { return steps_; }
  [[nodiscard]] Duration elapsed() const noexcept {
    return Duration(static_cast<double>(steps_) * kStep.si());
  }
  [[nodiscard]] const PlantConfig &config() const noexcept { return config_; }

  // ---- the load-cell transmitter ----
  [[nodiscard]] const LoadCellReading &load_cell() const noexcept { return reading_; }
  // Sensor faults (DESIGN §6 fault injection); each stays until changed again.
  void freeze_load_cell(bool frozen) noexcept { lc_frozen_ = frozen; }
  void set_load_cell_noise_factor(double factor) noexcept { lc_noise_factor_ = factor; }
  void shift_load_cell_offset(Force shift) noexcept;
  void fail_load_cell(bool failed) noexcept { lc_failed_ = failed; }
  // Calibration: a dead weight hangs on the load cell, off the patient's cable, so the cell
  // measures `force` instead of the cable tension until clear_reference_force().
  void set_reference_force(Force force) noexcept {
    reference_active_ = true;
    reference_force_ = force.si();
  }
  void clear_reference_force() noexcept { reference_active_ = false; }
  // The force on the load cell now (truth): the cable tension, or the reference weight.
  [[nodiscard]] Force load_cell_force() const noexcept {
    return Force(reference_active_ ? reference_force_ : tension_);
  }

  // ---- events ----
  void start_guarding(const GuardingEvent &event) noexcept;
  void add_slack(Length extra) noexcept; // the harness slipped

private:
  enum class GuardPhase : std::uint8_t { Idle, Onset, Hold, Relax };
  void update_guarding() noexcept;
  void schedule_next_guarding() noexcept;
  void convert_load_cell() noexcept;
  double load_cell_hysteresis(double force) noexcept;
  void update_forces() noexcept;

  PlantConfig config_;
  // Step constants, precomputed once.
  double dt_ = kStep.si();
  double lag_gain_, accel_step_, quick_stop_step_, max_speed_;
  double backdrive_dt_over_m_, backdrive_den_;
  double k_harness_, c_harness_;
  double inv_mass_, coulomb_, breakaway_, viscous_;
  double k1_, k3_, k_creep_, dt_over_c_creep_;

  // State (SI, cable end positive towards the drum).
  MotorMode mode_ = MotorMode::Unpowered;
  double target_speed_ = 0.0;
  double motor_speed_ = 0.0, cable_pos_ = 0.0;
  double table_speed_ = 0.0, table_pos_ = 0.0;
  double creep_ = 0.0, slack_ = 0.0;
  double tension_ = 0.0, tissue_force_ = 0.0;
  std::uint64_t steps_ = 0;

  // Muscle guarding.
  GuardPhase guard_phase_ = GuardPhase::Idle;
  double guard_ = 1.0, guard_from_ = 1.0;
  GuardingEvent guard_event_{};
  std::uint64_t guard_phase_start_ = 0, guard_phase_len_ = 1;
  std::uint64_t next_guard_step_ = std::numeric_limits<std::uint64_t>::max();
  Random guard_rng_;

  // Load cell.
  Random noise_rng_;
  LoadCellReading reading_{};
  double lc_offset_, lc_gain_, lc_sigma_, lc_drift_per_step_, lc_full_scale_;
  double lc_noise_factor_ = 1.0;
  bool lc_frozen_ = false, lc_failed_ = false;
  double lc_k2_ = 0.0, lc_k3_ = 0.0, lc_hyst_density_ = 0.0;
  // Hysteresis memory: the last input, its direction, and the turning points not yet wiped
  // out (alternating minima and maxima; [0] is the virgin origin and never removed).
  struct HysteresisTurn {
    double x = 0.0, p = 0.0;
  };
  static constexpr std::size_t kHysteresisTurns = 32;
  std::array<HysteresisTurn, kHysteresisTurns> hyst_turns_{};
  std::size_t hyst_depth_ = 1;
  double hyst_x_ = 0.0, hyst_p_ = 0.0;
  int hyst_direction_ = 0;
  bool reference_active_ = false;
  double reference_force_ = 0.0;
  std::uint32_t lc_steps_per_conversion_ = 1, lc_steps_to_conversion_ = 1;
};

} // namespace tractus::sim
