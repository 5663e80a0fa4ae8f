#include "profiles/compile.hpp"

#include "profiles/force_checks.hpp"
#include "profiles/profile_checks.hpp"
#include "profiles/session_plan.hpp"

#include <exception>

namespace tractus::profiles {

Result<Trajectory> compile(const Profile &profile, const Patient &patient, const Limits &limits) {
  if (auto problems = limit_problems(limits); !problems.empty()) return {std::nullopt, problems};
  const Mass mass = patient.body_mass;
  if (!(mass >= kMinBodyMass && mass <= kMaxBodyMass))
    return {std::nullopt,
            {Problem{"patient", "/body_mass",
                     format_mass(mass) + " is outside the accepted range (" +
                         format_mass(kMinBodyMass) + " to " + format_mass(kMaxBodyMass) + ")"}}};
  ProblemList problems(profile.source);
  check_profile(draft_of(profile), limits, mass, problems);
  if (!problems.empty()) return {std::nullopt, problems.sorted()};

  // The checks passed, so every force resolves and fits.
  ResolvedForces forces;
  forces.body_mass = mass;
  forces.body_weight = weight_of(mass);
  forces.max = *resolve(profile.max_force, mass, std::nullopt);
  if (profile.mode != Mode::Static) forces.rest = resolve(*profile.rest_force, mass, forces.max);
  if (profile.oscillation)
    forces.oscillation_amplitude = resolve(profile.oscillation->amplitude, mass, forces.max);
  forces.ceiling =
      min(hard_cap(limits, profile.region),
          forces.body_weight * (clinical_cap_percent_bw(limits, profile.region) / 100.0));

  const SessionLevels levels{limits.min_cord_tension, forces.max, forces.rest.value_or(forces.max),
                             forces.oscillation_amplitude.value_or(Force(0.0)),
                             profile.oscillation ? profile.oscillation->frequency : Frequency(0.0)};
  SessionPlan plan = plan_session(timing_of(profile), levels);
  try {
    return {Trajectory(std::move(plan.segments), std::move(plan.cycles), forces), {}};
  } catch (const std::exception &error) { // a bug in the layout, never a user's mistake
    return {std::nullopt,
            {Problem{profile.source, "/", std::string("internal error: ") + error.what()}}};
  }
}

} // namespace tractus::profiles
