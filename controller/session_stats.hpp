// Figures of one session, accumulated cycle by cycle without allocating: peak force, tracking
// error during holds, time spent in each state. They make the journal's summary line and the
// summary `tractus run` prints.
#pragma once

#include "controller/session.hpp"

#include <nlohmann/json.hpp>

#include <array>

namespace tractus::controller {

class SessionStats {
public:
  void add(const CycleOutput &out, Duration dt) noexcept;

  [[nodiscard]] Force peak_force() const noexcept { return peak_; }
  // RMS of (measured − setpoint) over hold and rest phases while treating, in N and in % of
  // the hold target.
  [[nodiscard]] Force hold_rms_error() const noexcept;
  [[nodiscard]] double hold_rms_error_percent() const noexcept;
  [[nodiscard]] Duration time_in(State s) const noexcept {
    return time_in_[static_cast<std::size_t>(s)];
  }
  [[nodiscard]] std::uint64_t cycles() const noexcept { return cycles_; }
  // Muscle guarding the detector saw: events begun, the largest size an ended one reached,
  // and the time under way.
  [[nodiscard]] std::uint64_t guarding_events() const noexcept { return guarding_events_; }
  [[nodiscard]] Force guarding_largest() const noexcept { return guarding_largest_; }
  // Watchdog trips the loop's own stall caused in Idle or Ready, reset (Session::reset_stall_trip).
  [[nodiscard]] std::uint64_t watchdog_resets() const noexcept { return watchdog_resets_; }
  [[nodiscard]] Duration guarding_time() const noexcept { return guarding_time_; }

  [[nodiscard]] nlohmann::ordered_json to_json() const;

private:
  Force peak_{};
  double hold_sq_ = 0;
  double hold_rel_sq_ = 0;
  std::uint64_t hold_n_ = 0;
  std::uint64_t cycles_ = 0;
  std::uint64_t guarding_events_ = 0;
  Force guarding_largest_{};
  std::uint64_t watchdog_resets_ = 0;
  Duration guarding_time_{};
  std::array<Duration, kStateCount> time_in_{};
};

} // namespace tractus::controller
