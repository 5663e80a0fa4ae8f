#include "console/api_routes.hpp"

#include "console/http_policy.hpp"
#include "console/records_fields.hpp"
#include "console/records_service.hpp"
#include "console/request_fields.hpp"
#include "console/table_service.hpp"

#include <algorithm>
#include <array>
#include <iostream>

#include <spdlog/spdlog.h>

namespace tractus::console {
namespace http = boost::beast::http;
namespace {

// --- handlers: each one line of translation between HTTP and the service -------------------

ApiResult info(TableService &s, Auth &, const ApiArgs &) { return api_ok(s.info()); }

// Every login and every refusal, for the technician who reads the log after a lockout.
void log_login(const std::string &role, const LoginResult &r, const std::string &peer) {
  using O = LoginResult::Outcome;
  switch (r.outcome) {
  case O::Ok: spdlog::info("{}: {} logged in", peer, role); return;
  case O::WrongPin:
    spdlog::warn("{}: wrong PIN for {} ({} more before a lockout)", peer, role, r.attempts_left);
    return;
  case O::Locked:
    spdlog::warn("{}: login as {} refused: locked for {} s more", peer, role,
                 r.retry_after.count());
    return;
  case O::BadFormat:
  case O::NoPin:
    spdlog::warn("{}: login as {} refused: {}", peer, role,
                 r.outcome == O::NoPin ? "no PIN is set" : "not a PIN's form");
    return;
  }
}

ApiResult login(TableService &, Auth &auth, const ApiArgs &a) {
  // The body passed login_request_problems (run_handler): role and PIN have their form.
  const Role role = parse_role(a.body["role"].get<std::string>()).value_or(Role::Operator);
  const LoginResult r = auth.login(role, a.body["pin"].get<std::string>());
  const std::string role_name = to_string(role);
  log_login(role_name, r, a.peer);
  switch (r.outcome) {
  case LoginResult::Outcome::Ok:
    return api_ok(
        {{"token", r.token}, {"role", role_name}, {"expires_in_s", r.expires_in.count()}});
  case LoginResult::Outcome::WrongPin: {
    ApiResult e = api_error(401, "wrong-pin",
                            "wrong PIN for " + role_name + ": " + std::to_string(r.attempts_left) +
                                " more wrong PINs lock this role for 5 minutes");
    e.body["error"]["attempts_left"] = r.attempts_left;
    return e;
  }
  case LoginResult::Outcome::Locked: {
    ApiResult e = api_error(429, "locked",
                            role_name + " is locked after 5 wrong PINs in a row: try again in " +
                                std::to_string(r.retry_after.count()) + " s");
    e.body["error"]["retry_after_s"] = r.retry_after.count();
    return e;
  }
  case LoginResult::Outcome::BadFormat:
    return api_error(422, "invalid", "the login request is not valid",
                     {"/pin: " + std::string(pin_problem(a.body["pin"].get<std::string>()))});
  case LoginResult::Outcome::NoPin: break;
  }
  return api_error(401, "wrong-pin",
                   "no PIN is set for " + role_name + ": run `tractus pin set " + role_name + "`");
}

ApiResult logout(TableService &, Auth &auth, const ApiArgs &a) {
  auth.logout(a.token);
  return api_ok({{"logged_out", true}});
}

ApiResult profiles(TableService &s, Auth &, const ApiArgs &) { return s.profiles(); }
ApiResult preview(TableService &s, Auth &, const ApiArgs &a) {
  const std::string weight = query_parameter(a.query, "weight");
  const std::string allowed = "1 to " + std::to_string(bounds::kMaxQueryValueChars) +
                              " printable ASCII characters: the body weight, e.g. 80kg or 176lb";
  if (weight.size() > bounds::kMaxQueryValueChars)
    return api_error(
        422, "invalid", "the preview's weight is not valid",
        {"?weight: " + std::to_string(weight.size()) + " characters, too long (" + allowed + ")"});
  // Printable ASCII: the answer quotes the weight, and must stay valid UTF-8 to be sent.
  if (!std::all_of(weight.begin(), weight.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
    return api_error(422, "invalid", "the preview's weight is not valid",
                     {"?weight: has a character that is not allowed (" + allowed + ")"});
  return s.preview(a.params.at(0), weight);
}
ApiResult screening(TableService &s, Auth &, const ApiArgs &) {
  return api_ok(s.screening_checklist());
}
ApiResult load_session(TableService &s, Auth &, const ApiArgs &a) { return s.load_session(a.body); }
ApiResult unload_session(TableService &s, Auth &, const ApiArgs &) { return s.unload_session(); }

template <OperatorCommand C> ApiResult command(TableService &s, Auth &, const ApiArgs &a) {
  const std::string session = query_parameter(a.query, "session");
  // Named but empty or undecodable ("?session=", "?session=%ZZ"): refused, never read as no
  // session named, which would skip the check.
  if (session.empty() && C != OperatorCommand::Stop &&
      ("&" + a.query).find("&session=") != std::string::npos)
    return api_error(400, "bad-request", "session: not a session id");
  return s.command(C, session);
}

ApiResult state(TableService &s, Auth &, const ApiArgs &) { return api_ok(s.state()); }
ApiResult sessions(TableService &s, Auth &, const ApiArgs &) { return s.sessions(); }
ApiResult session(TableService &s, Auth &, const ApiArgs &a) { return s.session(a.params.at(0)); }
ApiResult diagnostics(TableService &s, Auth &, const ApiArgs &) { return s.diagnostics(); }
ApiResult faults(TableService &s, Auth &, const ApiArgs &) { return s.fault_history(); }
ApiResult calibration(TableService &s, Auth &, const ApiArgs &) { return s.calibration_status(); }
ApiResult cal_begin(TableService &s, Auth &, const ApiArgs &a) {
  return s.calibration_begin(a.body);
}
ApiResult cal_reading(TableService &s, Auth &, const ApiArgs &a) {
  return s.calibration_reading(a.body);
}
ApiResult cal_finish(TableService &s, Auth &, const ApiArgs &) { return s.calibration_finish(); }
ApiResult cal_install(TableService &s, Auth &, const ApiArgs &) { return s.calibration_install(); }
ApiResult cal_cancel(TableService &s, Auth &, const ApiArgs &) { return s.calibration_cancel(); }
ApiResult verification(TableService &s, Auth &, const ApiArgs &a) { return s.verification(a.body); }

// --- the clinic's records (console/records_service.hpp) ------------------------------------

ApiResult records_status(TableService &s, Auth &, const ApiArgs &) { return s.records().status(); }
ApiResult patients(TableService &s, Auth &, const ApiArgs &a) {
  const std::string part = query_parameter(a.query, "search");
  if (part.size() > bounds::kMaxSearchChars ||
      !std::all_of(part.begin(), part.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
    return api_error(422, "invalid", "the search is not valid",
                     {"?search: at most " + std::to_string(bounds::kMaxSearchChars) +
                      " printable ASCII characters (part of a patient id)"});
  return s.records().search_patients(part);
}
ApiResult add_patient(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().add_patient(a.body);
}
ApiResult patient(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().patient(a.params.at(0));
}
ApiResult start_course(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().start_course(a.params.at(0), a.body);
}
ApiResult course(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().course(a.params.at(0));
}
ApiResult confirm_visit(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().confirm_visit(a.params.at(0), a.body);
}
ApiResult visit_pain(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().pain(a.params.at(0), a.body);
}
ApiResult visit_note(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().note(a.params.at(0), a.body);
}

// Clinic protocols and limits: saved by technicians (Access::Technician), read by all.
ApiResult clinic_protocols(TableService &s, Auth &, const ApiArgs &) {
  return s.records().protocols();
}
ApiResult clinic_protocol(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().protocol(a.params.at(0), query_parameter(a.query, "version"));
}
ApiResult export_protocol(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().export_protocol(a.params.at(0), query_parameter(a.query, "version"));
}
ApiResult save_protocol(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().save_protocol(a.body, "technician");
}
ApiResult preview_protocol(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().preview_protocol(a.body);
}
ApiResult clinic_limits(TableService &s, Auth &, const ApiArgs &) { return s.records().limits(); }
ApiResult set_clinic_limits(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().set_limits(a.body, "technician");
}

ApiResult session_report(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().session_report(a.params.at(0), query_parameter(a.query, "format"));
}
ApiResult course_report(TableService &s, Auth &, const ApiArgs &a) {
  return s.records().course_report(a.params.at(0), query_parameter(a.query, "format"));
}

// The WebSocket's path asked for without an upgrade.
ApiResult telemetry_http(TableService &, Auth &, const ApiArgs &) {
  return api_error(426, "websocket-only",
                   "/api/telemetry is a WebSocket: connect with ws://…/api/telemetry?token=…");
}

// --- the table ------------------------------------------------------------------------------

using V = http::verb;
using A = Access;
using T = RunsOn;
constexpr bool kBody = true, kNoBody = false;

const std::array<Route, 44> kRoutes{{
    {V::get, "/api/info", A::Public, T::Worker, kNoBody, info, nullptr},
    {V::post, "/api/login", A::Public, T::LoginThread, kBody, login, login_request_problems},
    {V::post, "/api/logout", A::Operator, T::IoThread, kNoBody, logout, nullptr},
    {V::get, "/api/profiles", A::Operator, T::Worker, kNoBody, profiles, nullptr},
    {V::get, "/api/profiles/{}/preview", A::Operator, T::Worker, kNoBody, preview, nullptr},
    {V::get, "/api/screening", A::Operator, T::Worker, kNoBody, screening, nullptr},
    {V::post, "/api/session", A::Operator, T::Worker, kBody, load_session, nullptr},
    {V::delete_, "/api/session", A::Operator, T::Worker, kNoBody, unload_session, nullptr},
    {V::post, "/api/session/start", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Start>, nullptr},
    {V::post, "/api/session/pause", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Pause>, nullptr},
    {V::post, "/api/session/resume", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Resume>, nullptr},
    {V::post, "/api/session/acknowledge", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Acknowledge>, nullptr},
    // No token: a console whose login expired must still be able to stop a pull.
    {V::post, "/api/session/stop", A::Public, T::IoThread, kNoBody, command<OperatorCommand::Stop>,
     nullptr},
    {V::get, "/api/state", A::Operator, T::Worker, kNoBody, state, nullptr},
    {V::get, "/api/sessions", A::Operator, T::Worker, kNoBody, sessions, nullptr},
    {V::get, "/api/sessions/{}", A::Operator, T::Worker, kNoBody, session, nullptr},
    {V::get, "/api/tech/diagnostics", A::Technician, T::Worker, kNoBody, diagnostics, nullptr},
    {V::get, "/api/tech/faults", A::Technician, T::Worker, kNoBody, faults, nullptr},
    {V::get, "/api/tech/calibration", A::Technician, T::Worker, kNoBody, calibration, nullptr},
    {V::post, "/api/tech/calibration/begin", A::Technician, T::Worker, kBody, cal_begin,
     calibration_begin_problems},
    {V::post, "/api/tech/calibration/reading", A::Technician, T::Worker, kBody, cal_reading,
     calibration_reading_problems},
    {V::post, "/api/tech/calibration/finish", A::Technician, T::Worker, kNoBody, cal_finish,
     nullptr},
    {V::post, "/api/tech/calibration/install", A::Technician, T::Worker, kNoBody, cal_install,
     nullptr},
    {V::post, "/api/tech/calibration/cancel", A::Technician, T::Worker, kNoBody, cal_cancel,
     nullptr},
    {V::post, "/api/tech/verification", A::Technician, T::Worker, kBody, verification,
     verification_problems},
    {V::get, "/api/records", A::Operator, T::Worker, kNoBody, records_status, nullptr},
    {V::get, "/api/records/patients", A::Operator, T::Worker, kNoBody, patients, nullptr},
    {V::post, "/api/records/patients", A::Operator, T::Worker, kBody, add_patient,
     patient_request_problems},
    {V::get, "/api/records/patients/{}", A::Operator, T::Worker, kNoBody, patient, nullptr},
    {V::post, "/api/records/patients/{}/courses", A::Operator, T::Worker, kBody, start_course,
     course_request_problems},
    {V::get, "/api/records/courses/{}", A::Operator, T::Worker, kNoBody, course, nullptr},
    {V::post, "/api/records/courses/{}/visits", A::Operator, T::Worker, kBody, confirm_visit,
     visit_request_problems},
    {V::post, "/api/records/visits/{}/pain", A::Operator, T::Worker, kBody, visit_pain,
     pain_request_problems},
    {V::post, "/api/records/visits/{}/note", A::Operator, T::Worker, kBody, visit_note,
     note_request_problems},
    {V::get, "/api/records/protocols", A::Operator, T::Worker, kNoBody, clinic_protocols, nullptr},
    {V::post, "/api/records/protocols", A::Technician, T::Worker, kBody, save_protocol,
     protocol_request_problems},
    {V::post, "/api/records/protocols/preview", A::Operator, T::Worker, kBody, preview_protocol,
     protocol_preview_problems},
    {V::get, "/api/records/protocols/{}", A::Operator, T::Worker, kNoBody, clinic_protocol,
     nullptr},
    {V::get, "/api/records/protocols/{}/export", A::Operator, T::Worker, kNoBody, export_protocol,
     nullptr},
    {V::get, "/api/records/limits", A::Operator, T::Worker, kNoBody, clinic_limits, nullptr},
    {V::put, "/api/records/limits", A::Technician, T::Worker, kBody, set_clinic_limits,
     limits_request_problems},
    {V::get, "/api/records/sessions/{}/report", A::Operator, T::Worker, kNoBody, session_report,
     nullptr},
    {V::get, "/api/records/courses/{}/report", A::Operator, T::Worker, kNoBody, course_report,
     nullptr},
    {V::get, kTelemetryPath, A::Operator, T::IoThread, kNoBody, telemetry_http, nullptr},
}};

bool is_plain_name(std::string_view s) {
  if (s.empty() || s.size() > bounds::kMaxPathParamChars || s.front() == '.') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '-' || c == '_';
  });
}

// Matches `path` against `pattern` segment by segment, collecting the {} segments.
bool match_pattern(std::string_view pattern, std::string_view path,
                   std::vector<std::string> &params) {
  params.clear();
  while (!pattern.empty() && !path.empty()) {
    const auto p_end = pattern.find('/', 1);
    const auto s_end = path.find('/', 1);
    const auto p_seg = pattern.substr(0, p_end);
    const auto s_seg = path.substr(0, s_end);
    if (p_seg == "/{}") {
      const auto decoded = percent_decode(s_seg.substr(1), false);
      if (!decoded || !is_plain_name(*decoded)) return false;
      params.push_back(*decoded);
    } else if (p_seg != s_seg) {
      return false;
    }
    pattern = p_end == std::string_view::npos ? std::string_view{} : pattern.substr(p_end);
    path = s_end == std::string_view::npos ? std::string_view{} : path.substr(s_end);
  }
  return pattern.empty() && path.empty();
}

} // namespace

RouteMatch match_route(http::verb method, std::string_view path) {
  RouteMatch match;
  std::vector<std::string> params;
  for (const Route &route : kRoutes) {
    if (!match_pattern(route.pattern, path, params)) continue;
    if (route.method == method) {
      match.route = &route;
      match.params = params;
      return match;
    }
    match.path_known = true;
    if (!match.allow.empty()) match.allow += ", ";
    match.allow += std::string(http::to_string(route.method));
  }
  return match;
}

std::optional<ApiResult> check_access(Auth &auth, Access access, const std::string &token) {
  if (access == Access::Public) return std::nullopt;
  const TokenCheck check = auth.authorize(token);
  switch (check.outcome) {
  case TokenCheck::Outcome::Ok: break;
  case TokenCheck::Outcome::Missing:
    return api_error(401, "login-required", "log in first: this needs an operator's token");
  case TokenCheck::Outcome::Unknown:
    return api_error(401, "login-required", "this token is not valid: log in again");
  case TokenCheck::Outcome::Expired:
    return api_error(401, "token-expired", "the login has expired: log in again");
  }
  if (access == Access::Technician && check.role != Role::Technician)
    return api_error(403, "technician-only", "this needs a technician's login");
  return std::nullopt;
}

std::span<const Route> all_routes() { return kRoutes; }

std::optional<ApiResult> check_request_body(const Route &route, const nlohmann::json &body) {
  if (!route.check_body) return std::nullopt;
  std::vector<std::string> problems = route.check_body(body);
  if (problems.empty()) return std::nullopt;
  const std::string first = problems.front();
  return api_error(422, "invalid", "the request is not valid: " + first, std::move(problems));
}

ApiResult run_handler(const Route &route, TableService &service, Auth &auth, const ApiArgs &args) {
  try {
    if (auto refused = check_request_body(route, args.body)) return *refused;
    return route.handler(service, auth, args);
  } catch (const std::exception &e) {
    std::cerr << "tractus serve: internal error answering " << route.pattern << ": " << e.what()
              << "\n";
    return api_error(500, "internal", std::string("internal error: ") + e.what());
  }
}

} // namespace tractus::console
