#include "console/api_routes.hpp"

#include "console/http_policy.hpp"
#include "console/table_service.hpp"

#include <algorithm>
#include <array>
#include <iostream>

namespace tractus::console {
namespace http = boost::beast::http;
namespace {

// --- handlers: each one line of translation between HTTP and the service -------------------

ApiResult info(TableService &s, Auth &, const ApiArgs &) { return api_ok(s.info()); }

ApiResult login(TableService &, Auth &auth, const ApiArgs &a) {
  if (!a.body.is_object())
    return api_error(422, "invalid", "the body must be {\"role\": …, \"pin\": \"…\"}");
  std::vector<std::string> problems;
  for (const auto &[key, value] : a.body.items())
    if (key != "role" && key != "pin")
      problems.push_back("/" + key + ": unknown key (allowed: role, pin)");
  const auto role_it = a.body.find("role");
  std::optional<Role> role;
  if (role_it != a.body.end() && role_it->is_string())
    role = parse_role(role_it->get<std::string>());
  if (!role) problems.emplace_back("/role: must be \"operator\" or \"technician\"");
  const auto pin_it = a.body.find("pin");
  // A string, not a number: a number would lose the PIN's leading zeros.
  if (pin_it == a.body.end() || !pin_it->is_string())
    problems.emplace_back("/pin: must be a string of 4 to 12 digits");
  if (!problems.empty())
    return api_error(422, "invalid", "the login request is not valid", problems);

  const LoginResult r = auth.login(*role, pin_it->get<std::string>());
  const std::string role_name = to_string(*role);
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
  return s.preview(a.params.at(0), query_parameter(a.query, "weight"));
}
ApiResult screening(TableService &s, Auth &, const ApiArgs &) {
  return api_ok(s.screening_checklist());
}
ApiResult load_session(TableService &s, Auth &, const ApiArgs &a) { return s.load_session(a.body); }
ApiResult unload_session(TableService &s, Auth &, const ApiArgs &) { return s.unload_session(); }

template <OperatorCommand C> ApiResult command(TableService &s, Auth &, const ApiArgs &) {
  return s.command(C);
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

const std::array<Route, 26> kRoutes{{
    {V::get, "/api/info", A::Public, T::Worker, kNoBody, info},
    {V::post, "/api/login", A::Public, T::LoginThread, kBody, login},
    {V::post, "/api/logout", A::Operator, T::IoThread, kNoBody, logout},
    {V::get, "/api/profiles", A::Operator, T::Worker, kNoBody, profiles},
    {V::get, "/api/profiles/{}/preview", A::Operator, T::Worker, kNoBody, preview},
    {V::get, "/api/screening", A::Operator, T::Worker, kNoBody, screening},
    {V::post, "/api/session", A::Operator, T::Worker, kBody, load_session},
    {V::delete_, "/api/session", A::Operator, T::Worker, kNoBody, unload_session},
    {V::post, "/api/session/start", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Start>},
    {V::post, "/api/session/pause", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Pause>},
    {V::post, "/api/session/resume", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Resume>},
    {V::post, "/api/session/acknowledge", A::Operator, T::IoThread, kNoBody,
     command<OperatorCommand::Acknowledge>},
    // No token: a console whose login expired must still be able to stop a pull.
    {V::post, "/api/session/stop", A::Public, T::IoThread, kNoBody, command<OperatorCommand::Stop>},
    {V::get, "/api/state", A::Operator, T::Worker, kNoBody, state},
    {V::get, "/api/sessions", A::Operator, T::Worker, kNoBody, sessions},
    {V::get, "/api/sessions/{}", A::Operator, T::Worker, kNoBody, session},
    {V::get, "/api/tech/diagnostics", A::Technician, T::Worker, kNoBody, diagnostics},
    {V::get, "/api/tech/faults", A::Technician, T::Worker, kNoBody, faults},
    {V::get, "/api/tech/calibration", A::Technician, T::Worker, kNoBody, calibration},
    {V::post, "/api/tech/calibration/begin", A::Technician, T::Worker, kBody, cal_begin},
    {V::post, "/api/tech/calibration/reading", A::Technician, T::Worker, kBody, cal_reading},
    {V::post, "/api/tech/calibration/finish", A::Technician, T::Worker, kNoBody, cal_finish},
    {V::post, "/api/tech/calibration/install", A::Technician, T::Worker, kNoBody, cal_install},
    {V::post, "/api/tech/calibration/cancel", A::Technician, T::Worker, kNoBody, cal_cancel},
    {V::post, "/api/tech/verification", A::Technician, T::Worker, kBody, verification},
    {V::get, kTelemetryPath, A::Operator, T::IoThread, kNoBody, telemetry_http},
}};

bool is_plain_name(std::string_view s) {
  if (s.empty() || s.front() == '.') return false;
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

ApiResult run_handler(const Route &route, TableService &service, Auth &auth, const ApiArgs &args) {
  try {
    return route.handler(service, auth, args);
  } catch (const std::exception &e) {
    std::cerr << "tractus serve: internal error answering " << route.pattern << ": " << e.what()
              << "\n";
    return api_error(500, "internal", std::string("internal error: ") + e.what());
  }
}

} // namespace tractus::console
