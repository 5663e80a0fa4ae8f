#include "short_protocols.hpp"

#include "profiles/compile.hpp"

#include <algorithm>
#include <cmath>
#include <vector>

namespace tractus::campaign {

namespace {

// Ramps and the release of a short form change the force at no more than this (the limit for
// every protocol is 50 N/s).
constexpr double kShortRateNps = 45.0;
constexpr Duration kShortHoldRest = seconds(5.0); // profiles::Limits::min_hold_rest

std::optional<profiles::Trajectory> compiled(const profiles::Profile &p, Mass mass) {
  auto t = profiles::compile(p, profiles::Patient{"campaign", mass});
  if (!t.ok()) return std::nullopt;
  return std::move(*t.value);
}

} // namespace

profiles::Profile short_form(const profiles::Profile &stock) {
  profiles::Profile p = stock;
  p.progressive_steps = 0;
  p.regressive_steps = 0;
  if (p.mode == profiles::Mode::Intermittent) {
    p.hold = kShortHoldRest;
    p.rest = kShortHoldRest;
  }
  p.duration = minutes(1.0); // short_trajectory() lengthens it where the ramps need it
  return p;
}

std::optional<profiles::Trajectory> short_trajectory(const profiles::Profile &short_profile,
                                                     Mass body_mass, Duration treatment) {
  // The fastest whole-second ramp that compiles tells the forces (the limit is 50 N/s); then
  // the ramp for 45 N/s to the maximum, or the stock ramp if it is faster. The duration is the
  // shortest whole minute the layout fits in (it is cut below anyway).
  profiles::Profile p = short_profile;
  const auto with_ramp = [&p, body_mass](Duration ramp) -> std::optional<profiles::Trajectory> {
    p.ramp = ramp;
    for (double m = 1; m <= 4; m += 1) {
      p.duration = minutes(m);
      if (auto t = compiled(p, body_mass)) return t;
    }
    return std::nullopt;
  };
  const double stock_ramp = short_profile.ramp_or_default().si();
  double fastest = 2.0;
  std::optional<profiles::Trajectory> full;
  for (; fastest <= 120.0 && !full; fastest += 1.0)
    full = with_ramp(seconds(fastest));
  if (!full) return std::nullopt; // not for this patient at any ramp
  fastest -= 1.0;
  const double wanted =
      std::max(fastest, std::min(stock_ramp, std::ceil(full->forces().max.si() / kShortRateNps)));
  if (wanted > fastest) {
    if (auto t = with_ramp(seconds(wanted))) full = std::move(t);
  }
  const Duration ramp = full->segments().front().length;

  std::vector<profiles::Segment> kept;
  for (const profiles::Segment &s : full->segments()) {
    if (s.phase == profiles::Phase::Release || s.start >= treatment) break;
    const bool level = s.shape == profiles::Shape::Constant || s.shape == profiles::Shape::Sine;
    if (!level && s.end() > treatment && !kept.empty()) break; // a ramp past the end: release
    profiles::Segment c = s;
    if (s.end() > treatment && s.shape == profiles::Shape::Constant) {
      c.length = max(treatment - s.start, min(kShortHoldRest, s.length));
    } else if (s.end() > treatment && s.shape == profiles::Shape::Sine) {
      // Whole periods, so the oscillation ends where it began.
      const double f = s.frequency.si();
      const double periods = std::max(1.0, std::ceil((treatment - s.start).si() * f - 1e-9));
      c.length = min(s.length, seconds(periods / f));
    }
    kept.push_back(c);
    if (c.length < s.length) break;
  }
  const profiles::Segment &last = kept.back();
  const Force level = last.at(last.length).force;
  const Duration release = max(ramp, seconds(level.si() / kShortRateNps));
  kept.push_back(profiles::Segment{last.end(), release, level, Force(0.0), profiles::Shape::Linear,
                                   profiles::Phase::Release, 0, Force(0.0), Frequency(0.0)});
  std::vector<profiles::CycleLevels> cycles;
  for (const profiles::CycleLevels &c : full->cycles())
    if (std::any_of(kept.begin(), kept.end(),
                    [&c](const profiles::Segment &s) { return s.cycle == c.cycle; }))
      cycles.push_back(c);
  return profiles::Trajectory(std::move(kept), std::move(cycles), full->forces());
}

} // namespace tractus::campaign
