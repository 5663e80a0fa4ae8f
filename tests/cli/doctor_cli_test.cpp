// `tractus doctor` (docs/installing.md): what it checks, what it names as missing and how to
// fix it, and its exit codes.
#include "cli_fixture.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>

namespace tractus::cli_test {
namespace {

// A line of the doctor's report: "VERDICT  check  detail", as printed.
bool has_line(const std::string &output, const std::string &verdict, const std::string &check,
              const std::string &detail) {
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.rfind(verdict, 0) == 0 && line.find(check) != std::string::npos &&
        line.find(detail) != std::string::npos)
      return true;
  return false;
}

// Everything a session needs on the simulator: exit 0, the table, watchdog and calibration OK.
TEST_F(TractusCli, DoctorOnAReadySimulatorPassesEveryCheckThatMatters) {
  const std::string data = (dir_ / "data").string();
  fs::create_directories(dir_ / "sessions");
  write(dir_ / "pin", "2468\n");
  for (const std::string role : {"operator", "technician"})
    ASSERT_EQ(
        run("pin set " + role + " --data " + data + " < " + (dir_ / "pin").string()).exit_code, 0);
  const auto r = run("doctor --no-config --table sim --data " + data + " --journal " +
                     journal_dir() + " --store " + (dir_ / "cal").string());
  EXPECT_EQ(r.exit_code, 0) << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "PINs", "operator and technician PINs set")) << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "journal folder", "room for the longest session (99 min"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "table", "sim: simulated")) << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "calibration", "the simulator's factory calibration"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "WARN", "configuration", "none read")) << r.output;
  EXPECT_NE(r.output.find(" 0 FAIL"), std::string::npos) << r.output;
}

// Each thing missing is a FAIL naming it and its fix, and the doctor exits 3.
TEST_F(TractusCli, DoctorNamesWhatIsMissingWithItsFixAndExits3) {
  const std::string data = (dir_ / "data").string();
  const auto r = run("doctor --no-config --data " + data + " --journal " +
                     (dir_ / "absent").string() + " --table modbus-tcp://127.0.0.1:1");
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(
      has_line(r.output, "FAIL", "journal folder", (dir_ / "absent").string() + " does not exist"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "PINs", "no PIN for the operator and technician"))
      << r.output;
  EXPECT_NE(r.output.find("fix: tractus pin set operator --data " + data), std::string::npos)
      << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "table", "127.0.0.1:1: Connection refused")) << r.output;
  // On a real table the loop's permissions are required, not only advised.
  EXPECT_EQ(r.output.find("WARN  real-time"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find(" FAIL: not ready for a patient"), std::string::npos) << r.output;
}

// PIN files the console could not use are not "PINs set": a lockout file it cannot read (it
// would lock both roles at its start) is named with its fix.
TEST_F(TractusCli, DoctorNamesALockoutFileTheConsoleCouldNotRead) {
  const std::string data = (dir_ / "data").string();
  write(dir_ / "pin", "2468\n");
  for (const std::string role : {"operator", "technician"})
    ASSERT_EQ(
        run("pin set " + role + " --data " + data + " < " + (dir_ / "pin").string()).exit_code, 0);
  const fs::path lockout = dir_ / "data" / "console" / "lockout.json";
  write(lockout, "{\"format\": ");
  const auto r = run("doctor --no-config --table sim --data " + data + " --journal " +
                     (dir_ / "data").string());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "PINs", "would lock both roles")) << r.output;
  EXPECT_NE(r.output.find("fix: remove " + lockout.string()), std::string::npos) << r.output;
}

// A bad configuration file is a FAIL naming the file and the pointer; the rest is still checked.
TEST_F(TractusCli, DoctorReportsABadConfigFileAndChecksTheRestOnTheDefaults) {
  const fs::path file = dir_ / "bad.json";
  write(file, R"({"format": "tractus.config/1", "tabel": "sim"})");
  const auto r = run("doctor --config " + file.string() + " --journal " + journal_dir());
  EXPECT_EQ(r.exit_code, 3) << r.output;
  EXPECT_TRUE(has_line(r.output, "FAIL", "configuration", file.string() + ": /tabel: unknown key"))
      << r.output;
  EXPECT_TRUE(has_line(r.output, "OK", "table", "sim: simulated")) << r.output;
}

} // namespace
} // namespace tractus::cli_test
