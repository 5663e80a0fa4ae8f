// Register words ↔ values: 32-bit high word first, scaling, sign and saturation, the CiA 402
// words, and the two users of hal/register_map.hpp (hal/modbus and tractus-sim) agreeing.
#include "hal/modbus/device_codec.hpp"
#include "hal/register_map.hpp"
#include "sim/server/table_registers.hpp"

#include <gtest/gtest.h>

using namespace tractus;
using namespace tractus::hal;
using namespace tractus::hal::regmap;

TEST(RegisterWords, ThirtyTwoBitsGoHighWordFirst) {
  std::uint16_t r[2];
  put_i32(r, 0x12345678, WordOrder::HighFirst);
  EXPECT_EQ(r[0], 0x1234);
  EXPECT_EQ(r[1], 0x5678);
  EXPECT_EQ(get_i32(r, WordOrder::HighFirst), 0x12345678);
  put_i32(r, 0x12345678, WordOrder::LowFirst);
  EXPECT_EQ(r[0], 0x5678);
  EXPECT_EQ(r[1], 0x1234);
}

TEST(RegisterWords, NegativeThirtyTwoBitValuesKeepTheirSign) {
  std::uint16_t r[2];
  put_i32(r, -2, WordOrder::HighFirst);
  EXPECT_EQ(r[0], 0xFFFF);
  EXPECT_EQ(r[1], 0xFFFE);
  EXPECT_EQ(get_i32(r, WordOrder::HighFirst), -2);
  const std::uint16_t sixteen = 0xFFFF;
  EXPECT_DOUBLE_EQ(decode(Field{0, RegType::Int16, WordOrder::HighFirst, 0.01}, &sixteen), -0.01);
  EXPECT_DOUBLE_EQ(decode(Field{0, RegType::Uint16, WordOrder::HighFirst, 0.01}, &sixteen), 655.35);
}

TEST(RegisterWords, ScaledValuesRoundToTheNearestCount) {
  const Field speed = kDefaultMap.drive.target_speed; // 0.01 mm/s
  std::uint16_t r[2];
  encode(speed, 0.05, r); // 50 mm/s
  EXPECT_EQ(get_i32(r, WordOrder::HighFirst), 5000);
  encode(speed, -0.0123456, r);
  EXPECT_EQ(get_i32(r, WordOrder::HighFirst), -1235);
  EXPECT_NEAR(decode(speed, r), -0.01235, 1e-12);
  const Field position = kDefaultMap.drive.actual_position; // µm
  encode(position, 0.081234, r);
  EXPECT_EQ(get_i32(r, WordOrder::HighFirst), 81234);
}

TEST(RegisterWords, OutOfRangeValuesSaturateInsteadOfWrapping) {
  std::uint16_t r[2];
  const Field current = kDefaultMap.drive.current; // int16, 0.01 A
  encode(current, 400.0, r);
  EXPECT_EQ(static_cast<std::int16_t>(r[0]), 32767);
  encode(current, -400.0, r);
  EXPECT_EQ(static_cast<std::int16_t>(r[0]), -32768);
  const Field timeout = kDefaultMap.drive.watchdog_timeout; // uint16 ms
  encode(timeout, -1.0, r);
  EXPECT_EQ(r[0], 0);
}

TEST(DriveCommandWords, FollowCia402DeviceControl) {
  EXPECT_EQ(modbus::controlword(DriveCommand::disabled()), 0x0006); // shutdown
  DriveCommand c;
  c.enable = true;
  EXPECT_EQ(modbus::controlword(c), 0x000F); // enable operation
  c.quick_stop = true;
  EXPECT_EQ(modbus::controlword(c), 0x000B); // quick stop: bit 2 low
  c = DriveCommand::disabled();
  c.fault_reset = true;
  EXPECT_EQ(modbus::controlword(c), 0x0086);
}

TEST(DriveCommandWords, ADisabledCommandSendsZeroSpeed) {
  DriveCommand c;
  c.cable_speed = metres_per_second(0.02);
  std::uint16_t regs[3];
  modbus::encode_drive_command(kDefaultMap.drive, c, regs);
  EXPECT_EQ(get_i32(regs + 1, WordOrder::HighFirst), 0);
  c.enable = true;
  modbus::encode_drive_command(kDefaultMap.drive, c, regs);
  EXPECT_EQ(regs[0], 0x000F);
  EXPECT_EQ(get_i32(regs + 1, WordOrder::HighFirst), 2000);
}

TEST(DriveStatusWords, DecodeStatuswordStoAndMeasurements) {
  std::uint16_t s[8] = {};
  s[0] = 0x8037; // ready, switched on, enabled, voltage, no quick stop, watchdog armed
  put_i32(s + 1, 81234, WordOrder::HighFirst);
  put_i32(s + 3, -1500, WordOrder::HighFirst);
  s[5] = 523;
  DriveStatus st;
  modbus::decode_drive_status(kDefaultMap.drive, s, false, st);
  EXPECT_TRUE(st.ready);
  EXPECT_TRUE(st.operation_enabled);
  EXPECT_TRUE(st.watchdog_armed);
  EXPECT_FALSE(st.fault);
  EXPECT_NEAR(st.cable_position.si(), 0.081234, 1e-12);
  EXPECT_NEAR(st.cable_speed.si(), -0.015, 1e-12);
  EXPECT_NEAR(st.motor_current_a, 5.23, 1e-12);
  s[0] = 0x0008; // fault
  s[6] = 0x2310;
  s[7] = 1; // STO
  modbus::decode_drive_status(kDefaultMap.drive, s, false, st);
  EXPECT_TRUE(st.fault);
  EXPECT_FALSE(st.ready);
  EXPECT_TRUE(st.sto_active);
  EXPECT_EQ(st.fault_code, 0x2310);
  EXPECT_FALSE(st.watchdog_armed);
}

TEST(DriveStatusWords, WithoutAnArmedBitTheConfigurationCounts) {
  DriveMap m = kDefaultMap.drive;
  m.watchdog_armed_bit.reset();
  std::uint16_t s[8] = {};
  DriveStatus st;
  modbus::decode_drive_status(m, s, true, st);
  EXPECT_TRUE(st.watchdog_armed);
}

TEST(LoadCellWords, CountsStatusAndSampleCounter) {
  std::uint16_t r[4];
  put_i32(r, -123456, WordOrder::HighFirst);
  r[2] = 0b101; // ADC ok, excitation fault
  r[3] = 65535;
  LoadCellSample s;
  modbus::decode_load_cell(kDefaultMap.load_cell, r, s);
  EXPECT_EQ(s.raw_counts, -123456);
  EXPECT_TRUE(s.status.adc_ok);
  EXPECT_FALSE(s.status.overload);
  EXPECT_TRUE(s.status.excitation_fault);
  EXPECT_EQ(s.sample_counter, 65535);
}

TEST(SafetyWords, AntivalentChannelsAndContacts) {
  SafetyInputs in;
  modbus::decode_safety_inputs(kDefaultMap.safety, 27, in); // 0b11011: released
  EXPECT_TRUE(in.estop_chain_closed);
  EXPECT_TRUE(in.patient_switch_a);
  EXPECT_FALSE(in.patient_switch_b);
  EXPECT_TRUE(in.patient_switch_connected);
  EXPECT_TRUE(in.table_locked);
  EXPECT_EQ(patient_switch_state(in), PatientSwitch::Released);
}

TEST(FactoryCalibration, TheSimulatorsRegistersGiveItsFactoryCalibration) {
  std::uint16_t r[6];
  put_i32(r, 8000, WordOrder::HighFirst);
  put_i32(r + 2, 100000, WordOrder::HighFirst); // 100 counts/N
  put_u32(r + 4, 20000, WordOrder::HighFirst);  // 2000 N
  const Calibration cal = modbus::simulator_calibration(modbus::decode_factory_calibration(r));
  EXPECT_EQ(cal.id, "sim-factory");
  EXPECT_EQ(cal.source, "simulator factory calibration (read over Modbus)");
  EXPECT_DOUBLE_EQ(cal.c1, 0.01);
  EXPECT_DOUBLE_EQ(cal.c0, -80.0);
  EXPECT_DOUBLE_EQ(cal.full_scale.si(), 2000.0);
  EXPECT_EQ(cal.expires_unix, 0);
}

// ---- one header, two users: what tractus-sim encodes, hal/modbus decodes -------------------

TEST(RegisterMapUsers, TheClientReadsWhatTheSimulatorServes) {
  sim::server::TableRegisters table(sim::calm_plant_config(sim::kAveragePatient), 3, {});
  table.advance_to(50'000);
  const Span span = load_cell_span(kDefaultMap.load_cell);
  std::uint16_t r[4];
  ASSERT_EQ(table.read(1, span.start, span.count, r), sim::server::Access::Ok);
  LoadCellSample s;
  modbus::decode_load_cell(kDefaultMap.load_cell, r, s);
  const sim::LoadCellReading &truth = table.sim().plant().load_cell();
  EXPECT_EQ(s.raw_counts, truth.counts);
  EXPECT_EQ(s.sample_counter, truth.sample_counter);
  EXPECT_TRUE(s.status.adc_ok);
}

TEST(RegisterMapUsers, TheSimulatorFollowsTheClientsCommandWords) {
  sim::server::TableRegisters table(sim::calm_plant_config(sim::kAveragePatient), 3, {});
  DriveCommand c;
  c.enable = true;
  c.cable_speed = metres_per_second(0.02);
  std::uint16_t cmd[3];
  modbus::encode_drive_command(kDefaultMap.drive, c, cmd);
  const Span cs = drive_command_span(kDefaultMap.drive);
  ASSERT_EQ(table.write(2, cs.start, cs.count, cmd), sim::server::Access::Ok);
  EXPECT_TRUE(table.sim().drive_enabled());
  EXPECT_NEAR(table.sim().drive_model().target_speed().si(), 0.02, 1e-12);
  const Span ss = drive_status_span(kDefaultMap.drive);
  std::uint16_t st[8];
  ASSERT_EQ(table.read(2, ss.start, ss.count, st), sim::server::Access::Ok);
  DriveStatus status;
  modbus::decode_drive_status(kDefaultMap.drive, st, false, status);
  EXPECT_TRUE(status.operation_enabled);
  EXPECT_FALSE(status.watchdog_armed);
}

TEST(RegisterMapUsers, ReadOnlyAndUnmappedRegistersAnswerIllegalDataAddress) {
  sim::server::TableRegisters table(sim::calm_plant_config(sim::kAveragePatient), 3, {});
  std::uint16_t r[16];
  EXPECT_EQ(table.read(1, 100, 16, r), sim::server::Access::IllegalAddress); // 104–109 gap
  const std::uint16_t v = 1;
  EXPECT_EQ(table.write(1, 0, 1, &v), sim::server::Access::IllegalAddress);
  EXPECT_EQ(table.write(2, 13, 1, &v), sim::server::Access::IllegalAddress);
}

TEST(RegisterMapUsers, TheSimulatedWatchdogTakesOnlyStoppingActions) {
  sim::server::TableRegisters table(sim::calm_plant_config(sim::kAveragePatient), 3, {});
  const std::uint16_t warn_only[2] = {100, watchdog_action::kWarnOnly};
  EXPECT_EQ(table.write(2, 30, 2, warn_only), sim::server::Access::IllegalValue);
  const std::uint16_t too_long[2] = {20001, watchdog_action::kDisable};
  EXPECT_EQ(table.write(2, 30, 2, too_long), sim::server::Access::IllegalValue);
  const std::uint16_t ok[2] = {100, watchdog_action::kDisable};
  EXPECT_EQ(table.write(2, 30, 2, ok), sim::server::Access::Ok);
  EXPECT_TRUE(table.sim().drive_model().watchdog_armed());
}

TEST(RegisterMapUsers, TheReferenceLoadRegistersHangAndRemoveTheCalibrationWeight) {
  namespace sc = sim_control;
  sim::server::TableRegisters table(sim::calm_plant_config(sim::kAveragePatient), 3, {});
  std::uint16_t load[2];
  put_u32(load, 5000, WordOrder::HighFirst); // 500.0 N
  ASSERT_EQ(table.write(sc::kUnit, sc::kReferenceLoad, 2, load), sim::server::Access::Ok);
  EXPECT_TRUE(table.sim().reference_load_hung());
  table.advance_to(3'000'000); // the 2 Hz bounce settles within about 1 s
  EXPECT_NEAR(table.sim().load_cell_force().si(), 500.0, 0.01);
  std::uint16_t back[2] = {};
  ASSERT_EQ(table.read(sc::kUnit, sc::kReferenceLoad, 2, back), sim::server::Access::Ok);
  EXPECT_EQ(get_u32(back, WordOrder::HighFirst), 5000U);
  const std::uint16_t none[2] = {0, 0};
  ASSERT_EQ(table.write(sc::kUnit, sc::kReferenceLoad, 2, none), sim::server::Access::Ok);
  EXPECT_FALSE(table.sim().reference_load_hung());
}
