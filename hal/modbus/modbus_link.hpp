// One libmodbus context: a TCP connection to one device, or the RS-485 line all three share.
//
// What it keeps from libmodbus's issue tracker (REFERENCE.md, "libmodbus lessons"):
// - A context is not thread-safe: a Link belongs to the loop thread while a loop runs;
//   connect()/reconnect happen before or between runs, never during a cycle.
// - The response timeout bounds the whole reply (the byte timeout is disabled, so libmodbus
//   waits at most the response timeout for a complete frame), and is a few ms, not 500 ms.
// - MODBUS_ERROR_RECOVERY_NONE: no retry, no sleep, no reconnect inside a transaction (LINK
//   recovery can block for seconds). A timeout is a fault reading, reported as such.
// - A reply that arrives after its timeout must never be taken for the answer to the next
//   request. Over TCP each request carries its own transaction id and the reply is matched by
//   it: a frame with another id (a late reply) is read and dropped within the same transaction,
//   which still gets its own answer (libmodbus would fail it as a bad reply, and a single late
//   reply then failed the next transaction too). Over RTU, which has no id, the next transaction
//   after a failed one first discards what waits in the port (modbus_flush, non-blocking).
// - A broken connection (reset, refused, EOF, I/O error on the port) closes the context; further
//   transactions answer Disconnected at once until reconnect().
// Transactions are noexcept and never allocate.
#pragma once

#include "hal/hal.hpp"
#include "hal/modbus/modbus_address.hpp"
#include "hal/modbus/serial_latency.hpp"
#include "hal/register_map.hpp"

#include <modbus.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace tractus::hal::modbus {

struct LinkCounters {
  std::uint64_t ok = 0, timeouts = 0, exceptions = 0, bad_replies = 0, disconnects = 0;
  std::uint64_t late_discarded = 0; // late replies dropped by transaction id (TCP)
};

class Link {
public:
  // Creates the context (no I/O yet). Throws std::runtime_error if libmodbus refuses the
  // parameters.
  static std::unique_ptr<Link> tcp(const TcpEndpoint &endpoint);
  static std::unique_ptr<Link> rtu(const RtuLine &line);
  ~Link();
  Link(const Link &) = delete;
  Link &operator=(const Link &) = delete;

  // Start-up or between runs only: (re)opens the connection (over TCP waiting at most the
  // response timeout for it).
  // Empty on success, otherwise why (e.g. "Connection refused").
  std::string connect();
  void close() noexcept;
  [[nodiscard]] bool connected() const noexcept { return connected_; }

  // The response timeout of every following transaction.
  void set_response_timeout(Duration timeout) noexcept;
  [[nodiscard]] Duration response_timeout() const noexcept { return timeout_; }

  // One transaction each (functions 3, 16 and 23).
  IoStatus read(std::uint8_t unit, regmap::Span span, std::uint16_t *dest) noexcept;
  IoStatus write(std::uint8_t unit, regmap::Span span, const std::uint16_t *src) noexcept;
  IoStatus write_read(std::uint8_t unit, regmap::Span write, const std::uint16_t *src,
                      regmap::Span read, std::uint16_t *dest) noexcept;

  // The last failure in words (libmodbus's static message, e.g. "Connection timed out").
  [[nodiscard]] const char *last_error() const noexcept;
  // The Modbus exception code of the last Exception reply (1 illegal function, 2 illegal data
  // address, 3 illegal data value, 4 server failure, ...).
  [[nodiscard]] int last_exception() const noexcept { return last_exception_; }
  [[nodiscard]] LinkCounters counters() const noexcept;
  [[nodiscard]] const std::string &where() const noexcept { return where_; }
  // Over RTU, what the serial port answered to the low-latency request of the last connect()
  // (serial_latency.hpp); over TCP, empty.
  [[nodiscard]] const SerialLatency &serial_latency() const noexcept { return serial_latency_; }

private:
  Link(modbus_t *ctx, std::string where, bool tcp);
  IoStatus finish(int rc, int expected) noexcept;
  // Over TCP: sends `pdu` framed with the next transaction id and waits (at most the response
  // timeout) for the reply carrying that id; copies the reply's PDU to `reply` (kMaxPdu bytes).
  IoStatus transact_tcp(std::uint8_t unit, const std::uint8_t *pdu, std::size_t pdu_length,
                        std::uint8_t *reply, std::size_t &reply_length) noexcept;
  // The registers of a function 3/23 reply, or BadReply/Exception.
  IoStatus registers_reply(std::uint8_t function, const std::uint8_t *reply, std::size_t length,
                           std::uint16_t count, std::uint16_t *dest) noexcept;
  IoStatus failed(IoStatus status, int error) noexcept;

  static constexpr std::size_t kMaxPdu = 253;         // Modbus Application Protocol §4.1
  static constexpr std::size_t kMaxAdu = 7 + kMaxPdu; // MBAP header + PDU

  modbus_t *ctx_ = nullptr;
  std::string where_;
  bool tcp_ = false;
  bool connected_ = false;
  bool flush_first_ = false;
  std::uint16_t transaction_id_ = 0;
  // Bytes received over TCP and not yet consumed: the start of a late frame still arriving.
  std::uint8_t rx_[2 * kMaxAdu] = {};
  std::size_t rx_length_ = 0;
  Duration timeout_ = kDefaultTcpTimeout;
  int last_errno_ = 0;
  int last_exception_ = 0;
  SerialLatency serial_latency_{};
  // Read by diagnostics from other threads; written only by the thread doing transactions.
  std::atomic<std::uint64_t> ok_{0}, timeouts_{0}, exceptions_{0}, bad_{0}, disconnects_{0},
      late_{0};
};

} // namespace tractus::hal::modbus
