// No heap allocation inside a control cycle (DESIGN §5), proven with a counting allocator.
//
// Global operator new is replaced by one that counts the allocations made on a thread while
// that thread has counting switched on. The loop runner's observer switches it on for the loop
// thread once the session is treating (steady state) and off when it completes, so everything
// every cycle does in between — the three device transactions on the simulated table, the
// session step, the statistics, the journal push — is counted, while the journal's writer
// thread (which formats JSON and may allocate freely) is not.
#include "session_harness.hpp"

#include "counting_allocator.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <vector>

namespace tractus {
namespace {

using testing::allocations;
using testing::counting;

TEST(ControlCycle, AllocatesNothingInSteadyState) {
  const auto dir = std::filesystem::temp_directory_path() / "tractus-alloc-test";
  std::filesystem::remove_all(dir);
  testing::SessionSpec spec;
  spec.profile = "lumbar-intermittent"; // ramps, holds, rests, steps: every kind of cycle
  spec.journal_dir = dir;               // with the journal on, as in a real session
  long cycles_counted = 0;
  spec.observer = [&](const controller::CycleOutput &out) {
    const bool steady = out.state == controller::State::Treating;
    if (steady) ++cycles_counted;
    counting = steady;
  };
  const auto run = testing::run_session(spec);
  counting = false;
  ASSERT_EQ(run.report.last.outcome, controller::Outcome::Completed);
  EXPECT_GT(cycles_counted, 1'000'000); // the whole 20-minute treatment at 1 kHz
  EXPECT_EQ(allocations.load(), 0);
  std::filesystem::remove_all(dir);
}

// The counter itself works: an allocation made while counting is seen.
TEST(ControlCycle, CountingAllocatorSeesAnAllocation) {
  allocations = 0;
  counting = true;
  std::vector<int> *volatile p = new std::vector<int>(16); // volatile: not elided
  counting = false;
  delete p;
  EXPECT_EQ(allocations.load(), 2); // the vector and its buffer
}

} // namespace
} // namespace tractus
