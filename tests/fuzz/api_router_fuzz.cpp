// libFuzzer target: an HTTP request to the console's API is outside input (any program on the
// network can send one). The bytes are read as HTTP/1.1 by Beast's parser within the server's
// limits, then taken through the console's own checks in the order HttpSession takes them
// (docs/console.md, "Errors"): route (404/405), JSON body (415/400, duplicate keys 422), access
// (401/403), then each route's field bounds (422, console/request_fields.hpp), and for the
// routes that only read (profiles, previews, journals) the handler's own work on files. Whatever
// the bytes, nothing may crash, hang, trip a sanitizer, or answer anything but a well-formed
// API result: a status from 200 to 599, and an error body {"error":{"code","message"}}.
//
// No socket and no table: the routes that would drive the table stop at their field check,
// which is where a request's values are bounded. Tokens: the text {operator-token} or
// {technician-token} in the input is replaced by a live token of that role (the seed corpus
// uses them), so the fuzzer reaches past the access check.
#include "console/api_routes.hpp"
#include "console/auth.hpp"
#include "console/http_policy.hpp"
#include "console/journal_index.hpp"
#include "console/profile_catalog.hpp"
#include "console/request_fields.hpp"
#include "console/session_request.hpp"
#include "controller/journal.hpp"

#include <boost/beast/http/parser.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace {

using namespace tractus;
namespace http = boost::beast::http;

struct World {
  std::filesystem::path dir;
  std::unique_ptr<console::Auth> auth;
  std::unique_ptr<console::JournalIndex> journals;
  std::string operator_token;
  std::string technician_token;

  World() {
    dir =
        std::filesystem::temp_directory_path() / ("tractus-api-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir / "journals");
    console::set_pin(dir, console::Role::Operator, "2468");
    console::set_pin(dir, console::Role::Technician, "13579135");
    auth = std::make_unique<console::Auth>(dir);
    operator_token = auth->login(console::Role::Operator, "2468").token;
    technician_token = auth->login(console::Role::Technician, "13579135").token;
    // One finished journal and one a crash cut short, for /api/sessions/{id} and the faults.
    {
      controller::Journal done(dir / "journals", "20250101T080000Z-lumbar-static-aaaa", {});
      done.finish({{"outcome", "completed"}});
    }
    { controller::Journal cut(dir / "journals", "20250102T080000Z-lumbar-static-bbbb", {}); }
    journals = std::make_unique<console::JournalIndex>(dir / "journals");
  }
  ~World() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }
};

World &world() {
  static World w;
  return w;
}

void replace_all(std::string &text, const std::string &from, const std::string &to) {
  for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
}

void check_result(const console::ApiResult &r) {
  if (r.status < 200 || r.status > 599) std::abort();
  if (r.status >= 400) {
    const auto &e = r.body.at("error");
    if (!e.at("code").is_string() || !e.at("message").is_string()) std::abort();
  }
  (void)r.body.dump(); // the answer must serialise (no invalid UTF-8 from an echoed value)
}

// The handler's work for the routes that only read files; the others end at the field check.
void run_reader(const console::Route &route, const console::ApiArgs &args) {
  const std::string pattern(route.pattern);
  const std::filesystem::path library = TRACTUS_PROFILE_LIBRARY;
  if (pattern == "/api/profiles/{}/preview") {
    // The handler (api_routes.cpp, preview) refuses a weight over 32 characters or not
    // printable ASCII before profile_preview sees it (found here: "%C3%28kg" quoted back made
    // an answer that could not be serialised); the same rule here.
    const std::string weight = console::query_parameter(args.query, "weight");
    if (weight.size() > console::bounds::kMaxQueryValueChars ||
        !std::all_of(weight.begin(), weight.end(), [](char c) { return c >= 0x20 && c < 0x7F; }))
      return;
    check_result(console::profile_preview(library, args.params.at(0), weight));
  } else if (pattern == "/api/sessions/{}")
    check_result(world().journals->one(args.params.at(0)));
  else if (pattern == "/api/sessions")
    check_result(world().journals->list());
  else if (pattern == "/api/tech/faults")
    check_result(world().journals->faults());
  else if (pattern == "/api/session" && route.method == http::verb::post) {
    const auto check = console::check_session_request(args.body, library);
    if (!check.request && check.problems.empty() && check.screening_yes.empty()) std::abort();
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  World &w = world();
  std::string bytes(reinterpret_cast<const char *>(data), size);
  replace_all(bytes, "{operator-token}", w.operator_token);
  replace_all(bytes, "{technician-token}", w.technician_token);

  http::request_parser<http::string_body> parser;
  parser.header_limit(console::kHeaderLimit);
  parser.body_limit(console::kBodyLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  parser.put(boost::asio::buffer(bytes), ec);
  if (ec || !parser.is_done()) return 0; // the server answers these before any routing
  const console::HttpRequest request = parser.release();

  const std::string_view target(request.target().data(), request.target().size());
  const auto path = console::target_path(target);
  const console::RouteMatch match = console::match_route(request.method(), path);
  if (!match.route) {
    if (match.path_known && match.allow.empty()) std::abort();
    return 0;
  }
  const console::Route &route = *match.route;
  console::ApiArgs args{match.params, std::string(console::target_query(target)), nullptr,
                        console::bearer_token(request)};
  if (auto refused = console::parse_json_body(request, args.body)) {
    check_result(*refused);
    return 0;
  }
  if (route.needs_body && args.body.is_null()) return 0; // 400 bad-json, as HttpSession says
  if (auto refused = console::check_access(*w.auth, route.access, args.token)) {
    check_result(*refused);
    return 0;
  }
  if (auto refused = console::check_request_body(route, args.body)) {
    check_result(*refused);
    return 0;
  }
  // Past its field check, a body with a check has every field in bounds: its handler may
  // read them as the types the check allowed.
  run_reader(route, args);
  return 0;
}
