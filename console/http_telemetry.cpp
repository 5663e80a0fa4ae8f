#include "console/http_telemetry.hpp"

#include "console/auth.hpp"
#include "console/http_session.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <algorithm>

namespace tractus::console {
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

template <class Stream>
TelemetryClient<Stream>::TelemetryClient(Stream stream, TelemetryHub &hub, std::string token)
    : ws_(std::move(stream)), hub_(hub), token_(std::move(token)) {}

template <class Stream> void TelemetryClient<Stream>::accept(const HttpRequest &request) {
  // The WebSocket's own timeouts (handshake, idle with keep-alive pings) replace the HTTP
  // read deadline from here on.
  beast::get_lowest_layer(ws_).expires_never();
  ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
  ws_.set_option(websocket::stream_base::decorator([](websocket::response_type &response) {
    response.set(beast::http::field::server, "tractus/" TRACTUS_VERSION);
  }));
  // The page sends nothing but control frames; a big message is not ours.
  ws_.read_message_max(1024);
  ws_.text(true);
  ws_.async_accept(request, [self = this->shared_from_this()](beast::error_code ec) {
    if (ec) return;
    self->hub_.add(self);
    self->read_next();
  });
}

template <class Stream> void TelemetryClient<Stream>::read_next() {
  ws_.async_read(read_buffer_,
                 [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                   if (ec) return self->finish(); // closed by the page, timed out, or too big
                   self->read_buffer_.clear();    // nothing the page says is needed
                   self->read_next();
                 });
}

template <class Stream> void TelemetryClient<Stream>::send(const TelemetryText &frame) {
  if (closing_ || finished_) return;
  if (queue_.size() >= kClientQueueFrames) queue_.pop_front();
  queue_.push_back(frame);
  if (!writing_) write_next();
}

template <class Stream> void TelemetryClient<Stream>::write_next() {
  if (closing_) {
    queue_.clear();
    ws_.async_close(close_for_token_ ? websocket::close_code::policy_error
                                     : websocket::close_code::going_away,
                    [self = this->shared_from_this()](beast::error_code) { self->finish(); });
    return;
  }
  if (queue_.empty()) return;
  writing_ = std::move(queue_.front());
  queue_.pop_front();
  ws_.async_write(boost::asio::buffer(*writing_),
                  [self = this->shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_.reset();
                    if (ec) return self->finish();
                    self->write_next();
                  });
}

template <class Stream> void TelemetryClient<Stream>::close(bool token_ended) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_for_token_ = token_ended;
  // One write at a time: a write in progress sends the close frame when it completes.
  if (!writing_) write_next();
}

template <class Stream> void TelemetryClient<Stream>::abort() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  finish();
}

template <class Stream> void TelemetryClient<Stream>::finish() {
  if (finished_) return;
  finished_ = true;
  hub_.remove(this);
}

template class TelemetryClient<PlainStream>;
template class TelemetryClient<TlsStream>;

void TelemetryHub::add(std::shared_ptr<TelemetrySink> client) {
  if (clients_.size() >= kMaxTelemetryClients) evict_oldest();
  clients_.push_back(std::move(client));
}

void TelemetryHub::remove(const TelemetrySink *client) {
  std::erase_if(clients_, [client](const auto &c) { return c.get() == client; });
}

void TelemetryHub::broadcast(const TelemetryText &frame) {
  for (const auto &client : clients_)
    client->send(frame);
}

void TelemetryHub::close_ended_tokens(Auth &auth, bool session_under_way) {
  // A copy: a close can complete (and remove its client) only later, but be safe regardless.
  const auto clients = clients_;
  for (const auto &client : clients) {
    if (session_under_way) auth.hold(client->token(), kWatchHold);
    if (!auth.peek(client->token()).ok()) client->close(true);
  }
}

bool TelemetryHub::evict_oldest() {
  if (clients_.empty()) return false;
  const auto oldest = clients_.front(); // abort() removes it from clients_
  oldest->abort();
  return true;
}

void TelemetryHub::abort_all() {
  const auto clients = clients_;
  for (const auto &client : clients)
    client->abort();
  clients_.clear();
}

} // namespace tractus::console
