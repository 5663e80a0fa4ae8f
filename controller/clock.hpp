// Where the loop's time comes from: the machine's monotonic clock, or a virtual clock that
// moves only when the loop asks it to (and moves the simulated table with it).
#pragma once

#include "units/units.hpp"

#include <functional>
#include <time.h>

namespace tractus::controller {

class Clock {
public:
  virtual ~Clock() = default;
  [[nodiscard]] virtual Duration now() noexcept = 0;
  // Returns once `deadline` (an absolute time on this clock) has come.
  virtual void sleep_until(Duration deadline) noexcept = 0;
  [[nodiscard]] virtual bool is_virtual() const noexcept = 0;
};

// CLOCK_MONOTONIC with absolute-deadline sleeps: a late wake-up does not push later deadlines
// back (no drift accumulates), unlike sleeping for a relative period.
class MonotonicClock final : public Clock {
public:
  MonotonicClock();
  Duration now() noexcept override;
  void sleep_until(Duration deadline) noexcept override;
  bool is_virtual() const noexcept override { return false; }

private:
  timespec epoch_{};
};

// Time moves only in sleep_until, which first hands the step to `advance` (the simulated
// table), so a 30-minute session runs as fast as the plant and the controller can compute.
class VirtualClock final : public Clock {
public:
  explicit VirtualClock(std::function<void(Duration)> advance) : advance_(std::move(advance)) {}
  Duration now() noexcept override { return now_; }
  void sleep_until(Duration deadline) noexcept override {
    if (deadline > now_) {
      if (advance_) advance_(deadline - now_);
      now_ = deadline;
    }
  }
  bool is_virtual() const noexcept override { return true; }

private:
  std::function<void(Duration)> advance_;
  Duration now_{};
};

} // namespace tractus::controller

namespace tractus::controller {

// Virtual time that moves at the speed of the wall clock: the simulator run with --realtime,
// so a person can watch a session (and a console can show it) as it would happen on a table.
class PacedClock final : public Clock {
public:
  explicit PacedClock(std::function<void(Duration)> advance) : advance_(std::move(advance)) {}
  Duration now() noexcept override { return wall_.now(); }
  void sleep_until(Duration deadline) noexcept override {
    wall_.sleep_until(deadline);
    const Duration t = wall_.now();
    if (t > moved_to_) {
      if (advance_) advance_(t - moved_to_);
      moved_to_ = t;
    }
  }
  bool is_virtual() const noexcept override { return false; }

private:
  MonotonicClock wall_;
  std::function<void(Duration)> advance_;
  Duration moved_to_{};
};

// Virtual time throttled to `speed` times the wall clock: the simulator shown faster than life
// (`tractus serve --sim-speed 10`: a 20-minute protocol in 2 minutes, for a demonstration or a
// test of many sessions through the console). Time moves only in sleep_until, one step at a
// time as on the virtual clock, so a busy computer that falls behind delays the session but
// never makes a cycle late in the loop's eyes; the wall-clock sleep only keeps it from running
// ahead of `speed`.
class ThrottledClock final : public Clock {
public:
  ThrottledClock(std::function<void(Duration)> advance, double speed)
      : advance_(std::move(advance)), speed_(speed) {}
  Duration now() noexcept override { return now_; }
  void sleep_until(Duration deadline) noexcept override {
    if (deadline > now_) {
      if (advance_) advance_(deadline - now_);
      now_ = deadline;
    }
    // Sleep only when more than a millisecond ahead: a sleep per 1 ms cycle at 200 times
    // would be 200,000 system calls a second, each returning later than asked.
    const Duration wall_deadline(deadline.si() / speed_);
    if (wall_deadline - wall_.now() > milliseconds(1)) wall_.sleep_until(wall_deadline);
  }
  bool is_virtual() const noexcept override { return true; }

private:
  MonotonicClock wall_;
  std::function<void(Duration)> advance_;
  double speed_;
  Duration now_{};
};

} // namespace tractus::controller
