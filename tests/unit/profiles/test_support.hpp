// Helpers shared by the profiles tests: reading test data and building profiles in code.
#pragma once

#include "profiles/profiles.hpp"

#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace tractus {
// Quantities print as their SI value in test failures, not as bytes.
template <class Tag> void PrintTo(const Quantity<Tag> &quantity, std::ostream *out) {
  *out << quantity.si();
}
} // namespace tractus

namespace tractus::profiles::testing {

inline std::filesystem::path data_dir() {
  return std::filesystem::path(TRACTUS_TEST_DATA) / "profiles";
}

inline std::string read_text(const std::filesystem::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// The problems of a profile text, as the lines a user reads.
inline std::vector<std::string> problems_of(std::string_view json,
                                            std::string_view file = "t.json") {
  return to_strings(parse_profile(json, file).problems);
}

inline Profile parsed(std::string_view json) {
  Result<Profile> result = parse_profile(json, "t.json");
  if (!result) throw std::runtime_error(to_strings(result.problems).front());
  return *result.value;
}

inline Trajectory compiled(const Profile &profile, double kilograms_of_body_mass) {
  Result<Trajectory> result = compile(profile, Patient{"test", kilograms(kilograms_of_body_mass)});
  if (!result) throw std::runtime_error(to_strings(result.problems).front());
  return *result.value;
}

// The DESIGN §3 example, word for word.
inline constexpr std::string_view kDesignExample = R"({
  "format": "tractus.profile/1",
  "id": "lumbar-intermittent",
  "name": "Lumbar intermittent 60/30",
  "region": "lumbar",
  "mode": "intermittent",
  "max_force": "40 %bw",
  "rest_force": "50 %max",
  "hold": "60 s",
  "rest": "30 s",
  "ramp": "10 s",
  "progressive_steps": 3,
  "regressive_steps": 2,
  "duration": "20 min"
})";

} // namespace tractus::profiles::testing
