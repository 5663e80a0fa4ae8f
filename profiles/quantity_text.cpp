#include "profiles/quantity_text.hpp"
#include "text/number_text.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <system_error>
#include <variant>

namespace tractus::profiles {
namespace {

struct NumberAndUnit {
  double number = 0.0;
  std::string_view unit;
};

bool is_digit(char c) { return c >= '0' && c <= '9'; }

// Splits "90 lbf" into 90 and "lbf", or says what is wrong with the text. The unit is not
// checked here; each caller knows which units it accepts.
std::variant<NumberAndUnit, std::string> split_quantity(std::string_view text) {
  if (text.empty()) return std::string("\"\" is empty");
  if (text.front() == '-' && text.size() > 1 && is_digit(text[1]))
    return in_quotes(text) + " is negative";
  const auto number_end =
      std::find_if_not(text.begin(), text.end(), [](char c) { return is_digit(c) || c == '.'; });
  const std::string_view number_text(text.data(),
                                     static_cast<std::size_t>(number_end - text.begin()));
  if (number_text.empty()) return in_quotes(text) + " does not start with a number";
  // digits, optionally followed by "." and digits: no ".5", "1." or "1.2.3".
  const std::size_t dot = number_text.find('.');
  const bool well_formed =
      is_digit(number_text.front()) &&
      (dot == std::string_view::npos ||
       (dot + 1 < number_text.size() && number_text.find('.', dot + 1) == std::string_view::npos));
  if (!well_formed) return in_quotes(text) + " is not a well-formed number";
  double number = 0.0;
  const auto [end, error] =
      std::from_chars(number_text.data(), number_text.data() + number_text.size(), number,
                      std::chars_format::fixed);
  if (error != std::errc() || end != number_text.data() + number_text.size() ||
      !std::isfinite(number))
    return in_quotes(text) + " is too large";
  std::string_view unit = text.substr(number_text.size());
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1); // one optional space
  if (unit.empty()) return in_quotes(text) + " has no unit";
  return NumberAndUnit{number, unit};
}

std::string unit_not_accepted(std::string_view text, std::string_view unit) {
  return in_quotes(text) + ": unit " + in_quotes(unit) + " is not accepted";
}

template <class T, std::size_t N> struct UnitTable {
  std::array<std::pair<std::string_view, T>, N> entries;
  [[nodiscard]] const T *find(std::string_view symbol) const {
    for (const auto &[name, value] : entries)
      if (name == symbol) return &value;
    return nullptr;
  }
};

using Scale = double; // SI value of one unit

constexpr UnitTable<ForceUnit, 5> kForceUnits{{{
    {"N", ForceUnit::Newton},
    {"lbf", ForceUnit::PoundForce},
    {"kgf", ForceUnit::KilogramForce},
    {"%bw", ForceUnit::PercentBodyWeight},
    {"%max", ForceUnit::PercentMax},
}}};
constexpr UnitTable<Scale, 2> kDurationUnits{{{{"s", 1.0}, {"min", 60.0}}}};
constexpr UnitTable<Scale, 1> kFrequencyUnits{{{{"Hz", 1.0}}}};
constexpr UnitTable<Scale, 2> kMassUnits{{{{"kg", 1.0}, {"lb", kKgPerLb}}}};

constexpr std::array kAllForceUnits{ForceUnit::Newton, ForceUnit::PoundForce,
                                    ForceUnit::KilogramForce, ForceUnit::PercentBodyWeight,
                                    ForceUnit::PercentMax};
constexpr std::array kAbsoluteForceUnits{ForceUnit::Newton, ForceUnit::PoundForce,
                                         ForceUnit::KilogramForce};

// Parses a quantity whose units each scale to SI by a constant.
template <class Q, std::size_t N>
Parsed<Q> parse_scaled(std::string_view text, const UnitTable<Scale, N> &units) {
  auto split = split_quantity(text);
  if (auto *error = std::get_if<std::string>(&split)) return {std::nullopt, std::move(*error)};
  const auto [number, unit] = std::get<NumberAndUnit>(split);
  const Scale *scale = units.find(unit);
  if (scale == nullptr) return {std::nullopt, unit_not_accepted(text, unit)};
  return {Q(number * *scale), {}};
}

// Shortest fixed-point text that reads back as the same double (no exponent: the profile
// grammar has none).
std::string shortest(double value) {
  std::array<char, 400> buffer{};
  const auto result =
      std::to_chars(buffer.data(), buffer.data() + buffer.size(), value, std::chars_format::fixed);
  return std::string(buffer.data(), result.ptr);
}

} // namespace

bool ForceSpec::is_absolute() const {
  return unit == ForceUnit::Newton || unit == ForceUnit::PoundForce ||
         unit == ForceUnit::KilogramForce;
}

Force ForceSpec::absolute() const {
  switch (unit) {
  case ForceUnit::Newton: return newtons(number);
  case ForceUnit::PoundForce: return lbf(number);
  case ForceUnit::KilogramForce: return kgf(number);
  case ForceUnit::PercentBodyWeight:
  case ForceUnit::PercentMax: break;
  }
  return Force(0.0);
}

std::string_view unit_symbol(ForceUnit unit) {
  for (const auto &[name, value] : kForceUnits.entries)
    if (value == unit) return name;
  return "?";
}

Parsed<ForceSpec> parse_force_spec(std::string_view text) {
  return parse_force_spec(text, kAllForceUnits);
}

Parsed<ForceSpec> parse_force_spec(std::string_view text, std::span<const ForceUnit> accepted) {
  auto split = split_quantity(text);
  if (auto *error = std::get_if<std::string>(&split)) return {std::nullopt, std::move(*error)};
  const auto [number, symbol] = std::get<NumberAndUnit>(split);
  const ForceUnit *unit = kForceUnits.find(symbol);
  if (unit == nullptr || std::find(accepted.begin(), accepted.end(), *unit) == accepted.end())
    return {std::nullopt, unit_not_accepted(text, symbol)};
  return {ForceSpec{number, *unit}, {}};
}

Parsed<Force> parse_force(std::string_view text) {
  Parsed<ForceSpec> spec = parse_force_spec(text, kAbsoluteForceUnits);
  if (!spec.ok()) return {std::nullopt, std::move(spec.error)};
  return {spec.value->absolute(), {}};
}

Parsed<Duration> parse_duration(std::string_view text) {
  return parse_scaled<Duration>(text, kDurationUnits);
}

Parsed<Frequency> parse_frequency(std::string_view text) {
  return parse_scaled<Frequency>(text, kFrequencyUnits);
}

Parsed<Mass> parse_body_mass(std::string_view text) {
  const std::string allowed = " (kg or lb, e.g. 80kg or 176lb)";
  Parsed<Mass> mass = parse_scaled<Mass>(text, kMassUnits);
  if (!mass.ok()) return {std::nullopt, mass.error + allowed};
  if (*mass.value < kMinBodyMass || *mass.value > kMaxBodyMass)
    return {std::nullopt, in_quotes(text) + " is outside the accepted range (" +
                              format_mass(kMinBodyMass) + " to " + format_mass(kMaxBodyMass) +
                              ", " + text::format_number(in_lb(kMinBodyMass), 1) + " lb to " +
                              text::format_number(in_lb(kMaxBodyMass), 1) + " lb)"};
  return mass;
}

std::string format_force(Force force, ForceUnit unit, int max_decimals) {
  switch (unit) {
  case ForceUnit::PoundForce: return text::format_number(in_lbf(force), max_decimals) + " lbf";
  case ForceUnit::KilogramForce: return text::format_number(in_kgf(force), max_decimals) + " kgf";
  case ForceUnit::Newton:
  case ForceUnit::PercentBodyWeight:
  case ForceUnit::PercentMax: break;
  }
  return text::format_number(force.si(), max_decimals) + " N";
}

std::string format_force_n_lbf(Force force) {
  return format_force(force) + " = " + format_force(force, ForceUnit::PoundForce);
}

std::string format_duration(Duration duration) {
  const double total = duration.si();
  if (!(total >= 60.0) || !std::isfinite(total)) return text::format_number(total, 1) + " s";
  const double whole_minutes = std::floor(total / 60.0);
  const std::string seconds = text::format_number(total - whole_minutes * 60.0, 1);
  std::string minutes = text::format_number(whole_minutes, 0) + " min";
  if (seconds == "60") return text::format_number(whole_minutes + 1.0, 0) + " min";
  if (seconds != "0") minutes += " " + seconds + " s";
  return minutes;
}

std::string format_frequency(Frequency frequency) {
  return text::format_number(frequency.si(), 3) + " Hz";
}

std::string format_mass(Mass mass) { return text::format_number(mass.si(), 1) + " kg"; }

std::string format_rate(ForceRate rate) { return text::format_number(rate.si(), 1) + " N/s"; }

std::string to_string(const ForceSpec &spec) {
  return shortest(spec.number) + " " + std::string(unit_symbol(spec.unit));
}

std::string to_profile_text(Duration duration) {
  const double minutes = duration.si() / 60.0;
  if (minutes >= 1.0 && minutes == std::floor(minutes)) return shortest(minutes) + " min";
  return shortest(duration.si()) + " s";
}

std::string to_profile_text(Frequency frequency) { return shortest(frequency.si()) + " Hz"; }

std::string in_quotes(std::string_view text) {
  constexpr std::size_t kMaxShown = 40;
  bool cut = false;
  if (text.size() > kMaxShown) {
    std::size_t end = kMaxShown;
    // Never cut inside a UTF-8 sequence (continuation bytes are 10xxxxxx).
    while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0U) == 0x80U)
      --end;
    text = text.substr(0, end);
    cut = true;
  }
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte < 0x20U || byte == 0x7FU) {
      constexpr std::string_view kHex = "0123456789abcdef";
      out += "\\u00";
      out += kHex[byte >> 4U];
      out += kHex[byte & 0x0FU];
    } else {
      out += c;
    }
  }
  out += cut ? "...\"" : "\"";
  return out;
}

} // namespace tractus::profiles
