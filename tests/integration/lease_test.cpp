// The table's leases on Modbus (apps/bindings), against tractus-sim: a calibration reading
// waits for a slow reply, where a control cycle must give up at its own short timeout. Both
// leases share one connection, so the session lease must take the short timeout back. After
// the table restarts, the first lease reconnects every device, and a device without an
// identification block is asked as well (the vendor table, pymodbus_table.py).
#include "bindings/table_bindings.hpp"
#include "hal/register_map.hpp"
#include "harness/sim_harness.hpp"
#include "harness/vendor_table.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <thread>

using namespace tractus;
using namespace tractus::integration;
namespace sc = hal::regmap::sim_control;

TEST(ModbusLeases, ACalibrationReadingWaitsForASlowReplyASessionCycleDoesNot) {
  ScratchDir dir;
  SimServer sim(dir, {"--calm"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  const bindings::BindingMade made = bindings::make_table_binding(sim.tcp_address(), 1);
  ASSERT_TRUE(made) << made.error;
  const console::TableBinding &binding = *made.value;
  SimProbe probe(sim.port());
  ASSERT_TRUE(probe.trigger(1, sc::kDelayMs, 50)); // every load-cell reply 50 ms late

  {
    // A calibration lease reads with kReadingResponseTimeout (100 ms): the reply arrives.
    console::LeaseOpen calibration = binding.open(console::LeasePurpose::Calibration, 1);
    ASSERT_TRUE(calibration.lease) << calibration.error;
    EXPECT_EQ(calibration.lease->load_cell().read().io, hal::IoStatus::Ok);
  }

  // The session lease after it: the cycle's 3 ms timeout again, so the read gives up long
  // before the 50 ms reply.
  console::LeaseOpen session = binding.open(console::LeasePurpose::Session, 1);
  ASSERT_TRUE(session.lease) << session.error;
  const auto t0 = std::chrono::steady_clock::now();
  const hal::LoadCellSample s = session.lease->load_cell().read();
  const auto waited = std::chrono::steady_clock::now() - t0;
  EXPECT_EQ(s.io, hal::IoStatus::Timeout);
  EXPECT_LT(waited, std::chrono::milliseconds(40)) << "the cycle waited for the slow reply";
  ASSERT_TRUE(probe.trigger(1, sc::kDelayMs, 0));
}

// Between the lease's arming of the watchdog and the loop's first cycle come the records
// store's write, the journal's creation and the thread's start: on a busy PC more than the
// drive's 100 ms, and the start was refused with 114. Right before its first cycle the loop
// clears the trip that wait caused; a drive that was fed all along is left as it is.
TEST(ModbusLeases, AWatchdogTripBeforeTheFirstCycleIsClearedAndTheDriveLeftDisabled) {
  ScratchDir dir;
  SimServer sim(dir, {"--calm"});
  ASSERT_TRUE(sim.ready()) << sim.log();
  const bindings::BindingMade made = bindings::make_table_binding(sim.tcp_address(), 1);
  ASSERT_TRUE(made) << made.error;
  console::LeaseOpen session = made.value->open(console::LeasePurpose::Session, 1);
  ASSERT_TRUE(session.lease) << session.error;
  hal::Drive &drive = session.lease->table().drive;
  const hal::DriveStatus fed = drive.exchange(hal::DriveCommand::disabled());
  ASSERT_EQ(fed.io, hal::IoStatus::Ok);
  EXPECT_TRUE(fed.ready);

  std::this_thread::sleep_for(std::chrono::milliseconds(250)); // 2.5 watchdog timeouts
  const hal::DriveStatus tripped = drive.exchange(hal::DriveCommand::disabled());
  ASSERT_EQ(tripped.io, hal::IoStatus::Ok);
  ASSERT_TRUE(tripped.fault) << "the wait did not trip the watchdog: the test proves nothing";
  EXPECT_EQ(tripped.fault_code, 0x8130);
  EXPECT_FALSE(tripped.ready);

  session.lease->before_first_cycle();
  const hal::DriveStatus cleared = drive.exchange(hal::DriveCommand::disabled());
  ASSERT_EQ(cleared.io, hal::IoStatus::Ok);
  EXPECT_FALSE(cleared.fault);
  EXPECT_TRUE(cleared.ready);
  EXPECT_FALSE(cleared.operation_enabled); // cleared, never enabled by it
}

// The console's "a load takes four tries after the table restarts": each try found the next of
// the three dead connections. Now the first lease asks every device and reopens every link.
TEST(ModbusLeases, AfterTheTableRestartsTheFirstLeaseReconnectsEveryDevice) {
  ScratchDir dir;
  auto sim = std::make_unique<SimServer>(dir, std::vector<std::string>{"--calm"});
  ASSERT_TRUE(sim->ready()) << sim->log();
  const std::uint16_t port = sim->port();
  const bindings::BindingMade made = bindings::make_table_binding(sim->tcp_address(), 1);
  ASSERT_TRUE(made) << made.error;
  const console::TableBinding &binding = *made.value;
  {
    console::LeaseOpen before = binding.open(console::LeasePurpose::Diagnostics, 1);
    ASSERT_TRUE(before.lease) << before.error;
    EXPECT_EQ(before.lease->load_cell().read().io, hal::IoStatus::Ok);
  }

  sim.reset(); // the table powers off: all three connections die unseen
  SimServer restarted(dir, {"--calm"}, port);
  ASSERT_TRUE(restarted.ready()) << restarted.log();

  console::LeaseOpen after = binding.open(console::LeasePurpose::Session, 1);
  ASSERT_TRUE(after.lease) << "the first load after the restart was refused: " << after.error;
  hal::Table table = after.lease->table();
  EXPECT_EQ(table.load_cell.read().io, hal::IoStatus::Ok);
  EXPECT_EQ(table.drive.exchange(hal::DriveCommand::disabled()).io, hal::IoStatus::Ok);
  EXPECT_EQ(table.safety.read().io, hal::IoStatus::Ok);
}

// The remapped vendor table: its transmitter (unit 11) and drive (unit 12) have no
// identification block. When the transmitter falls silent between sessions, the next lease is
// refused naming it, as an identified device would be, instead of a session that starts blind.
TEST(ModbusLeases, ATransmitterWithoutIdentificationThatFallsSilentIsFoundBeforeTheLease) {
  ScratchDir dir;
  const auto silent = dir / "silent";
  PyTable table(dir, {"--layout", "remapped", "--silent-file", silent.string()});
  ASSERT_FALSE(table.address.empty()) << read_file(dir / "py.err");
  const std::string map =
      (Tools::source_dir() / "../../docs/examples/register-map-other-vendors.json").string();
  const bindings::BindingMade made =
      bindings::make_table_binding(table.address + "?timeout=50ms&map=" + map, 1);
  ASSERT_TRUE(made) << made.error;
  const console::TableBinding &binding = *made.value;
  {
    console::LeaseOpen before = binding.open(console::LeasePurpose::Diagnostics, 1);
    ASSERT_TRUE(before.lease) << before.error;
    EXPECT_EQ(before.lease->load_cell().read().io, hal::IoStatus::Ok);
  }

  std::ofstream(silent) << "11\n";                             // the transmitter loses power
  std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the table re-reads every 50 ms
  const console::LeaseOpen after = binding.open(console::LeasePurpose::Session, 1);
  EXPECT_FALSE(after.lease) << "a lease opened on a table whose transmitter does not answer";
  EXPECT_NE(after.error.find("load-cell transmitter (unit 11"), std::string::npos) << after.error;
  EXPECT_NE(after.error.find("did not answer"), std::string::npos) << after.error;

  std::ofstream(silent) << "\n"; // power back: the next lease opens and reads
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const console::LeaseOpen again = binding.open(console::LeasePurpose::Session, 1);
  ASSERT_TRUE(again.lease) << again.error;
  EXPECT_EQ(again.lease->load_cell().read().io, hal::IoStatus::Ok);
}
