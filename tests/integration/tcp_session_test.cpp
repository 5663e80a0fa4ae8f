// A whole session over Modbus TCP: `tractus run --table modbus-tcp://…` against tractus-sim in
// real time holds the same tracking tolerances as the in-process simulator (tests/sim):
// hold RMS error ≤ 2 % of target, peak ≤ max + 2 % (or + 5 N, whichever is more).
// A timing fault raised when a CPU paused runs the session again (support/machine_pauses.hpp).
#include "harness/sim_harness.hpp"
#include "harness/tractus_run.hpp"

#include <gtest/gtest.h>

#include <algorithm>

using namespace tractus;
using namespace tractus::integration;

TEST(TractusRunOverTcp, AOneMinuteProfileTracksWithinTheInProcessTolerances) {
  const SessionAttempt a = session_riding_machine_pauses([](SessionAttempt &attempt) {
    SimServer sim(*attempt.dir, {"--seed", "7"});
    if (!sim.ready()) {
      attempt.run.err = "tractus-sim did not start: " + sim.log();
      return;
    }
    // 60 s of session, lingering included
    attempt.run = run_command(
        tractus_run_argv(*attempt.dir, sim.tcp_address(), "modbus-1min.json", "80kg"), 120s);
  });
  EXPECT_EQ(a.run.exit_code, 0) << a.run.err << a.run.out;
  ASSERT_TRUE(a.journal) << a.run.err;
  const controller::JournalContents &j = *a.journal;
  EXPECT_TRUE(j.problems.empty());
  ASSERT_TRUE(j.summary);
  const auto &table = j.header.at("table");
  EXPECT_EQ(table.at("simulated"), true);
  EXPECT_EQ(table.at("identified_as"), "tractus-sim");
  EXPECT_EQ(table.at("transport"), "modbus-tcp");
  EXPECT_EQ(table.at("loop_period_ms"), 5.0); // 200 Hz: docs/register-map.md, "Loop rate"
  EXPECT_EQ(j.header.at("calibration").at("id"), "sim-factory");
  EXPECT_EQ(j.header.at("calibration").at("source"),
            "simulator factory calibration (read over Modbus)");
  EXPECT_EQ(j.header.at("screening").at("source"), "simulator");

  const auto &s = *j.summary;
  EXPECT_EQ(s.at("outcome"), "completed");
  const double max_force = j.header.at("profile").at("resolved").at("max_force_n");
  const double peak = s.at("peak_force_n");
  const double rms_percent = s.at("hold_rms_error_percent");
  EXPECT_LE(rms_percent, 2.0);
  EXPECT_LE(peak, std::max(max_force * 1.02, max_force + 5.0));
  RecordProperty("hold_rms_error_percent", std::to_string(rms_percent));
  RecordProperty("peak_over_max_n", std::to_string(peak - max_force));
  RecordProperty("cycles", s.at("cycles").dump());
  RecordProperty("overruns", s.at("overruns").dump());
  RecordProperty("worst_lateness_ms", s.at("worst_lateness_ms").dump());
  std::printf("hold RMS %.3f %%, peak %.2f N (max %.2f N), %s cycles, %s overruns, worst "
              "lateness %s ms\n",
              rms_percent, peak, max_force, s.at("cycles").dump().c_str(),
              s.at("overruns").dump().c_str(), s.at("worst_lateness_ms").dump().c_str());
}
