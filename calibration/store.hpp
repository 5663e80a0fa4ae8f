// Where calibration records live, and which one is in force.
//
//   calibration/                    (the store directory, `--store`, default "calibration")
//     current.json                  the record in force
//     history/<created>-<serial>.json            every record ever installed, current included
//     history/<created>-<serial>-rejected.json   measured but failed acceptance
//     history/<time>-superseded-<sha>.json        a current.json not yet in history when replaced
//     verifications.jsonl           daily verifications, one checksummed JSON line each
//
// Nothing is ever overwritten except current.json, and that only by an atomic replacement
// (temporary file in the same directory, fsync, rename, fsync of the directory), after the
// new record is safely in history: a power cut at any moment leaves either the old or the new
// record in force, and every record still on disk. Refused or failed calibrations never touch
// current.json.
//
// In force = current.json present, intact (checksum), the right format, accepted, in date, and
// its latest daily verification (if any) passed. Runs at start-up and in the CLI, never in the
// control cycle: it reads files, allocates and may throw on I/O errors where noted.
#pragma once

#include "calibration/record.hpp"
#include "calibration/verification.hpp"
#include "calibration/verification_policy.hpp"
#include "hal/calibration.hpp"
#include "text/outcome.hpp"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace tractus::calibration {

class CalibrationStore {
public:
  explicit CalibrationStore(std::filesystem::path dir);

  [[nodiscard]] const std::filesystem::path &dir() const { return dir_; }
  [[nodiscard]] std::filesystem::path current_path() const { return dir_ / "current.json"; }
  [[nodiscard]] std::filesystem::path history_dir() const { return dir_ / "history"; }
  [[nodiscard]] std::filesystem::path verification_log_path() const {
    return dir_ / "verifications.jsonl";
  }

  // The current record if it is present, intact, accepted and in date at now_unix; otherwise
  // why not, naming the file. (Its daily verification is checked by calibration_in_force.)
  [[nodiscard]] RecordRead current(std::int64_t now_unix) const;

  // Makes an accepted record the one in force; returns its history file. Throws
  // std::runtime_error on an I/O failure, in which case the previous record stays in force.
  std::filesystem::path install(CalibrationRecord &record);
  // Keeps a record that failed acceptance in history, marked rejected; current.json untouched.
  std::filesystem::path archive_rejected(CalibrationRecord &record);
  // Files in history/, oldest first.
  [[nodiscard]] std::vector<std::filesystem::path> history() const;

  // Appends one line to the verification log and syncs it. Throws std::runtime_error on I/O.
  void append_verification(const Verification &v);

  struct LatestVerification {
    std::optional<Verification> verification; // none yet when empty and error is empty
    // A damaged line naming this record, or an unreadable one (naming no record) after its
    // last good verification: it cannot be trusted either way.
    std::string error;
    std::vector<std::string> warnings; // unreadable lines before this record's last verification
  };
  [[nodiscard]] LatestVerification latest_verification(const std::string &record_checksum) const;

private:
  std::filesystem::path dir_;
};

// The calibration the controller may use now, or why not (one sentence naming the file): what
// SessionSetup::calibration and calibration_valid are set from on a real table.
text::Outcome<hal::Calibration> calibration_in_force(const std::filesystem::path &store_dir,
                                                     std::int64_t now_unix);

// What a treatment on a real table may use (`tractus run`, docs/calibration.md "Daily
// verification"): the record in force, made for this load cell, and verified with a pass on
// the same local calendar day as now_unix — a record never verified, or last verified on an
// earlier day, is refused, as established tables demand the daily function test before the
// first patient (Eltrac 471, REFERENCE.md). Under a `policy` with valid_for_hours, a pass older
// than that is refused too, saying its age and the policy.
struct TreatmentCalibration {
  std::optional<hal::Calibration> calibration;
  std::string error;   // when refused: what is wrong, naming the file
  std::string way_out; // when refused: what the technician does about it
};
// `transmitter_serial`: the serial the transmitter reports, in decimal ("" when it reports
// none). The record's serial (from the cell's label) matches it when equal, or when it ends in
// "-" and that number ("LC-200001" matches 200001).
TreatmentCalibration calibration_for_treatment(const std::filesystem::path &store_dir,
                                               std::int64_t now_unix,
                                               const std::string &transmitter_serial,
                                               const VerificationPolicy &policy = {});
// A calibration found for treatment, refused (error and way out set, calibration cleared) if it
// may not measure a session that pulls up to `highest`: a technician's curve fitted up to a
// lower load (a --min-span set too low) would be extrapolated for the session's highest forces.
// What `tractus run` and the console both apply after calibration_for_treatment.
void require_coverage(TreatmentCalibration &found, Force highest,
                      const std::filesystem::path &store_dir);

// The local calendar day of a Unix time, "2026-12-05": the day the daily verification counts.
std::string local_date(std::int64_t unix_seconds);

} // namespace tractus::calibration
