#include "profile_command.hpp" // same folder: also compiled into tests/unit/profiles

#include "profiles/profiles.hpp"
#include "text/number_text.hpp"

#include <algorithm>
#include <iomanip>
#include <iostream>
#include <ostream>

namespace tractus::cli {
namespace {

using namespace tractus::profiles;

constexpr int kOk = 0;
constexpr int kInternal = 1;
constexpr int kBadInput = 2;

void print_problems(const std::vector<Problem> &problems, std::ostream &err) {
  for (const Problem &problem : problems)
    err << to_string(problem) << "\n";
}

void field(std::ostream &out, std::string_view name, const std::string &value) {
  out << "  " << std::left << std::setw(19) << name << value << "\n";
}

// "90 lbf (400.3 N = 90 lbf)", "40 %bw", "50 %max (200.2 N = 45 lbf)" when max is absolute.
std::string force_field(const ForceSpec &spec, const ForceSpec &max_force) {
  std::string text = to_string(spec);
  if (spec.is_absolute()) return text + "  (" + format_force_n_lbf(spec.absolute()) + ")";
  if (spec.unit == ForceUnit::PercentMax && max_force.is_absolute())
    return text + "  (" + format_force_n_lbf(max_force.absolute() * (spec.number / 100.0)) + ")";
  return text;
}

void print_fields(const Profile &p, std::ostream &out) {
  out << p.id << ": " << p.name << "\n";
  field(out, "source", p.source);
  field(out, "region", std::string(to_string(p.region)));
  field(out, "mode", std::string(to_string(p.mode)));
  field(out, "max_force", force_field(p.max_force, p.max_force));
  if (p.rest_force) field(out, "rest_force", force_field(*p.rest_force, p.max_force));
  if (p.hold) field(out, "hold", format_duration(*p.hold));
  if (p.rest) field(out, "rest", format_duration(*p.rest));
  field(out, "ramp", format_duration(p.ramp_or_default()) + (p.ramp ? "" : " (default)"));
  // A cyclic session's ramps are always the S-curve: the field has no meaning there.
  if (p.mode != Mode::Cyclic) field(out, "ramp_shape", std::string(to_string(p.ramp_shape)));
  if (p.mode != Mode::Static) {
    field(out, "progressive_steps", std::to_string(p.progressive_steps));
    field(out, "regressive_steps", std::to_string(p.regressive_steps));
  }
  field(out, "duration", format_duration(p.duration));
  if (p.mode != Mode::Cyclic)
    field(out, "oscillation",
          p.oscillation ? force_field(p.oscillation->amplitude, p.max_force) + " at " +
                              format_frequency(p.oscillation->frequency)
                        : "none");
}

std::string cycles_summary(const Profile &p, const Trajectory &trajectory) {
  if (p.mode == Mode::Static) return "1 hold at max force";
  const int count = trajectory.cycle_count();
  const int at_max = count - p.progressive_steps - p.regressive_steps;
  return std::to_string(count) + ": " + std::to_string(p.progressive_steps) + " progressive, " +
         std::to_string(at_max) + " at max, " + std::to_string(p.regressive_steps) + " regressive";
}

// Consecutive cycles at the same levels share a line: "4-8".
void print_cycle_table(const Trajectory &trajectory, std::ostream &out) {
  out << "  " << std::left << std::setw(8) << "cycles" << std::setw(22) << "hold"
      << "rest\n";
  const auto cycles = trajectory.cycles();
  for (std::size_t first = 0; first < cycles.size();) {
    std::size_t last = first;
    while (last + 1 < cycles.size() && cycles[last + 1].hold == cycles[first].hold &&
           cycles[last + 1].rest == cycles[first].rest)
      ++last;
    std::string numbers = std::to_string(cycles[first].cycle);
    if (last > first) numbers += "-" + std::to_string(cycles[last].cycle);
    out << "  " << std::setw(8) << numbers << std::setw(22)
        << format_force_n_lbf(cycles[first].hold) << format_force_n_lbf(cycles[first].rest) << "\n";
    first = last + 1;
  }
}

void print_resolved(const Profile &p, const Trajectory &trajectory, std::ostream &out) {
  const ResolvedForces &forces = trajectory.forces();
  out << "\nFor a patient of " << format_mass(forces.body_mass) << " ("
      << text::format_number(in_lb(forces.body_mass), 1) << " lb), body weight "
      << format_force_n_lbf(forces.body_weight) << ":\n";
  field(out, "max force", format_force_n_lbf(forces.max));
  if (forces.rest) field(out, "rest force", format_force_n_lbf(*forces.rest));
  if (forces.oscillation_amplitude)
    field(out, "oscillation",
          format_force_n_lbf(*forces.oscillation_amplitude) + " at " +
              format_frequency(p.oscillation->frequency));
  field(out, "highest setpoint", format_force_n_lbf(trajectory.peak_force()));
  field(out, "limit",
        format_force_n_lbf(forces.ceiling) + " (the lower of the hard cap and the clinical cap)");
  field(out, "fastest change",
        format_rate(trajectory.peak_rate()) + " (at most " + format_rate(kDefaultLimits.max_rate) +
            ")");
  field(out, "cycles", cycles_summary(p, trajectory));
  const Duration release = trajectory.segments().back().length;
  field(out, "session",
        format_duration(trajectory.total_duration()) + ", ending with a " +
            format_duration(release) + " release to 0 N");
  out << "\n";
  if (p.mode != Mode::Static) {
    print_cycle_table(trajectory, out);
    out << "\n";
  }
  out << render_force_chart(trajectory);
}

} // namespace

int profile_list(std::ostream &out) { return profile_list(out, std::cerr); }

int profile_list(std::ostream &out, std::ostream &err) {
  const Library library = load_library();
  std::size_t id_width = 2;
  for (const LibraryEntry &entry : library.entries)
    id_width = std::max(id_width, entry.profile.id.size());
  for (const LibraryEntry &entry : library.entries) {
    const Profile &p = entry.profile;
    out << std::left << std::setw(static_cast<int>(id_width) + 2) << p.id << std::setw(10)
        << to_string(p.region) << std::setw(14) << to_string(p.mode) << p.name << "\n";
  }
  print_problems(library.problems, err);
  return library.problems.empty() ? kOk : kInternal;
}

int profile_show(std::string_view id_or_file, std::optional<Mass> weight, std::ostream &out,
                 std::ostream &err) {
  const Result<Profile> profile = find_profile(id_or_file);
  if (!profile) {
    print_problems(profile.problems, err);
    return kBadInput;
  }
  print_fields(*profile.value, out);
  if (!weight) return kOk;
  const Result<Trajectory> trajectory = compile(*profile.value, Patient{"", *weight});
  if (!trajectory) {
    err << "not usable for a patient of " << format_mass(*weight) << ":\n";
    print_problems(trajectory.problems, err);
    return kBadInput;
  }
  print_resolved(*profile.value, *trajectory.value, out);
  return kOk;
}

int profile_validate(const std::vector<std::string> &files, std::ostream &out, std::ostream &err) {
  if (files.empty()) {
    err << "tractus profile validate: no file given\n";
    return kBadInput;
  }
  bool all_valid = true;
  for (const std::string &file : files) {
    const Result<Profile> profile = load_profile(file);
    if (profile) {
      out << file << ": ok\n";
    } else {
      all_valid = false;
      print_problems(profile.problems, err);
    }
  }
  return all_valid ? kOk : kBadInput;
}

} // namespace tractus::cli
