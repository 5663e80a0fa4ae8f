#include "hal/modbus/modbus_link.hpp"
#include "text/host_port.hpp"

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/socket.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstring>
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

std::int64_t monotonic_ns() noexcept {
  timespec t{};
  clock_gettime(CLOCK_MONOTONIC, &t);
  return static_cast<std::int64_t>(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

std::uint8_t hi(std::uint16_t v) { return static_cast<std::uint8_t>(v >> 8); }
std::uint8_t lo(std::uint16_t v) { return static_cast<std::uint8_t>(v & 0xFF); }
std::uint16_t word(const std::uint8_t *p) {
  return static_cast<std::uint16_t>((unsigned{p[0]} << 8) | unsigned{p[1]});
}
std::size_t put(std::uint8_t *p, std::uint16_t v) {
  p[0] = hi(v);
  p[1] = lo(v);
  return 2;
}
} // namespace

Link::Link(modbus_t *ctx, std::string where, bool tcp)
    : ctx_(ctx), where_(std::move(where)), tcp_(tcp) {
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
  const std::string where = text::host_port_text(endpoint.host, endpoint.port);
  if (ctx == nullptr)
    throw std::runtime_error("cannot create a Modbus TCP context for " + where + ": " +
                             modbus_strerror(errno));
  return std::unique_ptr<Link>(new Link(ctx, where, true));
}

std::unique_ptr<Link> Link::rtu(const RtuLine &line) {
  modbus_t *ctx =
      modbus_new_rtu(line.device.c_str(), line.baud, line.parity, line.data_bits, line.stop_bits);
  const std::string where = line.device;
  if (ctx == nullptr)
    throw std::runtime_error("cannot create a Modbus RTU context for " + where + ": " +
                             modbus_strerror(errno));
  return std::unique_ptr<Link>(new Link(ctx, where, false));
}

std::string Link::connect() {
  close();
  // Over TCP libmodbus waits for the connection at most the response timeout; the caller sets
  // a start-up timeout before, and the cycle's timeout after.
  if (modbus_connect(ctx_) == -1) {
    last_errno_ = errno;
    return modbus_strerror(last_errno_);
  }
  if (tcp_) {
    // libmodbus already turns Nagle off; said again here because a request held back for an
    // ACK would wait out the response timeout (docs/performance.md, "Where stalls came from").
    int one = 1;
    setsockopt(modbus_get_socket(ctx_), IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  } else {
    // A USB adapter's default 16 ms latency timer would outlast RTU's 10 ms response timeout
    // (serial_latency.hpp).
    serial_latency_ = request_low_latency(modbus_get_socket(ctx_), where_);
  }
  connected_ = true;
  flush_first_ = true; // whatever an earlier connection left in the port is not ours
  rx_length_ = 0;
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

IoStatus Link::failed(IoStatus status, int error) noexcept {
  last_errno_ = error;
  switch (status) {
  case IoStatus::Timeout: timeouts_.fetch_add(1, kRelaxed); break;
  case IoStatus::Exception: exceptions_.fetch_add(1, kRelaxed); break;
  case IoStatus::Disconnected:
    disconnects_.fetch_add(1, kRelaxed);
    close();
    break;
  case IoStatus::BadReply:
    bad_.fetch_add(1, kRelaxed);
    // The frame boundaries are lost: drop what was received and what waits in the socket.
    rx_length_ = 0;
    modbus_flush(ctx_);
    break;
  case IoStatus::Ok: break;
  }
  return status;
}

IoStatus Link::transact_tcp(std::uint8_t unit, const std::uint8_t *pdu, std::size_t pdu_length,
                            std::uint8_t *reply, std::size_t &reply_length) noexcept {
  const int fd = modbus_get_socket(ctx_);
  transaction_id_ = static_cast<std::uint16_t>(transaction_id_ + 1);
  std::uint8_t adu[kMaxAdu];
  std::size_t n = put(adu, transaction_id_);
  n += put(adu + n, 0); // protocol: Modbus
  n += put(adu + n, static_cast<std::uint16_t>(pdu_length + 1));
  adu[n++] = unit;
  std::memcpy(adu + n, pdu, pdu_length);
  n += pdu_length;
  // A request of a few bytes always fits the socket's buffer: this send does not wait.
  const ssize_t sent = ::send(fd, adu, n, MSG_NOSIGNAL);
  if (sent != static_cast<ssize_t>(n))
    return failed(sent < 0 && is_broken(errno) ? IoStatus::Disconnected : IoStatus::BadReply,
                  sent < 0 ? errno : EMBBADDATA);

  const std::int64_t deadline = monotonic_ns() + static_cast<std::int64_t>(timeout_.si() * 1e9);
  for (;;) {
    // Whole frames first: each is ours (by its id) or a late reply, dropped and counted.
    while (rx_length_ >= 7) {
      const std::size_t length = word(rx_ + 4); // unit + PDU
      if (word(rx_ + 2) != 0 || length < 2 || length > kMaxPdu + 1)
        return failed(IoStatus::BadReply, EMBBADDATA);
      const std::size_t frame = 6 + length;
      if (rx_length_ < frame) break;
      const bool ours = word(rx_) == transaction_id_;
      if (ours) {
        if (rx_[6] != unit) return failed(IoStatus::BadReply, EMBBADDATA);
        reply_length = length - 1;
        std::memcpy(reply, rx_ + 7, reply_length);
      } else {
        late_.fetch_add(1, kRelaxed);
      }
      std::memmove(rx_, rx_ + frame, rx_length_ - frame);
      rx_length_ -= frame;
      if (ours) return IoStatus::Ok;
    }
    const std::int64_t left = deadline - monotonic_ns();
    if (left <= 0) return failed(IoStatus::Timeout, ETIMEDOUT); // what came so far is kept
    pollfd p{fd, POLLIN, 0};
    const timespec wait{static_cast<time_t>(left / 1'000'000'000),
                        static_cast<long>(left % 1'000'000'000)};
    const int ready = ppoll(&p, 1, &wait, nullptr);
    if (ready < 0 && errno != EINTR) return failed(IoStatus::Disconnected, errno);
    if (ready <= 0) continue;
    const ssize_t got = ::recv(fd, rx_ + rx_length_, sizeof rx_ - rx_length_, MSG_DONTWAIT);
    if (got == 0) return failed(IoStatus::Disconnected, ECONNRESET); // the peer closed
    if (got < 0) {
      if (errno == EAGAIN || errno == EINTR) continue;
      return failed(is_broken(errno) ? IoStatus::Disconnected : IoStatus::BadReply, errno);
    }
    rx_length_ += static_cast<std::size_t>(got);
  }
}

IoStatus Link::registers_reply(std::uint8_t function, const std::uint8_t *reply, std::size_t length,
                               std::uint16_t count, std::uint16_t *dest) noexcept {
  if (length == 2 && reply[0] == (function | 0x80)) {
    last_exception_ = reply[1];
    return failed(IoStatus::Exception, MODBUS_ENOBASE + reply[1]);
  }
  if (reply[0] != function || length != 2 + 2 * std::size_t{count} || reply[1] != 2 * count)
    return failed(IoStatus::BadReply, EMBBADDATA);
  for (std::uint16_t i = 0; i < count; ++i)
    dest[i] = word(reply + 2 + 2 * i);
  ok_.fetch_add(1, kRelaxed);
  return IoStatus::Ok;
}

IoStatus Link::read(std::uint8_t unit, regmap::Span span, std::uint16_t *dest) noexcept {
  if (!connected_) return IoStatus::Disconnected;
  if (tcp_) {
    std::uint8_t pdu[5] = {0x03};
    put(pdu + 1, span.start);
    put(pdu + 3, span.count);
    std::uint8_t reply[kMaxPdu];
    std::size_t length = 0;
    const IoStatus io = transact_tcp(unit, pdu, sizeof pdu, reply, length);
    if (io != IoStatus::Ok) return io;
    return registers_reply(0x03, reply, length, span.count, dest);
  }
  if (flush_first_) {
    modbus_flush(ctx_);
    flush_first_ = false;
  }
  modbus_set_slave(ctx_, unit);
  return finish(modbus_read_registers(ctx_, span.start, span.count, dest), span.count);
}

IoStatus Link::write(std::uint8_t unit, regmap::Span span, const std::uint16_t *src) noexcept {
  if (!connected_) return IoStatus::Disconnected;
  if (tcp_) {
    std::uint8_t pdu[kMaxPdu] = {0x10};
    std::size_t n = 1;
    n += put(pdu + n, span.start);
    n += put(pdu + n, span.count);
    pdu[n++] = static_cast<std::uint8_t>(2 * span.count);
    for (std::uint16_t i = 0; i < span.count; ++i)
      n += put(pdu + n, src[i]);
    std::uint8_t reply[kMaxPdu];
    std::size_t length = 0;
    const IoStatus io = transact_tcp(unit, pdu, n, reply, length);
    if (io != IoStatus::Ok) return io;
    if (length == 2 && reply[0] == 0x90) {
      last_exception_ = reply[1];
      return failed(IoStatus::Exception, MODBUS_ENOBASE + reply[1]);
    }
    if (length != 5 || reply[0] != 0x10 || word(reply + 1) != span.start ||
        word(reply + 3) != span.count)
      return failed(IoStatus::BadReply, EMBBADDATA);
    ok_.fetch_add(1, kRelaxed);
    return IoStatus::Ok;
  }
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
  if (tcp_) {
    std::uint8_t pdu[kMaxPdu] = {0x17};
    std::size_t n = 1;
    n += put(pdu + n, read.start);
    n += put(pdu + n, read.count);
    n += put(pdu + n, write.start);
    n += put(pdu + n, write.count);
    pdu[n++] = static_cast<std::uint8_t>(2 * write.count);
    for (std::uint16_t i = 0; i < write.count; ++i)
      n += put(pdu + n, src[i]);
    std::uint8_t reply[kMaxPdu];
    std::size_t length = 0;
    const IoStatus io = transact_tcp(unit, pdu, n, reply, length);
    if (io != IoStatus::Ok) return io;
    return registers_reply(0x17, reply, length, read.count, dest);
  }
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
  return {ok_.load(kRelaxed),  timeouts_.load(kRelaxed),    exceptions_.load(kRelaxed),
          bad_.load(kRelaxed), disconnects_.load(kRelaxed), late_.load(kRelaxed)};
}

} // namespace tractus::hal::modbus
