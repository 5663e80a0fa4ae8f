#include "console/connection_budget.hpp"

namespace tractus::console {

std::optional<int> eviction_rank(const ConnectionStanding &c,
                                 std::chrono::steady_clock::time_point now) {
  switch (c.phase) {
  case ConnectionPhase::Closing: return 0; // answered already: nothing is lost
  case ConnectionPhase::Busy:
    return std::nullopt; // its answer is on the way (a STOP among them), bounded by deadlines
  case ConnectionPhase::Waiting:
  case ConnectionPhase::Reading: break;
  }
  if (c.first_request && now - c.since < kFreshGrace) return std::nullopt;
  if (!c.trusted) return c.phase == ConnectionPhase::Waiting ? 1 : 2;
  // A token holder's idle keep-alive connection: its browser opens another when it needs one.
  // One half-way through a request is left to its deadline.
  if (c.phase == ConnectionPhase::Waiting) return 3;
  return std::nullopt;
}

std::optional<std::size_t> pick_eviction(std::span<const ConnectionStanding> open,
                                         std::chrono::steady_clock::time_point now) {
  std::optional<std::size_t> best;
  int best_rank = 0;
  for (std::size_t i = 0; i < open.size(); ++i) {
    const auto rank = eviction_rank(open[i], now);
    if (!rank) continue;
    if (!best || *rank < best_rank || (*rank == best_rank && open[i].since < open[*best].since)) {
      best = i;
      best_rank = *rank;
    }
  }
  return best;
}

} // namespace tractus::console
