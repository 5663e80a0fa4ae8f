// One HTTP connection to the console: reads requests within the limits and deadlines, checks
// them (docs/console.md, "Errors"), answers the page's files and the API, and hands a telemetry
// upgrade over to a TelemetryClient. Runs on the I/O thread; API calls that may block go to the
// worker (or login) thread and their answer comes back here.
#pragma once

#include "console/api_routes.hpp"
#include "console/http_policy.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>

namespace tractus::console {

class TelemetryHub;

// What every connection shares: owned by HttpServer, which outlives its connections.
struct ServerContext {
  boost::asio::io_context &io;
  boost::asio::thread_pool &worker;
  boost::asio::thread_pool &login;
  TableService &service;
  Auth &auth;
  TelemetryHub &telemetry;
  ServerAddress address;
  std::chrono::seconds request_timeout; // HttpServerOptions::request_timeout
};

class HttpSession : public std::enable_shared_from_this<HttpSession> {
public:
  HttpSession(boost::asio::ip::tcp::socket socket, ServerContext &server);
  void start();
  // Closes the connection (the server is stopping); pending operations end with an error.
  void abort();

private:
  void read_request();
  void on_read(boost::beast::error_code ec);
  void handle(HttpRequest request);
  void handle_api(HttpRequest request, const std::string &authority);
  void handle_websocket(HttpRequest request, const std::string &authority);
  void handle_static(const HttpRequest &request, const std::string &authority);
  void call_elsewhere(boost::asio::thread_pool &pool, const Route &route, ApiArgs args,
                      HttpRequest request, std::string authority);
  void reply(const ApiResult &result, const HttpRequest &request, const std::string &authority,
             const std::string &allow = {});
  void send(HttpResponse response);
  void linger();

  boost::beast::tcp_stream stream_;
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  ServerContext &server_;
  std::shared_ptr<HttpResponse> response_; // alive until its write completes
  std::array<char, 1024> discard_{};       // what a refused client still sends, unread
  bool upgraded_ = false;
};

} // namespace tractus::console
