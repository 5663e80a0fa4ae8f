// Fault and event injection: parsing what users type, and what each kind does to the table.
#include "sim/injection.hpp"
#include "sim/sim_table.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

namespace tractus::sim {
namespace {

constexpr Duration kCycle = milliseconds(1.0);

Injection parsed(std::string_view text) {
  const InjectionParse p = parse_injection(text);
  EXPECT_TRUE(p) << p.error;
  return p ? *p.injection : Injection{};
}

std::string error_of(std::string_view text) {
  const InjectionParse p = parse_injection(text);
  EXPECT_FALSE(p) << text;
  return p.error;
}

// ---- parsing ----

TEST(InjectionParse, AcceptsSecondsMinutesAndMilliseconds) {
  EXPECT_EQ(parsed("patient-switch@300s").at, 300'000'000);
  EXPECT_EQ(parsed("estop@2min").at, 120'000'000);
  EXPECT_EQ(parsed("loadcell-freeze@1500ms").at, 1'500'000);
  EXPECT_EQ(parsed("drive-fault@2.5 s").at, 2'500'000);
  EXPECT_EQ(parsed("estop@0s").at, 0);
  EXPECT_EQ(parsed("estop@2min").kind->name, "estop");
}

TEST(InjectionParse, KnownKindsAreTheDocumentedList) {
  EXPECT_EQ(injection_kind_names(),
            "patient-switch, switch-disconnect, switch-stuck, estop, loadcell-freeze, "
            "loadcell-noise, loadcell-fail, loadcell-offset, loadcell-timeout, drive-fault, "
            "drive-runaway, drive-timeout, safety-timeout, harness-slip, muscle-guarding");
}

TEST(InjectionParse, MissingAtSignSaysWhatIsExpected) {
  EXPECT_EQ(error_of("estop"),
            "bad injection \"estop\": expected KIND@TIME, e.g. patient-switch@300s");
  EXPECT_EQ(error_of("@3s"), "bad injection \"@3s\": expected KIND@TIME, e.g. patient-switch@300s");
}

TEST(InjectionParse, UnknownKindListsTheKnownKinds) {
  EXPECT_EQ(error_of("e-stop@3s"),
            "unknown injection kind \"e-stop\" in \"e-stop@3s\"; known kinds: " +
                injection_kind_names());
}

TEST(InjectionParse, TimeWithoutAKnownUnitIsRefused) {
  const std::string hint = ": expected a number and a unit (ms, s or min), e.g. 300s, 2min, 1500ms";
  EXPECT_EQ(error_of("estop@300"), "bad time \"300\" in \"estop@300\"" + hint);
  EXPECT_EQ(error_of("estop@2h"), "bad time \"2h\" in \"estop@2h\"" + hint);
  EXPECT_EQ(error_of("estop@-3s"), "bad time \"-3s\" in \"estop@-3s\"" + hint);
  EXPECT_EQ(error_of("estop@"), "bad time \"\" in \"estop@\"" + hint);
  EXPECT_EQ(error_of("estop@s"), "bad time \"s\" in \"estop@s\"" + hint);
}

TEST(InjectionParse, ManyTextsReportEveryErrorAndScheduleTheRestInTimeOrder) {
  const std::vector<std::string> texts = {"estop@2min", "nope@1s", "loadcell-freeze@10s",
                                          "estop@soon"};
  const ScheduleParse result = parse_injections(texts);
  ASSERT_EQ(result.errors.size(), 2U);
  EXPECT_EQ(result.errors[0].rfind("unknown injection kind \"nope\"", 0), 0U);
  EXPECT_EQ(result.errors[1].rfind("bad time \"soon\"", 0), 0U);
  ASSERT_EQ(result.schedule.events().size(), 2U);
  EXPECT_EQ(to_string(result.schedule.events()[0]), "loadcell-freeze@10s");
  EXPECT_EQ(to_string(result.schedule.events()[1]), "estop@120s");
}

// ---- effects: each kind injected at 1 s into a calm average patient ----

class InjectionEffect : public ::testing::Test {
protected:
  SimTable sim{calm_plant_config(kAveragePatient), 1};

  // Pulls at 5 mm/s through the drive until `t`, the way a controller would.
  void run_until(Duration t) {
    hal::DriveCommand cmd;
    cmd.enable = true;
    cmd.cable_speed = metres_per_second(0.005);
    while (sim.elapsed() < t - milliseconds(0.5)) {
      sim.drive().exchange(cmd);
      sim.advance(kCycle);
    }
  }
  void inject_at_one_second(std::string_view kind) {
    sim.inject(parsed(std::string(kind) + "@1s"));
    run_until(seconds(10.0)); // 50 mm of cable: ~100 N
  }
};

TEST_F(InjectionEffect, PatientSwitchIsPressedForTwoSecondsThenReleased) {
  sim.inject(parsed("patient-switch@1s"));
  run_until(seconds(1.0));
  EXPECT_EQ(hal::patient_switch_state(sim.safety().read()), hal::PatientSwitch::Pressed);
  run_until(seconds(2.999));
  EXPECT_EQ(hal::patient_switch_state(sim.safety().read()), hal::PatientSwitch::Pressed);
  run_until(seconds(3.0));
  EXPECT_EQ(hal::patient_switch_state(sim.safety().read()), hal::PatientSwitch::Released);
}

TEST_F(InjectionEffect, SwitchDisconnectOpensBothChannelsAndTheConnectedContact) {
  inject_at_one_second("switch-disconnect");
  const hal::SafetyInputs in = sim.safety().read();
  EXPECT_FALSE(in.patient_switch_connected);
  EXPECT_FALSE(in.patient_switch_a);
  EXPECT_FALSE(in.patient_switch_b);
}

TEST_F(InjectionEffect, SwitchStuckMakesTheChannelsDisagreeWithAntivalence) {
  inject_at_one_second("switch-stuck");
  const hal::SafetyInputs in = sim.safety().read();
  EXPECT_TRUE(in.patient_switch_connected);
  EXPECT_EQ(hal::patient_switch_state(in), hal::PatientSwitch::Discrepant);
}

TEST_F(InjectionEffect, EstopOpensTheChainAndTheDriveGoesToSto) {
  sim.inject(parsed("estop@1s"));
  run_until(seconds(1.0));
  EXPECT_FALSE(sim.safety().read().estop_chain_closed);
  EXPECT_TRUE(sim.drive_model().sto_active());
  EXPECT_FALSE(sim.drive_enabled());
  run_until(seconds(60.0));
  EXPECT_FALSE(sim.safety().read().estop_chain_closed); // stays open
}

TEST_F(InjectionEffect, LoadCellFreezeStopsTheCounter) {
  inject_at_one_second("loadcell-freeze");
  const hal::LoadCellSample a = sim.load_cell().read();
  run_until(seconds(12.0));
  const hal::LoadCellSample b = sim.load_cell().read();
  EXPECT_EQ(a.sample_counter, b.sample_counter);
  EXPECT_EQ(a.raw_counts, b.raw_counts);
  EXPECT_EQ(b.io, hal::IoStatus::Ok);
}

TEST_F(InjectionEffect, LoadCellNoiseGrowsTwentyfold) {
  inject_at_one_second("loadcell-noise");
  // Differences of consecutive readings at a slow force change: σ·√2 of the noise.
  double sum_sq = 0.0;
  std::int32_t last = sim.load_cell().read().raw_counts;
  constexpr int kSamples = 2000;
  for (int i = 0; i < kSamples; ++i) {
    sim.advance(kCycle);
    const std::int32_t counts = sim.load_cell().read().raw_counts;
    sum_sq += std::pow(counts - last, 2);
    last = counts;
  }
  const double sigma_n = std::sqrt(sum_sq / kSamples / 2.0) / 100.0; // counts → N
  EXPECT_NEAR(sigma_n, 20.0 * 0.25, 0.5);
}

TEST_F(InjectionEffect, LoadCellFailFlagsTheAdcAndReadsNoLoad) {
  inject_at_one_second("loadcell-fail");
  ASSERT_GT(sim.true_force(), newtons(50.0));
  const hal::LoadCellSample s = sim.load_cell().read();
  EXPECT_FALSE(s.status.adc_ok);
  EXPECT_TRUE(s.status.excitation_fault);
  EXPECT_NEAR(sim.factory_calibration().to_force(s.raw_counts).si(), 0.0, 1.5);
}

TEST_F(InjectionEffect, LoadCellOffsetAddsTwoHundredNewtons) {
  inject_at_one_second("loadcell-offset");
  const Force read = sim.factory_calibration().to_force(sim.load_cell().read().raw_counts);
  EXPECT_NEAR((read - sim.true_force()).si(), 200.0, 1.5);
}

TEST_F(InjectionEffect, LoadCellTimeoutMakesReadsTimeOut) {
  inject_at_one_second("loadcell-timeout");
  EXPECT_EQ(sim.load_cell().read().io, hal::IoStatus::Timeout);
}

TEST_F(InjectionEffect, DriveFaultLatchesCodeAndDropsTorque) {
  inject_at_one_second("drive-fault");
  const hal::DriveStatus s = sim.drive().exchange(hal::DriveCommand::disabled());
  EXPECT_TRUE(s.fault);
  EXPECT_EQ(s.fault_code, DriveModel::kFaultOverCurrent);
  EXPECT_FALSE(s.operation_enabled);
  EXPECT_EQ(sim.true_force(), Force{}); // pulled only 5 mm: released and slack again
}

TEST_F(InjectionEffect, DriveTimeoutStarvesTheDriveSoItsWatchdogTrips) {
  ASSERT_EQ(sim.drive().configure_watchdog(milliseconds(100.0)), "");
  sim.inject(parsed("drive-timeout@1s"));
  // The last command that got through was sent at 0.999 s.
  run_until(seconds(1.099));
  EXPECT_EQ(sim.drive().exchange(hal::DriveCommand::disabled()).io, hal::IoStatus::Timeout);
  EXPECT_TRUE(sim.drive_enabled()); // 100 ms of silence: not yet
  run_until(seconds(1.100));
  EXPECT_FALSE(sim.drive_enabled());
  EXPECT_EQ(sim.drive_model().fault_code(), DriveModel::kFaultCommWatchdog);
}

TEST_F(InjectionEffect, SafetyTimeoutMakesReadsTimeOut) {
  inject_at_one_second("safety-timeout");
  EXPECT_EQ(sim.safety().read().io, hal::IoStatus::Timeout);
}

TEST_F(InjectionEffect, HarnessSlipAddsFortyMillimetresOfSlackAndTheTensionCollapses) {
  sim.inject(parsed("harness-slip@10s"));
  run_until(seconds(10.0) - kCycle);
  const Force before = sim.true_force();
  ASSERT_GT(before, newtons(50.0));
  run_until(seconds(10.0));
  EXPECT_EQ(sim.plant().slack(), millimetres(70.0));
  EXPECT_EQ(sim.true_force(), Force{});
}

TEST_F(InjectionEffect, MuscleGuardingStiffensTheTissue) {
  sim.inject(parsed("muscle-guarding@9s"));
  run_until(seconds(12.0));
  EXPECT_TRUE(sim.plant().guarding_active());
  EXPECT_DOUBLE_EQ(sim.plant().guarding_factor(), 1.6);
}

TEST(InjectionSchedule, EventAddedForAPastTimeFiresAtTheNextStep) {
  SimTable sim(calm_plant_config(kAveragePatient), 1);
  sim.advance(seconds(5.0));
  sim.inject(parsed("estop@1s"));
  EXPECT_TRUE(sim.safety().read().estop_chain_closed);
  sim.advance(kCycle);
  EXPECT_FALSE(sim.safety().read().estop_chain_closed);
}

} // namespace
} // namespace tractus::sim
