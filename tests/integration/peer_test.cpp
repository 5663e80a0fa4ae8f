// Independent peers: Debian's mbpoll and a python3-pymodbus client read tractus-sim and get the
// values docs/register-map.md documents ("What a fresh tractus-sim answers"); tractus's HAL
// runs a session against a pymodbus server scripted to the same map (pymodbus_table.py). None
// of them shares code with tractus, so what passes here is the documented map, not an
// agreement between two halves of one program.
#include "harness/modbus_session_under_test.hpp"
#include "harness/sim_harness.hpp"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <map>
#include <sstream>
#include <thread>

using namespace tractus;
using namespace tractus::integration;

namespace {

// mbpoll's "[address]: value" lines, read once (-1) from holding registers (-t 4) with PDU
// addressing (-0).
std::map<int, long> mbpoll_read(std::uint16_t port, int unit, int address, int count) {
  const RunResult r = run_command({Tools::mbpoll(), "-m", "tcp", "-a", std::to_string(unit), "-r",
                                   std::to_string(address), "-0", "-c", std::to_string(count), "-t",
                                   "4", "-1", "-o", "2", "-p", std::to_string(port), "127.0.0.1"},
                                  10s);
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  std::map<int, long> values;
  // mbpoll prints one register a line: "[12]: 	-345".
  std::istringstream lines(r.out);
  for (std::string text; std::getline(lines, text);) {
    int reg = 0;
    long value = 0;
    if (std::sscanf(text.c_str(), " [%d]: %ld", &reg, &value) == 2) values[reg] = value;
  }
  return values;
}

constexpr long kSimModel = 0x5453; // "TS"

} // namespace

TEST(IndependentPeers, MbpollReadsTheDocumentedRegisters) {
  ScratchDir dir;
  SimServer sim(dir, {"--calm"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  const std::uint16_t port = sim.port();

  auto lc = mbpoll_read(port, 1, 0, 4);
  ASSERT_EQ(lc.size(), 4U);
  const long counts = (lc[0] << 16) | lc[1];
  EXPECT_NEAR(static_cast<double>(counts), 8000,
              100);    // offset 8000 counts at no load, noise σ 25 counts
  EXPECT_EQ(lc[2], 1); // ADC ok
  auto ident = mbpoll_read(port, 1, 100, 4);
  EXPECT_EQ(ident[100], kSimModel);
  EXPECT_EQ((ident[101] << 16) | ident[102], 100001);
  EXPECT_EQ(ident[103], 0x0100);
  auto cal = mbpoll_read(port, 1, 110, 6);
  EXPECT_EQ((cal[110] << 16) | cal[111], 8000);   // offset, counts
  EXPECT_EQ((cal[112] << 16) | cal[113], 100000); // gain, 0.001 counts/N
  EXPECT_EQ((cal[114] << 16) | cal[115], 20000);  // capacity, 0.1 N
  auto drive = mbpoll_read(port, 2, 10, 11);
  EXPECT_EQ(drive[10], 0x0006); // controlword: shutdown
  EXPECT_EQ(drive[13], 0x0031); // ready to switch on, voltage enabled, no quick stop
  EXPECT_EQ(drive[19], 0);      // no fault
  EXPECT_EQ(drive[20], 0);      // STO off
  EXPECT_EQ(mbpoll_read(port, 3, 0, 1)[0], 27); // chain closed, A closed, connected, locked

  // Arming the watchdog with mbpoll's function 16: read back, and statusword bit 15 set.
  const RunResult w =
      run_command({Tools::mbpoll(), "-m", "tcp", "-a", "2", "-r", "30", "-0", "-t", "4", "-1", "-o",
                   "2", "-p", std::to_string(port), "127.0.0.1", "100", "2"},
                  10s);
  EXPECT_EQ(w.exit_code, 0) << w.out << w.err;
  auto wd = mbpoll_read(port, 2, 30, 2);
  EXPECT_EQ(wd[30], 100);
  EXPECT_EQ(wd[31], 2);
  EXPECT_EQ(mbpoll_read(port, 2, 13, 1)[13], 0x8031);
}

TEST(IndependentPeers, PymodbusClientReadsTheDocumentedRegisters) {
  ScratchDir dir;
  SimServer sim(dir, {"--calm"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  const RunResult r =
      run_command({Tools::python3(), (Tools::source_dir() / "pymodbus_read.py").string(),
                   std::to_string(sim.port())},
                  20s);
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const auto j = nlohmann::json::parse(r.out);
  const auto &lc = j.at("load_cell");
  EXPECT_NEAR(static_cast<double>((lc[0].get<long>() << 16) | lc[1].get<long>()), 8000, 100);
  EXPECT_EQ(lc[2], 1);
  EXPECT_EQ(j.at("load_cell_identification"), nlohmann::json::parse("[21587, 1, 34465, 256]"));
  EXPECT_EQ(j.at("load_cell_factory_calibration"),
            nlohmann::json::parse("[0, 8000, 1, 34464, 0, 20000]"));
  EXPECT_EQ(j.at("drive_command"), nlohmann::json::parse("[6, 0, 0]"));
  EXPECT_EQ(j.at("drive_status").at(0), 0x0031);
  EXPECT_EQ(j.at("drive_watchdog"), nlohmann::json::parse("[0, 0]"));
  EXPECT_EQ(j.at("drive_identification").at(0), kSimModel);
  EXPECT_EQ(j.at("safety_inputs"), nlohmann::json::parse("[27]"));
  EXPECT_EQ(j.at("drive_status_after_function_23").at(0), 0x0031);
  EXPECT_EQ(j.at("unmapped_exception_code"), 2); // illegal data address
}

TEST(IndependentPeers, HalRunsAShortSessionAgainstAPymodbusServer) {
  ScratchDir dir;
  Process server({Tools::python3(), (Tools::source_dir() / "pymodbus_table.py").string(),
                  "--port-file", (dir / "py.port").string()},
                 dir / "py.out", dir / "py.err");
  ASSERT_TRUE(wait_for_file(dir / "py.port", 20s)) << read_file(dir / "py.err");
  const std::string port = read_file(dir / "py.port");
  // A python server answers in about a millisecond: a 10 ms cycle, as over RTU.
  ModbusSessionOptions o;
  o.address = "modbus-tcp://127.0.0.1:" + port.substr(0, port.find('\n')) + "?timeout=50ms";
  o.period = milliseconds(10);
  hal::Calibration cal; // the script's transmitter: 5000 counts at no load, 50 counts/N
  cal.id = "pymodbus-table";
  cal.c1 = 1.0 / 50.0;
  cal.c0 = -5000.0 / 50.0;
  cal.full_scale = newtons(2000);
  o.calibration = cal;
  ModbusSessionUnderTest session(o);
  ASSERT_EQ(session.error(), "");
  EXPECT_FALSE(session.table().identity().is_simulator());
  EXPECT_EQ(session.table().identity().load_cell.model, 0x5059);
  ASSERT_TRUE(session.table().identity().factory);
  EXPECT_DOUBLE_EQ(session.table().identity().factory->gain_counts_per_n, 50.0);

  session.start();
  ASSERT_TRUE(session.wait_for_state(controller::State::Treating, 20s))
      << "state " << controller::to_string(session.state()) << ", fault "
      << controller::number(session.fault());
  std::this_thread::sleep_for(3s);
  session.request_stop(); // the operator stops: controlled release, drive off 5 s later
  ASSERT_TRUE(session.join(30s));
  EXPECT_EQ(session.state(), controller::State::Complete);
  EXPECT_EQ(session.fault(), controller::FaultCode::None); // no fault latched on the way
  EXPECT_EQ(session.report().last.outcome, controller::Outcome::OperatorStop);
  EXPECT_GT(session.report().cycles, 500U);
}
