// The answer to a sudden loss of force (305): a bounded pay-out, then the drive disabled.
#include "session_fixture.hpp"

#include <gtest/gtest.h>

namespace tractus::controller {
namespace {

using bench::SessionBench;

// ---- the pay-out alone -------------------------------------------------------------------

TEST(SlipPayOut, PaysOutAtTheSpeedLimitWhileTheCordIsSlack) {
  SlipPayOut p(SlipPayOutParams{});
  p.begin(seconds(10), true);
  const SlipCommand c = p.step(seconds(10.001), newtons(0.5), false, true);
  EXPECT_TRUE(c.enable);
  EXPECT_EQ(c.cable_speed.si(), -0.10);
}

TEST(SlipPayOut, NeverReelsInWhateverSignTheSpeedIsGivenWith) {
  SlipPayOutParams params;
  params.speed = metres_per_second(+0.05); // a sign slip in a configuration
  SlipPayOut p(params);
  p.begin(seconds(10), true);
  EXPECT_EQ(p.step(seconds(10.001), newtons(0), false, true).cable_speed.si(), -0.05);
}

TEST(SlipPayOut, EndsWithTheDriveDisabled300MillisecondsAfterTheFault) {
  SlipPayOut p(SlipPayOutParams{});
  p.begin(seconds(10), true);
  EXPECT_TRUE(p.step(seconds(10.299), newtons(0), false, true).enable);
  EXPECT_FALSE(p.step(seconds(10.300), newtons(0), false, true).enable);
  // Once over, never again: not even with the force gone and time rewound.
  EXPECT_FALSE(p.step(seconds(10.001), newtons(0), false, true).enable);
}

TEST(SlipPayOut, EndsAsSoonAsTheStrapTakesMoreThan30NewtonsAgain) {
  SlipPayOut p(SlipPayOutParams{});
  p.begin(seconds(10), true);
  EXPECT_TRUE(p.step(seconds(10.050), newtons(29), false, true).enable);
  EXPECT_FALSE(p.step(seconds(10.051), newtons(31), false, true).enable);
}

TEST(SlipPayOut, AnyOtherFaultEndsItInTheSameCycle) {
  SlipPayOut p(SlipPayOutParams{});
  p.begin(seconds(10), true);
  EXPECT_FALSE(p.step(seconds(10.001), newtons(0), true, true).enable);
}

TEST(SlipPayOut, ADriveThatIsNoLongerEnabledIsNeverEnabledAgain) {
  SlipPayOut p(SlipPayOutParams{});
  p.begin(seconds(10), true);
  EXPECT_FALSE(p.step(seconds(10.001), newtons(0), false, false).enable);
  EXPECT_FALSE(p.step(seconds(10.002), newtons(0), false, true).enable);
}

TEST(SlipPayOut, NeverStartsOnAnUnpoweredDriveOrForTorqueOff) {
  SlipPayOut unpowered(SlipPayOutParams{});
  unpowered.begin(seconds(10), false);
  EXPECT_FALSE(unpowered.step(seconds(10.001), newtons(0), false, true).enable);
  SlipPayOutParams params;
  params.response = SlipResponse::TorqueOff;
  SlipPayOut off(params);
  off.begin(seconds(10), true);
  EXPECT_FALSE(off.step(seconds(10.001), newtons(0), false, true).enable);
}

// ---- in the session ----------------------------------------------------------------------

// Slip in the 200 N hold; returns the first Fault cycle.
const CycleOutput &slip_in_hold(SessionBench &b) {
  b.treat_into_hold();
  b.inject("harness-slip");
  return b.run_until([](const CycleOutput &o) { return o.state == State::Fault; },
                     milliseconds(150), "Fault");
}

TEST(HarnessSlipAnswer, TheFaultCyclePaysOutAndTheDriveIsDisabledWithin300Milliseconds) {
  SessionBench b;
  const CycleOutput first = slip_in_hold(b);
  EXPECT_EQ(first.fault, FaultCode::ForceImplausible);
  EXPECT_TRUE(first.command.enable); // no torque-off gap before the pay-out
  EXPECT_LT(first.command.cable_speed.si(), 0.0);
  const Duration latched = b.now();
  Duration last_enabled = latched;
  b.run_for(seconds(2), [&](const CycleOutput &o) {
    EXPECT_LE(o.command.cable_speed.si(), 0.0) << "reeled in at " << b.now().si();
    if (o.command.enable) last_enabled = b.now();
  });
  EXPECT_LT((last_enabled - latched).si(), 0.300);
  EXPECT_FALSE(b.last().command.enable);
  EXPECT_FALSE(b.sim().drive_enabled());
}

TEST(HarnessSlipAnswer, AnEstopDuringThePayOutRemovesTorqueInTheSameCycle) {
  SessionBench b;
  slip_in_hold(b);
  b.cycle();
  ASSERT_TRUE(b.last().command.enable); // paying out
  b.inject("estop");
  const CycleOutput &out = b.cycle();
  EXPECT_FALSE(out.command.enable);
  EXPECT_EQ(out.command.cable_speed.si(), 0.0);
  EXPECT_EQ(out.fault, FaultCode::ForceImplausible); // the first fault stays the latched one
}

TEST(HarnessSlipAnswer, WithTorqueOffTheDriveIsDisabledInTheCycleOfDetection) {
  bench::BenchSetup setup;
  setup.slip.response = SlipResponse::TorqueOff;
  SessionBench b(setup);
  const CycleOutput first = slip_in_hold(b);
  EXPECT_FALSE(first.command.enable);
  EXPECT_EQ(first.command.cable_speed.si(), 0.0);
}

} // namespace
} // namespace tractus::controller
