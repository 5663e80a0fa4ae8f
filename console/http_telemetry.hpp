// The telemetry WebSocket (docs/console.md, "Telemetry"): each frame is serialised once and
// handed to every connected client. A client that cannot keep up loses its oldest frames
// (the sequence numbers show the gap); it never slows the others, never blocks the I/O thread,
// and never makes the server's memory grow. Everything here runs on the I/O thread.
#pragma once

#include "console/http_policy.hpp"

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>

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

class TelemetryClient : public std::enable_shared_from_this<TelemetryClient> {
public:
  TelemetryClient(boost::beast::tcp_stream stream, TelemetryHub &hub, std::string token);
  // Completes the upgrade of `request`; joins the hub once it succeeds.
  void accept(const HttpRequest &request);
  // Queues a frame, dropping the oldest queued one beyond kClientQueueFrames.
  void send(const TelemetryText &frame);
  // Ends the connection with a WebSocket close frame (1008 when its token ended).
  void close(bool token_ended);
  // Drops the connection at once (the server is stopping).
  void abort();
  [[nodiscard]] const std::string &token() const { return token_; }
  [[nodiscard]] std::size_t queued() const { return queue_.size(); }

private:
  void read_next();
  void write_next();
  void finish(); // leaves the hub

  boost::beast::websocket::stream<boost::beast::tcp_stream> ws_;
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
  void add(std::shared_ptr<TelemetryClient> client);
  void remove(const TelemetryClient *client);
  void broadcast(const TelemetryText &frame);
  // Closes the clients whose token has ended (logout or expiry), without counting as use.
  void close_ended_tokens(const Auth &auth);
  void abort_all();
  [[nodiscard]] std::size_t size() const { return clients_.size(); }

private:
  std::vector<std::shared_ptr<TelemetryClient>> clients_;
};

} // namespace tractus::console
