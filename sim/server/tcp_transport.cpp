// Modbus TCP: MBAP header (transaction id, protocol id 0, length, unit id) + PDU, on as many
// connections as clients open (up to 32), all non-blocking in the server's poll loop.
#include "sim/server/transports.hpp"
#include "text/host_port.hpp"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace tractus::sim::server {

namespace {
constexpr std::size_t kMbap = 7;        // header bytes, unit id included
constexpr std::size_t kMaxRx = 4 * 260; // a few whole requests; beyond: a confused client
constexpr std::uint8_t kRead = 3, kReadWrite = 23;
} // namespace

TcpTransport::TcpTransport(TableRegisters &table, const std::string &host, std::uint16_t port)
    : table_(table), host_(host) {
  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE | AI_NUMERICSERV;
  addrinfo *found = nullptr;
  const std::string service = std::to_string(port);
  const std::string where = host + ":" + service;
  if (const int rc = getaddrinfo(host.c_str(), service.c_str(), &hints, &found); rc != 0)
    throw std::runtime_error("cannot listen on " + where + ": " + gai_strerror(rc));
  std::string why = "no address";
  for (addrinfo *ai = found; ai != nullptr && listen_fd_ < 0; ai = ai->ai_next) {
    const int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) continue;
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 16) == 0) {
      listen_fd_ = fd;
    } else {
      why = std::strerror(errno);
      ::close(fd);
    }
  }
  freeaddrinfo(found);
  if (listen_fd_ < 0) throw std::runtime_error("cannot listen on " + where + ": " + why);
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(listen_fd_, reinterpret_cast<sockaddr *>(&bound), &len);
  port_ = ntohs(bound.ss_family == AF_INET6 ? reinterpret_cast<sockaddr_in6 *>(&bound)->sin6_port
                                            : reinterpret_cast<sockaddr_in *>(&bound)->sin_port);
}

TcpTransport::~TcpTransport() {
  for (Client &c : clients_)
    ::close(c.fd);
  if (listen_fd_ >= 0) ::close(listen_fd_);
}

std::string TcpTransport::address() const {
  return "modbus-tcp://" + text::host_port_text(host_, port_);
}

void TcpTransport::collect(std::vector<pollfd> &fds) {
  fds.push_back({listen_fd_, POLLIN, 0});
  for (const Client &c : clients_)
    fds.push_back({c.fd, static_cast<short>(POLLIN | (c.tx.empty() ? 0 : POLLOUT)), 0});
}

TcpTransport::Client *TcpTransport::find(int id) {
  for (Client &c : clients_)
    if (c.id == id) return &c;
  return nullptr;
}

void TcpTransport::accept_clients() {
  for (;;) {
    const int fd = accept4(listen_fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) return;
    if (clients_.size() >= kMaxClients) {
      ::close(fd);
      continue;
    }
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one); // replies go out at once
    clients_.push_back(Client{fd, next_id_++, {}, {}});
  }
}

void TcpTransport::send(Client &c, const std::uint8_t *data, std::size_t n) {
  if (c.tx.empty()) {
    const ssize_t sent = ::send(c.fd, data, n, MSG_NOSIGNAL | MSG_DONTWAIT);
    const std::size_t done = sent > 0 ? static_cast<std::size_t>(sent) : 0;
    c.tx.insert(c.tx.end(), data + done, data + n);
  } else {
    c.tx.insert(c.tx.end(), data, data + n);
  }
}

bool TcpTransport::read_requests(Client &c, Micros now) {
  std::uint8_t buf[1024];
  for (;;) {
    const ssize_t got = ::recv(c.fd, buf, sizeof buf, MSG_DONTWAIT);
    if (got == 0) return false; // the client closed
    if (got < 0) {
      if (errno == EAGAIN || errno == EWOULDBLOCK) break;
      if (errno == EINTR) continue;
      return false;
    }
    c.rx.insert(c.rx.end(), buf, buf + got);
    if (c.rx.size() > kMaxRx) return false;
  }
  std::size_t at = 0;
  while (c.rx.size() - at >= kMbap) {
    const std::uint8_t *h = c.rx.data() + at;
    const std::size_t length = (std::size_t{h[4]} << 8U) | h[5]; // unit id + PDU
    if (h[2] != 0 || h[3] != 0 || length < 2 || length > 1 + kMaxPdu) return false;
    if (c.rx.size() - at < 6 + length) break;
    const std::uint8_t unit = h[6];
    Answer a = answer_request(table_, unit, {h + kMbap, length - 1});
    if (a.length > 0) {
      if (a.fault.corrupt && (a.pdu[0] == kRead || a.pdu[0] == kReadWrite) && a.length > 3)
        a.pdu[1] = static_cast<std::uint8_t>(a.pdu[1] - 2); // byte count disagrees with the data
      std::vector<std::uint8_t> frame(kMbap + a.length);
      frame[0] = h[0];
      frame[1] = h[1];
      frame[4] = static_cast<std::uint8_t>((a.length + 1) >> 8U);
      frame[5] = static_cast<std::uint8_t>((a.length + 1) & 0xFFU);
      frame[6] = unit;
      std::memcpy(frame.data() + kMbap, a.pdu.data(), a.length);
      if (a.fault.delay > 0)
        delayed_.push({now + a.fault.delay, c.id, std::move(frame)});
      else
        send(c, frame.data(), frame.size());
    }
    at += 6 + length;
  }
  c.rx.erase(c.rx.begin(), c.rx.begin() + static_cast<std::ptrdiff_t>(at));
  return true;
}

void TcpTransport::service(std::span<const pollfd> fds, Micros now) {
  bool accept = false;
  for (const pollfd &p : fds) {
    if (p.revents == 0) continue;
    if (p.fd == listen_fd_) {
      accept = true;
      continue;
    }
    for (std::size_t i = 0; i < clients_.size(); ++i) {
      Client &c = clients_[i];
      if (c.fd != p.fd) continue;
      bool keep = (p.revents & (POLLERR | POLLNVAL)) == 0;
      if (keep && (p.revents & POLLOUT) != 0 && !c.tx.empty()) {
        const ssize_t sent = ::send(c.fd, c.tx.data(), c.tx.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
        if (sent > 0)
          c.tx.erase(c.tx.begin(), c.tx.begin() + sent);
        else if (errno != EAGAIN && errno != EWOULDBLOCK)
          keep = false;
      }
      if (keep && (p.revents & (POLLIN | POLLHUP)) != 0) keep = read_requests(c, now);
      if (!keep) {
        ::close(c.fd);
        clients_.erase(clients_.begin() + static_cast<std::ptrdiff_t>(i));
      }
      break;
    }
  }
  if (accept) accept_clients();
  table_.set_clients(static_cast<int>(clients_.size()));
}

Micros TcpTransport::send_due(Micros now) {
  for (const DelayQueue::Pending &p : delayed_.take_due(now))
    if (Client *c = find(p.client)) send(*c, p.frame.data(), p.frame.size());
  return delayed_.next_due();
}

} // namespace tractus::sim::server
