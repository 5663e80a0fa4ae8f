// One treatment session as a pure step function: step(now, readings, operator) -> output.
//
// The session owns the supervisor's state machine, the start interlocks, the runtime monitors
// and the force loop. Time is passed in, never read; nothing here allocates, throws or does I/O,
// so the same object runs at 1 kHz against hardware and thousands of times faster against the
// simulator, and every transition can be tested cycle by cycle.
#pragma once

#include "controller/baseline_loop.hpp"
#include "controller/force_loop.hpp"
#include "controller/guarding_detector.hpp"
#include "controller/monitors.hpp"
#include "controller/rate_limiter.hpp"
#include "controller/readings.hpp"
#include "controller/slip_pay_out.hpp"
#include "controller/state.hpp"
#include "hal/calibration.hpp"
#include "profiles/trajectory.hpp"

#include <array>
#include <cstdint>
#include <limits>

namespace tractus::controller {

// Timings and rates of the supervisor; defaults follow established tables (REFERENCE.md).
struct SupervisorTimings {
  Force min_cord_tension = newtons(15);              // Eltrac: 15 N always stays on the cord
  ForceRate treatment_rate = newtons_per_second(50); // pause and resume ramps
  // No setpoint moves faster than this. A stop's release runs at it (890 N to 15 N in 2.2 s);
  // the protocol's own ramps are slower (at most 50 N/s, profiles/limits.hpp), so along the
  // trajectory it is only a net under whatever the profile checks let through.
  ForceRate max_setpoint_rate = newtons_per_second(400);
  Duration disable_after_release = seconds(5); // DRX9000: motor disabled 5 s after release
  // Taking up slack, before force control. The harness comes taut at this speed: its damping
  // alone is a step of c·v, and the drive's 20 ms speed lag adds k·v·τ more. At 5 mm/s the
  // stiffest harness of the envelope (300 kN/m, 3,000 N·s/m) comes taut within about 25 N; at
  // the 20 mm/s this was, one cervical patient reached 75.7 N against a 69.7 N treatment.
  Speed pretension_speed = metres_per_second(0.005);
  Force pretension_handover = newtons(8);    // force at which force control takes over
  Duration pretension_settle = seconds(1.0); // hold at the minimum tension before t = 0
  // The envelope's most slack (60 mm) takes 12 s, then the settle: 16 s is 80 mm of cable,
  // past which the harness is not on (202).
  Duration pretension_timeout = seconds(16);
  Duration drive_enable_timeout = milliseconds(200);
  Duration reminder_every = seconds(30); // Chattanooga: beeper every 30 s at the end
  // A cycle this long after the last is a stalled loop: half the drive's 100 ms watchdog, and
  // four times what a loaded PC does to a real-time thread (cyclictest: 12 ms worst); 80 ms
  // at 100 Hz (RTU), where three 10 ms timeouts and such a hole fill 52 ms (session.cpp).
  Duration stall_after = milliseconds(50);
  // A drive that reports its watchdog expired (hal::kDriveWatchdogExpired) this soon after a
  // stalled cycle, in Idle or Ready with torque off, was tripped by that stall: one fault-reset
  // edge clears it, journaled, instead of a start refused 114 for a hiccup of the PC. The trip
  // shows in the exchange right after the stall (the drive's status comes a cycle late).
  Duration stall_trip_window = milliseconds(100);
  Duration session_overrun_allowance = minutes(2); // active time beyond plan + pretension
  Duration max_pause = minutes(10);                // tension held with the protocol clock stopped
};

// Which force controller the session runs (`tractus run --controller`). Adaptive is tractus's
// own loop (force_loop.hpp: gains scheduled on the identified stiffness, spasm relief);
// Baseline is a textbook PID with fixed gains (baseline_loop.hpp), kept so every tracking
// figure can be stated against it in the same run. Both run under the same supervisor, limits
// and monitors.
enum class ControllerKind : std::uint8_t { Adaptive, Baseline };
const char *to_string(ControllerKind k);

// Everything decided before the session starts. Checked again at the start request.
struct SessionSetup {
  const profiles::Trajectory *trajectory = nullptr; // compiled for this patient; null = invalid
  hal::Calibration calibration;
  bool calibration_valid = false; // intact and unexpired (checked where the wall clock is)
  bool screening_confirmed = false;
  Force hard_cap = newtons(890); // the region's hard cap
  MonitorLimits monitors;        // over_force is derived from the trajectory, see below
  ForceLoopParams force_loop;
  BaselineLoopParams baseline; // used when controller is Baseline
  GuardingDetectorParams guarding;
  SupervisorTimings timings;
  SlipPayOutParams slip; // the answer to a sudden loss of force (305), see slip_pay_out.hpp
  Duration period = milliseconds(1); // the loop's nominal period (dt of the first cycle)
  ControllerKind controller = ControllerKind::Adaptive;
};

// The force at which the over-force monitor trips for a protocol whose highest setpoint is
// `peak`: peak + 4 % (at least 8 N), and never later than the hard cap + 1 %.
Force over_force_limit(Force peak, Force hard_cap);

enum class EventKind : std::uint8_t {
  StateChanged,
  FaultLatched,
  FaultCleared,
  StartRefused,
  OperatorAction, // code = OperatorStop for stop; detail names the action
  PressTestPassed,
  Alarm, // patient switch or fault alarm raised
  Acknowledged,
  Reminder,      // end-of-treatment reminder (repeats until acknowledged)
  GuardingOnset, // muscle guarding detected (a notice, not a fault): value = its size, N
  GuardingEnd,   // the guarding let go: value = the largest size it reached, N
  WatchdogReset, // a watchdog trip the loop's own stall caused, reset: value = the stall, s
};
const char *to_string(EventKind k);

struct Event {
  EventKind kind;
  State state;        // the state after the event
  FaultCode code;     // the fault or refusal, None otherwise
  const char *detail; // static text
  double value = 0.0; // a guarding event's size (N), a watchdog reset's stall (s); else 0
};

// The start conditions of DESIGN §5 checked at a start request, one refusal code each
// (110–119; Session::refuse_start static_asserts that it checks exactly this many).
inline constexpr std::size_t kStartConditionCount = 10;

// The most events one cycle can emit, counted along Session::step in its order:
//   press test passed (Idle, Ready)                                             1
//   acknowledgement: acknowledged, fault cleared, state -> Idle                 3
//   active: a stop (operator action, alarm, state) is the most; a fault or a
//     journal fault is two (state, fault)                                       3
//   the state's own step: a start is the operator action and either the state
//     change or one refusal per start condition; pause, resume, Complete
//     (state + reminder) and the pretension timeout (state + fault) are two     1 + 10
//   the drive did not enable in time (state, fault)                             2
//   end-of-treatment reminder                                                   1
//   guarding onset or end                                                       1
//   a watchdog trip the loop's stall caused, reset (Idle, Ready)                1
// Not all can happen in one cycle (no stop next to a refused start), so this bounds the worst
// real cycle: press test, acknowledgement, start and seven refusals are 10 (Ready, issue 11),
// 11 with a silent device (119) beside them.
inline constexpr std::size_t kMaxEventsPerCycle =
    1 + 3 + 3 + (1 + kStartConditionCount) + 2 + 1 + 1 + 1;

struct CycleOutput {
  hal::DriveCommand command;
  State state = State::Idle;
  Outcome outcome = Outcome::None;
  Force setpoint{};
  Force measured{};
  profiles::Phase phase = profiles::Phase::Done;
  Duration protocol_time{};          // time along the trajectory (stops while paused)
  FaultCode fault = FaultCode::None; // the latched fault or the reason for a stop
  bool alarm = false;                // audible/visible alarm active until acknowledged
  bool reminder = false;             // end-of-treatment reminder repeating until acknowledged
  std::array<Event, kMaxEventsPerCycle> events{};
  std::uint8_t event_count = 0;
  // The force loop's identification of the cable (journaled at 10 Hz), and whether muscle
  // guarding is under way (the console's notice).
  Identification identification{};
  bool guarding = false;
  // Events beyond the buffer (never expected, see kMaxEventsPerCycle): counted, never silent;
  // the loop adds them up and the journal's summary reports them.
  std::uint8_t events_dropped = 0;
};
static_assert(kMaxEventsPerCycle <= 255, "event_count is a byte");

class Session {
public:
  explicit Session(const SessionSetup &setup);

  CycleOutput step(Duration now, const Readings &r, const OperatorInput &op) noexcept;

  [[nodiscard]] State state() const noexcept { return state_; }
  [[nodiscard]] bool press_test_passed() const noexcept { return press_test_passed_; }
  // While guarding is under way, the largest size the event has reached so far (N): it grows
  // while the muscles tighten, so the console's notice shows it live.
  [[nodiscard]] Force guarding_size() const noexcept { return guarding_.size(); }
  [[nodiscard]] const SessionSetup &setup() const noexcept { return setup_; }

private:
  // What the supervisor is doing inside a state. Each changes only within its state, and a
  // state's step reads only its own.
  enum class PretensionStage : std::uint8_t {
    TakingUpSlack, // reeling in at a fixed speed until the harness is taut: no force control
    Settling,      // force control at the protocol's starting force for pretension_settle
  };
  enum class TreatingStage : std::uint8_t {
    FollowingProtocol, // the setpoint follows the trajectory; the protocol clock runs
    Resuming,          // after a pause: back up to where the protocol stopped, clock frozen
  };
  enum class ReleaseStage : std::uint8_t {
    EndOfTreatment, // the trajectory's own release, to its end (Complete)
    StopDescending, // a stop: down to the minimum cord tension at the stop's release rate
    StopHolding,    // a stop: holding that tension until the drive is disabled
  };
  // What a state asks of the drive this cycle, before the drive and fault checks overrule it.
  struct Motion {
    bool enable = false;
    Speed speed{};
  };

  void emit(CycleOutput &out, EventKind k, FaultCode code, const char *detail,
            double value = 0.0) noexcept;
  void enter(CycleOutput &out, State s) noexcept;
  Force begin_cycle(Duration now, const Readings &r) noexcept;
  void latch_fault(CycleOutput &out, FaultCode code) noexcept;
  void begin_stop(CycleOutput &out, Outcome why) noexcept;
  void start_controlled_release() noexcept;
  void begin_fault_release(CycleOutput &out, FaultCode code) noexcept;
  void handle_acknowledge(CycleOutput &out, const Readings &r, Force measured) noexcept;
  void track_press_test(CycleOutput &out, const Readings &r) noexcept;
  bool refuse_start(CycleOutput &out, const Readings &r) noexcept;
  void supervise(CycleOutput &out, const Readings &r, const OperatorInput &op,
                 Force measured) noexcept;
  [[nodiscard]] FaultCode supervisor_fault(const Readings &r, Force measured) const noexcept;
  [[nodiscard]] bool stalled() const noexcept; // this cycle came too late (201)
  Motion step_state(CycleOutput &out, const Readings &r, const OperatorInput &op,
                    Force measured) noexcept;
  void step_idle(CycleOutput &out, const Readings &r, const OperatorInput &op) noexcept;
  void step_ready(CycleOutput &out, const Readings &r, const OperatorInput &op,
                  Force measured) noexcept;
  Motion step_pretension(CycleOutput &out, const Readings &r, Force measured) noexcept;
  Motion step_treating(CycleOutput &out, const Readings &r, const OperatorInput &op,
                       Force measured) noexcept;
  Motion step_paused(CycleOutput &out, const Readings &r, const OperatorInput &op,
                     Force measured) noexcept;
  Motion step_end_of_treatment(CycleOutput &out, const Readings &r, Force measured) noexcept;
  Motion step_stop_release(CycleOutput &out, const Readings &r, Force measured) noexcept;
  void check_drive_answers(CycleOutput &out, const Readings &r, bool enable) noexcept;
  Motion fault_motion(const Readings &r, Force measured) noexcept;
  void remind(CycleOutput &out) noexcept;
  void reset_controller(Speed current_speed) noexcept;
  void watch_guarding(CycleOutput &out, const Readings &r, Force measured) noexcept;
  [[nodiscard]] bool reset_stall_trip(CycleOutput &out, const Readings &r) noexcept;
  Speed control(Force target, ForceRate rate_limit, Force measured, const Readings &r,
                Speed ceiling = Speed(std::numeric_limits<double>::infinity())) noexcept;

  SessionSetup setup_;
  Monitors monitors_;
  ForceLoop force_loop_;
  BaselineLoop baseline_;
  GuardingDetector guarding_;
  RateLimiter setpoint_;
  SlipPayOut slip_pay_out_;

  State state_ = State::Idle;
  PretensionStage pretension_ = PretensionStage::TakingUpSlack;
  TreatingStage treating_ = TreatingStage::FollowingProtocol;
  ReleaseStage release_ = ReleaseStage::EndOfTreatment;
  State release_ends_in_ = State::Complete; // Fault after a journal fault's release (204)
  Outcome outcome_ = Outcome::None;
  FaultCode fault_ = FaultCode::None;
  bool alarm_ = false;
  bool reminder_ = false;
  bool press_seen_ = false;
  bool press_test_passed_ = false;
  bool first_step_ = true;
  Duration now_{};
  Duration dt_{};
  Duration state_since_{};
  Duration settle_since_{};
  Duration released_at_{};
  Duration drive_answered_at_{};
  Duration next_reminder_{};
  Duration protocol_time_{};
  Duration active_time_{}; // time with torque on, pauses excluded
  Force pause_level_{};
  Force release_target_{};
  Force last_measured_{};
  // The last stalled cycle: when, how long (zero: none yet), and whether the watchdog trip it
  // caused was reset.
  bool stall_trip_reset_ = false;
  Duration last_stall_at_{};
  Duration last_stall_{};
};

} // namespace tractus::controller
