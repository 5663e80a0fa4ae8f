// The in-process table through the hal interfaces: virtual clock, CiA 402-like drive,
// communication watchdog, STO, safety inputs and the factory calibration.
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

namespace tractus::sim {
namespace {

constexpr Duration kCycle = milliseconds(1.0);

hal::DriveCommand reel_in(double metres_per_s) {
  hal::DriveCommand cmd;
  cmd.enable = true;
  cmd.cable_speed = metres_per_second(metres_per_s);
  return cmd;
}

// Runs the 1 kHz loop a controller would: exchange, then advance one cycle.
void cycle(SimTable &sim, const hal::DriveCommand &cmd, Duration how_long) {
  const auto cycles = std::llround(how_long / kCycle);
  for (long long i = 0; i < cycles; ++i) {
    sim.drive().exchange(cmd);
    sim.advance(kCycle);
  }
}

// A table with a calm average patient pulled to ~400 N by reeling in at 5 mm/s.
void pull_to_about_400_newtons(SimTable &sim) {
  cycle(sim, reel_in(0.005), seconds(14.0));
  ASSERT_GT(sim.true_force(), newtons(300.0));
}

TEST(SimTable, SafetyInputsDefaultToReadyToTreat) {
  SimTable sim;
  const hal::SafetyInputs in = sim.safety().read();
  EXPECT_EQ(in.io, hal::IoStatus::Ok);
  EXPECT_TRUE(in.estop_chain_closed);
  EXPECT_TRUE(in.patient_switch_connected);
  EXPECT_TRUE(in.patient_switch_a);
  EXPECT_FALSE(in.patient_switch_b);
  EXPECT_EQ(hal::patient_switch_state(in), hal::PatientSwitch::Released);
  EXPECT_TRUE(in.table_locked);
  EXPECT_EQ(in.age, Duration{});
}

TEST(SimTable, AdvanceMovesTheVirtualClockInWholeMillisecondSteps) {
  SimTable sim;
  sim.advance(milliseconds(0.4));
  EXPECT_EQ(sim.elapsed(), Duration{});
  sim.advance(milliseconds(0.6)); // the remainder carries over
  EXPECT_EQ(sim.plant().steps(), 1U);
  sim.advance(minutes(30.0));
  EXPECT_EQ(sim.plant().steps(), 1'800'001U);
}

TEST(SimTable, EnabledDriveFollowsTheCommandedCableSpeed) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  cycle(sim, reel_in(0.01), seconds(1.0));
  const hal::DriveStatus s = sim.drive().exchange(reel_in(0.01));
  EXPECT_EQ(s.io, hal::IoStatus::Ok);
  EXPECT_TRUE(s.ready);
  EXPECT_TRUE(s.operation_enabled);
  EXPECT_NEAR(s.cable_speed.si(), 0.01, 1e-9);
  EXPECT_NEAR(s.cable_position.si(), 0.0097, 0.0005); // 1 s at 10 mm/s, less the 20 ms ramp
  EXPECT_GT(s.motor_current_a, 0.0);
}

TEST(SimTable, LoadCellThroughFactoryCalibrationReadsTheTrueForce) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  pull_to_about_400_newtons(sim);
  const hal::Calibration cal = sim.factory_calibration();
  EXPECT_EQ(cal.id, "sim-factory");
  EXPECT_EQ(cal.source, "simulator factory calibration");
  EXPECT_EQ(cal.full_scale, newtons(2000.0));
  EXPECT_EQ(cal.expires_unix, 0);
  const hal::LoadCellSample s = sim.load_cell().read();
  EXPECT_EQ(s.io, hal::IoStatus::Ok);
  EXPECT_TRUE(s.status.adc_ok);
  EXPECT_NEAR(cal.to_force(s.raw_counts).si(), sim.true_force().si(), 1.0); // ±4 σ of noise
}

TEST(SimTable, WatchdogIsDisabledAsShipped) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  EXPECT_FALSE(sim.drive().exchange(reel_in(0.0)).watchdog_armed);
  sim.advance(seconds(30.0)); // silence: nothing happens
  EXPECT_TRUE(sim.drive_enabled());
}

TEST(SimTable, WatchdogDisablesTheDriveJustAfterItsTimeoutAndNotBefore) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  ASSERT_EQ(sim.drive().configure_watchdog(milliseconds(100.0)), "");
  cycle(sim, reel_in(0.005), seconds(1.0));
  sim.drive().exchange(reel_in(0.005)); // the last command
  sim.advance(milliseconds(100.0));
  EXPECT_TRUE(sim.drive_enabled()); // exactly the timeout: still fed
  sim.advance(milliseconds(1.0));
  EXPECT_FALSE(sim.drive_enabled());
  EXPECT_EQ(sim.drive_model().fault_code(), DriveModel::kFaultCommWatchdog);
  EXPECT_EQ(sim.plant().motor_mode(), MotorMode::Unpowered);
}

TEST(SimTable, WatchdogTripReleasesTheTension) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  ASSERT_EQ(sim.drive().configure_watchdog(milliseconds(50.0)), "");
  pull_to_about_400_newtons(sim);
  sim.advance(seconds(3.0)); // the controller died mid-pull
  EXPECT_LT(sim.true_force(), newtons(15.0));
}

TEST(SimTable, WatchdogRefusesTimeoutsOutsideTheDrivesRange) {
  SimTable sim;
  EXPECT_EQ(sim.drive().configure_watchdog(Duration{}),
            "watchdog timeout must be above 0 s (0 leaves the drive's watchdog disabled)");
  EXPECT_EQ(sim.drive().configure_watchdog(seconds(25.0)),
            "watchdog timeout 25 s is beyond the drive's range (at most 20 s)");
  EXPECT_FALSE(sim.drive_model().watchdog_armed());
}

TEST(SimTable, FaultLatchesUntilAResetEdgeThenEnableMustBeRenewed) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  cycle(sim, reel_in(0.005), seconds(0.1));
  sim.drive_model().inject_fault(DriveModel::kFaultOverCurrent);
  sim.advance(kCycle);
  hal::DriveCommand cmd = reel_in(0.005);
  EXPECT_TRUE(sim.drive().exchange(cmd).fault);
  cmd.fault_reset = true;
  hal::DriveStatus s = sim.drive().exchange(cmd);
  EXPECT_FALSE(s.fault);
  EXPECT_FALSE(s.operation_enabled); // a standing enable does not re-power the table
  cmd.fault_reset = false;
  cmd.enable = false;
  sim.drive().exchange(cmd);
  cmd.enable = true;
  EXPECT_TRUE(sim.drive().exchange(cmd).operation_enabled);
}

TEST(SimTable, FaultResetHeldHighClearsOnlyOnItsRisingEdge) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  hal::DriveCommand cmd = hal::DriveCommand::disabled();
  cmd.fault_reset = true;
  sim.drive().exchange(cmd);
  sim.drive_model().inject_fault(DriveModel::kFaultOverCurrent);
  EXPECT_TRUE(sim.drive().exchange(cmd).fault); // still high: no edge
  cmd.fault_reset = false;
  sim.drive().exchange(cmd);
  cmd.fault_reset = true;
  EXPECT_FALSE(sim.drive().exchange(cmd).fault);
}

TEST(SimTable, OpenEstopChainPutsTheDriveInStoAndReleasesTheTension) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  pull_to_about_400_newtons(sim);
  sim.safety_model().open_estop();
  sim.advance(kCycle);
  const hal::DriveStatus s = sim.drive().exchange(reel_in(0.005));
  EXPECT_TRUE(s.sto_active);
  EXPECT_FALSE(s.ready);
  EXPECT_FALSE(s.operation_enabled);
  EXPECT_FALSE(sim.safety().read().estop_chain_closed);
  cycle(sim, reel_in(0.005), seconds(3.0)); // commands cannot override the hardwired STO
  EXPECT_LT(sim.true_force(), newtons(15.0));
}

TEST(SimTable, ClosedEstopChainNeedsEnableWithdrawnBeforeTorqueReturns) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  cycle(sim, reel_in(0.005), seconds(0.1));
  sim.safety_model().open_estop();
  cycle(sim, reel_in(0.005), seconds(0.1));
  sim.safety_model().close_estop();
  cycle(sim, reel_in(0.005), seconds(0.1));
  EXPECT_FALSE(sim.drive_enabled());
  cycle(sim, hal::DriveCommand::disabled(), kCycle);
  cycle(sim, reel_in(0.005), kCycle);
  EXPECT_TRUE(sim.drive_enabled());
}

TEST(SimTable, QuickStopHoldsTheCableWhileEnabled) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  cycle(sim, reel_in(0.01), seconds(0.5));
  hal::DriveCommand stop = reel_in(0.01);
  stop.quick_stop = true;
  cycle(sim, stop, milliseconds(10.0)); // 10 mm/s at 2 m/s² stops in 5 ms
  const Length held = sim.plant().cable_position();
  cycle(sim, stop, seconds(1.0));
  EXPECT_TRUE(sim.drive_enabled());
  EXPECT_EQ(sim.plant().cable_position(), held);
}

} // namespace
} // namespace tractus::sim
