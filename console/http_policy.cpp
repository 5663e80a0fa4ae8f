#include "console/http_policy.hpp"

#include "console/json_parse_error.hpp"
#include "text/host_port.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cctype>

namespace tractus::console {
namespace http = boost::beast::http;
namespace {

std::string lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// "127.0.0.1:8080" → "127.0.0.1", "[::1]:8080" → "::1", "localhost" → "localhost".
std::string_view host_of(std::string_view authority) {
  if (authority.starts_with('[')) {
    const auto close = authority.find(']');
    return close == std::string_view::npos ? std::string_view{} : authority.substr(1, close - 1);
  }
  return authority.substr(0, authority.find(':'));
}

bool port_is_digits(std::string_view authority) {
  const auto colon = authority.starts_with('[') ? authority.find("]:") + 1 : authority.find(':');
  if (colon == std::string_view::npos || colon == 0) return true; // no port
  const auto port = authority.substr(colon + 1);
  return !port.empty() && port.size() <= 5 &&
         std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// An authority a DNS-rebinding page cannot produce: an IP address or localhost.
bool is_literal_authority(std::string_view authority) {
  if (authority.empty() || !port_is_digits(authority)) return false;
  const auto host = host_of(authority);
  if (lower(host) == "localhost") return true;
  boost::system::error_code ec;
  boost::asio::ip::make_address(std::string(host), ec);
  return !ec && !host.empty();
}

std::string own_authority(const ServerAddress &server) {
  return text::host_port_text(server.address, server.port);
}

bool is_allowed(std::string_view origin, const ServerAddress &server) {
  return std::find(server.allowed_origins.begin(), server.allowed_origins.end(), origin) !=
         server.allowed_origins.end();
}

// "http://table.local:8080" → "table.local:8080"
std::string_view authority_of(std::string_view origin) {
  return origin.substr(origin.find("://") + 3);
}

bool is_json_media_type(std::string_view content_type) {
  const auto semicolon = content_type.find(';');
  std::string media = lower(content_type.substr(0, semicolon));
  media.erase(std::remove(media.begin(), media.end(), ' '), media.end());
  return media == "application/json";
}

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

} // namespace

std::string_view scheme(const ServerAddress &server) { return server.tls ? "https://" : "http://"; }

text::Outcome<std::string> normalize_origin(std::string_view text, bool tls) {
  using Result = text::Outcome<std::string>;
  const std::string wanted = tls ? "https://" : "http://";
  std::string error = "--allow-origin " + std::string(text) + ": expected " + wanted +
                      "HOST[:PORT], the address bar's origin without a path (e.g. " + wanted +
                      "tractus.clinic.example:8080)";
  std::string origin = lower(text);
  if (origin.ends_with('/')) origin.pop_back();
  const auto sep = origin.find("://");
  if (sep == std::string::npos) return Result::failure(error);
  const std::string given = origin.substr(0, sep + 3);
  if (given != "http://" && given != "https://") return Result::failure(error);
  if (given != wanted) {
    error = "--allow-origin " + std::string(text) + ": this console serves " + wanted +
            (tls ? " (--tls-cert)" : " (no --tls-cert)") + ", so its page's origin is " + wanted +
            "…";
    return Result::failure(error);
  }
  std::string authority = origin.substr(sep + 3);
  const bool host_chars =
      !authority.empty() && std::all_of(authority.begin(), authority.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == ':' ||
               c == '[' || c == ']';
      });
  if (!host_chars || !port_is_digits(authority) || host_of(authority).empty())
    return Result::failure(error);
  const std::string default_port = tls ? ":443" : ":80";
  if (authority.ends_with(default_port)) // "[::1]:80" too
    authority.resize(authority.size() - default_port.size());
  return {wanted + authority, {}};
}

std::string request_authority(const HttpRequest &request, const ServerAddress &server) {
  const auto host = request[http::field::host];
  const std::string_view authority(host.data(), host.size());
  if (is_literal_authority(authority)) return lower(authority);
  for (const auto &origin : server.allowed_origins)
    if (lower(authority) == authority_of(origin)) return lower(authority);
  return own_authority(server);
}

std::optional<ApiResult> check_origin(const HttpRequest &request, const ServerAddress &server,
                                      bool websocket) {
  const auto it = request.find(http::field::origin);
  if (it == request.end()) {
    if (!websocket) return std::nullopt; // command-line clients send no Origin
    return api_error(403, "forbidden-origin",
                     "a WebSocket connection needs this console's Origin header");
  }
  const std::string origin = lower(std::string_view(it->value().data(), it->value().size()));
  if (is_allowed(origin, server)) return std::nullopt;
  const std::string own_scheme(scheme(server));
  const auto host = request[http::field::host];
  const std::string_view authority(host.data(), host.size());
  if (is_literal_authority(authority) && origin == own_scheme + lower(authority))
    return std::nullopt;
  if (server.address != "0.0.0.0" && server.address != "::" &&
      origin == own_scheme + lower(own_authority(server)))
    return std::nullopt;
  return api_error(403, "forbidden-origin",
                   "requests from " + origin +
                       " are refused: only this console's own page (opened at " + own_scheme +
                       "ADDRESS:PORT/ by IP address or localhost, or at an origin given to "
                       "tractus serve --allow-origin) may use the API");
}

std::optional<ApiResult> parse_json_body(const HttpRequest &request, nlohmann::json &body) {
  body = nullptr;
  if (request.body().empty()) return std::nullopt;
  const auto type = request[http::field::content_type];
  if (!is_json_media_type(std::string_view(type.data(), type.size())))
    return api_error(415, "json-only",
                     "request bodies must be JSON, sent with Content-Type: application/json");
  return parse_console_json(request.body(), body); // duplicate keys refused too (H7)
}

std::string bearer_token(const HttpRequest &request) {
  const auto value = request[http::field::authorization];
  const std::string_view text(value.data(), value.size());
  constexpr std::string_view scheme = "Bearer ";
  if (text.size() <= scheme.size() || lower(text.substr(0, scheme.size())) != "bearer ") return {};
  return std::string(text.substr(scheme.size()));
}

std::string_view target_path(std::string_view target) { return target.substr(0, target.find('?')); }

std::string_view target_query(std::string_view target) {
  const auto mark = target.find('?');
  return mark == std::string_view::npos ? std::string_view{} : target.substr(mark + 1);
}

std::optional<std::string> percent_decode(std::string_view text, bool plus_is_space) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '+' && plus_is_space) {
      out += ' ';
    } else if (c == '%') {
      if (i + 2 >= text.size()) return std::nullopt;
      const int high = hex_value(text[i + 1]);
      const int low = hex_value(text[i + 2]);
      if (high < 0 || low < 0) return std::nullopt;
      const char decoded = static_cast<char>(high * 16 + low);
      if (decoded == '\0') return std::nullopt;
      out += decoded;
      i += 2;
    } else {
      out += c;
    }
  }
  return out;
}

std::string query_parameter(std::string_view query, std::string_view name) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) == name) {
      if (eq == std::string_view::npos) return {};
      return percent_decode(pair.substr(eq + 1), true).value_or("");
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

void add_security_headers(HttpResponse &response, std::string_view authority,
                          const ServerAddress &server) {
  // 'self' covers the page's own files and API; ws://authority is the telemetry socket, listed
  // because older browsers do not count ws: as 'self'. No inline scripts, no plug-ins, no
  // framing (a framed console could be click-jacked into a start).
  response.set("Content-Security-Policy",
               "default-src 'self'; connect-src 'self' " +
                   std::string(server.tls ? "wss://" : "ws://") + std::string(authority) +
                   "; img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                   "form-action 'self'; frame-ancestors 'none'");
  response.set("X-Content-Type-Options", "nosniff");
  response.set("X-Frame-Options", "DENY");
  response.set("Referrer-Policy", "no-referrer");
}

HttpResponse json_response(const ApiResult &result, const HttpRequest &request,
                           std::string_view authority, const ServerAddress &server) {
  HttpResponse response{static_cast<http::status>(result.status), request.version()};
  response.set(http::field::server, "tractus/" TRACTUS_VERSION);
  response.set(http::field::content_type, "application/json");
  response.set(http::field::cache_control, "no-store");
  add_security_headers(response, authority, server);
  if (result.status == 429) {
    const auto &error = result.body.value("error", nlohmann::json::object());
    if (error.contains("retry_after_s"))
      response.set(http::field::retry_after, std::to_string(error["retry_after_s"].get<long>()));
  }
  response.keep_alive(request.keep_alive());
  if (result.download) {
    // A report: a patient's record, so no-store as above; the browser saves it under its name.
    response.set(http::field::content_type, result.download->content_type);
    response.set(http::field::content_disposition,
                 "attachment; filename=\"" + result.download->file_name + "\"");
    response.body() = result.download->bytes;
    response.prepare_payload();
    return response;
  }
  // Replace, not throw, should a message echo bytes that are not UTF-8.
  response.body() = result.body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  response.prepare_payload();
  return response;
}

} // namespace tractus::console
