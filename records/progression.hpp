// The force a course proposes for its next visit (docs/records.md "Courses").
//
// A course starts at its starting force and adds its step at each visit while the last visit
// went well — completed without a stop, without a guarding alarm, and with no more pain after
// than before — up to its ceiling. Otherwise it proposes the last visit's force again and says
// why, and the clinician decides: the rule never lowers a force by itself, it only stops
// raising it. A proposal is only a proposal: the clinician confirms or changes it before the
// start. Pure: no store, no clock.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace tractus::records {

struct ProgressionRule {
  double start_force_n = 0;
  double step_n = 0;    // added per visit that went well
  double ceiling_n = 0; // never proposed above
};

// What the rule needs to know of a visit that was confirmed.
struct VisitResult {
  int number = 0;
  double force_n = 0; // as confirmed by the clinician
  std::string
      outcome; // the session's ("completed", "stopped", "fault", "interrupted"); empty: not run
  bool guarding_alarm = false;
  std::optional<int> pain_before, pain_after; // 0–10 numeric rating scale
};

struct Proposal {
  int visit = 0; // the number of the visit proposed (1 for the first)
  double force_n = 0;
  bool raised = false; // the step was added
  std::string why;     // one sentence for the console and the report
};

// The proposal for the visit after `previous` (oldest first; empty for the first visit).
[[nodiscard]] Proposal propose_force(const ProgressionRule &rule,
                                     const std::vector<VisitResult> &previous);

} // namespace tractus::records
