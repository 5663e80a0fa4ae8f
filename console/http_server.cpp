#include "console/http_server.hpp"

#include "console/auth.hpp"
#include "console/heartbeat.hpp"
#include "console/http_session.hpp"
#include "console/http_telemetry.hpp"
#include "console/table_service.hpp"
#include "console/telemetry.hpp"
#include "text/host_port.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <algorithm>
#include <array>
#include <atomic>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <optional>
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
// When every open connection is protected (connection_budget.hpp), the newcomer waits this
// long before the budget is looked at again; kFreshGrace is the most it can wait for one.
constexpr std::chrono::milliseconds kHoldRetry{2};
// A client that connects and says nothing is not handed to the server (TCP_DEFER_ACCEPT) until
// it sends or about this long has passed: silent sockets cost neither a descriptor nor a place
// in the budget. Every HTTP and TLS client speaks first.
constexpr int kDeferAcceptSeconds = 5;
} // namespace

struct HttpServer::Impl {
  Impl(TableService &service_, Auth &auth_, const HttpServerOptions &options)
      : service(service_), auth(auth_), tls(options.tls) {
    standings.reserve(kMaxConnections);
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
    const int defer = kDeferAcceptSeconds;
    ::setsockopt(acceptor.native_handle(), IPPROTO_TCP, TCP_DEFER_ACCEPT, &defer, sizeof defer);
    address = ServerAddress{options.address, acceptor.local_endpoint().port(),
                            options.tls != nullptr, options.allowed_origins};
    context.address = address;
    context.request_timeout = options.request_timeout;
  }

  void accept_next() {
    acceptor.async_accept([this](boost::system::error_code ec, tcp::socket socket) {
      if (ec) {
        if (!acceptor.is_open()) return;
        // E.g. out of descriptors (another part of the process): try again shortly rather
        // than spin on a connection that stays in the queue.
        hold_timer.expires_after(kHoldRetry);
        hold_timer.async_wait([this](boost::system::error_code e) {
          if (!e && !stopping) accept_next();
        });
        return;
      }
      admit(std::move(socket));
    });
  }

  // Starts the newcomer once the budget has room for it. Until then it is held (one socket at
  // most) and no other is accepted: the kernel's queue keeps the rest in their order.
  void admit(tcp::socket socket) {
    if (!make_room()) {
      held.emplace(std::move(socket));
      hold_timer.expires_after(kHoldRetry);
      hold_timer.async_wait([this](boost::system::error_code ec) {
        if (ec || stopping) return;
        tcp::socket next = std::move(*held);
        held.reset();
        admit(std::move(next));
      });
      return;
    }
    std::shared_ptr<Connection> session;
    if (tls)
      session =
          std::make_shared<HttpSession<TlsStream>>(TlsStream(std::move(socket), *tls), context);
    else
      session = std::make_shared<HttpSession<PlainStream>>(PlainStream(std::move(socket)), context);
    sessions.push_back(session);
    peak_open = std::max<std::size_t>(peak_open, sessions.size() + telemetry.size());
    session->start();
    accept_next();
  }

  // True when one more connection fits, after closing the one the budget picks if need be.
  bool make_room() {
    std::erase_if(sessions, [](const auto &weak) {
      const auto s = weak.lock();
      return !s || s->upgraded(); // gone, or counted by the hub now
    });
    if (sessions.size() + telemetry.size() < kMaxConnections) return true;
    standings.clear();
    for (const auto &weak : sessions)
      standings.push_back(weak.lock()->standing());
    if (const auto victim = pick_eviction(standings, std::chrono::steady_clock::now())) {
      if (const auto session = sessions[*victim].lock()) session->abort();
      sessions.erase(sessions.begin() + static_cast<std::ptrdiff_t>(*victim));
      ++evictions;
      return true;
    }
    // Every HTTP connection is protected: the oldest telemetry socket is the last resort (its
    // page opens another), so that nothing but fresh or busy connections can keep one out.
    if (telemetry.evict_oldest()) {
      ++evictions;
      return true;
    }
    return false;
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
      if (++ticks % kTokenCheckTicks == 0)
        telemetry.close_ended_tokens(auth, service.session_under_way());
      last_tick_ns.store(heartbeat_now_ns(), std::memory_order_relaxed);
      pump_telemetry();
    });
  }

  void shut_down() { // on the I/O thread
    stopping = true;
    boost::system::error_code ignored;
    acceptor.close(ignored);
    timer.cancel();
    hold_timer.cancel();
    if (held) held->close(ignored);
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
  asio::steady_timer hold_timer{io};
  std::shared_ptr<asio::ssl::context> tls;
  TelemetryHub telemetry;
  ServerAddress address;
  ServerContext context{io, worker, login, service, auth, telemetry, {}, {}};
  std::vector<std::weak_ptr<Connection>> sessions;
  std::vector<ConnectionStanding> standings; // make_room()'s scratch, reserved once
  std::optional<tcp::socket> held;
  std::atomic<std::uint64_t> evictions{0};
  std::atomic<std::size_t> peak_open{0};
  std::array<TelemetryFrame, kFramesPerDrain> frames{};
  unsigned ticks = 0;
  std::atomic<std::int64_t> last_tick_ns{0};
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
  return std::string(scheme(a)) + text::host_port_text(a.address, a.port) + "/";
}

std::uint64_t HttpServer::evictions() const { return impl_->evictions; }

std::size_t HttpServer::peak_connections() const { return impl_->peak_open; }

std::int64_t HttpServer::last_tick_ns() const noexcept {
  return impl_->last_tick_ns.load(std::memory_order_relaxed);
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
