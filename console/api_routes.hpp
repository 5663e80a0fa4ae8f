// The console's JSON API as a table (docs/console.md, "API"): for each method and path, who
// may call it, on which thread it runs, and the TableService member that answers it. The HTTP
// session (http_session.cpp) does the checks in the order the table implies: route (404/405),
// body (415/400), token (401/403), then runs the handler where the route says.
#pragma once

#include "console/api_result.hpp"
#include "console/auth.hpp"

#include <boost/beast/http/verb.hpp>
#include <nlohmann/json.hpp>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::console {

class TableService;

enum class Access {
  Public,     // no token: the page, /api/info, login, and stop (it only makes the table safer)
  Operator,   // any live token (technician ⊇ operator)
  Technician, // a technician's token
};

enum class RunsOn {
  IoThread,    // never blocks: the service's lock-free command(), token bookkeeping
  Worker,      // may block (files, a stable load-cell reading): the one worker thread
  LoginThread, // Argon2id PIN checks
};

struct ApiArgs {
  std::vector<std::string> params; // the {…} segments of the path, percent-decoded
  std::string query;               // the raw query string
  nlohmann::json body;             // null when the request had no body
  std::string token;               // the bearer token, if any
  std::string peer;                // the client's address, for the service log
};

using ApiHandler = ApiResult (*)(TableService &, Auth &, const ApiArgs &);
// The problems of a request body's fields (console/request_fields.hpp); empty when it is valid.
using BodyCheck = std::vector<std::string> (*)(const nlohmann::json &body);

struct Route {
  boost::beast::http::verb method;
  std::string_view pattern; // "/api/profiles/{}/preview"
  Access access;
  RunsOn runs_on;
  bool needs_body;
  ApiHandler handler;
  BodyCheck check_body; // null for a route that takes no body
};

struct RouteMatch {
  const Route *route = nullptr; // null: no route for this method and path
  bool path_known = false;      // the path exists with other methods: 405
  std::string allow;            // those methods, for the Allow header: "GET, DELETE"
  std::vector<std::string> params;
};

inline constexpr std::string_view kTelemetryPath = "/api/telemetry";

// Looks up `path` (no query). A {…} segment must be a plain name (1 to 64 letters, digits, '.',
// '-', '_', not starting with '.'), so an id can never name a path outside the service's
// folders.
RouteMatch match_route(boost::beast::http::verb method, std::string_view path);

// The refusal for `access` with this token (401 login-required / token-expired, 403
// technician-only), or nullopt. Counts as use of the token.
std::optional<ApiResult> check_access(Auth &auth, Access access, const std::string &token);

// Every route, in the order of docs/console.md's API table (the fuzz target walks them).
std::span<const Route> all_routes();

// The route's field check on `body` (docs/console.md, "Request fields"): 422 invalid with a
// problem per field, "/json/pointer: what is wrong (what is allowed)", or nullopt. Costs what
// the body's size costs and nothing more, so it answers at once whatever a value asks for.
std::optional<ApiResult> check_request_body(const Route &route, const nlohmann::json &body);

// Checks the body (check_request_body), then runs the handler, turning an exception into
// 500 {"error":{"code":"internal",…}}.
ApiResult run_handler(const Route &route, TableService &service, Auth &auth, const ApiArgs &args);

} // namespace tractus::console
