// How tractus-sim's devices reach the wire: Modbus TCP (several clients at once) or Modbus RTU
// on a serial device or pseudo-terminal, both served from one poll loop that also moves the
// plant in real time.
//
//   TableRegisters table(plant_config(preset), seed, injections);
//   TcpTransport tcp(table, "127.0.0.1", 0);     // port 0: the system picks a free port
//   run_server(table, tcp, stop);                 // until `stop` (SIGINT/SIGTERM) is set
//
// The loop wakes at every 1 ms step of a steady clock (and whenever a request arrives), steps
// the plant up to the present, answers what came in, and sends delayed replies when due. The
// wire-level triggers of regmap::sim_control act here: a delay holds the reply, drop sends
// nothing (the request still acts), an exception replaces the reply (the request does not act),
// and corrupt damages the frame — over RTU the CRC, over TCP (which has none) the byte count,
// so a client sees a reply that does not decode.
#pragma once

#include "sim/server/modbus_pdu.hpp"
#include "sim/server/table_registers.hpp"

#include <poll.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <span>
#include <string>
#include <vector>

namespace tractus::sim::server {

// The device's answer to one request, before framing.
struct Answer {
  std::size_t length = 0; // 0: no reply
  std::array<std::uint8_t, kMaxPdu> pdu{};
  WireFault fault{};
};
Answer answer_request(TableRegisters &table, std::uint8_t unit, std::span<const std::uint8_t> pdu);

// Replies held back by a delay trigger, in the order they are due.
class DelayQueue {
public:
  struct Pending {
    Micros due;
    int client; // transport's connection id
    std::vector<std::uint8_t> frame;
  };
  void push(Pending p);
  // Removes and returns the replies due at `now`.
  std::vector<Pending> take_due(Micros now);
  [[nodiscard]] Micros next_due() const noexcept;

private:
  static constexpr std::size_t kMax = 256; // beyond this the oldest are dropped
  std::deque<Pending> pending_;
};

class Transport {
public:
  virtual ~Transport() = default;
  virtual void collect(std::vector<pollfd> &fds) = 0;
  virtual void service(std::span<const pollfd> fds, Micros now) = 0;
  // Sends the delayed replies due at `now`; returns when the next one is due.
  virtual Micros send_due(Micros now) = 0;
  [[nodiscard]] virtual std::string address() const = 0; // for the banner
};

class TcpTransport final : public Transport {
public:
  // Binds and listens; throws std::runtime_error naming the address and the reason.
  TcpTransport(TableRegisters &table, const std::string &host, std::uint16_t port);
  ~TcpTransport() override;
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }

  void collect(std::vector<pollfd> &fds) override;
  void service(std::span<const pollfd> fds, Micros now) override;
  Micros send_due(Micros now) override;
  [[nodiscard]] std::string address() const override;

private:
  struct Client {
    int fd = -1;
    int id = 0;
    std::vector<std::uint8_t> rx, tx;
  };
  static constexpr std::size_t kMaxClients = 32;
  void accept_clients();
  bool read_requests(Client &c, Micros now); // false: close the connection
  void send(Client &c, const std::uint8_t *data, std::size_t n);
  Client *find(int id);

  TableRegisters &table_;
  std::string host_;
  std::uint16_t port_ = 0;
  int listen_fd_ = -1;
  int next_id_ = 1;
  std::vector<Client> clients_;
  DelayQueue delayed_;
};

struct SerialSettings {
  std::string device;
  int baud = 115200;
  char parity = 'E';
  int data_bits = 8;
  int stop_bits = 1;
};

class RtuTransport final : public Transport {
public:
  // Opens and configures the serial device; throws std::runtime_error on failure.
  RtuTransport(TableRegisters &table, const SerialSettings &settings);
  ~RtuTransport() override;

  void collect(std::vector<pollfd> &fds) override;
  void service(std::span<const pollfd> fds, Micros now) override;
  Micros send_due(Micros now) override;
  [[nodiscard]] std::string address() const override;

private:
  void frames(Micros now);
  void send(const std::uint8_t *data, std::size_t n);

  TableRegisters &table_;
  SerialSettings settings_;
  int fd_ = -1;
  std::vector<std::uint8_t> rx_;
  Micros last_byte_ = 0;
  Micros silence_ = 0; // a pause this long ends a partial frame (resynchronisation)
  DelayQueue delayed_;
  std::uint64_t crc_errors_ = 0;
};

// Runs until `stop` is set. Returns the number of requests served.
std::uint64_t run_server(TableRegisters &table, Transport &transport,
                         const std::atomic<bool> &stop);

} // namespace tractus::sim::server
