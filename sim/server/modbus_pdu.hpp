// The server side of the Modbus application protocol (Modbus Application Protocol v1.1b3):
// request PDUs in, reply PDUs out, for the four functions the table uses — 3 read holding
// registers, 6 write single register, 16 write multiple registers, 23 read/write multiple
// registers — plus RTU framing helpers (CRC-16, request length).
//
// Why tractus-sim frames Modbus itself rather than with libmodbus's modbus_receive/modbus_reply:
// it serves several TCP clients from one non-blocking poll loop (modbus_receive blocks until a
// whole request arrived), it answers three unit ids on one RTU line (libmodbus's RTU server
// answers one), and it must misbehave below the PDU on request (late, dropped, corrupted
// frames). The independent peers in tests/integration (libmodbus, mbpoll, pymodbus) check that
// what it sends is Modbus.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tractus::sim::server {

// What a register access came to: a Modbus exception code, or no reply at all (a device that
// has stopped answering, as the `*-timeout` injections make it).
enum class Access : std::uint8_t {
  Ok = 0,
  IllegalFunction = 1,
  IllegalAddress = 2,
  IllegalValue = 3,
  ServerFailure = 4,
  NoReply = 0xFF,
};

// The registers behind the protocol (TableRegisters).
class RegisterSpace {
public:
  virtual ~RegisterSpace() = default;
  virtual Access read(std::uint8_t unit, std::uint16_t address, std::uint16_t count,
                      std::uint16_t *out) = 0;
  virtual Access write(std::uint8_t unit, std::uint16_t address, std::uint16_t count,
                       const std::uint16_t *values) = 0;
};

inline constexpr std::size_t kMaxPdu = 253; // Modbus over serial line §2.5.1.1

// Answers one request PDU for `unit` into `reply` (kMaxPdu bytes). Returns the reply's length,
// or 0 when the device does not answer.
std::size_t process_pdu(RegisterSpace &space, std::uint8_t unit,
                        std::span<const std::uint8_t> request, std::uint8_t *reply);
std::size_t exception_pdu(std::uint8_t function, Access code, std::uint8_t *reply);

// CRC-16/MODBUS (polynomial 0xA001 reflected, initial 0xFFFF); sent low byte first.
std::uint16_t crc16(const std::uint8_t *data, std::size_t n) noexcept;

// Length of the RTU request frame (address + PDU + CRC) that starts `frame`, from the bytes
// received so far: 0 while more are needed to tell, -1 for a function this server cannot frame.
int rtu_request_length(std::span<const std::uint8_t> frame) noexcept;

} // namespace tractus::sim::server
