// The connection budget's order of eviction (console/connection_budget.hpp): whom a full
// console closes so that a newcomer — perhaps a STOP — gets in.
#include "console/connection_budget.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tractus::console {
namespace {

using namespace std::chrono_literals;
using Clock = std::chrono::steady_clock;

const Clock::time_point kNow = Clock::now();

ConnectionStanding standing(ConnectionPhase phase, bool trusted, bool first_request,
                            std::chrono::milliseconds age) {
  return ConnectionStanding{phase, trusted, first_request, kNow - age};
}

TEST(ConnectionBudget, ASilentAnonymousConnectionGoesBeforeAHalfSentRequest) {
  const std::vector<ConnectionStanding> open{
      standing(ConnectionPhase::Reading, false, true, 900ms),
      standing(ConnectionPhase::Waiting, false, true, 100ms),
  };
  EXPECT_EQ(pick_eviction(open, kNow), 1u);
}

TEST(ConnectionBudget, AnonymousConnectionsGoBeforeAnIdleTokenHoldersOne) {
  const std::vector<ConnectionStanding> open{
      standing(ConnectionPhase::Waiting, true, false, 10s),
      standing(ConnectionPhase::Reading, false, true, 50ms),
  };
  EXPECT_EQ(pick_eviction(open, kNow), 1u);
}

TEST(ConnectionBudget, TheOldestOfARankGoesFirst) {
  const std::vector<ConnectionStanding> open{
      standing(ConnectionPhase::Waiting, false, true, 40ms),
      standing(ConnectionPhase::Waiting, false, true, 3s),
      standing(ConnectionPhase::Waiting, false, true, 1s),
  };
  EXPECT_EQ(pick_eviction(open, kNow), 1u);
}

TEST(ConnectionBudget, AConnectionAnsweredAndClosingGoesFirstOfAll) {
  const std::vector<ConnectionStanding> open{
      standing(ConnectionPhase::Waiting, false, true, 3s),
      standing(ConnectionPhase::Closing, true, false, 1ms),
  };
  EXPECT_EQ(pick_eviction(open, kNow), 1u);
}

TEST(ConnectionBudget, ANewcomersFirstRequestIsSafeForItsGrace) {
  const auto fresh = standing(ConnectionPhase::Waiting, false, true, kFreshGrace - 1ms);
  EXPECT_FALSE(eviction_rank(fresh, kNow).has_value());
  const auto late = standing(ConnectionPhase::Waiting, false, true, kFreshGrace + 1ms);
  EXPECT_TRUE(eviction_rank(late, kNow).has_value());
  // Between requests a connection has had its chance: idle from its last answer, it may go.
  const auto idle = standing(ConnectionPhase::Waiting, false, false, 1ms);
  EXPECT_TRUE(eviction_rank(idle, kNow).has_value());
}

TEST(ConnectionBudget, ARequestBeingAnsweredIsNeverClosed) {
  const std::vector<ConnectionStanding> open{
      standing(ConnectionPhase::Busy, false, false, 20s),
      standing(ConnectionPhase::Reading, true, false, 20s),
  };
  EXPECT_FALSE(pick_eviction(open, kNow).has_value());
}

} // namespace
} // namespace tractus::console
