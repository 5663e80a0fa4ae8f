// CRC-32 (IEEE 802.3 polynomial, reflected, as in zlib and PNG): the per-line checksum of the
// journal, so a reader can tell a damaged or hand-edited line from a good one.
#pragma once

#include <cstdint>
#include <string_view>

namespace tractus::controller {

std::uint32_t crc32(std::string_view bytes) noexcept;

} // namespace tractus::controller
