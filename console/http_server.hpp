// The console's HTTP + WebSocket server (docs/console.md): the embedded page, the JSON API
// and the telemetry WebSocket, on Boost.Beast.
//
// Threads:
// - one I/O thread (the caller of run()) does all networking, asynchronously. It calls only the
//   TableService members that never block: command() (so a stop is never queued behind a slow
//   request) and drain_telemetry() (every 10 ms, broadcast to each WebSocket client);
// - one worker thread runs every other TableService call (a stable load-cell reading can take
//   seconds) and posts the answer back to the I/O thread;
// - one login thread runs the PIN checks (Argon2id, ~0.1 s each), so a login neither stalls
//   the I/O thread nor waits behind a calibration step.
// A slow client never slows the others: each WebSocket client has a bounded queue that drops
// its oldest frames, and every connection has a deadline for each read. A flood of connections
// never keeps a new one out (connection_budget.hpp): a STOP always gets through.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace boost::asio::ssl {
class context;
}

namespace tractus::console {

class Auth;
class TableService;

struct HttpServerOptions {
  std::string address = "127.0.0.1"; // an IP address: the console is local by default
  std::uint16_t port = 8080;         // 0: any free port (read it back with port())
  // A client has this long to send each request (headers and body) once it starts, and an
  // idle keep-alive connection is closed after it, so slow or silent clients (slowloris)
  // cannot hold the server. Also the limit for a client to read an answer.
  std::chrono::seconds request_timeout{30};
  // HTTPS and WSS with this context (load_tls_context), plain HTTP when null.
  std::shared_ptr<boost::asio::ssl::context> tls;
  // Further origins the page may be opened at (a DNS name), as normalize_origin() gives them.
  std::vector<std::string> allowed_origins;
};

class HttpServer {
public:
  // Binds and listens at once; throws std::runtime_error naming the address when it cannot
  // (address in use, not an IP address, no permission).
  HttpServer(TableService &service, Auth &auth, HttpServerOptions options);
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  // The port bound (the one chosen when options.port was 0).
  [[nodiscard]] std::uint16_t port() const;
  // "http://127.0.0.1:8080/" (https:// with TLS): the page's address, for the user.
  [[nodiscard]] std::string url() const;

  // Thread-safe figures of the connection budget: connections closed to make room for a
  // newcomer, and the most open at once (HTTP and WebSocket; at most kMaxConnections).
  [[nodiscard]] std::uint64_t evictions() const;
  [[nodiscard]] std::size_t peak_connections() const;

  // The steady clock's nanoseconds when the I/O thread last ran its 20 ms telemetry tick (0
  // before the first): its heartbeat, for the service's watchdog. Thread-safe.
  [[nodiscard]] std::int64_t last_tick_ns() const noexcept;

  // Serves until stop(). Call once.
  void run();
  // Thread-safe: call it from any thread (a signal-watching one), never from a signal handler.
  // Closes the listener and every connection; run() returns at once. The destructor waits for
  // a worker call in progress (it uses the service), so stop, join run()'s thread, then destroy.
  void stop();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace tractus::console
