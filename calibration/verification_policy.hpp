// The clinic's policy for the load cell's daily verification (docs/calibration.md, "Daily
// verification"; set in the configuration file, docs/configuration.md). A pass always counts
// only on the local calendar day it was taken (Eltrac 471: the function test before the first
// patient of the day). A clinic may tighten that, never loosen it: with valid_for_hours a pass
// must also be at most that many hours old, so that a second shift verifies again.
#pragma once

namespace tractus::calibration {

inline constexpr int kMinVerificationHours = 1;
inline constexpr int kMaxVerificationHours = 24; // a day: longer would never tighten anything

struct VerificationPolicy {
  int valid_for_hours = 0; // kMinVerificationHours..kMaxVerificationHours; 0: the day alone
  friend bool operator==(const VerificationPolicy &, const VerificationPolicy &) = default;
};

} // namespace tractus::calibration
