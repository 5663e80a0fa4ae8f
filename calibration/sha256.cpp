#include "calibration/sha256.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace tractus::calibration {

std::string sha256_hex(std::string_view bytes) {
  // sodium_init() picks the fastest implementation for this CPU; it is safe to call again and
  // from several threads, and fails only if the library cannot start at all.
  if (sodium_init() < 0) throw std::runtime_error("libsodium could not be initialised");
  std::array<unsigned char, crypto_hash_sha256_BYTES> digest{};
  crypto_hash_sha256(digest.data(), reinterpret_cast<const unsigned char *>(bytes.data()),
                     bytes.size());
  std::array<char, crypto_hash_sha256_BYTES * 2 + 1> hex{};
  sodium_bin2hex(hex.data(), hex.size(), digest.data(), digest.size());
  return std::string(hex.data(), crypto_hash_sha256_BYTES * 2);
}

} // namespace tractus::calibration
