// `tractus calibrate` over Modbus TCP against tractus-sim in real time: the simulator's hands
// hang the reference weights through its unit 247 (regmap::sim_control::kReferenceLoad), the
// fit recovers the simulated transmitter, and the daily verification passes on the same table.
#include "calibration/store.hpp"
#include "hal/modbus/device_codec.hpp"
#include "hal/register_map.hpp"
#include "harness/sim_harness.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <ctime>

using namespace tractus;
using namespace tractus::integration;

TEST(TractusCalibrateOverTcp, ScriptedRunOnTheSimulatorIsInstalledAndVerifies) {
  ScratchDir dir;
  SimServer sim(dir, {"--seed", "3"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  const std::string store = (dir / "store").string();

  // The smallest plan the procedure accepts (calibration/procedure.cpp, check_plan): 5 loads,
  // zero, span and 3 between, 2 cycles up and down: 17 steady readings in real time instead of
  // the default plan's 21. The span stays 1000 N, so the fit is held to the same 0.1 % FS below.
  const RunResult run =
      run_command({Tools::tractus(), "calibrate", "run", "--table", sim.tcp_address(), "--serial",
                   "LC-9", "--technician", "CI", "--loads", "0,250,500,750,1000", "--store", store},
                  90s);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out << sim.log();
  EXPECT_NE(run.out.find("on tractus-sim at 127.0.0.1:" + std::to_string(sim.port())),
            std::string::npos)
      << run.out;

  const calibration::RecordRead current =
      calibration::CalibrationStore(store).current(std::time(nullptr));
  ASSERT_TRUE(current) << current.error;
  const calibration::CalibrationRecord &record = *current.record;
  EXPECT_TRUE(record.accepted());
  EXPECT_EQ(record.load_cell_serial, "LC-9");
  EXPECT_EQ(record.table.rfind("tractus-sim at ", 0), 0U) << record.table;

  // The simulated transmitter is linear: counts = offset + gain · F (its factory registers).
  SimProbe probe(sim.port());
  ASSERT_TRUE(probe.connected());
  std::uint16_t regs[hal::regmap::factory_cal::kSize];
  ASSERT_TRUE(probe.read(hal::regmap::kLoadCellUnit,
                         *hal::regmap::kDefaultMap.load_cell.factory_calibration,
                         hal::regmap::factory_cal::kSize, regs));
  const hal::modbus::FactoryCalibration truth = hal::modbus::decode_factory_calibration(regs);
  ASSERT_GT(truth.gain_counts_per_n, 0.0);
  const double span = record.fit.span.si();
  ASSERT_DOUBLE_EQ(span, 1000.0);
  double worst_pct = 0.0;
  for (double f = 0.0; f <= span; f += 50.0) {
    const double counts = truth.offset_counts + truth.gain_counts_per_n * f;
    worst_pct = std::max(worst_pct, std::abs(record.fit.to_newtons(counts) - f) / span * 100.0);
  }
  EXPECT_LT(worst_pct, 0.1) << "the fit misses the simulated transmitter by " << worst_pct
                            << " % FS";
  // The weight is off again: nothing left hanging on the simulated cell.
  std::uint16_t load[2] = {1, 1};
  ASSERT_TRUE(probe.read(hal::regmap::sim_control::kUnit, hal::regmap::sim_control::kReferenceLoad,
                         2, load));
  EXPECT_EQ(load[0], 0);
  EXPECT_EQ(load[1], 0);

  const RunResult verify =
      run_command({Tools::tractus(), "calibrate", "verify", "--load", "500N", "--table",
                   sim.tcp_address(), "--technician", "CI", "--store", store},
                  30s);
  EXPECT_EQ(verify.exit_code, 0) << verify.err << verify.out;
  EXPECT_NE(verify.out.find("Verification of calibration " + record.id), std::string::npos)
      << verify.out;

  const RunResult show =
      run_command({Tools::tractus(), "calibrate", "show", "--store", store}, 10s);
  EXPECT_EQ(show.exit_code, 0) << show.err;
  EXPECT_NE(show.out.find("In force."), std::string::npos) << show.out;
}

TEST(TractusCalibrateOverTcp, AnUnreachableTableIsBadInput) {
  ScratchDir dir;
  const RunResult r =
      run_command({Tools::tractus(), "calibrate", "run", "--table", "modbus-tcp://127.0.0.1:1",
                   "--serial", "LC-9", "--technician", "CI", "--store", (dir / "store").string()},
                  30s);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot connect to the load-cell transmitter (unit 1) at 127.0.0.1:1"),
            std::string::npos)
      << r.err;
}
