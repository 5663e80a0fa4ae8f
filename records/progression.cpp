#include "records/progression.hpp"

#include "profiles/quantity_text.hpp"

#include <algorithm>

namespace tractus::records {
namespace {

std::string force_text(double n) { return profiles::format_force_n_lbf(newtons(n)); }

// Why the last visit does not earn the step, or empty when it does.
std::string held_because(const VisitResult &last) {
  const auto visit = "visit " + std::to_string(last.number);
  if (last.outcome.empty()) {
    return visit + " has no session yet";
  }
  if (last.outcome != "completed") {
    return visit + " did not complete (" + last.outcome + ")";
  }
  if (last.guarding_alarm) {
    return visit + " raised a guarding alarm";
  }
  if (!last.pain_before || !last.pain_after) {
    return visit + "'s pain " + (last.pain_before ? "after" : "before") +
           " was not recorded, so no increase can be ruled out";
  }
  if (*last.pain_after > *last.pain_before) {
    return visit + "'s pain rose from " + std::to_string(*last.pain_before) + " to " +
           std::to_string(*last.pain_after);
  }
  return {};
}

} // namespace

Proposal propose_force(const ProgressionRule &rule, const std::vector<VisitResult> &previous) {
  Proposal p;
  p.visit = previous.empty() ? 1 : previous.back().number + 1;
  if (previous.empty()) {
    p.force_n = std::min(rule.start_force_n, rule.ceiling_n);
    p.why = "the course's starting force";
    return p;
  }
  const auto &last = previous.back();
  if (const auto held = held_because(last); !held.empty()) {
    p.force_n = std::min(last.force_n, rule.ceiling_n);
    p.why = "held at visit " + std::to_string(last.number) + "'s force: " + held;
    return p;
  }
  if (last.force_n >= rule.ceiling_n) {
    p.force_n = rule.ceiling_n;
    p.why = "the course's ceiling, " + force_text(rule.ceiling_n) + ", reached";
    return p;
  }
  p.force_n = std::min(last.force_n + rule.step_n, rule.ceiling_n);
  p.raised = true;
  p.why = "visit " + std::to_string(last.number) + " at " + force_text(last.force_n) +
          " went well (completed, no guarding alarm, no pain increase): +" +
          force_text(p.force_n - last.force_n) +
          (p.force_n >= rule.ceiling_n ? ", up to the ceiling" : "");
  return p;
}

} // namespace tractus::records
