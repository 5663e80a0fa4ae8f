// A hostile crowd for the console's connection budget: `count` connections to 127.0.0.1:port
// that never finish a request — silent ones, and ones that send half a request line and stop
// (slowloris) — each reopened at once whenever the server closes it. Runs on its own thread
// until destroyed.
#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <thread>
#include <vector>

namespace tractus::testing {

class ConnectionFlood {
public:
  // Half the connections silent, half sending a request's start; the first are opened before
  // the constructor returns (all connects issued, not necessarily accepted).
  ConnectionFlood(std::uint16_t port, int count);
  ~ConnectionFlood();
  ConnectionFlood(const ConnectionFlood &) = delete;
  ConnectionFlood &operator=(const ConnectionFlood &) = delete;

  // Connections the server closed (each reopened at once).
  [[nodiscard]] std::uint64_t reopened() const { return reopened_; }

private:
  struct Slot {
    explicit Slot(boost::asio::io_context &io) : socket(io) {}
    boost::asio::ip::tcp::socket socket;
    std::array<char, 512> buffer{};
    bool speaks = false;
  };
  void open(Slot &slot);
  void wait_for_close(Slot &slot);

  boost::asio::io_context io_;
  boost::asio::ip::tcp::endpoint server_;
  std::vector<std::unique_ptr<Slot>> slots_;
  std::atomic<std::uint64_t> reopened_{0};
  std::atomic<bool> stopping_{false};
  std::thread thread_;
};

} // namespace tractus::testing
