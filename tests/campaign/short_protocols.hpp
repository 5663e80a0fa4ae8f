// Short forms of the stock protocols, for the campaign over Modbus: there a session takes as
// long on the wall clock as on the table, so it must last 20–40 s, not minutes.
//
// A profile cannot be shorter than 1 min (profiles::Limits::min_duration), so the short form is
// a valid profile compiled at 1 min — holds and rests of 5 s (the shortest allowed), no
// progressive or regressive steps (the first cycle reaches the maximum), ramps no slower than
// 45 N/s for this patient (the stock ramp if it is faster) — and then cut after `treatment`:
// segments are kept while they end by then (the first ramp always; a hold or rest still
// running ends there, after 5 s at least, an oscillation after whole periods), and a release
// from the level reached to 0 N follows, at no more than 45 N/s. With 20 s of treatment a
// short form lasts 22–40 s. Forces, caps, shapes and oscillation are the stock ones for this
// patient.
#pragma once

#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"
#include "units/units.hpp"

#include <optional>

namespace tractus::campaign {

// The stock profile with 5 s holds and rests, no steps and a 1 min duration (ramps are chosen
// per patient by short_trajectory).
profiles::Profile short_form(const profiles::Profile &stock);

// The short form compiled for a patient of `body_mass` and cut after `treatment`; empty if the
// protocol does not compile for this patient.
std::optional<profiles::Trajectory> short_trajectory(const profiles::Profile &short_profile,
                                                     Mass body_mass, Duration treatment);

} // namespace tractus::campaign
