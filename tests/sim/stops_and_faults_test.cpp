// Stops and faults during a simulated session, timed on the simulator's truth.
#include "session_harness.hpp"

#include <gtest/gtest.h>

namespace tractus {
namespace {

using controller::EventKind;
using controller::FaultCode;
using controller::Outcome;

bool has_event(const testing::SessionRun &run, EventKind kind, FaultCode code) {
  for (const auto &e : run.events)
    if (e.kind == kind && e.code == code) return true;
  return false;
}

// The heaviest case the table allows: 200 lbf (889.6 N) on the 185 kg preset, the patient
// pressing the hand switch 20 s into the hold. The preset is calm here so that no spasm is
// in progress at the press (spasms are covered by the stock-protocol tests).
TEST(PatientSwitch, At890NewtonsReleasesBelow15NewtonsWithin3SecondsAndDisablesAfter5) {
  testing::SessionSpec spec;
  spec.profile = TRACTUS_TEST_DATA "/profiles/lumbar-static-200lbf.json";
  spec.preset = "heavy";
  spec.body_mass = kilograms(185);
  spec.calm = true;
  spec.inject = {"patient-switch@55s"}; // table time: ~2.5 s press test, ~3 s pretension, 30 s ramp
  const auto run = testing::run_session(spec);

  ASSERT_EQ(run.report.last.outcome, Outcome::PatientStop);
  EXPECT_TRUE(has_event(run, EventKind::Alarm, FaultCode::PatientSwitchPressed));
  EXPECT_TRUE(run.report.last.alarm); // stays raised until acknowledged
  ASSERT_TRUE(run.stop_at && run.below_15n_at && run.drive_disabled_at);
  EXPECT_GE(run.true_peak, newtons(880)); // it really was holding at ~890 N
  const double release_s = (*run.below_15n_at - *run.stop_at).si();
  EXPECT_LE(release_s, 3.0) << "took " << release_s << " s to reach 15 N";
  // Disabled 5 s after the release reached the minimum cord tension (DRX9000 behaviour).
  const double disable_s = (*run.drive_disabled_at - *run.below_15n_at).si();
  EXPECT_NEAR(disable_s, 5.0, 0.25) << "disabled " << disable_s << " s after the release";
}

TEST(OverForce, LoadCellOffsetJumpTripsAndDisablesTheDriveAtOnce) {
  testing::SessionSpec spec;
  spec.profile = "lumbar-static";
  spec.calm = true;
  spec.inject = {"loadcell-offset@120s"};
  const auto run = testing::run_session(spec);
  ASSERT_EQ(run.report.last.outcome, Outcome::Faulted);
  EXPECT_EQ(run.report.last.fault, FaultCode::OverForce);
  ASSERT_TRUE(run.stop_at && run.drive_disabled_at && run.below_15n_at);
  // Disabled within one control period of detection, released by the unpowered drive train.
  EXPECT_LE((*run.drive_disabled_at - *run.stop_at).si(), 0.0011);
  EXPECT_LE((*run.below_15n_at - *run.stop_at).si(), 3.0);
}

TEST(StaleLoadCell, FrozenSampleCounterFaultsWithin20Milliseconds) {
  testing::SessionSpec spec;
  spec.profile = "lumbar-intermittent";
  spec.calm = true;
  spec.inject = {"loadcell-freeze@200s"};
  const auto run = testing::run_session(spec);
  ASSERT_EQ(run.report.last.fault, FaultCode::LoadCellStale);
  ASSERT_TRUE(run.stop_at && run.below_15n_at);
  const double latency = (*run.stop_at - seconds(200)).si();
  EXPECT_GE(latency, 0.019);
  EXPECT_LE(latency, 0.022); // 20 ms stale window + one cycle
  EXPECT_LE((*run.below_15n_at - *run.stop_at).si(), 3.0);
}

TEST(EmergencyStop, OpeningTheChainLatchesAFaultWithTheDriveDisabled) {
  testing::SessionSpec spec;
  spec.profile = "lumbar-static";
  spec.calm = true;
  spec.inject = {"estop@100s"};
  const auto run = testing::run_session(spec);
  EXPECT_EQ(run.report.last.fault, FaultCode::EstopOpened);
  EXPECT_EQ(run.report.last.state, controller::State::Fault);
  ASSERT_TRUE(run.stop_at && run.drive_disabled_at && run.below_15n_at);
  EXPECT_LE((*run.drive_disabled_at - *run.stop_at).si(), 0.0011);
  EXPECT_LE((*run.below_15n_at - *run.stop_at).si(), 3.0);
}

TEST(DriveFault, ADriveFaultLatchesAFault) {
  testing::SessionSpec spec;
  spec.profile = "lumbar-static";
  spec.calm = true;
  spec.inject = {"drive-fault@100s"};
  const auto run = testing::run_session(spec);
  EXPECT_EQ(run.report.last.fault, FaultCode::DriveFault);
  ASSERT_TRUE(run.stop_at && run.below_15n_at);
  EXPECT_LE((*run.below_15n_at - *run.stop_at).si(), 3.0);
}

} // namespace
} // namespace tractus
