// What every request to the console is checked for, and what every response carries
// (docs/console.md, "Roles, PINs and tokens" and "Errors"): the limits, the Origin rule, the
// JSON-only bodies, the security headers. Pure functions of a request, so they are easy to read
// in one place and to test.
#pragma once

#include "console/api_result.hpp"
#include "text/outcome.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::console {

using HttpRequest = boost::beast::http::request<boost::beast::http::string_body>;
using HttpResponse = boost::beast::http::response<boost::beast::http::string_body>;

// A browser can send little more than this in headers; anything bigger is not our page.
inline constexpr std::uint32_t kHeaderLimit = 8 * 1024;
// The largest request body the API takes (a session with its screening is about 1 KiB).
inline constexpr std::uint64_t kBodyLimit = 16 * 1024;

// Where this server listens, as bound, and how its page may be reached.
struct ServerAddress {
  std::string address; // "127.0.0.1", "::1", "0.0.0.0"
  std::uint16_t port = 0;
  bool tls = false; // https:// and wss://
  // Origins the operator named with --allow-origin, normalised by normalize_origin().
  std::vector<std::string> allowed_origins;
};

// "http://" or "https://".
std::string_view scheme(const ServerAddress &server);

// An --allow-origin value as browsers send it in Origin: "SCHEME://HOST[:PORT]", lower case,
// the scheme's default port dropped. nullopt and `error` (naming the value and what is
// allowed) when it is not such an origin, or its scheme is not the one this server serves.
text::Outcome<std::string> normalize_origin(std::string_view text, bool tls);

// The host[:port] the request addressed (its Host header), when that names an IP address or
// localhost or an allowed origin's host; otherwise (no Host, or another DNS name) this
// server's own address and port.
std::string request_authority(const HttpRequest &request, const ServerAddress &server);

// A request with an Origin header is accepted only from this console's own origin: an origin
// the operator allowed (--allow-origin, for a console opened by the table's DNS name), or
// SCHEME + its Host header when that names an IP address or localhost (any other DNS name is
// refused: it is how a DNS-rebinding page would pass for this origin), or the address the
// server is bound to. A WebSocket upgrade must carry an Origin. The refusal, or nullopt.
std::optional<ApiResult> check_origin(const HttpRequest &request, const ServerAddress &server,
                                      bool websocket);

// Non-empty bodies must be JSON (415), and parse (400 bad-json with line and column).
// `body` is null for an empty body. The refusal, or nullopt.
std::optional<ApiResult> parse_json_body(const HttpRequest &request, nlohmann::json &body);

// "Authorization: Bearer TOKEN"; empty when absent.
std::string bearer_token(const HttpRequest &request);
// The path of a request target ("/api/x?y=1" → "/api/x") and its query ("y=1").
std::string_view target_path(std::string_view target);
std::string_view target_query(std::string_view target);
// One query parameter, percent-decoded ('+' is a space); empty when absent or malformed.
std::string query_parameter(std::string_view query, std::string_view name);
// %XX-decoding; nullopt when malformed or when it decodes to a NUL.
std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space);

// The headers every response carries: Content-Security-Policy (scripts, styles and
// connections to this origin only), nosniff, no framing, no referrer.
void add_security_headers(HttpResponse &response, std::string_view authority,
                          const ServerAddress &server);

// A JSON response from an ApiResult: Cache-Control no-store, Retry-After for a lock.
HttpResponse json_response(const ApiResult &result, const HttpRequest &request,
                           std::string_view authority, const ServerAddress &server);

} // namespace tractus::console
