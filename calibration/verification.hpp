// The daily verification: one known load, read through the calibration in force, pass or fail.
//
// Established tables do a daily function test at 500 N (Enraf-Nonius Eltrac 471, REFERENCE.md);
// tractus does the same against the calibration record. The default tolerance is ±0.5 % of the
// reference load, never tighter than ±2 N: at 500 N that is ±2.5 N, five times the 0.1 % FS
// calibration limits at a 1000 N span, so a pass is not luck and a fail means the cell, its
// zero or the load path changed since calibration (or the wrong weight is on the hanger).
//
// Each verification is one line of the store's verification log, `verifications.jsonl`,
// naming the record by id and by checksum and carrying its own SHA-256; the record itself is
// never rewritten, so its checksum stays valid. A failed verification takes the calibration
// out of force until a later one passes (calibration_store.hpp).
#pragma once

#include "calibration/reading.hpp"
#include "calibration/record.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tractus::calibration {

inline constexpr std::string_view kVerificationFormat = "tractus.verification/1";

struct VerificationTolerance {
  double fraction_of_load = 0.005;
  Force floor = newtons(2.0);
  [[nodiscard]] Force at(Force load) const { return max(load * fraction_of_load, floor); }
};

struct Verification {
  std::int64_t time_unix = 0;
  std::string technician;
  std::string record_id;
  std::string record_checksum;
  Force reference{};
  Force measured{};
  Force tolerance{};
  Force sigma{}; // spread of the readings averaged
  bool passed = false;
  [[nodiscard]] Force error() const { return measured - reference; }
};

// "" when `reference` can be verified against the record: above zero and within its span.
std::string verification_load_problem(const CalibrationRecord &record, Force reference);

Verification verify_at_load(const CalibrationRecord &record, Force reference,
                            const StableReading &reading, std::string technician,
                            std::int64_t now_unix, VerificationTolerance tolerance = {});

// "passed: 500.8 N measured at 500 N (error +0.8 N, allowed ±2.5 N)"
std::string verification_text(const Verification &v);

// One JSON line (without the newline) carrying its own SHA-256 in "line_sha256".
std::string verification_line(const Verification &v);

struct VerificationLineRead {
  std::optional<Verification> verification;
  std::string record_checksum; // whenever it could be read, even from a damaged line
  std::string error;           // empty when verification is set
};
VerificationLineRead parse_verification_line(std::string_view line);

} // namespace tractus::calibration
