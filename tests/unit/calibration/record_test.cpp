// The calibration record file: round trip, integrity and expiry (calibration/record.hpp).
#include "calibration/record.hpp"
#include "calibration/sha256.hpp"
#include "test_points.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace tractus::calibration {
namespace {

using test::kJan2026;

CalibrationRecord sample_record(std::int64_t now = kJan2026) {
  test::SyntheticCell cell;
  cell.jitter_n = 0.02;
  return make_record("LC-1234", "A. Tech", "the simulator (seed 1)", now, newtons(2000),
                     cell.readings(test::standard_plan()));
}

std::string replace_once(std::string text, const std::string &from, const std::string &to) {
  const auto at = text.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return text.replace(at, from.size(), to);
}

TEST(CalibrationRecord, RoundTripsThroughItsJsonFile) {
  CalibrationRecord written = sample_record();
  const std::string text = record_json(written);
  const RecordRead read = parse_record(text, "current.json");
  ASSERT_TRUE(read) << read.error;
  const CalibrationRecord &r = *read.record;
  EXPECT_EQ(r.id, "LC-1234-20260101T000000Z");
  EXPECT_EQ(r.load_cell_serial, "LC-1234");
  EXPECT_EQ(r.technician, "A. Tech");
  EXPECT_EQ(r.checksum, written.checksum);
  EXPECT_EQ(r.fit.c0, written.fit.c0);
  EXPECT_EQ(r.fit.c1, written.fit.c1);
  EXPECT_EQ(r.points.size(), 21U);
  EXPECT_EQ(r.points[6].direction, LoadDirection::Unloading);
  EXPECT_EQ(r.points[6].counts, written.points[6].counts);
  EXPECT_EQ(r.fit.failures, written.fit.failures);
  CalibrationRecord again = r;
  EXPECT_EQ(record_json(again), text); // reading and writing again changes nothing
}

TEST(CalibrationRecord, NamesFormatSerialTechnicianDatesLimitsAndChecksum) {
  CalibrationRecord record = sample_record();
  const auto j = nlohmann::json::parse(record_json(record));
  EXPECT_EQ(j["format"], "tractus.calibration/1");
  EXPECT_EQ(j["created"], "2026-01-01T00:00:00Z");
  EXPECT_EQ(j["expires"], "2027-01-01T00:00:00Z"); // 12 calendar months by default
  EXPECT_EQ(j["limits"]["nonlinearity_pct_fs"], 0.1);
  EXPECT_EQ(j["limits"]["hysteresis_pct_fs"], 0.1);
  EXPECT_EQ(j["limits"]["repeatability_pct_fs"], 0.05);
  EXPECT_EQ(j["results"]["accepted"], true);
  EXPECT_EQ(j["checksum"]["algorithm"], "sha256");
  EXPECT_EQ(j["checksum"]["value"].get<std::string>().size(), 64U);
}

TEST(CalibrationRecord, AChangedValueIsDetectedAsTampering) {
  CalibrationRecord record = sample_record();
  const std::string text = record_json(record);
  const std::string c1 = nlohmann::json::parse(text)["coefficients"]["c1"].dump();
  const std::string tampered = replace_once(text, "\"c1\": " + c1, "\"c1\": 0.0101");
  const RecordRead read = parse_record(tampered, "calibration/current.json");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error.rfind("calibration/current.json: checksum mismatch (stored " +
                                 record.checksum.substr(0, 12) + "..., content hashes to ",
                             0),
            0U)
      << read.error;
  EXPECT_TRUE(read.error.ends_with(
      "...): the record was changed after it was written and cannot be trusted"));
}

TEST(CalibrationRecord, ReindentingTheFileKeepsItValid) {
  CalibrationRecord record = sample_record();
  const auto j = nlohmann::ordered_json::parse(record_json(record));
  EXPECT_TRUE(parse_record(j.dump(), "compact.json"));
  EXPECT_TRUE(parse_record(j.dump(4), "wide.json"));
}

TEST(CalibrationRecord, TruncatedFileIsReportedWithWhereItEnds) {
  CalibrationRecord record = sample_record();
  const std::string text = record_json(record);
  const std::string truncated = text.substr(0, 200);
  const RecordRead read = parse_record(truncated, "calibration/current.json");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error, "calibration/current.json: not valid JSON at line 7, column 29 (the file "
                        "ends early: truncated); the record cannot be used");
}

TEST(CalibrationRecord, AKeyGivenTwiceIsRefusedNamingIt) {
  CalibrationRecord record = sample_record();
  std::string text = record_json(record);
  const std::size_t at = text.find("\"technician\"");
  ASSERT_NE(at, std::string::npos);
  text.insert(at, "\"technician\": \"someone else\",\n  ");
  const RecordRead read = parse_record(text, "c.json");
  ASSERT_FALSE(read);
  EXPECT_EQ(read.error, "c.json: /technician: duplicate key (edited by hand?); the record cannot "
                        "be used");
}

TEST(CalibrationRecord, DamagedFileIsReportedWithLineAndColumn) {
  const RecordRead read =
      parse_record("{\n  \"format\": \"tractus.calibration/1\",\n  x\n}", "c.json");
  EXPECT_EQ(read.error,
            "c.json: not valid JSON at line 3, column 3 (damaged); the record cannot be used");
}

TEST(CalibrationRecord, WrongFormatIsNamed) {
  EXPECT_EQ(parse_record(R"({"format": "tractus.profile/1"})", "c.json").error,
            "c.json: format is \"tractus.profile/1\", expected \"tractus.calibration/1\"");
  EXPECT_EQ(parse_record(R"([1, 2])", "c.json").error,
            "c.json: not a calibration record (no \"format\"; expected \"tractus.calibration/1\")");
}

TEST(CalibrationRecord, MissingChecksumIsRefused) {
  CalibrationRecord record = sample_record();
  auto j = nlohmann::ordered_json::parse(record_json(record));
  j.erase("checksum");
  EXPECT_EQ(parse_record(j.dump(), "c.json").error,
            "c.json: no sha256 checksum: the record cannot be verified, so it is not used");
}

TEST(CalibrationRecord, MissingMemberIsNamedByItsJsonPointer) {
  CalibrationRecord record = sample_record();
  auto j = nlohmann::ordered_json::parse(record_json(record));
  j.erase("checksum");
  j["coefficients"].erase("c1");
  j["checksum"] = {{"algorithm", "sha256"}, {"value", sha256_hex(j.dump())}};
  EXPECT_EQ(parse_record(j.dump(), "c.json").error, "c.json: /coefficients/c1: missing");
}

TEST(CalibrationRecord, ExpiredRecordIsNamedWithItsDate) {
  const CalibrationRecord record = sample_record();
  EXPECT_EQ(expiry_problem(record, "c.json", kJan2026 + 86400), "");
  EXPECT_EQ(expiry_problem(record, "c.json", record.expires_unix - 1), "");
  EXPECT_EQ(expiry_problem(record, "c.json", record.expires_unix),
            "c.json: calibration LC-1234-20260101T000000Z expired on 2027-01-01; the load cell "
            "must be recalibrated (tractus calibrate run)");
}

TEST(CalibrationRecord, RecordDatedAfterTodayMeansAWrongClock) {
  const CalibrationRecord record = sample_record();
  EXPECT_EQ(expiry_problem(record, "c.json", kJan2026 - 3 * 86400),
            "c.json: calibration LC-1234-20260101T000000Z is dated 2026-01-01, after today "
            "(2025-12-29): the controller's clock is wrong");
}

TEST(CalibrationRecord, CalibrationCarriesTheCoefficientsRangeExpiryAndId) {
  CalibrationRecord record = sample_record();
  record_json(record);
  const hal::Calibration c = record.calibration();
  EXPECT_EQ(c.id, "LC-1234-20260101T000000Z");
  EXPECT_EQ(c.source, "technician calibration by A. Tech, load cell LC-1234, sha256 " +
                          record.checksum.substr(0, 12));
  EXPECT_EQ(c.c1, record.fit.c1);
  EXPECT_EQ(c.full_scale, newtons(2000));
  EXPECT_EQ(c.expires_unix, record.expires_unix);
  EXPECT_NEAR(c.to_force(58000).si(), 500.0, 0.01);
}

TEST(CalibrationRecord, SerialAndTechnicianAreChecked) {
  EXPECT_EQ(serial_problem("LC-1234_a.b"), "");
  EXPECT_EQ(serial_problem("../etc"), "the load-cell serial \"../etc\" must be 1 to 32 letters, "
                                      "digits, '.', '-' or '_' (as printed on the cell's label)");
  EXPECT_EQ(technician_problem(""), "the technician must be named (1 to 64 printable "
                                    "characters, a name or staff id)");
}

} // namespace
} // namespace tractus::calibration
