// One HTTP connection to the console, plain or TLS: reads requests within the limits and
// deadlines, checks them (docs/console.md, "Errors"), answers the page's files and the API, and
// hands a telemetry upgrade over to a TelemetryClient. Runs on the I/O thread; API calls that
// may block go to the worker (or login) thread and their answer comes back here. It tells the
// server where it stands (ConnectionStanding) so the connection budget can pick whom to close.
#pragma once

#include "console/api_routes.hpp"
#include "console/connection_budget.hpp"
#include "console/http_policy.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <chrono>
#include <memory>
#include <optional>

namespace tractus::console {

class TelemetryHub;

using PlainStream = boost::beast::tcp_stream;
using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

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

// What the server sees of a connection, whatever its stream.
class Connection {
public:
  virtual ~Connection() = default;
  virtual void start() = 0;
  // Closes the connection at once (evicted, or the server is stopping); pending operations end
  // with an error. Nothing once upgraded: the stream belongs to a TelemetryClient then.
  virtual void abort() = 0;
  [[nodiscard]] const ConnectionStanding &standing() const { return standing_; }
  [[nodiscard]] bool upgraded() const { return upgraded_; }

protected:
  void enter(ConnectionPhase phase);
  ConnectionStanding standing_;
  bool upgraded_ = false;
};

template <class Stream>
class HttpSession : public Connection, public std::enable_shared_from_this<HttpSession<Stream>> {
public:
  HttpSession(Stream stream, ServerContext &server);
  void start() override;
  void abort() override;

private:
  void read_request();
  void read_rest();
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
  void close_after_answer();
  void linger();
  void log_answer(const HttpRequest &request, unsigned status) const;
  boost::beast::tcp_stream &tcp() { return boost::beast::get_lowest_layer(stream_); }

  Stream stream_;
  std::string peer_; // the client's address and port, for the service log
  boost::beast::flat_buffer buffer_;
  std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
  ServerContext &server_;
  std::shared_ptr<HttpResponse> response_; // alive until its write completes
  std::array<char, 1024> discard_{};       // what a refused client still sends, unread
};

extern template class HttpSession<PlainStream>;
extern template class HttpSession<TlsStream>;

} // namespace tractus::console
