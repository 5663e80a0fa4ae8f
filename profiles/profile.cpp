#include "profiles/profile.hpp"

#include <nlohmann/json.hpp>

namespace tractus::profiles {

std::string_view to_string(Region region) {
  return region == Region::Lumbar ? "lumbar" : "cervical";
}

std::string_view to_string(Mode mode) {
  switch (mode) {
  case Mode::Static: return "static";
  case Mode::Intermittent: return "intermittent";
  case Mode::Cyclic: return "cyclic";
  }
  return "?";
}

std::optional<Region> region_from_string(std::string_view text) {
  for (const Region region : {Region::Lumbar, Region::Cervical})
    if (to_string(region) == text) return region;
  return std::nullopt;
}

std::optional<Mode> mode_from_string(std::string_view text) {
  for (const Mode mode : {Mode::Static, Mode::Intermittent, Mode::Cyclic})
    if (to_string(mode) == text) return mode;
  return std::nullopt;
}

std::string_view to_string(RampShape shape) {
  switch (shape) {
  case RampShape::Linear: return "linear";
  case RampShape::Logarithmic: return "logarithmic";
  case RampShape::SCurve: return "s-curve";
  }
  return "?";
}

std::optional<RampShape> ramp_shape_from_string(std::string_view text) {
  for (const RampShape shape : {RampShape::Linear, RampShape::Logarithmic, RampShape::SCurve})
    if (to_string(shape) == text) return shape;
  return std::nullopt;
}

std::string to_json_text(const Profile &profile) {
  nlohmann::ordered_json json;
  json["format"] = kProfileFormat;
  json["id"] = profile.id;
  json["name"] = profile.name;
  json["region"] = to_string(profile.region);
  json["mode"] = to_string(profile.mode);
  json["max_force"] = to_string(profile.max_force);
  if (profile.rest_force) json["rest_force"] = to_string(*profile.rest_force);
  if (profile.hold) json["hold"] = to_profile_text(*profile.hold);
  if (profile.rest) json["rest"] = to_profile_text(*profile.rest);
  if (profile.ramp) json["ramp"] = to_profile_text(*profile.ramp);
  // Linear is the default and left out, so the profiles written before ramp shapes read the same.
  if (profile.ramp_shape != RampShape::Linear) json["ramp_shape"] = to_string(profile.ramp_shape);
  if (profile.progressive_steps != 0) json["progressive_steps"] = profile.progressive_steps;
  if (profile.regressive_steps != 0) json["regressive_steps"] = profile.regressive_steps;
  json["duration"] = to_profile_text(profile.duration);
  if (profile.oscillation) {
    json["oscillation"]["amplitude"] = to_string(profile.oscillation->amplitude);
    json["oscillation"]["frequency"] = to_profile_text(profile.oscillation->frequency);
  }
  return json.dump(2) + "\n";
}

} // namespace tractus::profiles
