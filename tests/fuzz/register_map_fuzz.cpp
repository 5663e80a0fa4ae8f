// libFuzzer target: a register-map configuration file for another vendor's devices. Whatever
// the text, parse_register_map() reports errors or returns a map that passes its own checks.
#include "hal/modbus/register_map_config.hpp"

#include <cstdint>
#include <cstdlib>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size) {
  using namespace tractus::hal;
  const std::string_view text(reinterpret_cast<const char *>(data), size);
  const auto parsed = modbus::parse_register_map(text, "fuzz.json");
  if (parsed.map.has_value() == !parsed.errors.empty()) std::abort();
  if (parsed.map && !modbus::check_register_map(*parsed.map).empty()) std::abort();
  return 0;
}
