// A traction protocol as stored in a `tractus.profile/1` file (DESIGN §3, docs/profiles.md).
//
// The struct mirrors the file: optional members are the fields a file may leave out or that a
// mode does not use. A Profile is only trusted after validate() (parse_profile() validates);
// compile() validates again, so a Profile built in code cannot skip the checks.
#pragma once

#include "profiles/limits.hpp"
#include "profiles/quantity_text.hpp"
#include "units/units.hpp"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::profiles {

// A protocol's id: 1 to 64 characters from a-z, 0-9 and '-'. Never a path, so a request that
// names a stock protocol by id cannot make the console read any other file.
inline bool is_profile_id(std::string_view id) noexcept {
  return !id.empty() && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

inline constexpr std::string_view kProfileFormat = "tractus.profile/1";

enum class Mode : std::uint8_t {
  Static,       // ramp to max, hold for the session
  Intermittent, // hold at max, rest at rest force, ramps between
  Cyclic,       // continuous smooth up and down between rest and max, no hold
};

// How the force moves on each treatment ramp of a static or intermittent session (a cyclic
// session's ramps are always the S-curve: it never stops moving). The final release is linear.
enum class RampShape : std::uint8_t {
  Linear,      // a constant rate: today's ramps, and the default
  Logarithmic, // fast at first, slowing as it nears the level: log10(1 + 9x) of the way at
               // x of the ramp (VAX-D's "logarithmic" ramp), 3.9 times the linear rate at first
  SCurve,      // slow, faster, slow: a raised cosine, no jolt at either end, pi/2 the rate
};

// A small sinusoid superimposed on every hold (never on ramps or rests).
struct Oscillation {
  ForceSpec amplitude; // N, lbf, kgf or %max; peak-to-centre
  Frequency frequency;
  friend bool operator==(const Oscillation &, const Oscillation &) = default;
};

// Used when a profile leaves out "ramp": at 30 s even a change over the whole lumbar range
// (890 N) stays below the 50 N/s rate limit, also with the cyclic shape (pi/2 * 890/30 = 46.6).
inline constexpr Duration kDefaultRamp = seconds(30.0);

struct Profile {
  std::string source = "profile"; // label used in problem messages (the file as typed)
  std::string id;                 // [a-z0-9-]{1,64}
  std::string name;               // 1 to 80 printable characters
  Region region = Region::Lumbar;
  Mode mode = Mode::Static;
  ForceSpec max_force;                      // N, lbf, kgf or %bw
  std::optional<ForceSpec> rest_force;      // intermittent and cyclic only (required there)
  std::optional<Duration> hold;             // intermittent only (required there)
  std::optional<Duration> rest;             // intermittent only (required there)
  std::optional<Duration> ramp;             // time of every change of level; kDefaultRamp if absent
  RampShape ramp_shape = RampShape::Linear; // static and intermittent only
  int progressive_steps = 0;                // intermittent and cyclic only
  int regressive_steps = 0;                 // intermittent and cyclic only
  Duration duration;                        // the whole session, release included
  std::optional<Oscillation> oscillation;   // static and intermittent only

  [[nodiscard]] Duration ramp_or_default() const { return ramp.value_or(kDefaultRamp); }
  friend bool operator==(const Profile &, const Profile &) = default;
};

[[nodiscard]] std::string_view to_string(Region region); // "lumbar", "cervical"
[[nodiscard]] std::string_view to_string(Mode mode);     // "static", "intermittent", "cyclic"
[[nodiscard]] std::optional<Region> region_from_string(std::string_view text);
[[nodiscard]] std::optional<Mode> mode_from_string(std::string_view text);
[[nodiscard]] std::string_view to_string(RampShape shape); // "linear", "logarithmic", "s-curve"
[[nodiscard]] std::optional<RampShape> ramp_shape_from_string(std::string_view text);

// The profile as `tractus.profile/1` JSON text (2-space indent, fields in the documented
// order), e.g. for the journal's "profile as run". parse_profile() reads it back equal.
[[nodiscard]] std::string to_json_text(const Profile &profile);

} // namespace tractus::profiles
