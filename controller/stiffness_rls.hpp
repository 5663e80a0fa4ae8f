// Online identification of the patient and harness as F ≈ k·x + c·ẋ + b by recursive least
// squares, run in the control cycle (no allocation, no exception). docs/force-loop.md,
// "Stiffness and damping identification (RLS)", gives the equations and the figures.
//
// The estimate is only used when it can be trusted; until then, and whenever it stops being
// trustworthy, the force loop keeps scheduling on StiffnessEstimator (the fallback).
#pragma once

#include "controller/low_pass.hpp"
#include "units/units.hpp"

#include <array>
#include <cstdint>

namespace tractus::controller {

struct ForceLoopParams;

// Why the RLS estimate is not in use, most basic reason first.
enum class RlsDistrust : std::uint8_t {
  none,          // trusted
  few_samples,   // less than rls_min_excitation of informative motion yet
  non_finite,    // k, c, b or the covariance is not finite (then the RLS restarts itself)
  covariance,    // k's standard error above rls_max_relative_sd of k
  out_of_bounds, // k outside [min_stiffness, max_stiffness] or c outside [0, rls_max_damping]
  disagreement,  // k and the fallback's ΔF/Δx differ by more than rls_max_disagreement
  settling,      // every test passes, but not yet for rls_trust_delay
};

class StiffnessRls {
public:
  explicit StiffnessRls(const ForceLoopParams &params) noexcept;

  // One cycle. `cable_speed` is the drive's measured speed; a non-finite one means "not
  // measured" and the speed is the derivative of the filtered position instead. `fallback` is
  // the ΔF/Δx estimate the trust decision compares with. dt must be > 0. Returns true if the
  // estimate was updated (the cycle was informative).
  bool update(Force measured, Length position, Speed cable_speed, ForceRate setpoint_rate,
              Duration dt, Stiffness fallback) noexcept;
  // Forget the filters (after a pause or a gap in the signals); keeps the estimate and trust.
  void restart() noexcept;

  [[nodiscard]] bool trusted() const noexcept { return distrust_ == RlsDistrust::none; }
  [[nodiscard]] RlsDistrust distrust() const noexcept { return distrust_; }
  // The estimate clamped to its plausible range (k: [min, max]_stiffness, c: [0, max]).
  [[nodiscard]] Stiffness stiffness() const noexcept;
  [[nodiscard]] double damping_ns_per_m() const noexcept;
  // Unclamped parameters, the offset at the anchor, and their covariance (symmetric, in
  // (N/m)², N²·s/m, N²... as the products of the units of k, c, b), for tests and diagnostics.
  [[nodiscard]] double raw_stiffness() const noexcept;
  [[nodiscard]] double raw_damping() const noexcept;
  [[nodiscard]] double offset() const noexcept { return theta_[2]; }
  [[nodiscard]] std::array<double, 9> covariance() const noexcept;
  [[nodiscard]] Duration informative_time() const noexcept { return informative_; }
  [[nodiscard]] std::uint64_t covariance_resets() const noexcept { return resets_; }

private:
  struct Config {
    double forgetting_time, noise_variance, max_damping, min_k, max_k;
    double min_force, min_setpoint_rate, max_relative_sd, max_disagreement;
    Duration min_excitation, trust_delay;
    std::array<double, 3> prior_variance;
  };

  void anchor(double force, double position, double speed, Stiffness fallback) noexcept;
  void step(double force, double position, double speed, Duration dt, Stiffness fallback) noexcept;
  [[nodiscard]] RlsDistrust judge(Stiffness fallback) const noexcept;
  void reset_information() noexcept;

  Config config_;
  LowPass force_, position_, speed_;
  bool position_primed_ = false; // a previous filtered position exists to differentiate
  double last_position_ = 0.0;
  bool gate_open_ = false;
  bool anchored_ = false; // θ holds an estimate (the first informative cycle sets one)
  double anchor_position_ = 0.0;
  double prior_offset_ = 0.0; // b's prior: the force at the anchor
  // θ = (k·x_s, c·v_s, b), all in newtons (the scales are in the .cpp): the 3×3 algebra stays
  // well conditioned. Its information matrix R = P⁻¹, z = R·θ, and P itself, row-major.
  std::array<double, 3> theta_{};
  std::array<double, 9> information_{};
  std::array<double, 3> weighted_{};
  std::array<double, 9> p_{};
  double lambda_dt_ = -1.0; // the dt the forgetting factor below was computed for
  double lambda_ = 1.0;
  Duration informative_{};
  Duration trusted_for_{};
  RlsDistrust distrust_ = RlsDistrust::few_samples;
  std::uint64_t resets_ = 0;
};

} // namespace tractus::controller
