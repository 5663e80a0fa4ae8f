#include "console/http_telemetry.hpp"

#include "console/auth.hpp"

#include <boost/asio/buffer.hpp>

#include <algorithm>

namespace tractus::console {
namespace beast = boost::beast;
namespace websocket = boost::beast::websocket;

TelemetryClient::TelemetryClient(beast::tcp_stream stream, TelemetryHub &hub, std::string token)
    : ws_(std::move(stream)), hub_(hub), token_(std::move(token)) {}

void TelemetryClient::accept(const HttpRequest &request) {
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
  ws_.async_accept(request, [self = shared_from_this()](beast::error_code ec) {
    if (ec) return;
    self->hub_.add(self);
    self->read_next();
  });
}

void TelemetryClient::read_next() {
  ws_.async_read(read_buffer_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
    if (ec) return self->finish(); // closed by the page, timed out, or too big
    self->read_buffer_.clear();    // nothing the page says is needed
    self->read_next();
  });
}

void TelemetryClient::send(const TelemetryText &frame) {
  if (closing_ || finished_) return;
  if (queue_.size() >= kClientQueueFrames) queue_.pop_front();
  queue_.push_back(frame);
  if (!writing_) write_next();
}

void TelemetryClient::write_next() {
  if (closing_) {
    queue_.clear();
    ws_.async_close(close_for_token_ ? websocket::close_code::policy_error
                                     : websocket::close_code::going_away,
                    [self = shared_from_this()](beast::error_code) { self->finish(); });
    return;
  }
  if (queue_.empty()) return;
  writing_ = std::move(queue_.front());
  queue_.pop_front();
  ws_.async_write(boost::asio::buffer(*writing_),
                  [self = shared_from_this()](beast::error_code ec, std::size_t) {
                    self->writing_.reset();
                    if (ec) return self->finish();
                    self->write_next();
                  });
}

void TelemetryClient::close(bool token_ended) {
  if (closing_ || finished_) return;
  closing_ = true;
  close_for_token_ = token_ended;
  // One write at a time: a write in progress sends the close frame when it completes.
  if (!writing_) write_next();
}

void TelemetryClient::abort() {
  beast::error_code ignored;
  beast::get_lowest_layer(ws_).socket().close(ignored);
  finish();
}

void TelemetryClient::finish() {
  if (finished_) return;
  finished_ = true;
  hub_.remove(this);
}

void TelemetryHub::add(std::shared_ptr<TelemetryClient> client) {
  clients_.push_back(std::move(client));
}

void TelemetryHub::remove(const TelemetryClient *client) {
  std::erase_if(clients_, [client](const auto &c) { return c.get() == client; });
}

void TelemetryHub::broadcast(const TelemetryText &frame) {
  for (const auto &client : clients_)
    client->send(frame);
}

void TelemetryHub::close_ended_tokens(const Auth &auth) {
  // A copy: a close can complete (and remove its client) only later, but be safe regardless.
  const auto clients = clients_;
  for (const auto &client : clients)
    if (!auth.peek(client->token()).ok()) client->close(true);
}

void TelemetryHub::abort_all() {
  const auto clients = clients_;
  for (const auto &client : clients)
    client->abort();
  clients_.clear();
}

} // namespace tractus::console
