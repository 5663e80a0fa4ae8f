#include "connection_flood.hpp"

#include <boost/asio/write.hpp>

#include <string>

namespace tractus::testing {
namespace asio = boost::asio;

namespace {
// A request that never ends: the server waits for the rest of its headers.
const std::string kHalfRequest = "GET /api/info HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Pad: ";
} // namespace

ConnectionFlood::ConnectionFlood(std::uint16_t port, int count)
    : server_(asio::ip::make_address("127.0.0.1"), port) {
  for (int i = 0; i < count; ++i) {
    slots_.push_back(std::make_unique<Slot>(io_));
    slots_.back()->speaks = i % 2 == 1;
    open(*slots_.back());
  }
  thread_ = std::thread([this] { io_.run(); });
}

ConnectionFlood::~ConnectionFlood() {
  stopping_ = true;
  io_.stop();
  thread_.join(); // the sockets close with slots_
}

void ConnectionFlood::open(Slot &slot) {
  boost::system::error_code ignored;
  slot.socket.close(ignored);
  slot.socket.async_connect(server_, [this, &slot](boost::system::error_code ec) {
    if (stopping_) return;
    if (ec) return open(slot); // refused or reset: again, as a flood would
    if (!slot.speaks) return wait_for_close(slot);
    asio::async_write(slot.socket, asio::buffer(kHalfRequest),
                      [this, &slot](boost::system::error_code e, std::size_t) {
                        if (stopping_) return;
                        if (e) {
                          ++reopened_;
                          return open(slot);
                        }
                        wait_for_close(slot);
                      });
  });
}

void ConnectionFlood::wait_for_close(Slot &slot) {
  slot.socket.async_read_some(asio::buffer(slot.buffer),
                              [this, &slot](boost::system::error_code ec, std::size_t) {
                                if (stopping_) return;
                                if (!ec) return wait_for_close(slot); // an answer: read on
                                ++reopened_;
                                open(slot);
                              });
}

} // namespace tractus::testing
