// The safety invariants of the randomized fault campaign, checked on the simulator's truth.
//
// A SessionChecker is fed one Observation per control cycle (the true cable tension from the
// plant, the controller's output) and, at the end, the session's journal as read back from disk.
// It knows nothing of how the trace was made, so a test can feed it a synthetic trace and
// prove that every check can fail (campaign_test.cpp). The invariants (docs/safety/campaign.md):
//
//   a  force       the true force never exceeds min(highest setpoint, caps) + 5 % (at least
//                  + 10 N), at any time, faults included, while the drive holds torque or
//                  lost it less than 50 ms before (an unpowered, back-driven drive train adds
//                  no energy: an excess later is the patient's own, reported apart as "plant";
//                  so is one during or after a slip's pay-out, which only moves the cable out);
//   b  disable     while a fault is latched the drive is commanded disabled (enable false, speed
//                  0) from the cycle of detection on — after a 305 (sudden loss of force) it may
//                  pay the cable out (speed <= 0, never in) for at most `slip_pay_out`, then
//                  disabled — and every injected fault is answered (the
//                  fault latched or the stop begun) within the bound of its kind (kind_rules());
//   c  release     after a fault or a stop the true force is below 15 N within 3 s (a stop holds
//                  the 15 N minimum cord tension, so it counts at 15 N + the load cell's noise);
//   d  no restart  after a fault, a stop or the end of treatment, no active state (Pretension,
//                  Treating, Paused, Releasing) comes back without an acknowledgement (the
//                  campaign's operator never acknowledges and keeps asking to start);
//   e  journal     the journal parses with no problem, has its summary, and records every fault
//                  and stop the controller raised, with its code.
#pragma once

#include "controller/fault_codes.hpp"
#include "controller/journal_reader.hpp"
#include "controller/session.hpp"
#include "controller/state.hpp"
#include "hal/hal.hpp"
#include "profiles/trajectory.hpp"
#include "units/units.hpp"

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::campaign {

// Times in the checker are whole microseconds of simulator time, so latencies compare exactly.
using Micros = std::int64_t;
inline constexpr Micros kMicrosPerMs = 1000;

enum class Invariant : std::uint8_t { Force, Disable, Release, NoRestart, Journal };
inline constexpr int kInvariantCount = 5;
inline constexpr std::array<Invariant, kInvariantCount> kInvariants{
    Invariant::Force, Invariant::Disable, Invariant::Release, Invariant::NoRestart,
    Invariant::Journal};
char letter(Invariant i);                // 'a' .. 'e'
std::string_view to_string(Invariant i); // "force", "disable", ...

// How the controller must answer one kind of campaign event.
enum class Response : std::uint8_t {
  Fault, // a latched fault within `bound`
  Stop,  // a category-1 stop (patient switch, operator stop) within `bound`
  // loadcell-offset: the reading jumps up by 200 N. Over-force (301) within `bound` when the
  // shifted reading is above the trip; below it the table pulls less than prescribed, which no
  // documented monitor sees (not required; a, c, d, e still apply).
  OverForceWhenAboveTrip,
  // drive-runaway: a fault (302 force-rate, or the 301 backstop) no later than `bound` after
  // the true force first passes the over-force trip; `bound` is not measured from the injection
  // because a runaway on a soft patient at a low force rises slower than 302's 250 N/s.
  FaultBeforeOverForce,
  None, // not a fault (noise, a spasm): a, c, d and e still apply
};

struct KindRule {
  std::string_view kind; // sim injection kind, or "operator-stop" (the campaign's operator)
  Response response = Response::None;
  controller::FaultCode code =
      controller::FaultCode::None; // the code documented for it (the
                                   // first code latched is recorded either way; another code in
                                   // time is a safe answer too)
  Micros bound = 0;                // injection (the first cycle that sees it) → fault or stop
  // How many of `bound`'s milliseconds are loop cycles ("3 failed transactions", "the cycle the
  // status arrives"): they are counted as cycles of the loop as they came, after the rest of
  // the bound has passed. On the virtual clock a cycle is exactly 1 ms, so this changes
  // nothing there; in real time over Modbus a cycle whose transactions time out lasts longer.
  int cycles = 0;
  // Required only when the harness should be taut (Treating, Paused, the end-of-treatment
  // release: not in Pretension, where the slack is still being taken up) and the true force is
  // at least `min_force` (a slip from 20 N cannot drop by the 30 N 305 needs).
  bool taut_only = false;
  Force min_force{};
  // The monitor that must answer is not implemented yet (docs/fault-codes.md "reserved"): a
  // miss is reported as pending, not counted in b, until the monitor lands.
  bool pending = false;
  std::string_view basis; // where the bound comes from (docs/fault-codes.md)
};

// The rule of a kind that silences a device (308 load cell, 309 drive, 310 safety I/O; the
// in-process timeouts and the Modbus transport faults alike): no good reply for the stale
// window, 30 ms (docs/fault-codes.md), seen the next cycle. The drive's status is one exchange
// old, so its loss is seen one cycle later. `basis` is the report's sentence for the kind.
constexpr KindRule comm_lost_rule(std::string_view kind, controller::FaultCode code,
                                  std::string_view basis) {
  constexpr Micros kStaleWindow = 30'000;
  const int cycles = code == controller::FaultCode::DriveCommLost ? 2 : 1;
  return KindRule{.kind = kind,
                  .response = Response::Fault,
                  .code = code,
                  .bound = kStaleWindow + cycles * kMicrosPerMs,
                  .cycles = cycles,
                  .basis = basis};
}

// One rule per sim::injection_kinds() entry plus "operator-stop", in that order.
std::span<const KindRule> kind_rules() noexcept;
const KindRule *find_kind_rule(std::string_view kind) noexcept;
inline constexpr std::string_view kOperatorStop = "operator-stop";

// The figures a session is checked against.
struct SessionLimits {
  Force peak_setpoint;   // the trajectory's highest setpoint (oscillation included)
  Force ceiling;         // the lower of the region's hard cap and its clinical cap
  Force over_force_trip; // where the controller's 301 monitor trips (over_force_limit())
  Force min_cord_tension = newtons(15);
  Force stop_tolerance = newtons(0.5); // a stop holds 15 N: 2 σ of the load cell's noise
  Micros release_within = 3'000'000;   // c: 3 s
  Micros period = kMicrosPerMs;        // the loop's period
  // An excess this long after the drive last held torque is the plant's (a spasm, a recoil):
  // the rotor's own inertia is spent in 5 × m_r/b = 5 × 8 ms (docs/simulator.md).
  Micros unpowered_after = 50'000;
  // b: after a 305 (a sudden loss of force) the controller may keep torque this long to pay the
  // cable out (never in: speed <= 0), then must disable; 0 for a torque-off answer.
  Micros slip_pay_out = 0;
};
// The limits of a session built from `setup` to follow `trajectory`: both campaigns judge by
// these, so the in-process and the Modbus run can never hold a session to different bounds.
SessionLimits limits_for(const controller::SessionSetup &setup,
                         const profiles::Trajectory &trajectory);
// a: min(peak, ceiling) + max(5 %, 10 N).
Force force_base(const SessionLimits &l);
Force force_limit(const SessionLimits &l);
Force force_limit(Force base); // base + max(5 %, 10 N)

// One control cycle, as the campaign's observer sees it.
struct Observation {
  Micros t = 0;        // simulator time of the cycle (its readings were taken at t)
  Force true_force;    // sim.true_force(): the cable tension, not what the controller believes
  bool torque = false; // sim.drive_enabled(): the drive really holds torque
  controller::State state = controller::State::Idle;
  controller::Outcome outcome = controller::Outcome::None;
  profiles::Phase phase = profiles::Phase::Done;
  hal::DriveCommand command;
  std::span<const controller::Event> events;
};

struct Violation {
  Invariant invariant;
  Micros at = 0;
  std::string what; // one line with the figures
};

enum class Detection : std::uint8_t {
  NoInjection, // no fault planned, or it never took effect (the session had ended)
  NotRequired, // Response::None, or an offset below the over-force trip (see pending)
  Detected,    // answered within the bound
  Late,        // answered after the bound (a b violation)
  Missed,      // never answered while the session stayed active (a b violation)
  Ended,       // the session left the active states within the bound unanswered (nothing to do)
  PendingMiss, // late or missed, but the monitor that must answer is not implemented yet
};
std::string_view to_string(Detection d);

struct FaultRecord {
  Micros t = 0;
  controller::EventKind kind = controller::EventKind::FaultLatched; // or Alarm / OperatorAction
  controller::FaultCode code = controller::FaultCode::None;
};

struct SessionVerdict {
  std::vector<Violation> violations;
  bool injected = false;
  Micros injected_at = 0;
  std::string_view phase;         // "pretension", "ramp", "hold", "rest", "release", "paused"
  bool taut_at_injection = false; // Treating, Paused or the end-of-treatment release
  Force force_at_injection;       // true force in the cycle before the event took effect
  Detection detection = Detection::NoInjection;
  std::optional<Micros> latency;                              // injection → first fault or stop
  std::optional<std::uint64_t> latency_cycles;                // the same in loop cycles
  controller::FaultCode answer = controller::FaultCode::None; // its code
  std::optional<Micros> end_at; // the first fault or stop (injected or not)
  controller::FaultCode end_code = controller::FaultCode::None;
  bool end_is_stop = false;
  std::optional<Micros> release_time;              // end → true force below the c threshold
  std::optional<Force> force_after_release_window; // true force 3 s after the end
  Force force_at_end;               // true force in the cycle of the first fault or stop
  Force peak_after_end;             // highest true force from then on
  std::optional<Micros> torque_off; // fault → the drive really without torque
  Force peak_true;
  Force force_base; // min(highest setpoint, ceiling): what a's +5 % is on
  // max(true force − force_base) while the drive held torque or lost it < unpowered_after ago
  Force worst_excess = newtons(-1e9);
  std::vector<FaultRecord> faults; // every fault latched and stop begun, in order
  // The force above a's limit with the drive unpowered for longer than unpowered_after: not a
  // violation of a (nothing the table did), reported for the hazard analysis.
  std::optional<std::string> plant_excess;
  Force plant_excess_worst;
  controller::Outcome outcome = controller::Outcome::None;
  controller::State final_state = controller::State::Idle;
  std::uint64_t cycles = 0;
  bool has(Invariant i) const;
};

class SessionChecker {
public:
  // `rule` null: no fault planned (a, c, d, e still apply).
  SessionChecker(const SessionLimits &limits, const KindRule *rule);

  // The planned event takes effect at `at` (the first cycle whose readings can see it).
  void injected(Micros at);
  void observe(const Observation &o);
  // The loop has ended: settles detection, release and force figures.
  void end_of_trace();
  // e: the journal as read back. Call after end_of_trace().
  void check_journal(const controller::JournalContents &journal);

  [[nodiscard]] const SessionVerdict &verdict() const noexcept { return v_; }

private:
  void flag(Invariant i, Micros at, std::string what);
  void settle_detection();

  SessionLimits limits_;
  const KindRule *rule_;
  SessionVerdict v_;
  bool have_previous_ = false;
  controller::State previous_state_ = controller::State::Idle;
  profiles::Phase previous_phase_ = profiles::Phase::Done;
  Force previous_force_;
  bool injection_seen_ = false;
  bool active_at_injection_ = false;
  std::optional<Micros> left_active_at_; // after the injection, first cycle not active
  std::optional<Micros> over_trip_at_;   // after the injection, true force first over the trip
  std::uint64_t injection_cycle_ = 0;    // v_.cycles at the injection's first cycle
  // The rule's bound as a deadline: the first cycle at or after injected_at + the bound's time
  // part, then `cycles` more cycles; that cycle's time.
  bool time_part_passed_ = false;
  int cycles_to_deadline_ = 0;
  std::optional<Micros> deadline_;
  bool fault_seen_ = false;
  bool complete_seen_ = false;
  bool stop_seen_ = false;
  std::optional<Micros> over_at_; // first cycle above the a limit (drive powered)
  Force over_worst_;
  Micros over_worst_at_ = 0;
  std::optional<Micros> plant_over_at_; // the same, drive unpowered for > unpowered_after
  Micros plant_over_worst_at_ = 0;
  std::optional<Micros> last_torque_at_;
  std::optional<Micros> fault_latched_at_; // the first cycle in Fault
  controller::FaultCode fault_code_ = controller::FaultCode::None;
  std::array<bool, kInvariantCount> flagged_{};
  Micros last_t_ = 0;
};

// "12.345 s" / "21 ms" for reports.
std::string format_micros(Micros us);

} // namespace tractus::campaign
