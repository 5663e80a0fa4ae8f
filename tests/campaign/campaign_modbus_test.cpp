// The campaign through real Modbus (docs/safety/campaign.md, "Through Modbus"): a few random
// sessions, each against its own tractus-sim process on loopback in real time, with a fault
// written to the simulator's unit 247, hold every invariant on the true force read back from
// the simulator. Label `integration`, RUN_SERIAL: a real-time 1 kHz loop on 2 cores.
#include "campaign.hpp"

#include <gtest/gtest.h>

#include <iostream>

namespace tractus::campaign {
namespace {

TEST(ModbusCampaign, RandomSessionsThroughTractusSimHoldEveryInvariantOnTheTrueForce) {
  CampaignOptions o;
  o.table = TableKind::ModbusTcp;
  o.tractus_sim = TRACTUS_SIM_BIN;
  o.sessions = 3;
  o.seed = 11;
  o.treatment = seconds(10); // sessions of 20–35 s, ended early by their fault
  o.no_fault_share = 0;
  const CampaignResult r = run_campaign(o);
  std::cout << format_report(r, 10);

  EXPECT_EQ(r.sessions, 3u);
  EXPECT_EQ(r.errors, 0u) << "a session could not run; see the list above";
  for (Invariant i : kInvariants)
    EXPECT_EQ(r.violations[static_cast<std::size_t>(i)], 0u)
        << "invariant " << letter(i) << " (" << to_string(i) << ") violated; see the list above";
  // Faults really went over the wire and were answered, and the truth was really read.
  std::uint64_t answered = 0;
  for (const KindRow &row : r.rows)
    answered += row.detected;
  EXPECT_GT(answered, 0u);
  EXPECT_GT(r.live.truth_samples, r.live.cycles / 2);
  EXPECT_GT(r.restart_requests, 0u);
}

} // namespace
} // namespace tractus::campaign
