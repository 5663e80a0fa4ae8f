// The clinic's protocols and limits as the console serves them (RecordsService, docs/records.md
// "Clinic protocols" and "Clinic limits"): kept in the records store, shared by every table.
#include "console/records_service.hpp"

#include "console/http_policy.hpp"
#include "console/private_file.hpp"
#include "controller/fault_codes.hpp"
#include "profiles/library.hpp"
#include "profiles/limits_json.hpp"
#include "profiles/profile_parser.hpp"
#include "records/clinic_limits.hpp"
#include "records/clinic_protocols.hpp"

#include <spdlog/spdlog.h>

#include <fstream>
#include <set>
#include <sstream>

namespace tractus::console {
namespace {

using nlohmann::json;

constexpr const char *kLimitsCopyFormat = "tractus.clinic-limits/1";

std::set<std::string> stock_ids(const std::filesystem::path &library_dir) {
  std::set<std::string> ids;
  for (const auto &e : profiles::load_library(library_dir).entries)
    ids.insert(e.profile.id);
  return ids;
}

// A version from ?version=: 0 for the newest (none given), -1 when it is no version number.
int version_of(const std::string &text) {
  if (text.empty()) return 0;
  if (text.size() > 6 || text.find_first_not_of("0123456789") != std::string::npos) return -1;
  const int v = std::stoi(text);
  return v >= 1 ? v : -1;
}

std::optional<int> wanted(int version) {
  return version == 0 ? std::nullopt : std::optional<int>(version);
}

json all_shown(const profiles::Limits &limits) {
  json out = json::object();
  for (const std::string &name : profiles::limit_member_names())
    out[name] = profiles::shown_limit(name, limits);
  return out;
}

// The members of the copy of the clinic's limits kept beside the PINs; nullopt when there is
// none, or none that reads as limits a clinic may set (a damaged copy is never half-used).
std::optional<json> read_limits_copy(const std::filesystem::path &file) {
  std::ifstream in(file);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  json doc = json::parse(text.str(), nullptr, false);
  if (!doc.is_object() || !doc.contains("format") || doc["format"] != kLimitsCopyFormat ||
      !doc.contains("members") ||
      !profiles::read_limits_json(doc["members"], "/limits").problems.empty())
    return std::nullopt;
  return doc["members"];
}

} // namespace

void RecordsService::remember_clinic_limits(const json &members) {
  // Kept at the first read and at each change (the members compared exactly, not as shown), so
  // the copy never lags the store; a copy not written is tried again at the next read.
  if (clinic_members_ && *clinic_members_ == members && limits_copy_current_) return;
  clinic_members_ = members;
  clinic_limits_ = profiles::read_limits_json(members, "/limits").limits;
  limits_copy_current_ = false;
  if (options_.limits_copy.empty()) return;
  try {
    write_private_file(options_.limits_copy,
                       json{{"format", kLimitsCopyFormat}, {"members", members}}.dump(2) + "\n");
    limits_copy_current_ = true;
  } catch (const PrivateFileError &e) {
    spdlog::warn("records: the copy of the clinic's limits was not kept: {}", e.what());
  }
}

LimitsInForce RecordsService::limits_in_force() {
  if (!enabled()) return {options_.limits, {}};
  std::string why;
  try {
    const auto in_store = records::clinic_limits(store());
    remember_clinic_limits(in_store ? in_store->members : json::object());
  } catch (const records::StoreError &e) {
    why = e.what();
    if (!clinic_members_ && !options_.limits_copy.empty()) {
      // A table started while the store cannot be read: the limits it last read.
      if (const auto members = read_limits_copy(options_.limits_copy)) {
        clinic_members_ = *members;
        clinic_limits_ = profiles::read_limits_json(*members, "/limits").limits;
        limits_copy_current_ = true;
      }
    }
    spdlog::warn("records: the clinic's limits cannot be read ({}); {}", why,
                 clinic_members_ ? "applying the ones last read"
                                 : "none read before: protocols cannot be checked");
    if (e.failure() != records::StoreFailure::Invalid) store_.reset();
  }
  // Never read and no copy: the clinic may have lowered a limit this table cannot know, and
  // nothing is checked against a guess (fault 120).
  if (!clinic_members_)
    return {options_.limits, "the clinic's limits have never been read from the records store "
                             "on this table, and it cannot be read now (" +
                                 why + ")"};
  return {profiles::stricter(options_.limits, clinic_limits_), {}};
}

ApiResult RecordsService::limits_unknown(const std::string &why) const {
  ApiResult r = api_error(503, "records-unavailable", why);
  r.body["error"]["fault_code"] = controller::number(controller::FaultCode::RecordsUnavailable);
  return r;
}

ClinicProtocolFound RecordsService::find_clinic_protocol(const std::string &id) {
  ClinicProtocolFound found;
  if (!enabled()) return found;
  try {
    const auto stored = records::find_clinic_protocol(store(), id);
    if (!stored) return found;
    auto parsed = records::profile_of(*stored, profiles::kDefaultLimits);
    if (parsed.ok())
      found.profile = std::move(parsed.value);
    else
      found.problems = profiles::to_strings(parsed.problems);
  } catch (const records::StoreError &e) {
    store_.reset();
    found.unavailable = e.what();
  }
  return found;
}

std::vector<ListedClinicProtocol>
RecordsService::listed_clinic_protocols(std::string &unavailable) {
  std::vector<ListedClinicProtocol> out;
  if (!enabled()) return out;
  try {
    for (const auto &p : records::clinic_protocols(store())) {
      auto parsed = records::profile_of(p, profiles::kDefaultLimits);
      if (!parsed.ok()) {
        spdlog::warn("records: {} does not read: {}",
                     records::clinic_protocol_label(p.id, p.version),
                     profiles::to_string(parsed.problems.front()));
        continue;
      }
      out.push_back({std::move(*parsed.value), p.version, p.created_utc, p.created_by});
    }
  } catch (const records::StoreError &e) {
    store_.reset();
    unavailable = e.what();
  }
  return out;
}

ApiResult RecordsService::protocols() {
  std::string unavailable;
  const auto listed = listed_clinic_protocols(unavailable);
  if (!unavailable.empty())
    return refused(records::StoreError(records::StoreFailure::Unreachable, unavailable));
  const LimitsInForce limits = limits_in_force();
  if (!limits.unknown.empty()) return limits_unknown(limits.unknown);
  ApiResult all = profile_list({}, limits.limits, listed);
  json list = json::array();
  for (auto &item : all.body["profiles"])
    if (item.value("source", "") == "clinic") list.push_back(std::move(item));
  return api_ok({{"protocols", std::move(list)}});
}

ApiResult RecordsService::protocol(const std::string &id, const std::string &version_text) {
  const int version = version_of(version_text);
  if (version < 0)
    return api_error(422, "invalid", "the version is not valid", {"?version: a number from 1"});
  try {
    auto &s = store();
    const auto found = records::find_clinic_protocol(s, id, wanted(version));
    if (!found)
      return api_error(404, "not-found",
                       "no clinic protocol " + id +
                           (version > 0 ? " version " + std::to_string(version) : std::string()));
    // Saved by tractus as JSON: one that no longer is was changed in the database by hand.
    const json document = json::parse(found->profile_json, nullptr, false);
    if (document.is_discarded())
      return api_error(500, "internal",
                       records::clinic_protocol_label(found->id, found->version) +
                           " in the records store is not JSON (changed outside tractus?)");
    json versions = json::array();
    for (const auto &v : records::protocol_versions(s, id))
      versions.push_back(
          {{"version", v.version}, {"created_utc", v.created_utc}, {"created_by", v.created_by}});
    return api_ok({{"id", found->id},
                   {"version", found->version},
                   {"created_utc", found->created_utc},
                   {"created_by", found->created_by},
                   {"profile", document},
                   {"versions", std::move(versions)}});
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::export_protocol(const std::string &id, const std::string &version_text) {
  const int version = version_of(version_text);
  if (version < 0)
    return api_error(422, "invalid", "the version is not valid", {"?version: a number from 1"});
  try {
    const auto found = records::find_clinic_protocol(store(), id, wanted(version));
    if (!found) return api_error(404, "not-found", "no clinic protocol " + id);
    ApiResult r;
    // A tractus.profile/1 file: `tractus profile validate` and an import on another clinic's
    // table read it as written.
    r.download =
        Download{"application/json", found->id + "-v" + std::to_string(found->version) + ".json",
                 found->profile_json};
    return r;
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::save_protocol(const json &body, const std::string &who) {
  // The shape passed protocol_request_problems; the profile is the parser's to judge.
  const std::string author = body["author"].get<std::string>();
  const std::string by = author + " (" + who + ", " + options_.table_name + ")";
  try {
    const LimitsInForce limits = limits_in_force();
    if (!limits.unknown.empty()) return limits_unknown(limits.unknown);
    auto saved = records::save_clinic_protocol(store(), body["profile"].dump(2), by, limits.limits,
                                               stock_ids(options_.library_dir));
    if (!saved.problems.empty())
      return api_error(422, "invalid", "the protocol was not saved: " + saved.problems.front(),
                       saved.problems);
    const auto &p = *saved.saved;
    if (!saved.unchanged)
      spdlog::info("records: {} saved by {}", records::clinic_protocol_label(p.id, p.version), by);
    return api_ok({{"id", p.id},
                   {"version", p.version},
                   {"created_utc", p.created_utc},
                   {"created_by", p.created_by},
                   {"unchanged", saved.unchanged}},
                  saved.unchanged ? 200 : 201);
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::preview_protocol(const json &body) {
  const auto parsed = profiles::parse_profile(body["profile"].dump(), "protocol");
  if (!parsed.ok()) {
    std::vector<std::string> problems;
    for (const auto &p : parsed.problems)
      problems.push_back("/profile" + (p.pointer == "/" ? std::string() : p.pointer) + ": " +
                         p.message);
    return api_error(422, "invalid", "the protocol does not read: " + problems.front(), problems);
  }
  const LimitsInForce limits = limits_in_force();
  if (!limits.unknown.empty()) return limits_unknown(limits.unknown);
  return preview_of(*parsed.value, body["weight"].get<std::string>(), limits.limits);
}

ApiResult RecordsService::limits() {
  try {
    const auto in_store = records::clinic_limits(store());
    remember_clinic_limits(in_store ? in_store->members : json::object());
    json body = {{"limits", in_store ? in_store->members : json::object()},
                 {"effective", all_shown(limits_in_force().limits)},
                 {"machine", all_shown(profiles::kDefaultLimits)},
                 {"table", all_shown(options_.limits)}};
    if (in_store) {
      body["set_utc"] = in_store->set_utc;
      body["set_by"] = in_store->set_by;
    }
    return api_ok(std::move(body));
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::set_limits(const json &body, const std::string &who) {
  const std::string by =
      body["author"].get<std::string>() + " (" + who + ", " + options_.table_name + ")";
  try {
    const auto saved = records::set_clinic_limits(store(), body["limits"], by);
    if (!saved.problems.empty())
      return api_error(422, "invalid", "the limits were not set: " + saved.problems.front(),
                       saved.problems);
    spdlog::info("records: the clinic's limits set by {}: {}", by, body["limits"].dump());
    return limits();
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

} // namespace tractus::console
