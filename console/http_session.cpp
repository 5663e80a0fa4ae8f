#include "console/http_session.hpp"

#include "console/http_telemetry.hpp"
#include "console/static_files.hpp"

#include <boost/asio/post.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>

namespace tractus::console {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {
// Room for the largest request the limits allow, and some slack for the next one's start.
constexpr std::size_t kBufferLimit = kHeaderLimit + kBodyLimit + 8 * 1024;
constexpr std::chrono::seconds kLingerTime{2};
} // namespace

HttpSession::HttpSession(asio::ip::tcp::socket socket, ServerContext &server)
    : stream_(std::move(socket)), buffer_(kBufferLimit), server_(server) {}

void HttpSession::start() { read_request(); }

void HttpSession::abort() {
  if (upgraded_) return; // the stream belongs to a TelemetryClient now
  beast::error_code ignored;
  stream_.socket().close(ignored);
}

void HttpSession::read_request() {
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(kBodyLimit);
  stream_.expires_after(server_.request_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

void HttpSession::on_read(beast::error_code ec) {
  if (ec == http::error::end_of_stream) { // the client closed its side: close ours
    stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
    return;
  }
  if (ec) {
    // A request we will not read to its end: answer if it is the request's fault (limits,
    // syntax), then close, since what follows on the connection cannot be trusted.
    HttpRequest bare{http::verb::unknown, "", 11};
    bare.keep_alive(false);
    const std::string authority = request_authority(bare, server_.address);
    if (ec == http::error::body_limit)
      reply(api_error(413, "too-large", "request bodies are limited to 16 KiB"), bare, authority);
    else if (ec == http::error::header_limit || ec == http::error::buffer_overflow)
      reply(api_error(413, "too-large", "request headers are limited to 8 KiB"), bare, authority);
    else if (ec.category() == http::make_error_code(http::error::body_limit).category() ||
             ec == http::error::partial_message)
      reply(api_error(400, "bad-request", "this is not an HTTP/1.1 request: " + ec.message()), bare,
            authority);
    else
      abort(); // timeout, reset: nobody to answer
    return;
  }
  handle(parser_->release());
}

void HttpSession::handle(HttpRequest request) {
  const std::string authority = request_authority(request, server_.address);
  if (beast::websocket::is_upgrade(request)) return handle_websocket(std::move(request), authority);
  const auto path = target_path(std::string_view(request.target().data(), request.target().size()));
  if (path == "/api" || path.starts_with("/api/")) return handle_api(std::move(request), authority);
  handle_static(request, authority);
}

void HttpSession::handle_api(HttpRequest request, const std::string &authority) {
  if (auto refused = check_origin(request, server_.address, false))
    return reply(*refused, request, authority);
  const std::string_view target(request.target().data(), request.target().size());
  const auto path = target_path(target);
  const RouteMatch match = match_route(request.method(), path);
  if (!match.route) {
    if (match.path_known)
      return reply(api_error(405, "method-not-allowed",
                             std::string(request.method_string()) + " is not allowed on " +
                                 std::string(path) + " (allowed: " + match.allow + ")"),
                   request, authority, match.allow);
    return reply(api_error(404, "not-found", "no API at " + std::string(path)), request, authority);
  }
  const Route &route = *match.route;
  ApiArgs args{match.params, std::string(target_query(target)), nullptr, bearer_token(request)};
  if (auto refused = parse_json_body(request, args.body))
    return reply(*refused, request, authority);
  if (route.needs_body && args.body.is_null())
    return reply(api_error(400, "bad-json", "this request needs a JSON body"), request, authority);
  if (auto refused = check_access(server_.auth, route.access, args.token))
    return reply(*refused, request, authority);

  switch (route.runs_on) {
  case RunsOn::IoThread:
    return reply(run_handler(route, server_.service, server_.auth, args), request, authority);
  case RunsOn::Worker:
    return call_elsewhere(server_.worker, route, std::move(args), std::move(request), authority);
  case RunsOn::LoginThread:
    return call_elsewhere(server_.login, route, std::move(args), std::move(request), authority);
  }
}

void HttpSession::call_elsewhere(asio::thread_pool &pool, const Route &route, ApiArgs args,
                                 HttpRequest request, std::string authority) {
  // The connection waits (no read is pending) while the call runs; its answer comes back to
  // the I/O thread, the only thread that touches the connection.
  asio::post(pool, [self = shared_from_this(), &route, args = std::move(args),
                    request = std::move(request), authority = std::move(authority)]() mutable {
    ApiResult result = run_handler(route, self->server_.service, self->server_.auth, args);
    asio::post(self->server_.io,
               [self, result = std::move(result), request = std::move(request),
                authority = std::move(authority)] { self->reply(result, request, authority); });
  });
}

void HttpSession::handle_websocket(HttpRequest request, const std::string &authority) {
  const std::string_view target(request.target().data(), request.target().size());
  if (target_path(target) != kTelemetryPath)
    return reply(
        api_error(404, "not-found", "the only WebSocket is " + std::string(kTelemetryPath)),
        request, authority);
  if (auto refused = check_origin(request, server_.address, true))
    return reply(*refused, request, authority);
  // Browsers cannot set headers on a WebSocket: the token comes in the query.
  std::string token = query_parameter(target_query(target), "token");
  if (auto refused = check_access(server_.auth, Access::Operator, token))
    return reply(*refused, request, authority);
  upgraded_ = true;
  const auto client =
      std::make_shared<TelemetryClient>(std::move(stream_), server_.telemetry, std::move(token));
  client->accept(request);
}

void HttpSession::handle_static(const HttpRequest &request, const std::string &authority) {
  if (request.method() != http::verb::get && request.method() != http::verb::head)
    return reply(api_error(405, "method-not-allowed", "the page's files are GET only"), request,
                 authority, "GET, HEAD");
  if (auto refused = check_origin(request, server_.address, false))
    return reply(*refused, request, authority);
  const std::string_view target(request.target().data(), request.target().size());
  const auto file = find_static_file(target_path(target));
  if (!file)
    return reply(api_error(404, "not-found", "no file at " + std::string(target_path(target))),
                 request, authority);
  HttpResponse response{http::status::ok, request.version()};
  response.set(http::field::server, "tractus/" TRACTUS_VERSION);
  response.set(http::field::content_type, std::string(file->content_type));
  // Revalidate every time: after an update the table must never run an old page.
  response.set(http::field::cache_control, "no-cache");
  add_security_headers(response, authority);
  response.keep_alive(request.keep_alive());
  if (request.method() == http::verb::head) {
    response.content_length(file->body.size());
  } else {
    response.body().assign(file->body);
    response.prepare_payload();
  }
  send(std::move(response));
}

void HttpSession::reply(const ApiResult &result, const HttpRequest &request,
                        const std::string &authority, const std::string &allow) {
  HttpResponse response = json_response(result, request, authority);
  if (!allow.empty()) response.set(http::field::allow, allow);
  send(std::move(response));
}

void HttpSession::send(HttpResponse response) {
  response_ = std::make_shared<HttpResponse>(std::move(response));
  stream_.expires_after(server_.request_timeout); // and a client that does not read its answer
  http::async_write(stream_, *response_,
                    [self = shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->abort();
                      if (!self->response_->keep_alive()) {
                        self->stream_.socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
                        self->stream_.expires_after(kLingerTime); // once: a bound in all
                        return self->linger();
                      }
                      self->response_.reset();
                      self->read_request();
                    });
}

void HttpSession::linger() {
  // Closing a socket with unread input makes the kernel send a reset, which can reach the
  // client before it has read our answer (a 413 sent while its body was still arriving). So
  // read and discard until the client closes, for kLingerTime at most.
  stream_.async_read_some(asio::buffer(discard_),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (!ec) self->linger();
                          });
}

} // namespace tractus::console
