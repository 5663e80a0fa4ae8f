// A network endpoint as text: "127.0.0.1:1502", "[::1]:8080". One rule for every address the
// commands take (--listen) and print (a Modbus device, tractus-sim, the console's URL), so an
// IPv6 host is bracketed the same way everywhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::text {

// "127.0.0.1:1502", "[::1]:1502": an IPv6 literal (a host with a colon) in brackets.
std::string host_port_text(std::string_view host, std::uint16_t port);

struct HostPort {
  std::string host; // without the brackets of an IPv6 literal
  std::uint16_t port = 0;
};
// "HOST:PORT" or "[V6]:PORT", PORT a decimal 0 to 65535 (0: the system picks a free one).
// nullopt when there is no host before the last colon or the port is not such a number; what
// the host may be (an IP address, a name) is the caller's to check.
std::optional<HostPort> parse_host_port(std::string_view text);

// This computer's host name (gethostname), or "table" when it has none: the name a table goes
// by in the clinic's records unless given one.
std::string this_host_name();

} // namespace tractus::text
