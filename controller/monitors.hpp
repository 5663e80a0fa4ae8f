// Runtime monitors: each turns one way the table can go wrong into a fault code.
//
// They run every cycle on raw readings, independently of the force loop, so a badly tuned or
// saturated PID can never hide a fault. The thresholds are documented in docs/fault-codes.md.
#pragma once

#include "controller/fault_codes.hpp"
#include "controller/plausibility.hpp"
#include "controller/readings.hpp"
#include "units/units.hpp"

namespace tractus::controller {

struct MonitorLimits {
  Force over_force = newtons(925.0);    // hard trip, independent of the setpoint
  Force min_plausible = newtons(-50.0); // a tension cord cannot push: below this the cell is bad
  Force full_scale = newtons(2000.0);   // the load cell's rated range
  // Replies keep arriving and the sample counter has not moved for this long: the transmitter
  // is frozen (303). Only replies count, so a lost link is never taken for a frozen transmitter.
  // The transmitter must convert faster than this (docs/register-map.md: at least 200 Hz).
  Duration stale_after = milliseconds(20);
  // No good reply from a device for this long: its communication is lost (308-310). A late or
  // lost reply inside it is ridden through (counted by the link and the loop, not a fault): it
  // outlasts a PC's worst scheduling hole (12 ms, cyclictest under load, docs/performance.md)
  // twice over, and with one cycle and the response timeouts still ends well before the
  // drive's own 100 ms watchdog (docs/fault-codes.md).
  Duration comm_lost_after = milliseconds(30);
  Duration switch_discrepancy_after = milliseconds(50); // channels may disagree while switching
  Length max_travel = millimetres(250); // cable drawn in since the session started: 890 N on
                                        // the heaviest preset needs about 130 mm with slack
  PlausibilityLimits plausibility;
};

// What the supervisor tells the monitors about the moment.
struct MonitorContext {
  bool active = false; // torque may be on
  bool taut = false;   // past pretension: the harness should be taut
};

class Monitors {
public:
  explicit Monitors(const MonitorLimits &limits)
      : limits_(limits), plausibility_(limits.plausibility) {}

  // Tracks per-cycle history (sample counter, failed transactions, switch discrepancy, force
  // against travel). Call once per cycle, in every state, before check().
  void observe(Duration now, const Readings &r, Force measured,
               const MonitorContext &context) noexcept;

  // The first fault present this cycle while the table is active (torque may be on), or None.
  // `measured` is the calibrated force of this cycle's load-cell reading.
  [[nodiscard]] FaultCode check(const Readings &r, Force measured) const noexcept;

  // Whether the condition behind a latched fault is still there (a fault clears only when the
  // operator acknowledges it and this is false).
  [[nodiscard]] bool cause_present(FaultCode code, const Readings &r,
                                   Force measured) const noexcept;

  // This cycle's verdict on force against travel (a sudden drop is a slip or a broken cable).
  [[nodiscard]] Implausibility implausibility() const noexcept { return plausibility_.verdict(); }
  [[nodiscard]] const MonitorLimits &limits() const noexcept { return limits_; }
  void set_over_force(Force f) noexcept { limits_.over_force = f; }

private:
  MonitorLimits limits_;
  // One device's replies: whether this cycle's was good, and when the last good one came.
  // Lost: no good reply for `after`, and at least two requests in a row failed — a single
  // failed request is always ridden through, even right after the loop itself stalled (which
  // is the stall monitor's to judge, not the device's).
  struct Link {
    bool started = false; // observed at least once (the session's first cycle starts the clock)
    bool ok = true;
    int failures = 0; // in a row
    Duration last_ok{};
    void observe(Duration now, hal::IoStatus io) noexcept;
    [[nodiscard]] bool lost(Duration now, Duration after) const noexcept {
      return failures >= 2 && now - last_ok >= after;
    }
  };

  bool have_counter_ = false;
  std::uint16_t last_counter_ = 0;
  Duration counter_changed_at_{};
  Duration counter_seen_at_{}; // the last good reply's time
  Duration now_{};
  Link load_cell_link_, drive_link_, safety_link_;
  bool discrepant_ = false;
  Duration discrepant_since_{};
  PlausibilityMonitor plausibility_;
  bool have_travel_origin_ = false;
  Length travel_origin_{};
};

} // namespace tractus::controller
