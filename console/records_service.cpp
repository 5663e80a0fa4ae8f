#include "console/records_service.hpp"

#include "controller/fault_codes.hpp"
#include "profiles/library.hpp"
#include "profiles/quantity_text.hpp"
#include "records/courses.hpp"
#include "records/migrations.hpp"
#include "records/patients.hpp"
#include "records/sessions.hpp"

#include <spdlog/spdlog.h>

#include <map>
#include <sstream>

namespace tractus::console {
namespace {

using nlohmann::json;

json or_null(const std::optional<double> &v) { return v ? json(*v) : json(nullptr); }
json or_null(const std::optional<int> &v) { return v ? json(*v) : json(nullptr); }

json patient_json(const records::Patient &p) {
  return {{"id", p.clinic_id},
          {"body_mass_kg", p.body_mass_kg},
          {"note", p.note},
          {"created_utc", p.created_utc}};
}

json session_json(const records::SessionEntry &s) {
  return {{"id", s.session_id},
          {"started_utc", s.started_utc},
          {"table", s.table_name},
          {"profile", s.profile_id},
          {"outcome", s.outcome},
          {"fault_code", or_null(s.fault_code)},
          {"peak_force_n", or_null(s.peak_force_n)},
          {"hold_rms_error_percent", or_null(s.hold_rms_error_percent)},
          {"simulated", s.simulated}};
}

json proposal_json(const records::Proposal &p) {
  return {{"visit", p.visit}, {"force_n", p.force_n}, {"raised", p.raised}, {"why", p.why}};
}

// A course id from a path segment: digits only (a plain name may hold letters).
std::optional<long long> id_of(const std::string &text) {
  if (text.empty() || text.size() > 18 || text.find_first_not_of("0123456789") != std::string::npos)
    return std::nullopt;
  return std::stoll(text);
}

// A course plan's problems (records/courses.cpp names the plan's members, "course: /ceiling_n:
// …") named as the request's members ("/ceiling: …"), so the page puts each under its field.
std::string as_course_request(std::string text) {
  static constexpr std::pair<std::string_view, std::string_view> kMembers[] = {
      {"course: /start_force_n:", "/start_force:"}, {"course: /step_n:", "/step:"},
      {"course: /ceiling_n:", "/ceiling:"},         {"course: /visits_planned:", "/visits:"},
      {"course: /protocol_id:", "/protocol:"},      {"course: /region:", "/protocol:"}};
  for (const auto &[from, to] : kMembers)
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at))
      text.replace(at, from.size(), to);
  return text;
}

std::vector<std::string> lines_of(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);)
    out.push_back(line);
  return out;
}

} // namespace

RecordsService::RecordsService(RecordsOptions options) : options_(std::move(options)) {}
RecordsService::~RecordsService() = default;

records::RecordsStore &RecordsService::store() {
  if (!options_.address)
    throw records::StoreError(records::StoreFailure::Unreachable,
                              "this console keeps no records (tractus serve --records)");
  if (!store_) store_ = std::make_unique<records::RecordsStore>(*options_.address, TRACTUS_VERSION);
  return *store_;
}

ApiResult RecordsService::refused(const records::StoreError &e) {
  using F = records::StoreFailure;
  switch (e.failure()) {
  case F::Invalid: {
    auto problems = lines_of(e.what());
    return api_error(422, "invalid", problems.empty() ? "invalid" : problems.front(), problems);
  }
  case F::NotFound: return api_error(404, "not-found", e.what());
  case F::Conflict: return api_error(409, "conflict", e.what());
  case F::Unreachable:
  case F::Busy:
  case F::Incompatible: {
    // Open again at the next request: the server may be back by then.
    store_.reset();
    spdlog::warn("records store unavailable: {}", e.what());
    ApiResult r = api_error(503, "records-unavailable",
                            std::string("the records store cannot be used: ") + e.what());
    r.body["error"]["failure"] = records::failure_name(e.failure());
    return r;
  }
  case F::Failed: break;
  }
  return api_error(500, "internal", e.what());
}

ApiResult RecordsService::status() {
  json body = {{"enabled", enabled()}, {"table", options_.table_name}};
  if (!enabled()) return api_ok(body);
  body["store"] = options_.address->shown;
  try {
    body["schema_version"] = store().schema_version();
    body["reachable"] = true;
  } catch (const records::StoreError &e) {
    store_.reset();
    body["reachable"] = false;
    body["why"] = e.what();
  }
  return api_ok(body);
}

ApiResult RecordsService::search_patients(const std::string &part) {
  try {
    json found = json::array();
    for (const auto &p : records::search_patients(store(), part, 50))
      found.push_back(patient_json(p));
    return api_ok({{"patients", found}});
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::add_patient(const json &body) {
  // The shape passed patient_request_problems (the route's check).
  const auto mass = profiles::parse_body_mass(body["weight"].get<std::string>());
  if (!mass) return api_error(422, "invalid", "/weight: " + mass.error, {"/weight: " + mass.error});
  // Said against the request's member, so the page puts it under the field.
  if (const auto wrong = records::clinic_id_problem(body["id"].get<std::string>()); !wrong.empty())
    return api_error(422, "invalid", "/id: " + wrong, {"/id: " + wrong});
  try {
    records::Patient p{
        body["id"].get<std::string>(), mass.value->si(), body.value("note", ""), {}, "console"};
    records::add_patient(store(), p);
    return api_ok({{"patient", patient_json(*records::find_patient(store(), p.clinic_id))}}, 201);
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

json RecordsService::course_json(records::RecordsStore &s, long long course_id) {
  const auto course = records::find_course(s, course_id);
  if (!course)
    throw records::StoreError(records::StoreFailure::NotFound,
                              "no course " + std::to_string(course_id));
  std::map<std::string, records::SessionEntry> sessions;
  for (auto &e : records::sessions_of_patient(s, course->plan.patient_id))
    sessions.emplace(e.session_id, std::move(e));
  json visits = json::array();
  for (const auto &v : records::visits_of_course(s, course_id)) {
    json visit = {{"id", v.id},
                  {"number", v.number},
                  {"proposed_force_n", v.proposed_force_n},
                  {"confirmed_force_n", v.confirmed_force_n},
                  {"confirmed_utc", v.confirmed_utc},
                  {"session", v.session_id.empty() ? json(nullptr) : json(v.session_id)},
                  {"pain_before", or_null(v.pain_before)},
                  {"pain_after", or_null(v.pain_after)},
                  {"note", v.note}};
    if (const auto it = sessions.find(v.session_id); it != sessions.end())
      visit["result"] = session_json(it->second);
    visits.push_back(std::move(visit));
  }
  json next;
  try {
    next = proposal_json(records::propose_next_visit(s, course_id));
    // What the clinician may confirm instead, so the page bounds its input as the store will.
    if (const LimitsInForce limits = limits_in_force(); limits.unknown.empty()) {
      const auto bounds = records::visit_force_bounds(s, *course, limits.limits);
      next["above_n"] = bounds.above_n;
      next["at_most_n"] = bounds.at_most_n;
    }
  } catch (const records::StoreError &e) {
    if (e.failure() != records::StoreFailure::Conflict) throw;
    next = {{"none", e.what()}}; // closed, or every visit has run
  }
  const auto &p = course->plan;
  return {{"id", course->id},
          {"patient", p.patient_id},
          {"region", p.region},
          {"protocol", p.protocol_id},
          {"visits_planned", p.visits_planned},
          {"start_force_n", p.rule.start_force_n},
          {"step_n", p.rule.step_n},
          {"ceiling_n", p.rule.ceiling_n},
          {"created_utc", course->created_utc},
          {"closed_utc", course->closed_utc ? json(*course->closed_utc) : json(nullptr)},
          {"visits", visits},
          {"next", next}};
}

ApiResult RecordsService::patient(const std::string &id) {
  try {
    auto &s = store();
    const auto p = records::find_patient(s, id);
    if (!p) return api_error(404, "not-found", "no patient " + id + " in the records");
    json courses = json::array();
    for (const auto &c : records::courses_of_patient(s, id))
      courses.push_back(course_json(s, c.id));
    json sessions = json::array();
    for (const auto &e : records::sessions_of_patient(s, id))
      sessions.push_back(session_json(e));
    return api_ok({{"patient", patient_json(*p)}, {"courses", courses}, {"sessions", sessions}});
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::start_course(const std::string &patient_id, const json &body) {
  // The shape passed course_request_problems; the forces and the protocol are read here.
  std::vector<std::string> problems;
  const auto force = [&](const char *key) {
    const auto f = profiles::parse_force(body[key].get<std::string>());
    if (!f) problems.push_back(std::string("/") + key + ": " + f.error);
    return f ? f.value->si() : 0.0;
  };
  records::CoursePlan plan;
  plan.patient_id = patient_id;
  plan.protocol_id = body["protocol"].get<std::string>();
  plan.visits_planned = body["visits"].get<int>();
  plan.rule = {force("start_force"), force("step"), force("ceiling")};
  plan.created_by = "console";
  auto protocol = profiles::find_profile(plan.protocol_id, options_.library_dir);
  if (!protocol.ok()) {
    // A clinic protocol (records/clinic_protocols.hpp) may be a course's too.
    ClinicProtocolFound clinic = find_clinic_protocol(plan.protocol_id);
    if (!clinic.unavailable.empty())
      return refused(records::StoreError(records::StoreFailure::Unreachable, clinic.unavailable));
    if (clinic.profile) protocol.value = std::move(clinic.profile);
    for (const auto &p : clinic.problems)
      problems.push_back("/protocol: " + p);
  }
  if (!protocol.ok() && problems.empty())
    problems.push_back("/protocol: unknown protocol \"" + plan.protocol_id + "\"");
  else
    plan.region = std::string(profiles::to_string(protocol.value->region));
  if (!problems.empty())
    return api_error(422, "invalid", "the course was not started: " + problems.front(), problems);
  try {
    const LimitsInForce limits = limits_in_force();
    if (!limits.unknown.empty()) return limits_unknown(limits.unknown);
    const auto id = records::start_course(store(), plan, limits.limits);
    spdlog::info("records: course {} started for a patient ({}, {} visits)", id, plan.protocol_id,
                 plan.visits_planned);
    return api_ok({{"course", course_json(store(), id)}}, 201);
  } catch (const records::StoreError &e) {
    if (e.failure() == records::StoreFailure::Invalid)
      return refused(records::StoreError(e.failure(), as_course_request(e.what())));
    return refused(e);
  }
}

ApiResult RecordsService::course(const std::string &course_id) {
  const auto id = id_of(course_id);
  if (!id) return api_error(404, "not-found", "no course " + course_id);
  try {
    return api_ok({{"course", course_json(store(), *id)}});
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::confirm_visit(const std::string &course_id, const json &body) {
  const auto id = id_of(course_id);
  if (!id) return api_error(404, "not-found", "no course " + course_id);
  const auto force = profiles::parse_force(body["force"].get<std::string>());
  if (!force)
    return api_error(422, "invalid", "/force: " + force.error, {"/force: " + force.error});
  try {
    const LimitsInForce limits = limits_in_force();
    if (!limits.unknown.empty()) return limits_unknown(limits.unknown);
    const auto v =
        records::confirm_visit(store(), *id, force.value->si(), "clinician", limits.limits);
    return api_ok({{"visit",
                    {{"id", v.id},
                     {"course", v.course_id},
                     {"number", v.number},
                     {"proposed_force_n", v.proposed_force_n},
                     {"confirmed_force_n", v.confirmed_force_n}}}},
                  201);
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::pain(const std::string &visit_id, const json &body) {
  const auto id = id_of(visit_id);
  if (!id) return api_error(404, "not-found", "no visit " + visit_id);
  try {
    const auto when =
        body["when"] == "before" ? records::PainWhen::Before : records::PainWhen::After;
    records::record_pain(store(), *id, when, body["score"].get<int>());
    return api_ok({{"recorded", true}});
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

ApiResult RecordsService::note(const std::string &visit_id, const json &body) {
  const auto id = id_of(visit_id);
  if (!id) return api_error(404, "not-found", "no visit " + visit_id);
  try {
    records::set_visit_note(store(), *id, body["note"].get<std::string>());
    return api_ok({{"recorded", true}});
  } catch (const records::StoreError &e) {
    return refused(e);
  }
}

std::variant<VisitForSession, ApiResult> RecordsService::visit_for_session(long long visit_id) {
  try {
    auto &s = store();
    const auto visit = records::find_visit(s, visit_id);
    if (!visit) return api_error(404, "not-found", "no visit " + std::to_string(visit_id));
    if (!visit->session_id.empty())
      return api_error(409, "conflict",
                       "visit " + std::to_string(visit_id) + " already ran as session " +
                           visit->session_id + ": confirm the course's next visit");
    const auto course = records::find_course(s, visit->course_id);
    if (!course)
      return api_error(404, "not-found", "no course for visit " + std::to_string(visit_id));
    if (course->closed_utc)
      return api_error(409, "conflict",
                       "course " + std::to_string(course->id) + " was closed on " +
                           *course->closed_utc + ": its visits are not run any more");
    return VisitForSession{course->id,
                           visit->id,
                           visit->number,
                           course->plan.patient_id,
                           course->plan.protocol_id,
                           visit->proposed_force_n,
                           visit->confirmed_force_n,
                           course->plan.region};
  } catch (const records::StoreError &e) {
    ApiResult r = refused(e);
    if (r.status == 503) {
      r.body["error"]["message"] =
          "the session was not loaded: " + r.body["error"]["message"].get<std::string>();
      r.body["error"]["fault_code"] = controller::number(controller::FaultCode::RecordsUnavailable);
    }
    return r;
  }
}

std::optional<ApiResult> RecordsService::reserve_visit(long long visit_id,
                                                       const std::string &session_id) {
  try {
    records::attach_session(store(), visit_id, session_id);
    return std::nullopt;
  } catch (const records::StoreError &e) {
    ApiResult r = refused(e);
    if (r.status == 503)
      r.body["error"]["fault_code"] = controller::number(controller::FaultCode::RecordsUnavailable);
    r.body["error"]["message"] =
        "the session was not loaded: " + r.body["error"]["message"].get<std::string>();
    return r;
  }
}

void RecordsService::release_visit(long long visit_id, const std::string &session_id) noexcept {
  try {
    records::release_visit(store(), visit_id, session_id);
  } catch (const std::exception &e) {
    spdlog::warn("records: visit {} not freed after its session failed to load: {}", visit_id,
                 e.what());
  }
}

} // namespace tractus::console
