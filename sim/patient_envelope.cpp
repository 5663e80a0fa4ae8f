#include "sim/patient_envelope.hpp"

#include "profiles/limits.hpp"
#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace tractus::sim {
namespace {

using P = PatientPreset;

// The ranges, with the reason for each in docs/simulator.md ("Patient files"). The presets'
// figures are in patient_preset.hpp; every one lies inside.
constexpr std::array kFigures{
    PatientFigure{"/body_mass", FigureText::Mass, "kg", 40.0, 200.0, false,
                  [](const P &p) { return p.body_mass.si(); },
                  [](P &p, double v) { p.body_mass = Mass(v); }},
    PatientFigure{"/harness/slack_mm", FigureText::Number, "mm", 0.0, 60.0, false,
                  [](const P &p) { return p.harness.slack.si() * 1e3; },
                  [](P &p, double v) { p.harness.slack = millimetres(v); }},
    PatientFigure{"/harness/stiffness_n_per_m", FigureText::Number, "N/m", 40e3, 300e3, false,
                  [](const P &p) { return p.harness.stiffness.si(); },
                  [](P &p, double v) { p.harness.stiffness = newtons_per_metre(v); }},
    PatientFigure{"/harness/damping_ns_per_m", FigureText::Number, "N·s/m", 100.0, 3000.0, false,
                  [](const P &p) { return p.harness.damping_ns_per_m; },
                  [](P &p, double v) { p.harness.damping_ns_per_m = v; }},
    PatientFigure{"/section/moving_mass_kg", FigureText::Number, "kg", 3.0, 120.0, false,
                  [](const P &p) { return p.section.moving_mass.si(); },
                  [](P &p, double v) { p.section.moving_mass = kilograms(v); }},
    PatientFigure{"/section/coulomb", FigureText::Force, "N", 0.0, 60.0, false,
                  [](const P &p) { return p.section.coulomb.si(); },
                  [](P &p, double v) { p.section.coulomb = newtons(v); }},
    PatientFigure{"/section/breakaway", FigureText::Force, "N", 0.0, 70.0, false,
                  [](const P &p) { return p.section.breakaway.si(); },
                  [](P &p, double v) { p.section.breakaway = newtons(v); }},
    PatientFigure{"/section/viscous_ns_per_m", FigureText::Number, "N·s/m", 0.0, 500.0, false,
                  [](const P &p) { return p.section.viscous_ns_per_m; },
                  [](P &p, double v) { p.section.viscous_ns_per_m = v; }},
    PatientFigure{"/tissue/k1_n_per_m", FigureText::Number, "N/m", 1e3, 20e3, false,
                  [](const P &p) { return p.tissue.k1.si(); },
                  [](P &p, double v) { p.tissue.k1 = newtons_per_metre(v); }},
    PatientFigure{"/tissue/k3_n_per_m3", FigureText::Number, "N/m³", 1e6, 30e6, false,
                  [](const P &p) { return p.tissue.k3_n_per_m3; },
                  [](P &p, double v) { p.tissue.k3_n_per_m3 = v; }},
    PatientFigure{"/tissue/creep_stiffness_n_per_m", FigureText::Number, "N/m", 20e3, 400e3, false,
                  [](const P &p) { return p.tissue.creep_stiffness.si(); },
                  [](P &p, double v) { p.tissue.creep_stiffness = newtons_per_metre(v); }},
    PatientFigure{"/tissue/creep_time", FigureText::Duration, "s", 10.0, 600.0, false,
                  [](const P &p) { return p.tissue.creep_time.si(); },
                  [](P &p, double v) { p.tissue.creep_time = seconds(v); }},
    PatientFigure{"/guarding/mean_interval", FigureText::Duration, "s", 60.0, 7200.0, true,
                  [](const P &p) { return p.guarding.mean_interval.si(); },
                  [](P &p, double v) { p.guarding.mean_interval = seconds(v); }},
    PatientFigure{"/guarding/peak_min", FigureText::Number, "", 1.1, 2.0, false,
                  [](const P &p) { return p.guarding.peak_min; },
                  [](P &p, double v) { p.guarding.peak_min = v; }},
    PatientFigure{"/guarding/peak_max", FigureText::Number, "", 1.1, 2.0, false,
                  [](const P &p) { return p.guarding.peak_max; },
                  [](P &p, double v) { p.guarding.peak_max = v; }},
    PatientFigure{"/guarding/onset_min", FigureText::Duration, "s", 0.5, 5.0, false,
                  [](const P &p) { return p.guarding.onset_min.si(); },
                  [](P &p, double v) { p.guarding.onset_min = seconds(v); }},
    PatientFigure{"/guarding/onset_max", FigureText::Duration, "s", 0.5, 5.0, false,
                  [](const P &p) { return p.guarding.onset_max.si(); },
                  [](P &p, double v) { p.guarding.onset_max = seconds(v); }},
    PatientFigure{"/guarding/hold_min", FigureText::Duration, "s", 0.5, 60.0, false,
                  [](const P &p) { return p.guarding.hold_min.si(); },
                  [](P &p, double v) { p.guarding.hold_min = seconds(v); }},
    PatientFigure{"/guarding/hold_max", FigureText::Duration, "s", 0.5, 60.0, false,
                  [](const P &p) { return p.guarding.hold_max.si(); },
                  [](P &p, double v) { p.guarding.hold_max = seconds(v); }},
    PatientFigure{"/guarding/relax_min", FigureText::Duration, "s", 1.0, 30.0, false,
                  [](const P &p) { return p.guarding.relax_min.si(); },
                  [](P &p, double v) { p.guarding.relax_min = seconds(v); }},
    PatientFigure{"/guarding/relax_max", FigureText::Duration, "s", 1.0, 30.0, false,
                  [](const P &p) { return p.guarding.relax_max.si(); },
                  [](P &p, double v) { p.guarding.relax_max = seconds(v); }},
};

const PatientFigure &figure(std::string_view pointer) {
  return *std::find_if(kFigures.begin(), kFigures.end(),
                       [&](const PatientFigure &f) { return f.pointer == pointer; });
}

std::string key_of(const PatientFigure &f) {
  return std::string(f.pointer.substr(f.pointer.rfind('/') + 1));
}

std::string value_text(const PatientFigure &f, double value) {
  if (f.text == FigureText::Duration) return profiles::format_duration(Duration(value));
  return text::format_number(value, 6) + (f.unit.empty() ? "" : " " + std::string(f.unit));
}

std::string figure_text(std::string_view pointer, const PatientPreset &patient) {
  const PatientFigure &f = figure(pointer);
  return value_text(f, f.get(patient));
}

std::string millimetres_text(Length length) { return text::format_number(length.si() * 1e3, 1); }

// Measured on the simulator (docs/simulator.md, "The envelope"): the least damping of the
// section's ringing on the harness with which pretension does not bounce the force past the
// force-rate monitor (302), and the fastest stiffening in a spasm that the force loop rides
// through within the over-force margin of the stock protocols (4 %, 301): the presets' fastest,
// ×1.8 in 0.5 s.
constexpr double kMinDampingRatio = 0.1;
constexpr double kMaxStiffeningPerSecond = 1.6;
// Stiction at most half as much again as the sliding friction: the jump when the section breaks
// free is a disturbance the loop must catch (linear bearings: 1.1–1.3).
constexpr double kMaxBreakawayRatio = 1.5;

// The tissue's elastic elongation under `force`: g·(k1·x + k3·x³) = F, by Newton's method from
// the linear elongation, which lies above the root (the cubic only adds), so it converges from
// above without overshooting.
double tissue_elongation(const TissueParams &t, double force, double guarding) {
  const double k1 = guarding * t.k1.si(), k3 = guarding * t.k3_n_per_m3;
  double x = force / k1;
  for (int i = 0; i < 60; ++i)
    x -= (k1 * x + k3 * x * x * x - force) / (k1 + 3.0 * k3 * x * x);
  return x;
}

// How much the tension rises when `travel` more cable is drawn in from `from`, the section
// sliding (the tissue carries the tension less the sliding friction): the harness stretch and
// the tissue's elongation share the travel. By bisection: the travel rises with the force.
Force force_rise(const PatientPreset &p, Force from, Length travel) {
  const double k_h = p.harness.stiffness.si(), coulomb = p.section.coulomb.si();
  const double x0 = tissue_elongation(p.tissue, std::max(0.0, from.si() - coulomb), 1.0);
  const auto travel_for = [&](double rise) {
    const double on_tissue = std::max(0.0, from.si() + rise - coulomb);
    return rise / k_h + tissue_elongation(p.tissue, on_tissue, 1.0) - x0;
  };
  double low = 0.0, high = k_h * travel.si(); // the harness alone takes the whole travel
  for (int i = 0; i < 60; ++i) {
    const double mid = 0.5 * (low + high);
    (travel_for(mid) < travel.si() ? low : high) = mid;
  }
  return Force(low);
}

void add_friction_and_guarding_problems(const PatientPreset &p, std::vector<EnvelopeProblem> &out) {
  const std::string breakaway = figure_text("/section/breakaway", p);
  const std::string coulomb = figure_text("/section/coulomb", p);
  if (p.section.breakaway < p.section.coulomb)
    out.push_back(
        {"/section/breakaway", breakaway + " is below the coulomb friction of " + coulomb +
                                   " (static friction is at least the sliding friction)"});
  else if (p.section.breakaway > p.section.coulomb * kMaxBreakawayRatio)
    out.push_back({"/section/breakaway",
                   breakaway + " is more than " + text::format_number(kMaxBreakawayRatio, 1) +
                       " times the coulomb friction of " + coulomb +
                       " (the section breaking free is a jump the loop must catch)"});
  for (const std::string_view range : {"peak", "onset", "hold", "relax"}) {
    const PatientFigure &low = figure("/guarding/" + std::string(range) + "_min");
    const PatientFigure &high = figure("/guarding/" + std::string(range) + "_max");
    if (high.get(p) < low.get(p))
      out.push_back({std::string(high.pointer),
                     value_text(high, high.get(p)) + " is below " + key_of(low) + " " +
                         value_text(low, low.get(p)) + " (at least " + key_of(low) + ")"});
  }
}

// The section ringing on the harness, and the fastest spasm.
void add_dynamics_problems(const PatientPreset &p, std::vector<EnvelopeProblem> &out) {
  const double critical =
      2.0 * std::sqrt(p.harness.stiffness.si() * p.section.moving_mass.si()); // N·s/m
  if (const double ratio = p.harness.damping_ns_per_m / critical; ratio < kMinDampingRatio)
    out.push_back({"/harness/damping_ns_per_m",
                   "the section rings on the harness with a damping ratio of " +
                       text::format_number(ratio, 3) + ", below the " +
                       text::format_number(kMinDampingRatio, 1) +
                       " that pretension is designed for (at least " +
                       text::format_number(std::ceil(kMinDampingRatio * critical), 0) +
                       " N·s/m with this harness stiffness and moving mass)"});
  const GuardingParams &g = p.guarding;
  if (const double rate = (g.peak_max - 1.0) / g.onset_min.si(); rate > kMaxStiffeningPerSecond)
    out.push_back({"/guarding/onset_min",
                   "a spasm to ×" + text::format_number(g.peak_max, 2) + " in " +
                       profiles::format_duration(g.onset_min) + " stiffens the tissue by " +
                       text::format_number(rate * 100.0, 0) + " % a second, faster than the " +
                       text::format_number(kMaxStiffeningPerSecond * 100.0, 0) +
                       " % a second the force loop rides through (a longer onset_min or a lower "
                       "peak_max)"});
}

// The cable against the travel and plausibility monitors, from the lowest tension of a
// treatment to the region's hard cap. Its stiffness at the hard cap needs no check: the
// envelope's stiffest corner stays below kLoopDesign.max_cable_stiffness (a test holds that).
void add_cable_problems(const PatientPreset &p, std::vector<EnvelopeProblem> &out) {
  const bool lumbar = p.region == Region::Lumbar;
  const Force cap = lumbar ? profiles::kDefaultLimits.lumbar_hard_cap
                           : profiles::kDefaultLimits.cervical_hard_cap;
  const std::string at_cap = "at the " + text::format_number(cap.si(), 0) + " N " +
                             (lumbar ? "lumbar" : "cervical") + " hard cap";
  const Force taut = profiles::kDefaultLimits.min_cord_tension;
  const Force least_rise = kLoopDesign.min_cable_stiffness * kLoopDesign.slip_travel;
  if (const Force rise = force_rise(p, taut, kLoopDesign.slip_travel); rise < least_rise)
    out.push_back({"/tissue/k1_n_per_m",
                   "drawing in " + millimetres_text(kLoopDesign.slip_travel) + " mm from the " +
                       text::format_number(taut.si(), 0) +
                       " N minimum cord tension raises the force by " +
                       text::format_number(rise.si(), 1) + " N, less than the " +
                       text::format_number(least_rise.si(), 0) +
                       " N below which the plausibility monitor takes the travel for a slipping "
                       "harness (raise k1_n_per_m or the harness stiffness)"});
  const Length room = kLoopDesign.max_travel * 0.8;
  if (const Length drawn = cable_drawn_in(p, cap); drawn > room)
    out.push_back({"/", "reaching " + at_cap.substr(3) + " draws in " + millimetres_text(drawn) +
                            " mm of cable with creep settled, more than the " +
                            millimetres_text(room) +
                            " mm that leave a fifth of the travel "
                            "monitor's " +
                            millimetres_text(kLoopDesign.max_travel) +
                            " mm unused (less slack, stiffer tissue or creep)"});
  const double creep_total = cap.si() / p.tissue.creep_stiffness.si();
  const Length creep_in_window = Length(
      creep_total * (1.0 - std::exp(-kLoopDesign.slip_time.si() / p.tissue.creep_time.si())));
  if (creep_in_window > kLoopDesign.slip_travel * 0.5)
    out.push_back({"/tissue/creep_time",
                   "creep draws in " + millimetres_text(creep_in_window) + " mm in the first " +
                       profiles::format_duration(kLoopDesign.slip_time) + " " + at_cap +
                       ", more than half the " + millimetres_text(kLoopDesign.slip_travel) +
                       " mm the plausibility monitor takes for a slipping harness when the force "
                       "does not rise (raise creep_time or creep_stiffness_n_per_m)"});
}

} // namespace

std::span<const PatientFigure> patient_figures() noexcept { return kFigures; }

std::string envelope_text(const PatientFigure &f) {
  const std::string range = f.text == FigureText::Duration
                                ? profiles::format_duration(Duration(f.low)) + " to " +
                                      profiles::format_duration(Duration(f.high))
                                : text::format_number(f.low, 6) + " to " + value_text(f, f.high);
  return f.zero_allowed ? "0 (none) or " + range : range;
}

namespace {
// A value just past a bound, said with the digits that show it past: "0.49 s is below the
// envelope (0.5 s to 5 s)", never "0.5 s is below" it, as a duration's or six decimals'
// rounding would say.
std::string past_bound_text(const PatientFigure &f, double value, double bound) {
  std::string said = value_text(f, value);
  const std::string unit = f.unit.empty() ? "" : " " + std::string(f.unit);
  for (int decimals = 6; said == value_text(f, bound) && decimals <= 40; ++decimals)
    if (text::format_number(value, decimals) != text::format_number(bound, decimals))
      said = text::format_number(value, decimals) + unit;
  return said;
}
} // namespace

std::string outside_envelope(const PatientFigure &f, double value) {
  if (f.zero_allowed && value == 0.0) return {};
  if (!(value >= f.low))
    return past_bound_text(f, value, f.low) + " is below the envelope (" + envelope_text(f) + ")";
  if (!(value <= f.high))
    return past_bound_text(f, value, f.high) + " is above the envelope (" + envelope_text(f) + ")";
  return {};
}

std::vector<EnvelopeProblem> envelope_problems(const PatientPreset &patient) {
  std::vector<EnvelopeProblem> problems;
  add_friction_and_guarding_problems(patient, problems);
  add_dynamics_problems(patient, problems);
  add_cable_problems(patient, problems);
  return problems;
}

Stiffness cable_stiffness(const PatientPreset &patient, Force force, double guarding) {
  const TissueParams &t = patient.tissue;
  // Reeling in, the section slides: the tissue carries the tension less the sliding friction.
  const double on_tissue = std::max(0.0, force.si() - patient.section.coulomb.si());
  const double x = tissue_elongation(t, on_tissue, guarding);
  const double tissue = guarding * (t.k1.si() + 3.0 * t.k3_n_per_m3 * x * x);
  const double harness = patient.harness.stiffness.si();
  return newtons_per_metre(harness * tissue / (harness + tissue));
}

Length cable_drawn_in(const PatientPreset &patient, Force force) {
  const double f = force.si();
  return patient.harness.slack + Length(f / patient.harness.stiffness.si()) +
         Length(tissue_elongation(patient.tissue, f, 1.0)) +
         Length(f / patient.tissue.creep_stiffness.si());
}

} // namespace tractus::sim
