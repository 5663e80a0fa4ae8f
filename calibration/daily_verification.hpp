// The daily verification as one workflow (docs/calibration.md "Daily verification"): the record
// in force, a reference load inside its span, one stable reading judged by the record's own
// sensitivity, the comparison, and the checksummed line in the store's log. `tractus calibrate
// verify` and the console's wizard only present it; hanging the weight (the technician, or the
// simulator's side channel) and taking the reading through their lease are theirs.
// Runs outside the control cycle: it reads and appends files.
#pragma once

#include "calibration/reading.hpp"
#include "calibration/record.hpp"
#include "calibration/store.hpp"
#include "calibration/verification.hpp"
#include "units/units.hpp"

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>

namespace tractus::calibration {

// What a failed verification means and what the technician does next.
inline constexpr std::string_view kFailedVerificationAdvice =
    "the calibration is out of force until a verification passes; check the weight and the "
    "load path, then verify again or recalibrate";

class DailyVerification {
public:
  DailyVerification(std::filesystem::path store_dir, std::int64_t now_unix);

  // The record to verify: the store's current record, intact and in date. Null when there is
  // none, and why_not() says why, naming the file.
  [[nodiscard]] const CalibrationRecord *record() const;
  [[nodiscard]] const std::string &why_not() const { return current_.error; }

  // "" when a verification can be taken at `load` (above 0 N, within the record's span).
  [[nodiscard]] std::string load_problem(Force load) const;
  // A reading is stable by the record's own sensitivity, not the cell's nominal one.
  [[nodiscard]] StabilityCriteria stability() const;

  enum class Outcome : std::uint8_t {
    Passed,    // logged; the record stays (or comes back) in force
    Failed,    // logged; the record is out of force until a verification passes
    Unstable,  // nothing logged: the reading never settled
    NotLogged, // the log could not be written (an I/O failure); nothing changed
  };
  struct Result {
    Outcome outcome = Outcome::NotLogged;
    Verification verification; // set for Passed and Failed
    std::string message;       // what to tell the technician; empty for Passed
  };
  // Compares the reading at `load` with the record and appends the line. Call only with a
  // record() and a load without load_problem().
  Result conclude(Force load, const StableReading &reading, std::string technician);

private:
  CalibrationStore store_;
  std::int64_t now_unix_;
  RecordRead current_;
};

} // namespace tractus::calibration
