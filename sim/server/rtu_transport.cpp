// Modbus RTU on a serial line or pseudo-terminal: [unit][PDU][CRC lo][CRC hi].
//
// Frames are cut by their length (known from the function code) and checked by CRC, as a
// device on a shared RS-485 line does; frames for other units are ignored (they are another
// device's business), frames with a bad CRC are dropped silently (Modbus over serial line
// §2.6). A partial frame followed by a pause of 3.5 characters (at least 5 ms here, because a
// pseudo-terminal has no baud rate and the kernel may split a write) is discarded, which is how
// a device resynchronises after noise.
#include "sim/server/transports.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <stdexcept>
#include <termios.h>
#include <unistd.h>

namespace tractus::sim::server {

namespace {

speed_t to_speed(int baud) {
  switch (baud) {
  case 1200: return B1200;
  case 2400: return B2400;
  case 4800: return B4800;
  case 9600: return B9600;
  case 19200: return B19200;
  case 38400: return B38400;
  case 57600: return B57600;
  case 115200: return B115200;
  case 230400: return B230400;
  case 460800: return B460800;
  case 921600: return B921600;
  default: throw std::runtime_error("unsupported baud rate " + std::to_string(baud));
  }
}

} // namespace

RtuTransport::RtuTransport(TableRegisters &table, const SerialSettings &settings)
    : table_(table), settings_(settings) {
  fd_ = ::open(settings.device.c_str(), O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
  if (fd_ < 0)
    throw std::runtime_error("cannot open " + settings.device + ": " + std::strerror(errno));
  termios t{};
  if (tcgetattr(fd_, &t) != 0) {
    const std::string why = std::strerror(errno);
    ::close(fd_);
    throw std::runtime_error(settings.device + " is not a serial device: " + why);
  }
  cfmakeraw(&t);
  const speed_t speed = to_speed(settings.baud);
  cfsetispeed(&t, speed);
  cfsetospeed(&t, speed);
  t.c_cflag |= CLOCAL | CREAD;
  t.c_cflag &= ~static_cast<tcflag_t>(CSIZE | PARENB | PARODD | CSTOPB);
  t.c_cflag |= settings.data_bits == 7 ? CS7 : CS8;
  if (settings.parity != 'N') t.c_cflag |= PARENB;
  if (settings.parity == 'O') t.c_cflag |= PARODD;
  if (settings.stop_bits == 2) t.c_cflag |= CSTOPB;
  t.c_cc[VMIN] = 0;
  t.c_cc[VTIME] = 0;
  tcsetattr(fd_, TCSANOW, &t);
  tcflush(fd_, TCIOFLUSH);
  // 3.5 characters of 11 bits at the baud rate, but never below 5 ms on a pseudo-terminal.
  silence_ = std::max<Micros>(5000, 3500000LL * 11 / settings.baud);
}

RtuTransport::~RtuTransport() {
  if (fd_ >= 0) ::close(fd_);
}

std::string RtuTransport::address() const {
  return "modbus-rtu://" + settings_.device + "?baud=" + std::to_string(settings_.baud) +
         "&parity=" + settings_.parity;
}

void RtuTransport::collect(std::vector<pollfd> &fds) { fds.push_back({fd_, POLLIN, 0}); }

void RtuTransport::send(const std::uint8_t *data, std::size_t n) {
  std::size_t done = 0;
  while (done < n) {
    const ssize_t w = ::write(fd_, data + done, n - done);
    if (w > 0)
      done += static_cast<std::size_t>(w);
    else if (errno != EINTR && errno != EAGAIN)
      return; // the other end is gone: nobody listens
  }
}

void RtuTransport::frames(Micros now) {
  std::size_t at = 0;
  for (;;) {
    const std::span<const std::uint8_t> rest(rx_.data() + at, rx_.size() - at);
    const int need = rtu_request_length(rest);
    if (need < 0 || (need > 0 && need > 4 + 2 + static_cast<int>(kMaxPdu))) {
      at = rx_.size(); // cannot frame it: wait for silence with an empty buffer
      break;
    }
    if (need == 0 || rest.size() < static_cast<std::size_t>(need)) break;
    const auto n = static_cast<std::size_t>(need);
    const std::uint16_t crc = crc16(rest.data(), n - 2);
    if (rest[n - 2] != (crc & 0xFFU) || rest[n - 1] != (crc >> 8U)) {
      ++crc_errors_;
      at = rx_.size();
      break;
    }
    const std::uint8_t unit = rest[0];
    if (table_.serves(unit)) {
      Answer a = answer_request(table_, unit, rest.subspan(1, n - 3));
      if (a.length > 0) {
        std::vector<std::uint8_t> frame(a.length + 3);
        frame[0] = unit;
        std::memcpy(frame.data() + 1, a.pdu.data(), a.length);
        const std::uint16_t c = crc16(frame.data(), a.length + 1);
        frame[a.length + 1] = static_cast<std::uint8_t>(c & 0xFFU);
        frame[a.length + 2] = static_cast<std::uint8_t>(c >> 8U);
        if (a.fault.corrupt) frame[a.length + 2] ^= 0xFFU; // a CRC that does not match
        if (a.fault.delay > 0)
          delayed_.push({now + a.fault.delay, 0, std::move(frame)});
        else
          send(frame.data(), frame.size());
      }
    }
    at += n;
  }
  rx_.erase(rx_.begin(), rx_.begin() + static_cast<std::ptrdiff_t>(at));
}

void RtuTransport::service(std::span<const pollfd> fds, Micros now) {
  for (const pollfd &p : fds) {
    if (p.fd != fd_ || p.revents == 0) continue;
    if (!rx_.empty() && now - last_byte_ > silence_) rx_.clear(); // a stale partial frame
    std::uint8_t buf[512];
    for (;;) {
      const ssize_t got = ::read(fd_, buf, sizeof buf);
      if (got <= 0) break;
      rx_.insert(rx_.end(), buf, buf + got);
      last_byte_ = now;
    }
    if ((p.revents & POLLHUP) != 0 && rx_.empty()) {
      // The other end of a pseudo-terminal closed: wait for it to reopen without spinning.
      usleep(1000);
    }
    frames(now);
  }
}

Micros RtuTransport::send_due(Micros now) {
  for (const DelayQueue::Pending &p : delayed_.take_due(now))
    send(p.frame.data(), p.frame.size());
  return delayed_.next_due();
}

} // namespace tractus::sim::server
