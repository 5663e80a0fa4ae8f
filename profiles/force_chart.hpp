// A small ASCII picture of a session's force over time, for `tractus profile show` and the
// docs: clinicians check a profile's shape at a glance before they run it.
#pragma once

#include "profiles/trajectory.hpp"

#include <string>

namespace tractus::profiles {

// `width` columns of time by `height` rows of force, with axes labelled in N and minutes.
// Each column shows the highest setpoint in its slice of time, so short holds stay visible.
// Lines end in '\n'. Empty for an empty trajectory.
[[nodiscard]] std::string render_force_chart(const Trajectory &trajectory, int width = 60,
                                             int height = 10);

} // namespace tractus::profiles
