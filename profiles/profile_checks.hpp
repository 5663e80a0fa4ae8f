// Every check on a profile, in one place (internal to profiles/).
//
// The parser, validate() and compile() all end here, so a rule and its message exist once.
// A ProfileDraft is a profile whose fields may each be missing or unusable (a file with
// mistakes); every check runs when the fields it needs are usable, so one pass finds every
// problem. Without a body mass the checks are what validation can know; with one they are
// what compile() needs for that patient.
#pragma once

#include "profiles/limits.hpp"
#include "profiles/problem.hpp"
#include "profiles/profile.hpp"

#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::profiles {

struct ProfileDraft {
  std::optional<std::string> format;
  std::optional<std::string> id;
  std::optional<std::string> name;
  std::optional<Region> region;
  std::optional<Mode> mode;
  std::optional<ForceSpec> max_force;
  std::optional<ForceSpec> rest_force;
  std::optional<Duration> hold;
  std::optional<Duration> rest;
  std::optional<Duration> ramp;
  std::optional<RampShape> ramp_shape;
  std::optional<int> progressive_steps;
  std::optional<int> regressive_steps;
  std::optional<Duration> duration;
  std::optional<ForceSpec> amplitude;
  std::optional<Frequency> frequency;
  std::set<std::string> present; // pointers of the fields the source has, usable or not
};

[[nodiscard]] ProfileDraft draft_of(const Profile &profile);
// The profile, once check_profile() found nothing wrong.
[[nodiscard]] Profile profile_of(const ProfileDraft &draft, std::string source);

// Problems of one file, each reported once per pointer in the order found; sorted() lists them
// in the order of the fields in the format so a reader meets them top to bottom.
class ProblemList {
public:
  explicit ProblemList(std::string file) : file_(std::move(file)) {}
  void add(std::string pointer, std::string message);
  [[nodiscard]] bool has(std::string_view pointer) const;
  [[nodiscard]] bool empty() const { return problems_.empty(); }
  [[nodiscard]] std::vector<Problem> sorted() const;

private:
  std::string file_;
  std::vector<Problem> problems_;
};

// The profile's top-level keys, and the oscillation's, in the documented order.
[[nodiscard]] std::span<const std::string_view> profile_keys();
[[nodiscard]] std::span<const std::string_view> oscillation_keys();
// The units a force field accepts: max_force N/lbf/kgf/%bw, rest_force also %max, amplitude
// N/lbf/kgf/%max.
[[nodiscard]] std::span<const ForceUnit> accepted_units(std::string_view pointer);
// What a field's text must look like, for messages: `a duration such as "60 s" or "2 min"`.
[[nodiscard]] std::string field_syntax(std::string_view pointer);

void check_profile(const ProfileDraft &draft, const Limits &limits, std::optional<Mass> body_mass,
                   ProblemList &problems);

} // namespace tractus::profiles
