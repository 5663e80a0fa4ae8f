// Muscle guarding as a report shows it (docs/reports.md): the events the force loop's detector
// journaled (`guarding-onset`, `guarding-end`, each with `size_n`) and the summary's `guarding`
// block (`events`, `largest_n`, `seconds`). A notice, never a fault. A journal from before the
// detector has neither: that reads as "not recorded", never as "none".
#pragma once

#include "records/sessions.hpp"

#include <optional>
#include <string>
#include <vector>

namespace tractus::records::report {

// One event, from its onset to its end (none: the journal ends before it, a crash).
struct GuardingSpan {
  double onset_s = 0;
  std::optional<double> end_s;
  std::optional<double> size_n; // the largest it reached (its end's), else its onset's size
};

struct GuardingRecord {
  bool recorded = false; // the journal knows guarding: a summary block or an event
  int events = 0;        // the summary's count, else the onsets in the events
  std::optional<double> largest_n, seconds;
  std::vector<GuardingSpan> spans; // in the order they began
};

[[nodiscard]] GuardingRecord guarding_of(const SessionEntry &entry);

// "2 muscle-guarding events, largest 14.2 N = 3.2 lbf, 9.5 s in all", "none", or the dash when
// the journal does not record guarding.
[[nodiscard]] std::string guarding_text(const GuardingRecord &g);

} // namespace tractus::records::report
