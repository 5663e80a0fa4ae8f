// The calibration record: one JSON file per calibration, "format": "tractus.calibration/1".
//
// It holds everything needed to trust (or distrust) the numbers a year later: the load cell's
// serial, the technician, when it was made and when it expires (12 months by default), every
// reference load and reading, the coefficients, the acceptance limits and the results, and a
// SHA-256 checksum. The checksum covers the record's compact JSON text (members in file order,
// no whitespace) without the "checksum" member, so a pretty-printed file can be re-indented but
// not changed. It detects damage and hand edits; it does not authenticate (anyone who can write
// the file can recompute it), which docs/calibration.md says plainly.
//
// Reading refuses, with a message naming the file and the reason: a file that is not JSON
// (truncated or damaged, with the line and column), the wrong format, a checksum that does not
// match (tampered), a missing or mistyped member (with its JSON pointer). Expiry is a separate
// question (expiry_problem) because it depends on the clock, which is passed in.
#pragma once

#include "calibration/fit.hpp"
#include "hal/calibration.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::calibration {

inline constexpr std::string_view kCalibrationFormat = "tractus.calibration/1";
inline constexpr int kDefaultValidMonths = 12;
// How long a technician may make a record good for: a year at most (docs/calibration.md).
inline constexpr int kMinValidMonths = 1;
inline constexpr int kMaxValidMonths = 12;

struct CalibrationRecord {
  std::string id; // "<serial>-<YYYYMMDDTHHMMSSZ>": names the record in journals and history
  std::string load_cell_serial;
  std::string technician;
  std::string table; // where it was measured: "sim (seed 1)" or the table's address
  std::int64_t created_unix = 0;
  std::int64_t expires_unix = 0;
  Force capacity{}; // the cell's rated capacity (hal::Calibration::full_scale)
  std::vector<CalibrationPoint> points;
  CalibrationLimits limits;
  CalibrationFit fit;
  std::string checksum; // SHA-256 hex; set by record_json() and by reading

  [[nodiscard]] bool accepted() const { return fit.accepted(); }
  // What the controller uses: the coefficients, range and expiry, named by the record id.
  [[nodiscard]] hal::Calibration calibration() const;
};

// Serial numbers become file names: 1 to 32 letters, digits, '.', '-' or '_'. "" when valid.
std::string serial_problem(std::string_view serial);
// A technician's name or staff id: 1 to 64 printable characters. "" when valid.
std::string technician_problem(std::string_view technician);

// Fits the points and fills in everything else; expires `valid_months` calendar months later.
CalibrationRecord make_record(std::string serial, std::string technician, std::string table,
                              std::int64_t now_unix, Force capacity,
                              std::vector<CalibrationPoint> points,
                              const CalibrationLimits &limits = {},
                              int valid_months = kDefaultValidMonths);

// The file's text (pretty-printed, ending in a newline). Computes and stores the checksum.
std::string record_json(CalibrationRecord &record);
// The SHA-256 of the record's canonical text, as stored in its "checksum" member.
std::string record_checksum(const CalibrationRecord &record);

struct RecordRead {
  std::optional<CalibrationRecord> record;
  std::string error; // "<name>: <why>", empty when record is set
  explicit operator bool() const { return record.has_value(); }
};
// `name` is how messages refer to the file, e.g. "calibration/current.json".
RecordRead parse_record(std::string_view text, const std::string &name);
RecordRead read_record_file(const std::filesystem::path &path);

// What a technician reads: id, who and when, the curve, each figure against its limit (ok or
// FAILED), the quadratic-term decision, expiry and checksum; one line each.
std::string record_summary(const CalibrationRecord &record);

// "" while the record is in date at now_unix, otherwise the message (naming the date).
std::string expiry_problem(const CalibrationRecord &record, const std::string &name,
                           std::int64_t now_unix);

} // namespace tractus::calibration
