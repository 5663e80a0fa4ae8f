// compile(profile, patient) -> Trajectory (DESIGN §3): the profile's forces resolved for one
// patient and laid out in time, after every check, the patient-specific ones included (a %bw
// force over the hard cap for a heavy patient, an absolute force over the clinical cap for a
// light one, a ramp too steep for these forces).
#pragma once

#include "profiles/limits.hpp"
#include "profiles/problem.hpp"
#include "profiles/profile.hpp"
#include "profiles/trajectory.hpp"

#include <string>

namespace tractus::profiles {

struct Patient {
  std::string id; // pseudonymous, never a name (DESIGN §5)
  Mass body_mass;
};

// Problems name the profile's source file and the field to change, exactly as validation does;
// a body mass outside kMinBodyMass..kMaxBodyMass is reported as `patient: /body_mass: ...`.
[[nodiscard]] Result<Trajectory> compile(const Profile &profile, const Patient &patient,
                                         const Limits &limits = kDefaultLimits);

} // namespace tractus::profiles
