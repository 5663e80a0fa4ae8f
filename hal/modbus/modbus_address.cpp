#include "hal/modbus/modbus_address.hpp"
#include "text/host_port.hpp"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

namespace tractus::hal::modbus {

namespace {

constexpr std::string_view kTcpScheme = "modbus-tcp://";
constexpr std::string_view kRtuScheme = "modbus-rtu://";
constexpr std::string_view kTcpExample = "modbus-tcp://192.168.1.20:502";
constexpr std::string_view kRtuExample = "modbus-rtu:///dev/ttyUSB0?baud=115200&parity=E";
// The rates termios and libmodbus know on Linux.
constexpr std::array kBauds{1200,  2400,   4800,   9600,   19200, 38400,
                            57600, 115200, 230400, 460800, 921600};

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::optional<long> parse_int(std::string_view s) {
  long v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || end != s.data() + s.size()) return std::nullopt;
  return v;
}

// "5ms", "2.5 ms", "0.01s" → a duration; nullopt if not such a time.
std::optional<Duration> parse_timeout(std::string_view s) {
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc{} || !std::isfinite(v)) return std::nullopt;
  std::string_view unit = s.substr(static_cast<std::size_t>(end - s.data()));
  if (!unit.empty() && unit.front() == ' ') unit.remove_prefix(1);
  if (unit == "ms") return milliseconds(v);
  if (unit == "s") return seconds(v);
  return std::nullopt;
}

// Splits "a=1&b=2" and applies each pair; the first problem wins.
template <class Apply> std::string for_each_param(std::string_view query, Apply apply) {
  std::array<std::string_view, 8> seen{};
  std::size_t n_seen = 0;
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0 || eq + 1 == pair.size())
      return "parameter " + quoted(pair) + " is not NAME=VALUE";
    const std::string_view name = pair.substr(0, eq);
    if (std::find(seen.begin(), seen.begin() + static_cast<long>(n_seen), name) !=
        seen.begin() + static_cast<long>(n_seen))
      return "parameter " + quoted(name) + " is given twice";
    if (n_seen < seen.size()) seen[n_seen++] = name;
    if (std::string e = apply(name, pair.substr(eq + 1)); !e.empty()) return e;
  }
  return {};
}

std::string apply_common(ModbusAddress &a, std::string_view name, std::string_view value,
                         bool &known) {
  known = true;
  if (name == "timeout") {
    const auto t = parse_timeout(value);
    if (!t) return "timeout " + quoted(value) + " is not a time (e.g. 5ms or 0.01s)";
    if (*t < milliseconds(0.5) || *t > seconds(1.0))
      return "timeout " + quoted(value) + " is out of range (0.5 ms to 1 s)";
    a.response_timeout = *t;
    a.response_timeout_given = true;
    return {};
  }
  if (name == "map") {
    a.map_file = std::string(value);
    return {};
  }
  known = false;
  return {};
}

AddressParse fail(std::string_view text, const std::string &what) {
  AddressParse r;
  r.error = "bad table address " + quoted(text) + ": " + what;
  return r;
}

AddressParse parse_tcp(std::string_view text) {
  std::string_view rest = text.substr(kTcpScheme.size());
  const std::size_t q = rest.find('?');
  const std::string_view authority = rest.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : rest.substr(q + 1);
  const std::string example =
      std::string(" (expected modbus-tcp://HOST:PORT, e.g. ") + std::string(kTcpExample) + ")";
  if (authority.empty()) return fail(text, "no host and port" + example);
  if (authority.find('/') != std::string_view::npos)
    return fail(text, "a TCP address has no path" + example);

  ModbusAddress a;
  a.transport = Transport::Tcp;
  a.text = std::string(text);
  a.response_timeout = kDefaultTcpTimeout;
  std::string_view host;
  std::string_view port_text;
  if (authority.front() == '[') { // [IPv6]:PORT
    const std::size_t close = authority.find(']');
    if (close == std::string_view::npos) return fail(text, "unclosed '[' in the IPv6 host");
    host = authority.substr(1, close - 1);
    const std::string_view after = authority.substr(close + 1);
    if (after.empty() || after.front() != ':') return fail(text, "missing \":PORT\"" + example);
    port_text = after.substr(1);
  } else {
    const std::size_t colon = authority.rfind(':');
    if (colon == std::string_view::npos) return fail(text, "missing \":PORT\"" + example);
    host = authority.substr(0, colon);
    port_text = authority.substr(colon + 1);
    if (host.find(':') != std::string_view::npos)
      return fail(text, "an IPv6 host must be in brackets, e.g. modbus-tcp://[::1]:502");
  }
  if (host.empty()) return fail(text, "missing host" + example);
  const auto port = parse_int(port_text);
  if (!port) return fail(text, "port " + quoted(port_text) + " is not a number" + example);
  if (*port < 1 || *port > 65535)
    return fail(text, "port " + std::to_string(*port) + " is out of range (1 to 65535)");
  a.tcp.host = std::string(host);
  a.tcp.port = static_cast<std::uint16_t>(*port);

  const std::string e = for_each_param(query, [&](std::string_view name, std::string_view value) {
    bool known = false;
    std::string err = apply_common(a, name, value, known);
    if (!known) return "unknown parameter " + quoted(name) + " (known: timeout, map)";
    return err;
  });
  if (!e.empty()) return fail(text, e);
  AddressParse r;
  r.address = std::move(a);
  return r;
}

AddressParse parse_rtu(std::string_view text) {
  std::string_view rest = text.substr(kRtuScheme.size());
  const std::size_t q = rest.find('?');
  const std::string_view device = rest.substr(0, q);
  const std::string_view query = q == std::string_view::npos ? "" : rest.substr(q + 1);
  if (device.empty() || device.front() != '/')
    return fail(text,
                "the serial device must be an absolute path, e.g. " + std::string(kRtuExample));
  ModbusAddress a;
  a.transport = Transport::Rtu;
  a.text = std::string(text);
  a.response_timeout = kDefaultRtuTimeout;
  a.rtu.device = std::string(device);

  const std::string e = for_each_param(query, [&](std::string_view name, std::string_view value) {
    bool known = false;
    std::string err = apply_common(a, name, value, known);
    if (known) return err;
    if (name == "baud") {
      const auto b = parse_int(value);
      if (!b || std::find(kBauds.begin(), kBauds.end(), *b) == kBauds.end())
        return "baud " + quoted(value) +
               " is not a standard rate (1200 ... 115200, 230400, 460800, 921600)";
      a.rtu.baud = static_cast<int>(*b);
    } else if (name == "parity") {
      if (value.size() != 1 || std::string_view("NEOneo").find(value[0]) == std::string::npos)
        return "parity " + quoted(value) + " must be N, E or O";
      a.rtu.parity = static_cast<char>(value[0] & ~0x20); // upper case
    } else if (name == "data_bits") {
      if (value != "7" && value != "8") return "data_bits " + quoted(value) + " must be 7 or 8";
      a.rtu.data_bits = value[0] - '0';
    } else if (name == "stop_bits") {
      if (value != "1" && value != "2") return "stop_bits " + quoted(value) + " must be 1 or 2";
      a.rtu.stop_bits = value[0] - '0';
    } else {
      return "unknown parameter " + quoted(name) +
             " (known: baud, parity, data_bits, stop_bits, timeout, map)";
    }
    return std::string{};
  });
  if (!e.empty()) return fail(text, e);
  AddressParse r;
  r.address = std::move(a);
  return r;
}

} // namespace

const char *to_string(Transport t) { return t == Transport::Tcp ? "modbus-tcp" : "modbus-rtu"; }

std::string ModbusAddress::where() const {
  if (transport == Transport::Tcp) return text::host_port_text(tcp.host, tcp.port);
  return rtu.device + " " + std::to_string(rtu.baud) + " " + std::to_string(rtu.data_bits) +
         rtu.parity + std::to_string(rtu.stop_bits);
}

bool is_modbus_address(std::string_view text) { return text.rfind("modbus-", 0) == 0; }

AddressParse parse_modbus_address(std::string_view text) {
  if (text.rfind(kTcpScheme, 0) == 0) return parse_tcp(text);
  if (text.rfind(kRtuScheme, 0) == 0) return parse_rtu(text);
  return fail(text, "unknown scheme (expected sim, sim:PRESET, sim:FILE.json, " +
                        std::string(kTcpExample) + " or " + std::string(kRtuExample) + ")");
}

} // namespace tractus::hal::modbus
