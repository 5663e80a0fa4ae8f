// `--table` addresses of Modbus tables (DESIGN §4):
//
//   modbus-tcp://HOST:PORT[?timeout=3ms&map=FILE]
//   modbus-rtu:///dev/ttyX[?baud=115200&parity=E&data_bits=8&stop_bits=1&timeout=10ms&map=FILE]
//
// HOST is a name, an IPv4 address or a bracketed IPv6 address. `timeout` is the response timeout
// of one transaction inside the control cycle (default 3 ms over TCP, 10 ms over RTU); `map` a
// register-map configuration file for other vendors' devices (docs/register-map.md). Parsing
// happens at start-up and reports what is wrong with the address in words.
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::hal::modbus {

enum class Transport : std::uint8_t { Tcp, Rtu };
const char *to_string(Transport t);

struct TcpEndpoint {
  std::string host;
  std::uint16_t port = 502;
};

struct RtuLine {
  std::string device; // /dev/ttyUSB0, /dev/pts/3, ...
  int baud = 115200;
  char parity = 'E'; // N, E or O; Modbus over serial line §2.5.1 makes even parity the default
  int data_bits = 8;
  int stop_bits = 1;
};

// Response timeouts inside the cycle. On Ethernet a device answers in well under a millisecond;
// 3 ms is chosen so that a cycle in which all three transactions time out (9 ms) is not much
// longer than the 5 ms period and far inside the supervisor's 50 ms stall limit, so the fault
// reported is the communication fault that names the device, not a loop overrun. A reply later
// than this is dropped (matched by transaction id) and the transaction counted as a timeout;
// the device may miss replies for 30 ms before that is a fault (docs/fault-codes.md). On RS-485
// at 115200 baud a short read is ~1.3 ms on the wire plus 1.75 ms of silence plus the device's
// turnaround (REFERENCE.md): 10 ms, three of which (30 ms) fit the 80 ms stall limit at 100 Hz.
inline constexpr Duration kDefaultTcpTimeout = milliseconds(3);
inline constexpr Duration kDefaultRtuTimeout = milliseconds(10);

struct ModbusAddress {
  Transport transport = Transport::Tcp;
  TcpEndpoint tcp; // when transport is Tcp
  RtuLine rtu;     // when transport is Rtu
  Duration response_timeout = kDefaultTcpTimeout;
  bool response_timeout_given = false; // `timeout=` in the address: kept for every use
  std::string map_file;                // empty: the default register map
  std::string text;                    // the address as given

  // "127.0.0.1:1502" or "/dev/ttyUSB0 115200 8E1", for messages.
  [[nodiscard]] std::string where() const;
};

struct AddressParse {
  std::optional<ModbusAddress> address;
  std::string error; // set when address is empty: what is wrong, and what would be right
  explicit operator bool() const { return address.has_value(); }
};

// Whether `text` names a Modbus table at all (modbus-tcp:// or modbus-rtu://).
bool is_modbus_address(std::string_view text);
AddressParse parse_modbus_address(std::string_view text);

} // namespace tractus::hal::modbus
