// Quantities as people write them: "90 lbf", "400 N", "40 kgf", "45 %bw", "50 %max", "60 s",
// "20 min", "0.5 Hz", and body weights typed on the command line ("80kg", "176 lb").
//
// Why strings with units: a profile is written and read by clinicians, and a bare 90 could be
// newtons or pounds. The grammar is deliberately strict, so a typo is an error rather than a
// guess: a non-negative decimal number (digits, optionally "." and digits; no sign, exponent,
// NaN or infinity), at most one space, then a unit from a fixed, case-sensitive list.
#pragma once

#include "text/outcome.hpp"
#include "units/units.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tractus::profiles {

enum class ForceUnit : std::uint8_t {
  Newton,            // "N"
  PoundForce,        // "lbf"
  KilogramForce,     // "kgf"
  PercentBodyWeight, // "%bw": percent of the patient's body weight (mass x standard gravity)
  PercentMax,        // "%max": percent of the same profile's max_force
};

// A force as written in a profile: an absolute force, or a percentage that is resolved later
// (with the patient, or with the profile's max force). The number is kept as written so the
// profile can be shown and saved back exactly.
struct ForceSpec {
  double number = 0.0;
  ForceUnit unit = ForceUnit::Newton;

  [[nodiscard]] bool is_absolute() const;
  // The force in newtons; only meaningful when is_absolute().
  [[nodiscard]] Force absolute() const;
  friend bool operator==(const ForceSpec &, const ForceSpec &) = default;
};

// The outcome of parsing one piece of text: the value, or what is wrong with the text
// (e.g. "\"60\" has no unit").
template <class T> using Parsed = text::Outcome<T>;

[[nodiscard]] std::string_view unit_symbol(ForceUnit unit);

// Accepts N, lbf, kgf, %bw and %max.
[[nodiscard]] Parsed<ForceSpec> parse_force_spec(std::string_view text);
// Accepts only the units listed (max_force, for one, cannot be a percentage of itself).
[[nodiscard]] Parsed<ForceSpec> parse_force_spec(std::string_view text,
                                                 std::span<const ForceUnit> accepted);
// Accepts only absolute units: N, lbf, kgf.
[[nodiscard]] Parsed<Force> parse_force(std::string_view text);
// Accepts s and min.
[[nodiscard]] Parsed<Duration> parse_duration(std::string_view text);
// Accepts Hz.
[[nodiscard]] Parsed<Frequency> parse_frequency(std::string_view text);

// Patient weight as typed on a command line or console: "80kg", "80 kg", "176lb", "176 lb".
// Only kg and lb; refused outside kMinBodyMass..kMaxBodyMass (a typo such as 800kg or 8kg
// must not silently scale a %bw force).
inline constexpr Mass kMinBodyMass = kilograms(20.0);
inline constexpr Mass kMaxBodyMass = kilograms(300.0);
[[nodiscard]] Parsed<Mass> parse_body_mass(std::string_view text);

// --- Formatting for people -------------------------------------------------------------------

// Plain numbers: text::format_number (text/number_text.hpp).
// "400.3 N", "90 lbf", "40.8 kgf". Percent units are not forces and format as newtons.
[[nodiscard]] std::string format_force(Force force, ForceUnit unit = ForceUnit::Newton,
                                       int max_decimals = 1);
// "400.3 N = 90 lbf": both units US and SI users read.
[[nodiscard]] std::string format_force_n_lbf(Force force);
// "5 s", "2 min", "1 min 30 s", "0.5 s".
[[nodiscard]] std::string format_duration(Duration duration);
[[nodiscard]] std::string format_frequency(Frequency frequency); // "0.5 Hz"
[[nodiscard]] std::string format_mass(Mass mass);                // "80 kg"
[[nodiscard]] std::string format_rate(ForceRate rate);           // "50 N/s"

// Exactly as parsed, so text -> spec -> text round-trips: "90 lbf", "45 %bw".
[[nodiscard]] std::string to_string(const ForceSpec &spec);
// Duration as profile text that parses back to the same value: "20 min" or "90 s".
[[nodiscard]] std::string to_profile_text(Duration duration);
[[nodiscard]] std::string to_profile_text(Frequency frequency);

// Text quoted for a message: "\"60 sec\"", control characters escaped, long text cut short,
// so one problem always stays one line.
[[nodiscard]] std::string in_quotes(std::string_view text);

} // namespace tractus::profiles
