// A busy PC's jitter on a ramp: a cycle late by less than a period is followed by one cut short
// (the loop runner keeps its deadlines), and the setpoint must still climb at the ramp's slope
// in both. Its rate is the force loop's feedforward: while the protocol's clock moved only after
// the setpoint was read, the late cycle's time arrived as the short cycle's step, a rate of up
// to the 400 N/s limit on a 46 N/s ramp, and at 100 Hz that feedforward (11–24 mm/s) set the
// cable ringing until 302 tripped.
#include "unit/controller/session_fixture.hpp"

using namespace tractus;
using namespace tractus::controller;
using namespace tractus::controller::bench;

TEST(SessionJitter, ALateCycleAndTheShortOneAfterItKeepTheSetpointOnTheRampsSlope) {
  SessionBench bench;
  bench.start_treatment();
  bench.run_for(seconds(1)); // well up the 4 s ramp to 200 N
  ASSERT_EQ(bench.last().phase, profiles::Phase::Ramp);
  const double slope = kHold.si() / kRamp.si(); // N/s, the trajectory's own (50 N/s at most)
  double worst = 0;
  for (int i = 0; i < 200; ++i) {
    for (const Duration dt : {milliseconds(1.9), milliseconds(0.1), milliseconds(1)}) {
      const double before = bench.last().setpoint.si();
      const CycleOutput &out = bench.cycle({}, dt);
      ASSERT_EQ(out.state, State::Treating);
      worst = std::max(worst, std::abs(out.setpoint.si() - before) / dt.si());
    }
  }
  ASSERT_EQ(bench.last().phase, profiles::Phase::Ramp) << "the pattern ran past the ramp";
  EXPECT_LT(worst, 1.05 * slope) << "N/s, on a ramp of " << slope << " N/s";
}
