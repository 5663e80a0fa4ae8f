// The envelope of simulated patients the loop is designed for (docs/simulator.md, "Patient
// files", which gives the reason for every row).
//
// A patient file may describe any patient inside it, and no other: a simulated session on a
// patient the force loop and the monitors were never meant for would pass or fail for the
// wrong reason. Two kinds of rule:
//   - each figure has a range (patient_figures(): also where the file writes it and how);
//   - figures that must agree, checked across them (envelope_problems()): stiction against
//     sliding friction, the guarding ranges, the harness's damping ratio, how fast a spasm
//     stiffens, and what the cable of this patient presents to the controller — how much the
//     force rises once taut, the cable drawn in to reach the region's hard cap, and how fast
//     creep draws cable in — against the plausibility and travel monitors. (Its stiffness at
//     the hard cap is bounded by the ranges alone: the stiffest corner stays below 80 kN/m.)
// The edges the loop sets were measured by running sessions beyond them. The four presets lie
// inside (tests/unit/sim/patient_envelope_test.cpp); patients at its corners complete every
// stock protocol (tests/sim/stock_sessions_test.cpp).
#pragma once

#include "sim/patient_preset.hpp"

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::sim {

// How a figure is written in a patient file. Quantities tractus reads elsewhere as text with a
// unit are text here too (profiles/quantity_text.hpp); the others are JSON numbers in the unit
// their key ends with ("slack_mm": 30).
enum class FigureText : std::uint8_t {
  Mass,     // "80 kg" or "176 lb": as --weight takes a body mass
  Force,    // "13 N", "3 lbf" or "1.5 kgf"
  Duration, // "60 s" or "5 min"
  Number,   // a JSON number
};

// One figure of a patient file.
struct PatientFigure {
  std::string_view pointer; // JSON pointer in the file: "/harness/slack_mm"
  FigureText text;
  std::string_view unit; // of low, high, get and set: SI for text (kg, N, s), else the key's
  double low, high;      // the envelope, inclusive
  bool zero_allowed;     // 0 also allowed: "none" (guarding mean interval: a calm patient)
  double (*get)(const PatientPreset &patient);
  void (*set)(PatientPreset &patient, double value);
};

// Every figure of a PatientPreset, in the order of the file format.
std::span<const PatientFigure> patient_figures() noexcept;

// "40 to 200 kg", "0 (calm) or 1 min to 120 min": the envelope as messages and docs say it.
std::string envelope_text(const PatientFigure &figure);
// What is wrong with `value` for `figure` ("250 kg is above the envelope (40 to 200 kg)"), or
// empty when it is inside.
std::string outside_envelope(const PatientFigure &figure, double value);

// What the controller is designed for, as figures of the cable. Mirrored from controller/
// (sim does not depend on it); a test in tests/unit/controller holds each equal to its source.
struct LoopDesign {
  Stiffness min_cable_stiffness = newtons_per_metre(2e3);  // PlausibilityLimits::min_stiffness
  Stiffness max_cable_stiffness = newtons_per_metre(80e3); // PlausibilityLimits::max_stiffness,
                                                           // above the envelope's stiffest corner
  Length max_travel = millimetres(250.0);                  // MonitorLimits::max_travel
  Length slip_travel = millimetres(20.0);                  // PlausibilityLimits::travel_window
  Duration slip_time = seconds(10.0);                      // PlausibilityLimits::travel_max_time
};
inline constexpr LoopDesign kLoopDesign{};

// A problem across figures: the pointer of the figure to change, and what is wrong.
struct EnvelopeProblem {
  std::string pointer;
  std::string message;
};
// The checks across figures, for a patient whose every figure is inside its own range.
std::vector<EnvelopeProblem> envelope_problems(const PatientPreset &patient);

// The cable's stiffness at tension `force` while it reels in: the harness in series with the
// tissue (its stiffness scaled by `guarding`), which carries the tension less the section's
// sliding friction; creep, which only softens the cable, is left out. And the cable drawn in to
// reach `force` once creep has settled (slack, harness stretch, tissue elongation, creep), with
// friction left out so that it is the longer figure.
Stiffness cable_stiffness(const PatientPreset &patient, Force force, double guarding = 1.0);
Length cable_drawn_in(const PatientPreset &patient, Force force);

} // namespace tractus::sim
