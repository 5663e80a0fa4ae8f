#include "controller/stiffness_rls.hpp"

#include "controller/force_loop.hpp"

#include <Eigen/Core>
#include <Eigen/LU>

#include <algorithm>
#include <cmath>

namespace tractus::controller {
namespace {

// Fixed-size views of the state held in the header's plain arrays: no heap, and Eigen stays a
// private dependency of the controller library.
using Matrix = Eigen::Map<Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>;
using ConstMatrix = Eigen::Map<const Eigen::Matrix<double, 3, 3, Eigen::RowMajor>>;
using Vector = Eigen::Map<Eigen::Vector3d>;
using ConstVector = Eigen::Map<const Eigen::Vector3d>;

// Indices of k, c and b in θ and P.
constexpr Eigen::Index kK = 0, kC = 1, kB = 2;
// θ is regressed as (k·x_s, c·v_s, b) on φ = (Δx/x_s, ẋ/v_s, 1): at treatment forces every
// term is tens to hundreds of newtons, rather than k ~ 10⁴ beside b ~ 10².
constexpr double kTravelScale = 0.01; // m
constexpr double kSpeedScale = 0.001; // m/s
const Eigen::Vector3d kScale(1.0 / kTravelScale, 1.0 / kSpeedScale, 1.0);

} // namespace

StiffnessRls::StiffnessRls(const ForceLoopParams &p) noexcept
    : config_{p.rls_forgetting_time.si(),
              p.rls_residual_sd.si() * p.rls_residual_sd.si(),
              p.rls_max_damping_ns_per_m,
              p.min_stiffness.si(),
              p.max_stiffness.si(),
              p.estimator_min_force.si(),
              p.estimator_min_setpoint_rate.si(),
              p.rls_max_relative_sd,
              p.rls_max_disagreement,
              p.rls_min_excitation,
              p.rls_trust_delay,
              {std::pow(p.rls_prior_stiffness_sd.si() * kTravelScale, 2),
               std::pow(p.rls_prior_damping_sd_ns_per_m * kSpeedScale, 2),
               std::pow(p.rls_prior_offset_sd.si(), 2)}},
      force_(p.estimator_filter), position_(p.estimator_filter), speed_(p.estimator_filter) {
  reset_information();
  resets_ = 0;
}

void StiffnessRls::restart() noexcept {
  force_.reset();
  position_.reset();
  speed_.reset();
  position_primed_ = false;
  gate_open_ = false;
}

double StiffnessRls::raw_stiffness() const noexcept { return theta_[0] / kTravelScale; }
double StiffnessRls::raw_damping() const noexcept { return theta_[1] / kSpeedScale; }

Stiffness StiffnessRls::stiffness() const noexcept {
  return Stiffness(std::clamp(raw_stiffness(), config_.min_k, config_.max_k));
}

double StiffnessRls::damping_ns_per_m() const noexcept {
  return std::clamp(raw_damping(), 0.0, config_.max_damping);
}

std::array<double, 9> StiffnessRls::covariance() const noexcept {
  std::array<double, 9> out{};
  Matrix(out.data()) = kScale.asDiagonal() * ConstMatrix(p_.data()) * kScale.asDiagonal();
  return out;
}

// Back to the prior's information about the present estimate (covariance resetting).
void StiffnessRls::reset_information() noexcept {
  const ConstVector prior(config_.prior_variance.data());
  Matrix(p_.data()) = prior.asDiagonal();
  Matrix(information_.data()) = prior.cwiseInverse().asDiagonal();
  Vector(weighted_.data()) = ConstMatrix(information_.data()) * ConstVector(theta_.data());
  ++resets_;
}

bool StiffnessRls::update(Force measured, Length position, Speed cable_speed,
                          ForceRate setpoint_rate, Duration dt, Stiffness fallback) noexcept {
  if (!std::isfinite(measured.si()) || !std::isfinite(position.si()) ||
      !(std::isfinite(dt.si()) && dt.si() > 0.0) || !std::isfinite(fallback.si())) {
    restart(); // the filters and the derivative cannot bridge a gap
    return false;
  }
  // Force, position and speed pass through the same low-pass, so F_f = k·x_f + c·ẋ_f + b holds
  // for the filtered signals too: the lag biases none of the three. The derivative of the
  // filtered position is exactly the same filter applied to the raw difference quotient.
  const double f = force_.update(measured.si(), dt);
  const double x = position_.update(position.si(), dt);
  double v = 0.0;
  const bool have_speed = std::isfinite(cable_speed.si()) || position_primed_;
  if (std::isfinite(cable_speed.si()))
    v = speed_.update(cable_speed.si(), dt);
  else if (position_primed_)
    v = speed_.update((x - last_position_) / dt.si(), dt);
  last_position_ = x;
  position_primed_ = true;

  // As for the ΔF/Δx estimator: a slack harness or a hold (creep, guarding) is not the spring.
  const bool informative = have_speed && f >= config_.min_force &&
                           std::isfinite(setpoint_rate.si()) &&
                           std::abs(setpoint_rate.si()) >= config_.min_setpoint_rate;
  if (!informative) {
    gate_open_ = false;
    return false;
  }
  if (!gate_open_) anchor(f, x, v, fallback);
  gate_open_ = true;
  step(f, x, v, dt, fallback);
  informative_ += dt;

  RlsDistrust verdict = judge(fallback);
  if (verdict != RlsDistrust::none) {
    trusted_for_ = Duration{};
  } else {
    trusted_for_ += dt;
    if (!trusted() && trusted_for_ < config_.trust_delay) verdict = RlsDistrust::settling;
  }
  distrust_ = verdict;
  return true;
}

// Each stretch of informative motion is regressed about where it starts: x is measured from
// there, and b restarts at the force seen there with its prior variance. A hold in between lets
// creep and guarding move the spring's rest point, which the old offset knows nothing about.
void StiffnessRls::anchor(double force, double position, double speed,
                          Stiffness fallback) noexcept {
  Vector theta(theta_.data());
  Matrix p(p_.data());
  if (!anchored_) {
    theta = Eigen::Vector3d(fallback.si() * kTravelScale, 0.0, force);
    anchored_ = true;
    reset_information();
  } else {
    theta(kB) = force - theta(kC) * speed / kSpeedScale;
    p.row(kB).setZero();
    p.col(kB).setZero();
    p(kB, kB) = config_.prior_variance[2];
    // k and c keep what they had; the block of P they own is below P0, so P stays below P0.
    Matrix(information_.data()) = p.inverse();
    Vector(weighted_.data()) = ConstMatrix(information_.data()) * theta;
  }
  prior_offset_ = theta(kB);
  anchor_position_ = position;
}

// Exponentially weighted least squares in information form, with forgetting toward the prior
// ("stabilised forgetting"): R ← λ·R + (1 − λ)·R₀ + φφᵀ/σ². The information the data carry
// fades with the memory, but never below the prior's, so P = R⁻¹ ≤ P₀ in every direction: the
// covariance cannot wind up when the motion stops exciting a direction (during a constant-rate
// ramp c·ẋ looks like b), and there an estimate relaxes to its prior instead of drifting.
void StiffnessRls::step(double force, double position, double speed, Duration dt,
                        Stiffness fallback) noexcept {
  if (dt.si() != lambda_dt_) { // nearly always the nominal period: one exp() per dt seen
    lambda_dt_ = dt.si();
    lambda_ = std::exp(-dt.si() / config_.forgetting_time);
  }
  const ConstVector prior_variance(config_.prior_variance.data());
  const Eigen::Vector3d prior_information = prior_variance.cwiseInverse();
  const Eigen::Vector3d prior(fallback.si() * kTravelScale, 0.0, prior_offset_);
  const Eigen::Vector3d phi((position - anchor_position_) / kTravelScale, speed / kSpeedScale, 1.0);

  Matrix information(information_.data());
  Vector weighted(weighted_.data());
  Vector theta(theta_.data());
  information = lambda_ * information;
  information.diagonal() += (1.0 - lambda_) * prior_information;
  information.noalias() += phi * phi.transpose() / config_.noise_variance;
  weighted = lambda_ * weighted + (1.0 - lambda_) * prior_information.cwiseProduct(prior) +
             phi * (force / config_.noise_variance);

  // Zeroed: computeInverseWithCheck leaves it unwritten when the matrix is singular.
  Eigen::Matrix3d p = Eigen::Matrix3d::Zero();
  bool invertible = false;
  information.computeInverseWithCheck(p, invertible);
  const Eigen::Vector3d next = p * weighted;
  if (!invertible || !p.allFinite() || !next.allFinite() || !(p.diagonal().array() > 0.0).all()) {
    reset_information(); // keeps θ
    return;
  }
  theta = next;
  Matrix(p_.data()) = p;
}

RlsDistrust StiffnessRls::judge(Stiffness fallback) const noexcept {
  if (!anchored_ || informative_ < config_.min_excitation) return RlsDistrust::few_samples;
  const ConstMatrix p(p_.data());
  const double k = raw_stiffness();
  const double c = raw_damping();
  if (!std::isfinite(k) || !std::isfinite(c) || !std::isfinite(offset()) || !p.allFinite())
    return RlsDistrust::non_finite;
  if (std::sqrt(p(kK, kK)) / kTravelScale > config_.max_relative_sd * std::abs(k))
    return RlsDistrust::covariance;
  // c is often poorly determined (a constant-rate ramp cannot tell c·ẋ from b), so it is
  // implausible only when it is outside its range by more than two of its standard errors.
  const double c_tolerance = 2.0 * std::sqrt(p(kC, kC)) / kSpeedScale;
  if (k < config_.min_k || k > config_.max_k || c < -c_tolerance ||
      c > config_.max_damping + c_tolerance)
    return RlsDistrust::out_of_bounds;
  const double ratio = k / fallback.si();
  if (!(ratio <= config_.max_disagreement && ratio * config_.max_disagreement >= 1.0))
    return RlsDistrust::disagreement;
  return RlsDistrust::none;
}

} // namespace tractus::controller
