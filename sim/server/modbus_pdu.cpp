#include "sim/server/modbus_pdu.hpp"

#include <array>

namespace tractus::sim::server {

namespace {

constexpr std::uint8_t kRead = 3, kWriteSingle = 6, kWriteMultiple = 16, kReadWrite = 23;

std::uint16_t be16(const std::uint8_t *p) {
  return static_cast<std::uint16_t>((p[0] << 8U) | p[1]);
}
void put_be16(std::uint8_t *p, std::uint16_t v) {
  p[0] = static_cast<std::uint8_t>(v >> 8U);
  p[1] = static_cast<std::uint8_t>(v & 0xFFU);
}

// Reads `count` registers into reply bytes [2 + 2i], with the byte count at [1].
std::size_t read_reply(RegisterSpace &space, std::uint8_t unit, std::uint8_t function,
                       std::uint16_t address, std::uint16_t count, std::uint8_t *reply) {
  std::array<std::uint16_t, 125> regs{};
  const Access a = space.read(unit, address, count, regs.data());
  if (a == Access::NoReply) return 0;
  if (a != Access::Ok) return exception_pdu(function, a, reply);
  reply[0] = function;
  reply[1] = static_cast<std::uint8_t>(2 * count);
  for (std::uint16_t i = 0; i < count; ++i)
    put_be16(reply + 2 + 2 * i, regs[i]);
  return 2 + 2 * std::size_t{count};
}

} // namespace

std::size_t exception_pdu(std::uint8_t function, Access code, std::uint8_t *reply) {
  reply[0] = static_cast<std::uint8_t>(function | 0x80U);
  reply[1] = static_cast<std::uint8_t>(code);
  return 2;
}

std::size_t process_pdu(RegisterSpace &space, std::uint8_t unit, std::span<const std::uint8_t> req,
                        std::uint8_t *reply) {
  if (req.empty()) return 0;
  const std::uint8_t f = req[0];
  const std::size_t n = req.size();
  switch (f) {
  case kRead: {
    if (n != 5) return exception_pdu(f, Access::IllegalValue, reply);
    const std::uint16_t address = be16(&req[1]), count = be16(&req[3]);
    if (count < 1 || count > 125) return exception_pdu(f, Access::IllegalValue, reply);
    return read_reply(space, unit, f, address, count, reply);
  }
  case kWriteSingle: {
    if (n != 5) return exception_pdu(f, Access::IllegalValue, reply);
    const std::uint16_t address = be16(&req[1]), value = be16(&req[3]);
    const Access a = space.write(unit, address, 1, &value);
    if (a == Access::NoReply) return 0;
    if (a != Access::Ok) return exception_pdu(f, a, reply);
    for (std::size_t i = 0; i < 5; ++i)
      reply[i] = req[i]; // the echo
    return 5;
  }
  case kWriteMultiple: {
    if (n < 6) return exception_pdu(f, Access::IllegalValue, reply);
    const std::uint16_t address = be16(&req[1]), count = be16(&req[3]);
    if (count < 1 || count > 123 || req[5] != 2 * count || n != 6 + 2 * std::size_t{count})
      return exception_pdu(f, Access::IllegalValue, reply);
    std::array<std::uint16_t, 123> values{};
    for (std::uint16_t i = 0; i < count; ++i)
      values[i] = be16(&req[6 + 2 * std::size_t{i}]);
    const Access a = space.write(unit, address, count, values.data());
    if (a == Access::NoReply) return 0;
    if (a != Access::Ok) return exception_pdu(f, a, reply);
    for (std::size_t i = 0; i < 5; ++i)
      reply[i] = req[i];
    return 5;
  }
  case kReadWrite: {
    // Write first, then read (Modbus application protocol §6.17): the status read back is the
    // one after the command took effect.
    if (n < 10) return exception_pdu(f, Access::IllegalValue, reply);
    const std::uint16_t raddr = be16(&req[1]), rcount = be16(&req[3]);
    const std::uint16_t waddr = be16(&req[5]), wcount = be16(&req[7]);
    if (rcount < 1 || rcount > 125 || wcount < 1 || wcount > 121 || req[9] != 2 * wcount ||
        n != 10 + 2 * std::size_t{wcount})
      return exception_pdu(f, Access::IllegalValue, reply);
    std::array<std::uint16_t, 121> values{};
    for (std::uint16_t i = 0; i < wcount; ++i)
      values[i] = be16(&req[10 + 2 * std::size_t{i}]);
    const Access a = space.write(unit, waddr, wcount, values.data());
    if (a == Access::NoReply) return 0;
    if (a != Access::Ok) return exception_pdu(f, a, reply);
    return read_reply(space, unit, f, raddr, rcount, reply);
  }
  default: return exception_pdu(f, Access::IllegalFunction, reply);
  }
}

std::uint16_t crc16(const std::uint8_t *data, std::size_t n) noexcept {
  std::uint16_t crc = 0xFFFF;
  for (std::size_t i = 0; i < n; ++i) {
    crc ^= data[i];
    for (int b = 0; b < 8; ++b)
      crc = (crc & 1U) != 0 ? static_cast<std::uint16_t>((crc >> 1U) ^ 0xA001U)
                            : static_cast<std::uint16_t>(crc >> 1U);
  }
  return crc;
}

int rtu_request_length(std::span<const std::uint8_t> frame) noexcept {
  if (frame.size() < 2) return 0;
  switch (frame[1]) {
  case kRead:
  case kWriteSingle: return 8; // address, function, 4 bytes, CRC
  case kWriteMultiple: return frame.size() < 7 ? 0 : 9 + frame[6];
  case kReadWrite: return frame.size() < 11 ? 0 : 13 + frame[10];
  default: return -1;
  }
}

} // namespace tractus::sim::server
