// `tractus doctor` against tables on Modbus (docs/installing.md, "tractus doctor"): the vendor
// table (pymodbus_table.py) reached, its drive's watchdog enabled, its calibration judged as a
// session's start would judge it; a drive whose watchdog cannot be enabled is a FAIL; and a
// table another tractus is using is not touched (bindings/table_lock.hpp).
#include "harness/process.hpp"
#include "harness/sim_harness.hpp"
#include "harness/tractus_run.hpp"
#include "harness/vendor_table.hpp"

#include <gtest/gtest.h>

#include <csignal>
#include <sstream>
#include <thread>

using namespace tractus;
using namespace tractus::integration;

namespace {

RunResult doctor(const ScratchDir &dir, const std::string &table) {
  std::filesystem::create_directories(dir / "journal");
  return run_command({Tools::tractus(), "doctor", "--no-config", "--table", table, "--journal",
                      (dir / "journal").string(), "--store", (dir / "cal").string(), "--data",
                      (dir / "data").string()},
                     30s);
}

// The report's line for `check`, or "" when there is none.
std::string line_of(const std::string &report, const std::string &check) {
  std::istringstream lines(report);
  for (std::string line; std::getline(lines, line);)
    if (line.size() > 6 && line.compare(6, check.size(), check) == 0) return line;
  return "";
}

} // namespace

TEST(TractusDoctor, OnTheVendorTableTheCalibrationIsJudgedAsAStartWouldJudgeIt) {
  ScratchDir dir;
  PyTable table(dir, {});
  ASSERT_FALSE(table.address.empty()) << read_file(dir / "py.err");

  const RunResult before = doctor(dir, table.address);
  EXPECT_EQ(before.exit_code, 3) << before.out << before.err;
  EXPECT_EQ(line_of(before.out, "table").rfind("OK", 0), 0U) << before.out;
  EXPECT_NE(line_of(before.out, "table").find("a real table"), std::string::npos) << before.out;
  EXPECT_EQ(line_of(before.out, "drive watchdog").rfind("OK", 0), 0U) << before.out;
  EXPECT_NE(line_of(before.out, "drive watchdog").find("enabled at 100"), std::string::npos)
      << before.out;
  const std::string no_record = line_of(before.out, "calibration");
  EXPECT_EQ(no_record.rfind("FAIL", 0), 0U) << before.out;
  EXPECT_NE(no_record.find("no calibration record"), std::string::npos) << before.out;
  EXPECT_NE(before.out.find("fix: calibrate the load cell"), std::string::npos) << before.out;

  verify(dir / "cal", install_record(dir / "cal", now_unix()), now_unix());
  const RunResult after = doctor(dir, table.address);
  const std::string in_force = line_of(after.out, "calibration");
  EXPECT_EQ(in_force.rfind("OK", 0), 0U) << after.out;
  EXPECT_NE(in_force.find("verified today"), std::string::npos) << after.out;
}

TEST(TractusDoctor, ADriveWhoseWatchdogCannotBeEnabledIsAFail) {
  ScratchDir dir;
  PyTable table(dir, {"--identify-as-sim", "--broken-watchdog"});
  ASSERT_FALSE(table.address.empty()) << read_file(dir / "py.err");
  const RunResult r = doctor(dir, table.address);
  EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
  const std::string watchdog = line_of(r.out, "drive watchdog");
  EXPECT_EQ(watchdog.rfind("FAIL", 0), 0U) << r.out;
  EXPECT_NE(watchdog.find("cannot be enabled"), std::string::npos) << r.out;
}

// A session runs on tractus-sim: the doctor, and a second `tractus run`, leave that table alone
// and say who holds it; once the session has ended, the table is free again.
TEST(TractusDoctor, ATableInUseByAnotherTractusIsNotTouched) {
  ScratchDir dir;
  SimServer sim(dir, {"--calm"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  Process run(tractus_run_argv(dir, sim.tcp_address(), "modbus-1min.json", "80kg"), dir / "run.out",
              dir / "run.err");
  // Its journal exists once the table is bound and the session loaded.
  for (int i = 0; i < 200 && !journal_file(dir); ++i)
    std::this_thread::sleep_for(100ms);
  ASSERT_TRUE(journal_file(dir)) << read_file(dir / "run.err");

  const RunResult refused = doctor(dir, sim.tcp_address());
  EXPECT_EQ(refused.exit_code, 3) << refused.out << refused.err;
  const std::string table = line_of(refused.out, "table");
  EXPECT_EQ(table.rfind("FAIL", 0), 0U) << refused.out;
  EXPECT_NE(table.find("in use by another tractus process (pid " + std::to_string(run.pid())),
            std::string::npos)
      << refused.out;
  const RunResult second =
      run_command(tractus_run_argv(dir, sim.tcp_address(), "modbus-1min.json", "80kg"), 30s);
  EXPECT_EQ(second.exit_code, 2) << second.out << second.err;
  EXPECT_NE(second.err.find("in use by another tractus process"), std::string::npos) << second.err;
  EXPECT_TRUE(run.running()) << "the session was disturbed:\n" << read_file(dir / "run.out");

  run.signal(SIGINT); // the operator's stop: a controlled release
  ASSERT_TRUE(run.wait_for(30s));
  const RunResult free = doctor(dir, sim.tcp_address());
  EXPECT_EQ(line_of(free.out, "table").rfind("OK", 0), 0U) << free.out;
}

// Over RTU the doctor says what the serial port answered to the low-latency request (docs/
// installing.md, "An RTU table on a USB adapter"): on a pseudo-terminal, which has no serial
// settings and hands bytes over at once, an OK that says so, and no latency timer to warn of.
TEST(TractusDoctor, AnRtuTableHasASerialLatencyLine) {
  const ScratchDir dir;
  PtyPair pty(dir);
  SimServer sim(dir, pty.a(), {"--seed", "3"});
  ASSERT_TRUE(pty.ready() && sim.ready()) << sim.log();
  const RunResult r = doctor(dir, "modbus-rtu://" + pty.b() + "?baud=115200&parity=E");
  const std::string line = line_of(r.out, "serial latency");
  ASSERT_FALSE(line.empty()) << r.out << r.err;
  EXPECT_EQ(line.rfind("OK", 0), 0u) << line;
  EXPECT_NE(line.find("no serial settings"), std::string::npos) << line;
  EXPECT_EQ(line.find("latency timer"), std::string::npos) << line;
}
