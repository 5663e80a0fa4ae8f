#include "console/http_server.hpp"

#include "console/auth.hpp"
#include "console/http_session.hpp"
#include "console/http_telemetry.hpp"
#include "console/table_service.hpp"
#include "console/telemetry.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <array>
#include <stdexcept>
#include <vector>

namespace tractus::console {
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

namespace {
// Telemetry leaves the loop at up to 50 frames/s plus events; draining every 10 ms keeps the
// loop's queue short and adds at most 10 ms of latency on the way to the screen.
constexpr std::chrono::milliseconds kTelemetryPeriod{10};
constexpr std::size_t kFramesPerDrain = 32;
// WebSocket tokens are re-checked this often: a logout or expiry closes the socket within 1 s.
constexpr int kTokenCheckTicks = 100;
// Beyond this many open connections, new ones are closed at once: a flood of idle connections
// cannot exhaust the process's file descriptors. A table has one or two browsers.
constexpr std::size_t kMaxConnections = 64;
} // namespace

struct HttpServer::Impl {
  Impl(TableService &service_, Auth &auth_, const HttpServerOptions &options)
      : service(service_), auth(auth_) {
    boost::system::error_code ec;
    const auto ip = asio::ip::make_address(options.address, ec);
    if (ec)
      throw std::runtime_error("--listen " + options.address +
                               ": not an IP address (e.g. 127.0.0.1 or ::1)");
    const tcp::endpoint wanted{ip, options.port};
    const std::string where = options.address + ":" + std::to_string(options.port);
    acceptor.open(wanted.protocol(), ec);
    if (!ec) acceptor.set_option(asio::socket_base::reuse_address(true), ec);
    if (!ec) acceptor.bind(wanted, ec);
    if (!ec) acceptor.listen(asio::socket_base::max_listen_connections, ec);
    if (ec) throw std::runtime_error("cannot listen on " + where + ": " + ec.message());
    address = ServerAddress{options.address, acceptor.local_endpoint().port()};
    context.address = address;
    context.request_timeout = options.request_timeout;
  }

  void accept_next() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) {
        if (acceptor.is_open()) accept_next(); // e.g. out of descriptors: keep serving
        return;
      }
      std::erase_if(sessions, [](const auto &s) { return s.expired(); });
      if (sessions.size() + telemetry.size() >= kMaxConnections) {
        socket.close(ec);
      } else {
        const auto session = std::make_shared<HttpSession>(std::move(socket), context);
        sessions.push_back(session);
        session->start();
      }
      accept_next();
    });
  }

  void pump_telemetry() {
    timer.expires_after(kTelemetryPeriod);
    timer.async_wait([this](boost::system::error_code ec) {
      if (ec || stopping) return;
      // A burst (events) may exceed one batch; a few batches at most, so a tick stays short.
      for (int batch = 0; batch < 4; ++batch) {
        const std::size_t n = service.drain_telemetry(frames.data(), frames.size());
        for (std::size_t i = 0; i < n && telemetry.size() > 0; ++i)
          // Serialised once, shared by every client's queue.
          telemetry.broadcast(std::make_shared<const std::string>(
              to_json(frames[i]).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
        if (n < frames.size()) break;
      }
      if (++ticks % kTokenCheckTicks == 0) telemetry.close_ended_tokens(auth);
      pump_telemetry();
    });
  }

  void shut_down() { // on the I/O thread
    stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    timer.cancel();
    for (const auto &weak : sessions)
      if (const auto session = weak.lock()) session->abort();
    sessions.clear();
    telemetry.abort_all();
    io.stop(); // do not wait for connections to notice
  }

  TableService &service;
  Auth &auth;
  asio::io_context io{1};
  asio::thread_pool worker{1};
  asio::thread_pool login{1};
  tcp::acceptor acceptor{io};
  asio::steady_timer timer{io};
  TelemetryHub telemetry;
  ServerAddress address;
  ServerContext context{io, worker, login, service, auth, telemetry, {}, {}};
  std::vector<std::weak_ptr<HttpSession>> sessions;
  std::array<TelemetryFrame, kFramesPerDrain> frames{};
  unsigned ticks = 0;
  bool stopping = false;
};

HttpServer::HttpServer(TableService &service, Auth &auth, HttpServerOptions options)
    : impl_(std::make_unique<Impl>(service, auth, options)) {}

HttpServer::~HttpServer() {
  // Calls not started are dropped; one in progress finishes first, since it uses the service
  // and posts its answer to the io_context.
  impl_->worker.stop();
  impl_->login.stop();
  impl_->worker.join();
  impl_->login.join();
}

std::uint16_t HttpServer::port() const { return impl_->address.port; }

std::string HttpServer::url() const {
  const auto &a = impl_->address;
  const bool v6 = a.address.find(':') != std::string::npos;
  return "http://" + (v6 ? "[" + a.address + "]" : a.address) + ":" + std::to_string(a.port) + "/";
}

void HttpServer::run() {
  impl_->accept_next();
  impl_->pump_telemetry();
  impl_->io.run();
}

void HttpServer::stop() {
  asio::post(impl_->io, [impl = impl_.get()] { impl->shut_down(); });
}

} // namespace tractus::console
