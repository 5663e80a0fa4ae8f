// The force setpoint of one session as a pure function of time (DESIGN §3).
//
// compile() turns a profile and a patient into a Trajectory: a list of contiguous segments,
// each a closed-form curve. at() is what the control loop calls every cycle, so it is
// noexcept, allocation-free and O(log segments) (a binary search over the segment ends).
#pragma once

#include "units/units.hpp"

#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

namespace tractus::profiles {

enum class Phase : std::uint8_t {
  Ramp,    // moving between levels during treatment (all of cyclic mode)
  Hold,    // at a hold level, possibly with oscillation
  Rest,    // at a rest level
  Release, // the final controlled release to 0 N
  Done,    // after the session: 0 N
};
[[nodiscard]] std::string_view to_string(Phase phase);

struct Setpoint {
  Force force;
  ForceRate rate; // d(force)/dt of the setpoint: the controller's feedforward
  Phase phase = Phase::Done;
  int cycle = 0; // 1-based treatment cycle; 0 during the release and when done
};

enum class Shape : std::uint8_t {
  Constant,     // `from` throughout
  Linear,       // straight from `from` to `to`: constant rate
  RaisedCosine, // from `from` to `to` with zero rate at both ends (cyclic mode, S-curve ramps)
  Logarithmic,  // from `from` to `to` as log10(1 + 9x): fast at first, gentle near `to`
  Sine,         // `from` + amplitude * sin(2 pi f t) over whole periods (oscillating hold)
};

struct Segment {
  Duration start;
  Duration length;
  Force from;
  Force to; // equals `from` for Constant and Sine
  Shape shape = Shape::Constant;
  Phase phase = Phase::Hold;
  int cycle = 0;
  Force amplitude;     // Sine only
  Frequency frequency; // Sine only

  [[nodiscard]] Duration end() const noexcept { return start + length; }
  // Setpoint `elapsed` after this segment's start (0 <= elapsed <= length).
  [[nodiscard]] Setpoint at(Duration elapsed) const noexcept;
  [[nodiscard]] ForceRate peak_rate() const noexcept; // largest |rate| on the segment
  [[nodiscard]] Force highest() const noexcept;
  [[nodiscard]] Force lowest() const noexcept;
};

// The levels of one treatment cycle, as the patient will feel them.
struct CycleLevels {
  int cycle = 0;
  Force hold; // the top of the cycle (hold level, or the peak in cyclic mode)
  Force rest; // the bottom of the cycle (rest level); equals hold in static mode
};

// The profile's forces for this patient, in newtons.
struct ResolvedForces {
  Mass body_mass;
  Force body_weight;
  Force max;
  std::optional<Force> rest;                  // intermittent and cyclic
  std::optional<Force> oscillation_amplitude; // when the profile oscillates
  Force ceiling; // the lower of the region's hard cap and its clinical cap for this patient
};

class Trajectory {
public:
  // An empty trajectory: always Done at 0 N.
  Trajectory() = default;
  // `segments` must be contiguous from t = 0 with no jump in force; compile() is the normal
  // way to make one. Throws std::invalid_argument otherwise.
  Trajectory(std::vector<Segment> segments, std::vector<CycleLevels> cycles, ResolvedForces forces);

  // The setpoint at session time t. Before t = 0 (pretension): the starting force at rate 0.
  // From total_duration() on, and for a NaN time: Done at 0 N, the safe state.
  [[nodiscard]] Setpoint at(Duration t) const noexcept;

  [[nodiscard]] std::span<const Segment> segments() const noexcept { return segments_; }
  [[nodiscard]] std::span<const CycleLevels> cycles() const noexcept { return cycles_; }
  [[nodiscard]] int cycle_count() const noexcept { return static_cast<int>(cycles_.size()); }
  [[nodiscard]] Duration total_duration() const noexcept { return total_; }
  // The highest setpoint anywhere in the session (oscillation peaks included): what an
  // over-force monitor can be armed with.
  [[nodiscard]] Force peak_force() const noexcept { return peak_force_; }
  [[nodiscard]] ForceRate peak_rate() const noexcept { return peak_rate_; }
  [[nodiscard]] const ResolvedForces &forces() const noexcept { return forces_; }

private:
  std::vector<Segment> segments_;
  std::vector<double> ends_; // segment end times in s, for the binary search in at()
  std::vector<CycleLevels> cycles_;
  ResolvedForces forces_;
  Duration total_;
  Force peak_force_;
  ForceRate peak_rate_;
};

} // namespace tractus::profiles
