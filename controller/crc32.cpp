#include "controller/crc32.hpp"

#include <array>

namespace tractus::controller {

namespace {
constexpr std::array<std::uint32_t, 256> make_table() {
  std::array<std::uint32_t, 256> t{};
  for (std::uint32_t i = 0; i < 256; ++i) {
    std::uint32_t c = i;
    for (int k = 0; k < 8; ++k)
      c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1U) : c >> 1U;
    t[i] = c;
  }
  return t;
}
constexpr auto kTable = make_table();
} // namespace

std::uint32_t crc32(std::string_view bytes) noexcept {
  std::uint32_t c = 0xFFFFFFFFU;
  for (const char ch : bytes)
    c = kTable[(c ^ static_cast<std::uint8_t>(ch)) & 0xFFU] ^ (c >> 8U);
  return c ^ 0xFFFFFFFFU;
}

} // namespace tractus::controller
