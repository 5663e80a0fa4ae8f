// Strong SI quantities used everywhere inside tractus.
//
// Why: a traction table mixes newtons, pounds-force, kilograms of body weight, seconds and
// minutes. A bare double lets "90" (lbf) be added to "400" (N) silently. Each quantity here is
// its own type holding an SI value; only same-kind arithmetic compiles, plus the few physical
// products and quotients the controller needs (force / time = force rate, and so on).
// Conversions to and from user units happen at the edges (profiles, CLI, console) through the
// named constructors below.
#pragma once

#include <cmath>
#include <compare>

namespace tractus {

template <class Tag> class Quantity {
public:
  constexpr Quantity() = default;
  constexpr explicit Quantity(double si) : si_(si) {}

  // The value in SI base units (N, s, m, m/s, N/s, kg, Hz, N/m).
  [[nodiscard]] constexpr double si() const { return si_; }

  constexpr Quantity operator-() const { return Quantity(-si_); }
  constexpr Quantity &operator+=(Quantity o) {
    si_ += o.si_;
    return *this;
  }
  constexpr Quantity &operator-=(Quantity o) {
    si_ -= o.si_;
    return *this;
  }
  constexpr Quantity &operator*=(double k) {
    si_ *= k;
    return *this;
  }
  friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity(a.si_ + b.si_); }
  friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity(a.si_ - b.si_); }
  friend constexpr Quantity operator*(Quantity a, double k) { return Quantity(a.si_ * k); }
  friend constexpr Quantity operator*(double k, Quantity a) { return Quantity(a.si_ * k); }
  friend constexpr Quantity operator/(Quantity a, double k) { return Quantity(a.si_ / k); }
  // Ratio of two like quantities is a plain number.
  friend constexpr double operator/(Quantity a, Quantity b) { return a.si_ / b.si_; }
  friend constexpr auto operator<=>(Quantity a, Quantity b) = default;

private:
  double si_ = 0.0;
};

struct ForceTag {};
struct DurationTag {};
struct LengthTag {};
struct SpeedTag {};
struct ForceRateTag {};
struct MassTag {};
struct FrequencyTag {};
struct StiffnessTag {};

using Force = Quantity<ForceTag>;         // N
using Duration = Quantity<DurationTag>;   // s
using Length = Quantity<LengthTag>;       // m
using Speed = Quantity<SpeedTag>;         // m/s (cable speed)
using ForceRate = Quantity<ForceRateTag>; // N/s
using Mass = Quantity<MassTag>;           // kg (patient body mass)
using Frequency = Quantity<FrequencyTag>; // Hz
using Stiffness = Quantity<StiffnessTag>; // N/m

// Standard gravity (CGPM 1901) links kgf and lbf to newtons.
inline constexpr double kStandardGravity = 9.80665;
inline constexpr double kNewtonsPerLbf = 4.4482216152605;
inline constexpr double kKgPerLb = 0.45359237;

// Physical relations the control code actually uses.
constexpr ForceRate operator/(Force f, Duration t) { return ForceRate(f.si() / t.si()); }
constexpr Force operator*(ForceRate r, Duration t) { return Force(r.si() * t.si()); }
constexpr Force operator*(Duration t, ForceRate r) { return r * t; }
constexpr Length operator*(Speed v, Duration t) { return Length(v.si() * t.si()); }
constexpr Speed operator/(Length x, Duration t) { return Speed(x.si() / t.si()); }
constexpr Force operator*(Stiffness k, Length x) { return Force(k.si() * x.si()); }
constexpr Stiffness operator/(Force f, Length x) { return Stiffness(f.si() / x.si()); }
constexpr Speed operator/(ForceRate r, Stiffness k) { return Speed(r.si() / k.si()); }
// Body weight: the force gravity puts on a patient of this mass.
constexpr Force weight_of(Mass m) { return Force(m.si() * kStandardGravity); }

// Named constructors for the units people type.
constexpr Force newtons(double v) { return Force(v); }
constexpr Force lbf(double v) { return Force(v * kNewtonsPerLbf); }
constexpr Force kgf(double v) { return Force(v * kStandardGravity); }
constexpr Duration seconds(double v) { return Duration(v); }
constexpr Duration milliseconds(double v) { return Duration(v * 1e-3); }
constexpr Duration minutes(double v) { return Duration(v * 60.0); }
constexpr Length metres(double v) { return Length(v); }
constexpr Length millimetres(double v) { return Length(v * 1e-3); }
constexpr Speed metres_per_second(double v) { return Speed(v); }
constexpr ForceRate newtons_per_second(double v) { return ForceRate(v); }
constexpr Mass kilograms(double v) { return Mass(v); }
constexpr Mass pounds(double v) { return Mass(v * kKgPerLb); }
constexpr Frequency hertz(double v) { return Frequency(v); }
constexpr Stiffness newtons_per_metre(double v) { return Stiffness(v); }

constexpr double in_lbf(Force f) { return f.si() / kNewtonsPerLbf; }
constexpr double in_kgf(Force f) { return f.si() / kStandardGravity; }
constexpr double in_lb(Mass m) { return m.si() / kKgPerLb; }

template <class Tag> constexpr Quantity<Tag> abs(Quantity<Tag> q) {
  return Quantity<Tag>(q.si() < 0 ? -q.si() : q.si());
}
template <class Tag> constexpr Quantity<Tag> min(Quantity<Tag> a, Quantity<Tag> b) {
  return a < b ? a : b;
}
template <class Tag> constexpr Quantity<Tag> max(Quantity<Tag> a, Quantity<Tag> b) {
  return a < b ? b : a;
}
template <class Tag>
constexpr Quantity<Tag> clamp(Quantity<Tag> v, Quantity<Tag> lo, Quantity<Tag> hi) {
  return v < lo ? lo : (hi < v ? hi : v);
}

} // namespace tractus
