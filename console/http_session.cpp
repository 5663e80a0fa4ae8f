#include "console/http_session.hpp"

#include "console/auth.hpp"
#include "console/http_telemetry.hpp"
#include "console/static_files.hpp"

#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <type_traits>

namespace tractus::console {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;

namespace {
// Room for the largest request the limits allow, and some slack for the next one's start.
constexpr std::size_t kBufferLimit = kHeaderLimit + kBodyLimit + 8 * 1024;
constexpr std::size_t kFirstRead = 4 * 1024;
constexpr std::chrono::seconds kLingerTime{2};
// A connection that shows no token and sends nothing (after it opened, or after an answer) is
// closed after this, not after the full request timeout: idle sockets cost descriptors, and a
// browser opens a new connection when it needs one.
constexpr std::chrono::seconds kUntrustedIdle{5};

template <class Stream> constexpr bool kIsTls = std::is_same_v<Stream, TlsStream>;
} // namespace

void Connection::enter(ConnectionPhase phase) {
  standing_.phase = phase;
  standing_.since = std::chrono::steady_clock::now();
}

template <class Stream>
HttpSession<Stream>::HttpSession(Stream stream, ServerContext &server)
    : stream_(std::move(stream)), buffer_(kBufferLimit), server_(server) {
  enter(ConnectionPhase::Waiting);
  beast::error_code ec;
  const auto remote = tcp().socket().remote_endpoint(ec);
  peer_ = ec ? std::string("an unknown peer")
             : (remote.address().is_v6() ? "[" + remote.address().to_string() + "]"
                                         : remote.address().to_string()) +
                   ":" + std::to_string(remote.port());
  spdlog::debug("{}: connected{}", peer_, kIsTls<Stream> ? " (TLS)" : "");
}

template <class Stream> void HttpSession<Stream>::start() {
  if constexpr (kIsTls<Stream>) {
    enter(ConnectionPhase::Reading);
    tcp().expires_after(std::min<std::chrono::seconds>(kUntrustedIdle, server_.request_timeout));
    stream_.async_handshake(asio::ssl::stream_base::server,
                            [self = this->shared_from_this()](beast::error_code ec) {
                              if (ec) return self->abort(); // not TLS, or not in time
                              self->read_request();
                            });
  } else {
    read_request();
  }
}

template <class Stream> void HttpSession<Stream>::abort() {
  if (upgraded_) return; // the stream belongs to a TelemetryClient now
  beast::error_code ignored;
  tcp().socket().close(ignored);
}

template <class Stream> void HttpSession<Stream>::read_request() {
  if (buffer_.size() > 0) return read_rest(); // the next request's start came with the last one
  enter(ConnectionPhase::Waiting);
  tcp().expires_after(
      standing_.trusted ? server_.request_timeout
                        : std::min<std::chrono::seconds>(kUntrustedIdle, server_.request_timeout));
  // The first bytes alone, so the budget knows this connection has begun a request and the
  // request's own deadline starts with them.
  stream_.async_read_some(buffer_.prepare(kFirstRead), [self = this->shared_from_this()](
                                                           beast::error_code ec, std::size_t n) {
    if (ec == asio::error::eof || ec == asio::ssl::error::stream_truncated) {
      if constexpr (!kIsTls<Stream>) // the client closed its side: close ours
        self->tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ec);
      return;
    }
    if (ec) return self->abort(); // idle too long, reset, or closed for a newcomer
    self->buffer_.commit(n);
    self->read_rest();
  });
}

template <class Stream> void HttpSession<Stream>::read_rest() {
  if (standing_.phase != ConnectionPhase::Reading) enter(ConnectionPhase::Reading);
  parser_.emplace();
  parser_->header_limit(kHeaderLimit);
  parser_->body_limit(kBodyLimit);
  tcp().expires_after(server_.request_timeout);
  http::async_read(
      stream_, buffer_, *parser_,
      [self = this->shared_from_this()](beast::error_code ec, std::size_t) { self->on_read(ec); });
}

template <class Stream> void HttpSession<Stream>::on_read(beast::error_code ec) {
  standing_.first_request = false;
  enter(ConnectionPhase::Busy);
  if (ec == http::error::end_of_stream) return abort(); // closed before a whole request
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

template <class Stream> void HttpSession<Stream>::handle(HttpRequest request) {
  const std::string authority = request_authority(request, server_.address);
  if (beast::websocket::is_upgrade(request)) return handle_websocket(std::move(request), authority);
  const auto path = target_path(std::string_view(request.target().data(), request.target().size()));
  if (path == "/api" || path.starts_with("/api/")) return handle_api(std::move(request), authority);
  handle_static(request, authority);
}

template <class Stream>
void HttpSession<Stream>::handle_api(HttpRequest request, const std::string &authority) {
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
  ApiArgs args{match.params, std::string(target_query(target)), nullptr, bearer_token(request),
               peer_};
  // A live token earns the connection a place ahead of anonymous ones in the budget (a stop
  // needs none, but the page sends its token with every call).
  if (!standing_.trusted && !args.token.empty() && server_.auth.peek(args.token).ok())
    standing_.trusted = true;
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

template <class Stream>
void HttpSession<Stream>::call_elsewhere(asio::thread_pool &pool, const Route &route, ApiArgs args,
                                         HttpRequest request, std::string authority) {
  // The connection waits (no read is pending) while the call runs; its answer comes back to
  // the I/O thread, the only thread that touches the connection.
  asio::post(pool, [self = this->shared_from_this(), &route, args = std::move(args),
                    request = std::move(request), authority = std::move(authority)]() mutable {
    ApiResult result = run_handler(route, self->server_.service, self->server_.auth, args);
    asio::post(self->server_.io,
               [self, result = std::move(result), request = std::move(request),
                authority = std::move(authority)] { self->reply(result, request, authority); });
  });
}

template <class Stream>
void HttpSession<Stream>::handle_websocket(HttpRequest request, const std::string &authority) {
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
  spdlog::info("{}: telemetry stream opened", peer_);
  const auto client = std::make_shared<TelemetryClient<Stream>>(
      std::move(stream_), server_.telemetry, std::move(token));
  client->accept(request);
}

template <class Stream>
void HttpSession<Stream>::handle_static(const HttpRequest &request, const std::string &authority) {
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
  add_security_headers(response, authority, server_.address);
  response.keep_alive(request.keep_alive());
  log_answer(request, 200);
  if (request.method() == http::verb::head) {
    response.content_length(file->body.size());
  } else {
    response.body().assign(file->body);
    response.prepare_payload();
  }
  send(std::move(response));
}

template <class Stream>
void HttpSession<Stream>::reply(const ApiResult &result, const HttpRequest &request,
                                const std::string &authority, const std::string &allow) {
  HttpResponse response = json_response(result, request, authority, server_.address);
  if (!allow.empty()) response.set(http::field::allow, allow);
  log_answer(request, response.result_int());
  send(std::move(response));
}

template <class Stream>
void HttpSession<Stream>::log_answer(const HttpRequest &request, unsigned status) const {
  // What the operator did is a POST that was done (a start, a stop, a calibration step):
  // information. Reads, the page's files and refusals are debug: anyone who reaches the port
  // can make refusals and busy answers (503) by the thousand, and must not push a fault's lines
  // out of the log; a wrong PIN and a refused start have lines of their own. A failure of ours
  // (500) is a warning. The path only: a query may carry a token.
  const bool read = request.method() == http::verb::get || request.method() == http::verb::head;
  const bool failed_here = status >= 500 && status != 503;
  const auto level = failed_here             ? spdlog::level::warn
                     : read || status >= 400 ? spdlog::level::debug
                                             : spdlog::level::info;
  if (!spdlog::should_log(level)) return;
  const std::string_view target(request.target().data(), request.target().size());
  const auto verb = request.method_string();
  const std::string_view method = request.method() == http::verb::unknown
                                      ? std::string_view("(unparsed)")
                                      : std::string_view(verb.data(), verb.size());
  spdlog::log(level, "{}: {} {} -> {}", peer_, method, target_path(target), status);
}

template <class Stream> void HttpSession<Stream>::send(HttpResponse response) {
  response_ = std::make_shared<HttpResponse>(std::move(response));
  tcp().expires_after(server_.request_timeout); // and a client that does not read its answer
  http::async_write(stream_, *response_,
                    [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                      if (ec) return self->abort();
                      if (!self->response_->keep_alive()) return self->close_after_answer();
                      self->response_.reset();
                      self->read_request();
                    });
}

template <class Stream> void HttpSession<Stream>::close_after_answer() {
  enter(ConnectionPhase::Closing);
  tcp().expires_after(kLingerTime); // once: a bound in all
  if constexpr (kIsTls<Stream>) {
    // close_notify, then the peer's; whatever else it sends ends the wait with an error.
    stream_.async_shutdown([self = this->shared_from_this()](beast::error_code) { self->abort(); });
  } else {
    beast::error_code ignored;
    tcp().socket().shutdown(asio::ip::tcp::socket::shutdown_send, ignored);
    linger();
  }
}

template <class Stream> void HttpSession<Stream>::linger() {
  // Closing a socket with unread input makes the kernel send a reset, which can reach the
  // client before it has read our answer (a 413 sent while its body was still arriving). So
  // read and discard until the client closes, for kLingerTime at most.
  tcp().async_read_some(asio::buffer(discard_),
                        [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                          if (!ec) self->linger();
                        });
}

template class HttpSession<PlainStream>;
template class HttpSession<TlsStream>;

} // namespace tractus::console
