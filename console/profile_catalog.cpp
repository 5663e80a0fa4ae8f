#include "console/profile_catalog.hpp"

#include "controller/journal.hpp"
#include "profiles/compile.hpp"
#include "profiles/library.hpp"
#include "profiles/profile_parser.hpp"
#include "profiles/quantity_text.hpp"

#include <algorithm>

namespace tractus::console {

namespace {
using controller::journal_number;

} // namespace

std::vector<std::string> clinic_refusal(const profiles::Profile &profile,
                                        const profiles::Limits &limits) {
  return profiles::to_strings(profiles::validate(profile, limits));
}

namespace {

nlohmann::json list_item(const profiles::Profile &p, const profiles::Limits &limits) {
  nlohmann::json item = {{"id", p.id},
                         {"name", p.name},
                         {"region", std::string(profiles::to_string(p.region))},
                         {"mode", std::string(profiles::to_string(p.mode))},
                         {"max_force", profiles::to_string(p.max_force)},
                         {"duration", profiles::format_duration(p.duration)},
                         {"duration_s", p.duration.si()},
                         {"ramp_shape", std::string(profiles::to_string(p.ramp_shape))}};
  const std::vector<std::string> refused = clinic_refusal(p, limits);
  item["allowed"] = refused.empty();
  if (!refused.empty()) {
    item["refused_by"] = kClinicLimits;
    item["refused"] = refused;
  }
  return item;
}

} // namespace

ApiResult profile_list(const std::filesystem::path &library_dir, const profiles::Limits &limits,
                       std::span<const ListedClinicProtocol> clinic,
                       const std::string &clinic_unavailable) {
  // Loaded under the defaults: a protocol only the clinic's limits refuse is still shown.
  const profiles::Library library = profiles::load_library(library_dir);
  nlohmann::json list = nlohmann::json::array();
  for (const auto &e : library.entries) {
    nlohmann::json item = list_item(e.profile, limits);
    item["source"] = "stock";
    list.push_back(std::move(item));
  }
  for (const ListedClinicProtocol &c : clinic) {
    nlohmann::json item = list_item(c.profile, limits);
    item["source"] = "clinic";
    item["version"] = c.version;
    item["created_utc"] = c.created_utc;
    item["created_by"] = c.created_by;
    list.push_back(std::move(item));
  }
  nlohmann::json body = {{"profiles", std::move(list)}};
  if (!library.problems.empty()) body["problems"] = profiles::to_strings(library.problems);
  if (!clinic_unavailable.empty()) body["clinic_unavailable"] = clinic_unavailable;
  return api_ok(std::move(body));
}

ApiResult profile_preview(const std::filesystem::path &library_dir, const std::string &id,
                          const std::string &weight, const profiles::Limits &limits,
                          const FindClinicProtocol &clinic) {
  auto profile = profiles::is_profile_id(id) ? profiles::find_profile(id, library_dir)
                                             : profiles::Result<profiles::Profile>{};
  if (!profile.ok() && clinic && profiles::is_profile_id(id)) {
    ClinicProtocolFound in_store = clinic(id);
    if (!in_store.unavailable.empty())
      return api_error(503, "records-unavailable",
                       "profile \"" + id +
                           "\" is no stock protocol, and the clinic's protocols "
                           "cannot be read: " +
                           in_store.unavailable);
    if (!in_store.problems.empty())
      return api_error(422, "invalid", "clinic protocol " + id + " does not read",
                       in_store.problems);
    if (in_store.profile) profile.value = std::move(in_store.profile);
  }
  if (!profile.ok()) return api_error(404, "not-found", "profile \"" + id + "\": no such protocol");
  return preview_of(*profile.value, weight, limits);
}

ApiResult preview_of(const profiles::Profile &profile, const std::string &weight,
                     const profiles::Limits &limits) {
  const std::string &id = profile.id;
  const auto mass = profiles::parse_body_mass(weight);
  if (!mass)
    return api_error(422, "invalid", "weight \"" + weight + "\": " + mass.error,
                     {"weight: " + mass.error});
  if (const auto refused = clinic_refusal(profile, limits); !refused.empty())
    return api_error(422, "invalid",
                     "profile " + id + " is not allowed by " + std::string(kClinicLimits), refused);
  const profiles::Patient patient{"preview", *mass.value};
  const auto trajectory = profiles::compile(profile, patient, limits);
  if (!trajectory.ok()) {
    // The defaults would allow it: the clinic's lowered cap is what to name.
    const bool clinic = profiles::compile(profile, patient).ok();
    return api_error(422, "invalid",
                     "profile " + id +
                         (clinic ? " is over " + std::string(kClinicLimits) + " for a patient of "
                                 : " does not suit a patient of ") +
                         profiles::format_mass(*mass.value),
                     profiles::to_strings(trajectory.problems));
  }
  const profiles::Trajectory &tr = *trajectory.value;
  const double total = tr.total_duration().si();
  nlohmann::json points = nlohmann::json::array();
  for (std::size_t i = 0; i < kPreviewPoints; ++i) {
    // The last point is the end itself: the curve is seen back to 0 N.
    const double t = total * static_cast<double>(i) / static_cast<double>(kPreviewPoints - 1);
    points.push_back({journal_number(t, 2), journal_number(tr.at(Duration(t)).force.si(), 1)});
  }
  return api_ok({{"profile", {{"id", profile.id}, {"name", profile.name}}},
                 {"weight", profiles::format_mass(*mass.value)},
                 {"points", std::move(points)},
                 {"peak_N", journal_number(tr.peak_force().si(), 2)},
                 {"duration_s", journal_number(total, 3)},
                 {"cycles", tr.cycle_count()}});
}

} // namespace tractus::console
