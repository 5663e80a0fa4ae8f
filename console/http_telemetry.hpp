// The telemetry WebSocket (docs/console.md, "Telemetry"), over plain TCP or TLS: each frame is
// serialised once and handed to every connected client. A client that cannot keep up loses its
// oldest frames (the sequence numbers show the gap); it never slows the others, never blocks
// the I/O thread, and never makes the server's memory grow. Everything here runs on the I/O
// thread.
#pragma once

#include "console/http_policy.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <string>
#include <vector>

namespace tractus::console {

class Auth;
class TelemetryHub;

using TelemetryText = std::shared_ptr<const std::string>;

// At 50 frames/s, 64 frames is 1.3 s of telemetry: a client further behind than that is shown
// the newest state rather than an ever older history.
inline constexpr std::size_t kClientQueueFrames = 64;
// A table has one page open, perhaps a second screen: beyond this many sockets the oldest is
// closed for the newest, so pages left open elsewhere cannot take the connection budget.
inline constexpr std::size_t kMaxTelemetryClients = 8;

// One telemetry socket, whatever its stream.
class TelemetrySink {
public:
  virtual ~TelemetrySink() = default;
  // Queues a frame, dropping the oldest queued one beyond kClientQueueFrames.
  virtual void send(const TelemetryText &frame) = 0;
  // Ends the connection with a WebSocket close frame (1008 when its token ended).
  virtual void close(bool token_ended) = 0;
  // Drops the connection at once (evicted, or the server is stopping).
  virtual void abort() = 0;
  [[nodiscard]] virtual const std::string &token() const = 0;
};

template <class Stream>
class TelemetryClient : public TelemetrySink,
                        public std::enable_shared_from_this<TelemetryClient<Stream>> {
public:
  TelemetryClient(Stream stream, TelemetryHub &hub, std::string token);
  // Completes the upgrade of `request`; joins the hub once it succeeds.
  void accept(const HttpRequest &request);
  void send(const TelemetryText &frame) override;
  void close(bool token_ended) override;
  void abort() override;
  [[nodiscard]] const std::string &token() const override { return token_; }

private:
  void read_next();
  void write_next();
  void finish(); // leaves the hub

  boost::beast::websocket::stream<Stream> ws_;
  TelemetryHub &hub_;
  std::string token_;
  boost::beast::flat_buffer read_buffer_;
  std::deque<TelemetryText> queue_;
  TelemetryText writing_; // the frame being written (kept alive until the write completes)
  bool closing_ = false;
  bool close_for_token_ = false;
  bool finished_ = false;
};

class TelemetryHub {
public:
  // Joins a client; beyond kMaxTelemetryClients the oldest is dropped for it.
  void add(std::shared_ptr<TelemetrySink> client);
  void remove(const TelemetrySink *client);
  void broadcast(const TelemetryText &frame);
  // Closes the clients whose token has ended (logout or expiry), without counting as use. While
  // `session_under_way`, a watching client's login is first held live for kWatchHold: a login
  // does not lapse under a page that shows a session, its alarms and its STOP state (an
  // operator's 12 h or a technician's 15 idle minutes ending mid-treatment blanked the page).
  void close_ended_tokens(Auth &auth, bool session_under_way);
  static constexpr std::chrono::seconds kWatchHold{60};
  // Drops the oldest client (the connection budget's last resort); false when there is none.
  bool evict_oldest();
  void abort_all();
  [[nodiscard]] std::size_t size() const { return clients_.size(); }

private:
  std::vector<std::shared_ptr<TelemetrySink>> clients_; // oldest first
};

} // namespace tractus::console
