// One libmodbus context: a TCP connection to one device, or the RS-485 line all three share.
//
// What it keeps from libmodbus's issue tracker (REFERENCE.md, "libmodbus lessons"):
// - A context is not thread-safe: a Link belongs to the loop thread while a loop runs;
//   connect()/reconnect happen before or between runs, never during a cycle.
// - The response timeout bounds the whole reply (the byte timeout is disabled, so libmodbus
//   waits at most the response timeout for a complete frame), and is a few ms, not 500 ms.
// - MODBUS_ERROR_RECOVERY_NONE: no retry, no sleep, no reconnect inside a transaction (LINK
//   recovery can block for seconds). A timeout is a fault reading, reported as such.
// - A reply that arrives after its timeout would be taken for the answer to the next request,
//   so after any failed transaction the next one first discards what is waiting (modbus_flush,
//   non-blocking). Over TCP the transaction id catches what still slips through (a bad reply).
// - A broken connection (reset, refused, EOF, I/O error on the port) closes the context; further
//   transactions answer Disconnected at once until reconnect().
// Transactions are noexcept and never allocate.
#pragma once

#include "hal/hal.hpp"
#include "hal/modbus/modbus_address.hpp"
#include "hal/register_map.hpp"

#include <modbus.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

namespace tractus::hal::modbus {

struct LinkCounters {
  std::uint64_t ok = 0, timeouts = 0, exceptions = 0, bad_replies = 0, disconnects = 0;
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

private:
  Link(modbus_t *ctx, std::string where);
  IoStatus finish(int rc, int expected) noexcept;

  modbus_t *ctx_ = nullptr;
  std::string where_;
  bool connected_ = false;
  bool flush_first_ = false;
  Duration timeout_ = kDefaultTcpTimeout;
  int last_errno_ = 0;
  int last_exception_ = 0;
  // Read by diagnostics from other threads; written only by the thread doing transactions.
  std::atomic<std::uint64_t> ok_{0}, timeouts_{0}, exceptions_{0}, bad_{0}, disconnects_{0};
};

} // namespace tractus::hal::modbus
