#include "http_test_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <gtest/gtest.h>

namespace tractus::testing {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;

namespace {

tcp::socket connect(asio::io_context &io, std::uint16_t port) {
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  // A reply that never comes fails the test instead of hanging it.
  const timeval timeout{10, 0};
  ::setsockopt(socket.native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  return socket;
}

HttpReply read_reply(tcp::socket &socket) {
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(socket, buffer, response);
  HttpReply reply;
  reply.status = static_cast<int>(response.result_int());
  reply.body = response.body();
  reply.headers = response.base();
  reply.json = nlohmann::json::parse(reply.body, nullptr, false);
  if (reply.json.is_discarded()) reply.json = nullptr;
  return reply;
}

} // namespace

std::string HttpReply::header(const std::string &name) const {
  const auto it = headers.find(name);
  return it == headers.end() ? std::string() : std::string(it->value());
}

std::string HttpReply::error_code() const {
  if (!json.is_object() || !json.contains("error")) return {};
  return json["error"].value("code", "");
}

HttpReply HttpTestClient::call(const HttpCall &c) const {
  asio::io_context io;
  auto socket = connect(io, port_);
  http::request<http::string_body> request{http::string_to_verb(c.method), c.target, 11};
  request.set(http::field::host, host());
  request.set(http::field::user_agent, "tractus-console-test");
  if (!c.token.empty()) request.set(http::field::authorization, "Bearer " + c.token);
  for (const auto &[name, value] : c.headers)
    request.set(name, value);
  if (!c.body.empty()) {
    request.set(http::field::content_type, c.content_type);
    request.body() = c.body;
  }
  request.prepare_payload();
  request.keep_alive(false);
  http::write(socket, request);
  return read_reply(socket);
}

HttpReply HttpTestClient::get(const std::string &target, const std::string &token) const {
  return call({"GET", target, "", "application/json", token, {}});
}

HttpReply HttpTestClient::post(const std::string &target, const nlohmann::json &body,
                               const std::string &token) const {
  return call({"POST", target, body.dump(), "application/json", token, {}});
}

HttpReply HttpTestClient::post_empty(const std::string &target, const std::string &token) const {
  return call({"POST", target, "", "application/json", token, {}});
}

HttpReply HttpTestClient::raw(const std::string &bytes) const {
  asio::io_context io;
  auto socket = connect(io, port_);
  asio::write(socket, asio::buffer(bytes));
  return read_reply(socket);
}

HttpReply HttpTestClient::telemetry_upgrade(const std::string &token,
                                            const std::string &origin) const {
  std::string request = "GET /api/telemetry?token=" + token + " HTTP/1.1\r\nHost: " + host() +
                        "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                        "Sec-WebSocket-Version: 13\r\n";
  if (!origin.empty()) request += "Origin: " + origin + "\r\n";
  return raw(request + "\r\n");
}

std::string HttpTestClient::login(const std::string &role, const std::string &pin) const {
  const auto reply = post("/api/login", {{"role", role}, {"pin", pin}});
  EXPECT_EQ(reply.status, 200) << reply.body;
  return reply.json.is_object() ? reply.json.value("token", "") : "";
}

nlohmann::json HttpTestClient::cleared_screening(const std::string &token) const {
  const auto checklist = get("/api/screening", token);
  EXPECT_EQ(checklist.status, 200) << checklist.body;
  nlohmann::json answers = nlohmann::json::object();
  for (const char *group : {"contraindications", "red_flags"})
    for (const auto &item : checklist.json[group])
      answers[item["id"].get<std::string>()] = false;
  return {{"answers", answers}, {"confirmed", true}};
}

nlohmann::json HttpTestClient::cleared_session(const std::string &token, const std::string &profile,
                                               const std::string &weight) const {
  return {{"profile", profile},
          {"patient", {{"id", "P-0042"}, {"weight", weight}}},
          {"screening", cleared_screening(token)}};
}

TelemetryTestSocket::TelemetryTestSocket(std::uint16_t port, const std::string &token,
                                         const std::string &origin)
    : ws_(connect(io_, port)) {
  ws_.set_option(
      beast::websocket::stream_base::decorator([origin](beast::websocket::request_type &request) {
        if (!origin.empty()) request.set(http::field::origin, origin);
      }));
  ws_.handshake("127.0.0.1:" + std::to_string(port), "/api/telemetry?token=" + token);
}

std::optional<nlohmann::json> TelemetryTestSocket::next(std::chrono::milliseconds timeout) {
  const timeval tv{static_cast<time_t>(timeout.count() / 1000),
                   static_cast<suseconds_t>((timeout.count() % 1000) * 1000)};
  ::setsockopt(ws_.next_layer().native_handle(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws_.read(buffer, ec);
  if (ec) return std::nullopt;
  return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
}

} // namespace tractus::testing
