#include "hal/modbus/modbus_link.hpp"

#include <cerrno>
#include <cmath>
#include <stdexcept>

namespace tractus::hal::modbus {

namespace {
constexpr auto kRelaxed = std::memory_order_relaxed;

bool is_exception(int e) {
  return e > MODBUS_ENOBASE && e <= MODBUS_ENOBASE + MODBUS_EXCEPTION_GATEWAY_TARGET;
}
// The connection itself is gone (peer closed or reset, port unplugged): reconnect, not retry.
bool is_broken(int e) {
  return e == ECONNRESET || e == EPIPE || e == ENOTCONN || e == EBADF || e == ECONNREFUSED ||
         e == EIO || e == ENXIO || e == ENODEV || e == ECONNABORTED || e == EHOSTUNREACH ||
         e == ENETUNREACH;
}
} // namespace

Link::Link(modbus_t *ctx, std::string where) : ctx_(ctx), where_(std::move(where)) {
  // No automatic recovery of any kind inside a transaction (see the header).
  modbus_set_error_recovery(ctx_, MODBUS_ERROR_RECOVERY_NONE);
  // Byte timeout off: the response timeout then bounds the complete reply.
  modbus_set_byte_timeout(ctx_, 0, 0);
  set_response_timeout(timeout_);
}

Link::~Link() {
  close();
  modbus_free(ctx_);
}

std::unique_ptr<Link> Link::tcp(const TcpEndpoint &endpoint) {
  const std::string service = std::to_string(endpoint.port);
  modbus_t *ctx = modbus_new_tcp_pi(endpoint.host.c_str(), service.c_str());
  const bool v6 = endpoint.host.find(':') != std::string::npos;
  const std::string where = (v6 ? "[" + endpoint.host + "]" : endpoint.host) + ":" + service;
  if (ctx == nullptr)
    throw std::runtime_error("cannot create a Modbus TCP context for " + where + ": " +
                             modbus_strerror(errno));
  return std::unique_ptr<Link>(new Link(ctx, where));
}

std::unique_ptr<Link> Link::rtu(const RtuLine &line) {
  modbus_t *ctx =
      modbus_new_rtu(line.device.c_str(), line.baud, line.parity, line.data_bits, line.stop_bits);
  const std::string where = line.device;
  if (ctx == nullptr)
    throw std::runtime_error("cannot create a Modbus RTU context for " + where + ": " +
                             modbus_strerror(errno));
  return std::unique_ptr<Link>(new Link(ctx, where));
}

std::string Link::connect() {
  close();
  // Over TCP libmodbus waits for the connection at most the response timeout; the caller sets
  // a start-up timeout before, and the cycle's timeout after.
  if (modbus_connect(ctx_) == -1) {
    last_errno_ = errno;
    return modbus_strerror(last_errno_);
  }
  connected_ = true;
  flush_first_ = true; // whatever an earlier connection left in the port is not ours
  return {};
}

void Link::close() noexcept {
  if (connected_) modbus_close(ctx_);
  connected_ = false;
}

void Link::set_response_timeout(Duration timeout) noexcept {
  timeout_ = timeout;
  const double us = std::max(1.0, std::round(timeout.si() * 1e6));
  const auto whole = static_cast<std::uint32_t>(us / 1e6);
  const auto rest = static_cast<std::uint32_t>(us - static_cast<double>(whole) * 1e6);
  modbus_set_response_timeout(ctx_, whole, rest);
}

IoStatus Link::finish(int rc, int expected) noexcept {
  if (rc == expected) {
    ok_.fetch_add(1, kRelaxed);
    return IoStatus::Ok;
  }
  last_errno_ = rc < 0 ? errno : EMBBADDATA;
  if (last_errno_ == ETIMEDOUT) {
    timeouts_.fetch_add(1, kRelaxed);
    flush_first_ = true; // the late reply, if it comes, is not the next request's
    return IoStatus::Timeout;
  }
  if (is_exception(last_errno_)) {
    exceptions_.fetch_add(1, kRelaxed);
    last_exception_ = last_errno_ - MODBUS_ENOBASE;
    return IoStatus::Exception; // a complete reply: nothing left to discard
  }
  if (is_broken(last_errno_)) {
    disconnects_.fetch_add(1, kRelaxed);
    close();
    return IoStatus::Disconnected;
  }
  bad_.fetch_add(1, kRelaxed);
  flush_first_ = true; // the rest of a damaged frame may still be arriving
  return IoStatus::BadReply;
}

IoStatus Link::read(std::uint8_t unit, regmap::Span span, std::uint16_t *dest) noexcept {
  if (!connected_) return IoStatus::Disconnected;
  if (flush_first_) {
    modbus_flush(ctx_);
    flush_first_ = false;
  }
  modbus_set_slave(ctx_, unit);
  return finish(modbus_read_registers(ctx_, span.start, span.count, dest), span.count);
}

IoStatus Link::write(std::uint8_t unit, regmap::Span span, const std::uint16_t *src) noexcept {
  if (!connected_) return IoStatus::Disconnected;
  if (flush_first_) {
    modbus_flush(ctx_);
    flush_first_ = false;
  }
  modbus_set_slave(ctx_, unit);
  return finish(modbus_write_registers(ctx_, span.start, span.count, src), span.count);
}

IoStatus Link::write_read(std::uint8_t unit, regmap::Span write, const std::uint16_t *src,
                          regmap::Span read, std::uint16_t *dest) noexcept {
  if (!connected_) return IoStatus::Disconnected;
  if (flush_first_) {
    modbus_flush(ctx_);
    flush_first_ = false;
  }
  modbus_set_slave(ctx_, unit);
  return finish(modbus_write_and_read_registers(ctx_, write.start, write.count, src, read.start,
                                                read.count, dest),
                read.count);
}

const char *Link::last_error() const noexcept { return modbus_strerror(last_errno_); }

LinkCounters Link::counters() const noexcept {
  return {ok_.load(kRelaxed), timeouts_.load(kRelaxed), exceptions_.load(kRelaxed),
          bad_.load(kRelaxed), disconnects_.load(kRelaxed)};
}

} // namespace tractus::hal::modbus
