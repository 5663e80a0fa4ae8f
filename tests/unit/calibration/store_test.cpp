// The calibration store: what is in force, history that is never lost, and the daily
// verification log (calibration/store.hpp, calibration/verification.hpp).
#include "calibration/store.hpp"
#include "test_points.hpp"

#include <gtest/gtest.h>
#include <sys/resource.h>

#include <algorithm>
#include <csignal>
#include <fstream>
#include <sstream>

namespace tractus::calibration {
namespace {

using test::kJan2026;
using test::TempDir;

CalibrationRecord record_made_at(std::int64_t now, double offset = 8000.0) {
  test::SyntheticCell cell;
  cell.offset = offset;
  cell.jitter_n = 0.02;
  return make_record("LC-1234", "A. Tech", "the simulator (seed 1)", now, newtons(2000),
                     cell.readings(test::standard_plan()));
}

std::string bytes_of(const std::filesystem::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void write_bytes(const std::filesystem::path &p, const std::string &bytes) {
  std::ofstream(p, std::ios::binary) << bytes;
}

StableReading stable_at(double counts) {
  StableReading r;
  r.stable = true;
  r.mean_counts = counts;
  r.samples = 500;
  return r;
}

TEST(CalibrationStore, InstallMakesTheRecordCurrentAndKeepsItInHistory) {
  TempDir dir("cal-store-install");
  CalibrationStore store(dir.path() / "calibration");
  CalibrationRecord record = record_made_at(kJan2026);
  const auto kept = store.install(record);
  EXPECT_EQ(kept.filename(), "20260101T000000Z-LC-1234.json");
  EXPECT_EQ(bytes_of(kept), bytes_of(store.current_path()));
  const RecordRead current = store.current(kJan2026 + 3600);
  ASSERT_TRUE(current) << current.error;
  EXPECT_EQ(current.record->id, record.id);
}

TEST(CalibrationStore, ReplacingKeepsEveryEarlierRecordAndLeavesNoTemporaryFiles) {
  TempDir dir("cal-store-replace");
  CalibrationStore store(dir.path());
  CalibrationRecord first = record_made_at(kJan2026);
  CalibrationRecord second = record_made_at(kJan2026 + 86400, 8100.0);
  const std::string first_bytes = bytes_of(store.install(first));
  store.install(second);
  const auto history = store.history();
  ASSERT_EQ(history.size(), 2U);
  EXPECT_EQ(bytes_of(history[0]), first_bytes);
  EXPECT_EQ(store.current(kJan2026 + 2 * 86400).record->id, second.id);
  for (const auto &entry : std::filesystem::recursive_directory_iterator(dir.path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp-"), std::string::npos) << entry.path();
}

TEST(CalibrationStore, ACurrentFileNotInHistoryIsArchivedBeforeItIsReplaced) {
  TempDir dir("cal-store-superseded");
  CalibrationStore store(dir.path());
  write_bytes(store.current_path(), "{ damaged by hand");
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  const auto history = store.history();
  ASSERT_EQ(history.size(), 2U);
  const auto superseded = std::find_if(history.begin(), history.end(), [](const auto &p) {
    return p.filename().string().find("-superseded-") != std::string::npos;
  });
  ASSERT_NE(superseded, history.end());
  EXPECT_EQ(bytes_of(*superseded), "{ damaged by hand");
}

TEST(CalibrationStore, ARejectedRecordIsKeptWithoutTouchingCurrent) {
  TempDir dir("cal-store-rejected");
  CalibrationStore store(dir.path());
  CalibrationRecord good = record_made_at(kJan2026);
  store.install(good);
  const std::string before = bytes_of(store.current_path());
  CalibrationRecord bad = record_made_at(kJan2026 + 60);
  bad.fit.failures.push_back("hysteresis 0.2 % of FS is above the limit of 0.1 %");
  EXPECT_THROW(store.install(bad), std::invalid_argument);
  const auto kept = store.archive_rejected(bad);
  EXPECT_EQ(kept.filename(), "20260101T000100Z-LC-1234-rejected.json");
  EXPECT_EQ(bytes_of(store.current_path()), before);
}

TEST(CalibrationStore, NoRecordSaysTheCellWasNotCalibratedHere) {
  TempDir dir("cal-store-empty");
  text::Outcome<hal::Calibration> in_force;
  in_force = calibration_in_force(dir.path() / "calibration", kJan2026);
  EXPECT_FALSE(in_force.ok());
  EXPECT_EQ(in_force.error,
            (dir.path() / "calibration" / "current.json").string() +
                ": no calibration record: the load cell has not been calibrated here "
                "(tractus calibrate run)");
}

TEST(CalibrationStore, TamperedTruncatedOrExpiredCurrentIsNotInForce) {
  TempDir dir("cal-store-refused");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  const std::string good = bytes_of(store.current_path());
  const std::string name = store.current_path().string();
  text::Outcome<hal::Calibration> in_force;
  in_force = calibration_in_force(dir.path(), kJan2026 + 60);
  ASSERT_TRUE(in_force.ok()) << in_force.error;

  std::string tampered = good;
  tampered.replace(tampered.find("\"technician\": \"A. Tech\""), 23, "\"technician\": \"B. Tech\"");
  write_bytes(store.current_path(), tampered);
  in_force = calibration_in_force(dir.path(), kJan2026 + 60);
  EXPECT_FALSE(in_force.ok());
  EXPECT_EQ(in_force.error.rfind(name + ": checksum mismatch", 0), 0U) << in_force.error;

  write_bytes(store.current_path(), good.substr(0, good.size() / 2));
  in_force = calibration_in_force(dir.path(), kJan2026 + 60);
  EXPECT_FALSE(in_force.ok());
  EXPECT_NE(in_force.error.find("(the file ends early: truncated)"), std::string::npos)
      << in_force.error;

  write_bytes(store.current_path(), good);
  in_force = calibration_in_force(dir.path(), record.expires_unix + 1);
  EXPECT_FALSE(in_force.ok());
  EXPECT_EQ(in_force.error,
            name + ": calibration LC-1234-20260101T000000Z expired on 2027-01-01; the load "
                   "cell must be recalibrated (tractus calibrate run)");
}

TEST(CalibrationStore, CalibrationInForceIsTheRecordsCalibration) {
  TempDir dir("cal-store-in-force");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  text::Outcome<hal::Calibration> in_force;
  in_force = calibration_in_force(dir.path(), kJan2026 + 60);
  const auto &calibration = in_force.value;
  ASSERT_TRUE(calibration);
  EXPECT_EQ(in_force.error, "");
  EXPECT_EQ(calibration->id, record.id);
  EXPECT_EQ(calibration->c1, record.fit.c1);
  EXPECT_EQ(calibration->full_scale, newtons(2000));
}

TEST(CalibrationVerification, ToleranceIsHalfAPercentOfTheLoadButAtLeastTwoNewtons) {
  const VerificationTolerance t;
  EXPECT_NEAR(t.at(newtons(500)).si(), 2.5, 1e-12);
  EXPECT_NEAR(t.at(newtons(890)).si(), 4.45, 1e-12);
  EXPECT_NEAR(t.at(newtons(100)).si(), 2.0, 1e-12);
}

TEST(CalibrationVerification, FailedVerificationTakesTheCalibrationOutOfForceUntilOnePasses) {
  TempDir dir("cal-verify");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  const std::string current_before = bytes_of(store.current_path());
  const Verification failed =
      verify_at_load(record, newtons(500), stable_at(8000 + 100 * 503.1), "A. Tech", kJan2026 + 60);
  EXPECT_FALSE(failed.passed);
  EXPECT_EQ(verification_text(failed),
            "FAILED: 503.1 N measured at 500 N (error +3.1 N, allowed ±2.5 N)");
  store.append_verification(failed);
  text::Outcome<hal::Calibration> in_force;
  in_force = calibration_in_force(dir.path(), kJan2026 + 120);
  EXPECT_FALSE(in_force.ok());
  EXPECT_EQ(in_force.error,
            store.verification_log_path().string() +
                ": the verification of calibration LC-1234-20260101T000000Z on 2026-01-01 "
                "failed (FAILED: 503.1 N measured at 500 N (error +3.1 N, allowed ±2.5 N)); "
                "verify again or recalibrate");
  const Verification passed = verify_at_load(record, newtons(500), stable_at(8000 + 100 * 500.4),
                                             "A. Tech", kJan2026 + 180);
  EXPECT_TRUE(passed.passed);
  store.append_verification(passed);
  in_force = calibration_in_force(dir.path(), kJan2026 + 240);
  EXPECT_TRUE(in_force.ok()) << in_force.error;
  EXPECT_EQ(bytes_of(store.current_path()), current_before); // the record is never rewritten
}

TEST(CalibrationVerification, AnEditedVerificationLineIsDetectedAndBlocks) {
  TempDir dir("cal-verify-edited");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  store.append_verification(verify_at_load(record, newtons(500), stable_at(8000 + 100 * 504.0),
                                           "A. Tech", kJan2026 + 60));
  std::string log = bytes_of(store.verification_log_path());
  log.replace(log.find("\"passed\":false"), 14, "\"passed\":true");
  write_bytes(store.verification_log_path(), log);
  text::Outcome<hal::Calibration> in_force;
  in_force = calibration_in_force(dir.path(), kJan2026 + 120);
  EXPECT_FALSE(in_force.ok());
  EXPECT_EQ(in_force.error,
            store.verification_log_path().string() +
                " line 1 is damaged (checksum mismatch: the line was changed after it was "
                "written); verify again (tractus calibrate verify)");
}

// What a full disk left (a write cut short, `{"format":`): the next verification is appended as
// a line of its own, so the failure it records is read; before the fix the two were glued into
// one unreadable line and the morning's earlier pass put the calibration back in force.
TEST(CalibrationVerification, AFailureAfterALineCutShortIsReadAndKeepsTheCalibrationOutOfForce) {
  TempDir dir("cal-verify-cut");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  store.append_verification(verify_at_load(record, newtons(500), stable_at(8000 + 100 * 500.4),
                                           "A. Tech", kJan2026 + 60));
  std::ofstream(store.verification_log_path(), std::ios::app) << "{\"format\":";
  store.append_verification(verify_at_load(record, newtons(500), stable_at(8000 + 100 * 699.9),
                                           "A. Tech", kJan2026 + 120));
  const auto in_force = calibration_in_force(dir.path(), kJan2026 + 180);
  EXPECT_FALSE(in_force.ok());
  EXPECT_NE(in_force.error.find("failed (FAILED: 699.9 N measured at 500 N"), std::string::npos)
      << in_force.error;
  const auto latest = store.latest_verification(record.checksum);
  ASSERT_EQ(latest.warnings.size(), 1U); // the cut line, before the last verification
  EXPECT_NE(latest.warnings[0].find("line 2 is unreadable"), std::string::npos);
}

// A write the disk cuts short (here a file-size limit 20 bytes past the log's end) fails, naming
// the log, and is taken back: the log still ends on its last whole line.
TEST(CalibrationVerification, AVerificationTheDiskCutsShortFailsAndLeavesTheLogWhole) {
  TempDir dir("cal-verify-full");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  store.append_verification(verify_at_load(record, newtons(500), stable_at(8000 + 100 * 500.4),
                                           "A. Tech", kJan2026 + 60));
  const std::string before = bytes_of(store.verification_log_path());
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN); // EFBIG instead of the signal
  rlimit saved{};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  rlimit tight = saved;
  tight.rlim_cur = static_cast<rlim_t>(before.size() + 20);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &tight), 0);
  std::string error;
  try {
    store.append_verification(verify_at_load(record, newtons(500), stable_at(8000 + 100 * 699.9),
                                             "A. Tech", kJan2026 + 120));
  } catch (const std::exception &e) {
    error = e.what();
  }
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  EXPECT_NE(error.find(store.verification_log_path().string() + ": cannot write"),
            std::string::npos)
      << error;
  EXPECT_EQ(bytes_of(store.verification_log_path()), before);
}

// A line no one can read after the last pass (a failure whose bytes were damaged) could be a
// failed verification of the calibration in force: it is out of force until one passes.
TEST(CalibrationVerification, AnUnreadableLineAfterTheLastPassBlocksUntilAVerificationPasses) {
  TempDir dir("cal-verify-unreadable");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  const Verification passed =
      verify_at_load(record, newtons(500), stable_at(8000 + 100 * 500.4), "A. Tech", kJan2026 + 60);
  store.append_verification(passed);
  std::ofstream(store.verification_log_path(), std::ios::app) << "{\"format\":{\"passed\":galse\n";
  auto in_force = calibration_in_force(dir.path(), kJan2026 + 120);
  EXPECT_FALSE(in_force.ok());
  EXPECT_EQ(in_force.error.substr(0, store.verification_log_path().string().size() + 27),
            store.verification_log_path().string() + " line 2 is unreadable (not ")
      << in_force.error;
  EXPECT_NE(in_force.error.find("after this calibration's last good verification: it may be a "
                                "verification that failed; verify again"),
            std::string::npos)
      << in_force.error;
  store.append_verification(verify_at_load(record, newtons(500), stable_at(8000 + 100 * 500.2),
                                           "A. Tech", kJan2026 + 180));
  in_force = calibration_in_force(dir.path(), kJan2026 + 240);
  EXPECT_TRUE(in_force.ok()) << in_force.error;
}

TEST(CalibrationVerification, ALineGivingAKeyTwiceIsRefusedNamingIt) {
  const CalibrationRecord record = record_made_at(kJan2026);
  std::string line = verification_line(verify_at_load(
      record, newtons(500), stable_at(8000 + 100 * 504.0), "A. Tech", kJan2026 + 60));
  ASSERT_NE(line.find("\"passed\":false"), std::string::npos);
  line.replace(line.find("\"passed\":false"), 14, "\"passed\":false,\"passed\":true");
  const VerificationLineRead read = parse_verification_line(line);
  EXPECT_FALSE(read.verification);
  EXPECT_EQ(read.error, "/passed: duplicate key (edited by hand?)");
}

TEST(CalibrationVerification, LoadMustBeWithinTheCalibratedSpan) {
  const CalibrationRecord record = record_made_at(kJan2026);
  EXPECT_EQ(verification_load_problem(record, newtons(500)), "");
  EXPECT_EQ(verification_load_problem(record, newtons(1200)),
            "refused: the verification load 1200 N must be above 0 N and within the calibrated "
            "span (1000 N)");
}

// A treatment on a real table (`tractus run`, the console): the record in force for this
// load cell, verified with a pass on the same local day (docs/calibration.md).
constexpr std::int64_t kJan2026Noon = kJan2026 + 12 * 3600; // midday: the same local day
                                                            // ±11 h around it in any zone
Verification passed_at(const CalibrationRecord &record, std::int64_t when) {
  return verify_at_load(record, newtons(500), stable_at(8000 + 100 * 500.4), "A. Tech", when);
}

TEST(CalibrationForTreatment, ARecordNeverVerifiedIsRefusedWithTheWayOut) {
  TempDir dir("cal-treat-never");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  const TreatmentCalibration c = calibration_for_treatment(dir.path(), kJan2026Noon, "1234");
  EXPECT_FALSE(c.calibration);
  EXPECT_EQ(c.error,
            store.verification_log_path().string() +
                ": calibration LC-1234-20260101T000000Z has never been verified; the daily "
                "verification is due before the first session of the day (2026-01-01)");
  EXPECT_EQ(c.way_out, "verify it with the reference weight (tractus calibrate verify "
                       "--interactive --store " +
                           dir.path().string() + ")");
}

TEST(CalibrationForTreatment, AVerificationOfAnEarlierDayIsRefusedOneOfTodayIsUsed) {
  TempDir dir("cal-treat-yesterday");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026 - 2 * 86400);
  store.install(record);
  store.append_verification(passed_at(record, kJan2026Noon - 86400));
  const TreatmentCalibration yesterday =
      calibration_for_treatment(dir.path(), kJan2026Noon, "1234");
  EXPECT_FALSE(yesterday.calibration);
  EXPECT_NE(yesterday.error.find("was last verified on 2025-12-31; the daily verification is due "
                                 "before the first session of the day (2026-01-01)"),
            std::string::npos)
      << yesterday.error;
  store.append_verification(passed_at(record, kJan2026Noon - 60));
  const TreatmentCalibration today = calibration_for_treatment(dir.path(), kJan2026Noon, "1234");
  ASSERT_TRUE(today.calibration) << today.error;
  EXPECT_EQ(today.calibration->id, record.id);
}

TEST(CalibrationForTreatment, AFailedVerificationTodayIsRefused) {
  TempDir dir("cal-treat-failed");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  store.append_verification(verify_at_load(record, newtons(500), stable_at(8000 + 100 * 503.1),
                                           "A. Tech", kJan2026Noon - 60));
  const TreatmentCalibration c = calibration_for_treatment(dir.path(), kJan2026Noon, "1234");
  EXPECT_FALSE(c.calibration);
  EXPECT_NE(c.error.find("failed (FAILED: 503.1 N measured at 500 N"), std::string::npos)
      << c.error;
  EXPECT_NE(c.way_out.find("or recalibrate"), std::string::npos);
}

TEST(CalibrationForTreatment, ARecordOfAnotherLoadCellIsRefused) {
  TempDir dir("cal-treat-serial");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  store.append_verification(passed_at(record, kJan2026Noon - 60));
  EXPECT_TRUE(calibration_for_treatment(dir.path(), kJan2026Noon, "1234").calibration);
  EXPECT_TRUE(calibration_for_treatment(dir.path(), kJan2026Noon, "").calibration); // unreported
  const TreatmentCalibration other = calibration_for_treatment(dir.path(), kJan2026Noon, "51234");
  EXPECT_FALSE(other.calibration);
  EXPECT_NE(other.error.find("was made for load cell LC-1234, but the transmitter reports serial "
                             "51234"),
            std::string::npos)
      << other.error;
}

// A clinic with two shifts (daily_verification.valid_for_hours): a pass 9 h old is refused
// under an 8 h policy, saying its age and the policy; under 10 h, or the calendar day, it counts.
TEST(CalibrationForTreatment, APassOlderThanTheClinicsHoursIsRefusedSayingSo) {
  TempDir dir("cal-treat-hours");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  const std::int64_t now = kJan2026Noon + 2 * 3600; // 14:00 UTC, the pass at 05:00
  store.append_verification(passed_at(record, now - 9 * 3600));
  const TreatmentCalibration eight =
      calibration_for_treatment(dir.path(), now, "1234", VerificationPolicy{8});
  EXPECT_FALSE(eight.calibration);
  EXPECT_EQ(eight.error, store.verification_log_path().string() +
                             ": calibration LC-1234-20260101T000000Z was last verified 9 h 0 min "
                             "ago; this clinic's policy accepts a pass at most 8 h old "
                             "(daily_verification.valid_for_hours in the configuration file)");
  EXPECT_NE(eight.way_out.find("tractus calibrate verify"), std::string::npos) << eight.way_out;
  EXPECT_TRUE(
      calibration_for_treatment(dir.path(), now, "1234", VerificationPolicy{10}).calibration);
  if (local_date(now - 9 * 3600) == local_date(now)) { // the day rule alone, in this zone
    EXPECT_TRUE(calibration_for_treatment(dir.path(), now, "1234").calibration);
  }
}

// A pass dated after now (the clock went back): its age is unknown, so no rule accepts it.
TEST(CalibrationForTreatment, APassLaterThanTheClockIsRefusedSayingTheClockWentBack) {
  TempDir dir("cal-treat-future");
  CalibrationStore store(dir.path());
  CalibrationRecord record = record_made_at(kJan2026);
  store.install(record);
  const std::int64_t now = kJan2026Noon;
  store.append_verification(passed_at(record, now + 600));
  const TreatmentCalibration refused = calibration_for_treatment(dir.path(), now, "1234");
  EXPECT_FALSE(refused.calibration);
  EXPECT_NE(refused.error.find("later than this computer's clock"), std::string::npos)
      << refused.error;
  EXPECT_NE(refused.way_out.find("set the clock right"), std::string::npos) << refused.way_out;
}

} // namespace
} // namespace tractus::calibration
