// A plain synchronous HTTP/WebSocket client for the console's API tests (Boost.Beast), playing
// the page, a command-line client or a hostile site as each test needs.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

namespace tractus::testing {

struct HttpReply {
  int status = 0;
  std::string body;
  nlohmann::json json; // the body parsed, or null
  boost::beast::http::fields headers;
  [[nodiscard]] std::string header(const std::string &name) const;
  [[nodiscard]] std::string error_code() const; // json["error"]["code"], or ""
};

struct HttpCall {
  std::string method = "GET";
  std::string target = "/";
  std::string body;
  std::string content_type = "application/json"; // sent only with a body
  std::string token;                             // Authorization: Bearer
  std::map<std::string, std::string> headers;    // extra, e.g. Origin
};

class HttpTestClient {
public:
  explicit HttpTestClient(std::uint16_t port) : port_(port) {}
  [[nodiscard]] std::string host() const { return "127.0.0.1:" + std::to_string(port_); }
  [[nodiscard]] std::string origin() const { return "http://" + host(); }

  // One request on a new connection.
  HttpReply call(const HttpCall &call) const;
  HttpReply get(const std::string &target, const std::string &token = {}) const;
  HttpReply post(const std::string &target, const nlohmann::json &body,
                 const std::string &token = {}) const;
  HttpReply post_empty(const std::string &target, const std::string &token = {}) const;
  // Bytes written as they are, the reply read back (for requests Beast would not build).
  HttpReply raw(const std::string &bytes) const;

  // A WebSocket upgrade of /api/telemetry, its answer read as HTTP: the refusal when the
  // server refuses (a successful upgrade answers 101 with no body).
  HttpReply telemetry_upgrade(const std::string &token, const std::string &origin) const;

  // A login's token (fails the test when the login does not succeed).
  std::string login(const std::string &role, const std::string &pin) const;

  // Every question of the console's screening checklist answered "no" and confirmed, as the
  // page sends it for a patient cleared for traction (fails the test when the checklist cannot
  // be read).
  nlohmann::json cleared_screening(const std::string &token) const;
  // The body of POST /api/session for `profile` and patient P-0042 of `weight`, screened so.
  nlohmann::json cleared_session(const std::string &token, const std::string &profile,
                                 const std::string &weight) const;

private:
  std::uint16_t port_;
};

// The telemetry WebSocket, as the page opens it.
class TelemetryTestSocket {
public:
  // Throws boost::system::system_error when the server refuses.
  TelemetryTestSocket(std::uint16_t port, const std::string &token, const std::string &origin);
  // The next frame, or nullopt when none arrives within `timeout` (or the socket closed).
  std::optional<nlohmann::json> next(std::chrono::milliseconds timeout);

private:
  boost::asio::io_context io_;
  boost::beast::websocket::stream<boost::asio::ip::tcp::socket> ws_;
};

} // namespace tractus::testing
