// SHA-256 (FIPS 180-4): the integrity checksum of calibration records and verification lines.
//
// Why SHA-256 and not the journal's CRC-32: a calibration record lives for a year and decides
// every force the table applies; a CRC catches line noise but is trivially forged by accident
// (two edits can cancel out). SHA-256 makes any change to a record detectable. It is not a
// signature: whoever can write the file can also recompute the sum (docs/calibration.md).
// The digest is libsodium's (crypto_hash_sha256), the library that also hashes the console's
// PINs; the tests hold it to the NIST vectors.
#pragma once

#include <string>
#include <string_view>

namespace tractus::calibration {

// The digest of `bytes` as 64 lower-case hex digits.
std::string sha256_hex(std::string_view bytes);

} // namespace tractus::calibration
