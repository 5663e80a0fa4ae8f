// What `tractus run --table modbus-…` refuses before anything moves, and how it says so:
// exit code 2 (bad input, nothing started) and a message naming the cause.
#include "harness/process.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

using namespace tractus::integration;

namespace {
RunResult tractus_run(const ScratchDir &dir, const std::string &table) {
  return run_command(tractus_run_argv(dir, table, "modbus-2min.json", "80kg"), 30s);
}
bool contains(const std::string &s, const std::string &needle) {
  return s.find(needle) != std::string::npos;
}
// The pymodbus server scripted to the register map, with its options.
struct PyTable {
  PyTable(const ScratchDir &dir, std::vector<std::string> options)
      : process(
            [&] {
              std::vector<std::string> argv{Tools::python3(),
                                            (Tools::source_dir() / "pymodbus_table.py").string(),
                                            "--port-file", (dir / "py.port").string()};
              argv.insert(argv.end(), options.begin(), options.end());
              return argv;
            }(),
            dir / "py.out", dir / "py.err") {
    if (wait_for_file(dir / "py.port", 20s)) {
      const std::string p = read_file(dir / "py.port");
      address = "modbus-tcp://127.0.0.1:" + p.substr(0, p.find('\n'));
    }
  }
  Process process;
  std::string address;
};
} // namespace

TEST(TractusRunStartup, ABadAddressIsBadInput) {
  ScratchDir dir;
  const RunResult r = tractus_run(dir, "modbus-tcp://127.0.0.1");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "bad table address \"modbus-tcp://127.0.0.1\": missing \":PORT\""))
      << r.err;
}

TEST(TractusRunStartup, AnUnreachableTableNamesTheDeviceAndTheReason) {
  ScratchDir dir;
  const RunResult r = tractus_run(dir, "modbus-tcp://127.0.0.1:1"); // nothing listens on port 1
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "cannot connect to the load-cell transmitter (unit 1) at "
                              "127.0.0.1:1: Connection refused"))
      << r.err;
}

TEST(TractusRunStartup, ATableThatIsNotTheSimulatorNeedsACalibrationRecordAndScreening) {
  ScratchDir dir;
  PyTable table(dir, {});
  ASSERT_FALSE(table.address.empty()) << read_file(dir / "py.err");
  const RunResult r = tractus_run(dir, table.address);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "is not the simulator (load cell model 0x5059")) << r.err;
  EXPECT_TRUE(contains(r.err, "calibration record")) << r.err;
  EXPECT_TRUE(contains(r.err, "--screening")) << r.err;
}

TEST(TractusRunStartup, ADriveWhoseWatchdogCannotBeConfiguredIsRefused) {
  ScratchDir dir;
  PyTable table(dir, {"--identify-as-sim", "--broken-watchdog"});
  ASSERT_FALSE(table.address.empty()) << read_file(dir / "py.err");
  const RunResult r = tractus_run(dir, table.address);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "the drive's communication watchdog cannot be enabled")) << r.err;
  EXPECT_TRUE(contains(r.err, "read back 0 ms with action 0")) << r.err;
}

TEST(TractusRunStartup, InjectionsBelongToTractusSimOnAModbusTable) {
  ScratchDir dir;
  const RunResult r =
      run_command(tractus_run_argv(dir, "modbus-tcp://127.0.0.1:1", "modbus-2min.json", "80kg",
                                   {"--inject", "estop@3s"}),
                  30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_TRUE(contains(r.err, "tractus-sim --inject")) << r.err;
}
