// A session stepped cycle by cycle against the simulated table, exactly as the loop runner
// does it (the table moves on by one period; read load cell and safety I/O; step with the
// drive status of the previous exchange; exchange the command), except that the test decides
// what the operator asks and what happens to the table at each cycle.
//
// The patient is the calm 80 kg preset (no random muscle guarding), so every run is the same.
#pragma once

#include "controller/session.hpp"
#include "profiles/compile.hpp"
#include "sim/injection.hpp"
#include "sim/patient_preset.hpp"
#include "sim/sim_table.hpp"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <functional>
#include <ostream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace tractus::controller {
// Test failures print states, outcomes and codes by name, not as bytes.
inline void PrintTo(State s, std::ostream *out) { *out << to_string(s); }
inline void PrintTo(Outcome o, std::ostream *out) { *out << to_string(o); }
inline void PrintTo(FaultCode c, std::ostream *out) { *out << number(c) << " " << info(c).name; }
} // namespace tractus::controller

namespace tractus::controller::bench {

inline constexpr Duration kPeriod = milliseconds(1);

// ---- operator requests (each an edge: true for one cycle) --------------------------------

inline OperatorInput start_request() {
  OperatorInput op;
  op.start = true;
  return op;
}
inline OperatorInput pause_request() {
  OperatorInput op;
  op.pause = true;
  return op;
}
inline OperatorInput resume_request() {
  OperatorInput op;
  op.resume = true;
  return op;
}
inline OperatorInput stop_request() {
  OperatorInput op;
  op.stop = true;
  return op;
}
inline OperatorInput acknowledgement() {
  OperatorInput op;
  op.acknowledge = true;
  return op;
}

// ---- the protocol ------------------------------------------------------------------------

// Hold level of the test protocol: high enough that a pause (half of it) stays well above the
// minimum cord tension, low enough for the 80 kg patient (50 %bw = 392 N).
inline constexpr Force kHold = newtons(200);
inline constexpr Duration kRamp = seconds(4);

// Static, 200 N, 4 s ramps (46 N/s up, 50 N/s release), 1 min in all: the shortest session the
// limits allow, so a test can run one to its end.
inline const profiles::Trajectory &short_static_trajectory() {
  static const profiles::Trajectory trajectory = [] {
    profiles::Profile p;
    p.source = "session_fixture";
    p.id = "test-static";
    p.name = "Test static 200 N, 1 min";
    p.region = profiles::Region::Lumbar;
    p.mode = profiles::Mode::Static;
    p.max_force = profiles::ForceSpec{kHold.si(), profiles::ForceUnit::Newton};
    p.ramp = kRamp;
    p.duration = minutes(1);
    auto compiled = profiles::compile(p, profiles::Patient{"test-patient", kilograms(80)});
    if (!compiled) throw std::runtime_error(profiles::to_string(compiled.problems.front()));
    return *compiled.value;
  }();
  return trajectory;
}

// ---- the bench ---------------------------------------------------------------------------

// What differs between benches; the defaults meet every start condition except the press test,
// which the patient does on the table (pass_press_test()).
struct BenchSetup {
  const profiles::Trajectory *trajectory = &short_static_trajectory();
  bool calibration_valid = true;
  bool screening_confirmed = true;
  bool configure_watchdog = true;
  SupervisorTimings timings{};
  SlipPayOutParams slip{};
};

struct LoggedEvent {
  Duration at;
  Event event;
};

class SessionBench {
public:
  explicit SessionBench(const BenchSetup &bench = {})
      : sim_(sim::calm_plant_config(sim::kAveragePatient), 1), session_(setup_for(bench, sim_)) {
    if (bench.configure_watchdog) {
      const std::string error = sim_.drive().configure_watchdog(milliseconds(100));
      if (!error.empty()) throw std::runtime_error("watchdog: " + error);
    }
    drive_ = sim_.drive().exchange(hal::DriveCommand::disabled());
  }

  // One control cycle `dt` after the previous one (a late cycle: dt > kPeriod).
  const CycleOutput &cycle(const OperatorInput &op = {}, Duration dt = kPeriod) {
    sim_.advance(dt);
    now_us_ += sim::to_micros(dt);
    Readings r;
    r.load_cell = sim_.load_cell().read();
    r.safety = sim_.safety().read();
    r.drive = drive_;
    r.journal_failed = journal_failed_;
    last_ = session_.step(now(), r, op);
    drive_ = sim_.drive().exchange(last_.command);
    for (std::uint8_t i = 0; i < last_.event_count; ++i)
      events_.push_back(LoggedEvent{now(), last_.events[i]});
    return last_;
  }

  // Cycles for `how_long`, calling `each` after every cycle.
  void run_for(Duration how_long, const std::function<void(const CycleOutput &)> &each = {}) {
    const long long cycles = std::llround(how_long / kPeriod);
    for (long long i = 0; i < cycles; ++i) {
      cycle();
      if (each) each(last_);
    }
  }

  // Cycles until `done` holds for a cycle's output; throws (failing the test) after `limit`.
  const CycleOutput &run_until(const std::function<bool(const CycleOutput &)> &done, Duration limit,
                               std::string_view what) {
    const long long cycles = std::llround(limit / kPeriod);
    for (long long i = 0; i < cycles; ++i)
      if (done(cycle())) return last_;
    throw std::runtime_error("not reached within " + std::to_string(limit.si()) +
                             " s: " + std::string(what));
  }

  // The patient presses the hand switch for 0.5 s and lets go; returns once the test passed.
  void pass_press_test() {
    sim_.safety_model().press_patient_switch(sim::to_micros(sim_.elapsed()), seconds(0.5));
    run_until([](const CycleOutput &out) { return has(out, EventKind::PressTestPassed); },
              seconds(1), "press test passed");
  }

  // Press test, start, pretension: returns in the first cycle of Treating.
  void start_treatment() {
    pass_press_test();
    if (cycle(start_request()).state != State::Pretension)
      throw std::runtime_error("start refused");
    run_until([](const CycleOutput &out) { return out.state == State::Treating; }, seconds(10),
              "Treating");
  }

  // Treating, up the ramp and 1 s into the hold at kHold.
  void treat_into_hold() {
    start_treatment();
    run_until([](const CycleOutput &out) { return out.phase == profiles::Phase::Hold; },
              kRamp + seconds(1), "the hold");
    run_for(seconds(1));
  }

  // Applies a `KIND@TIME` injection (sim/injection.hpp) at the start of the next cycle.
  void inject(std::string_view kind) {
    const sim::InjectionKind *k = sim::find_injection_kind(kind);
    if (k == nullptr) throw std::runtime_error("unknown injection " + std::string(kind));
    sim_.inject(sim::Injection{k, sim::to_micros(sim_.elapsed())});
  }

  static bool has(const CycleOutput &out, EventKind kind, FaultCode code = FaultCode::None) {
    for (std::uint8_t i = 0; i < out.event_count; ++i)
      if (out.events[i].kind == kind && (code == FaultCode::None || out.events[i].code == code))
        return true;
    return false;
  }

  // The codes of this cycle's start refusals, in ascending order.
  static std::vector<FaultCode> refusals(const CycleOutput &out) {
    std::vector<FaultCode> codes;
    for (std::uint8_t i = 0; i < out.event_count; ++i)
      if (out.events[i].kind == EventKind::StartRefused) codes.push_back(out.events[i].code);
    std::sort(codes.begin(), codes.end());
    return codes;
  }

  // Times of every logged event of this kind.
  [[nodiscard]] std::vector<Duration> times_of(EventKind kind) const {
    std::vector<Duration> at;
    for (const auto &e : events_)
      if (e.event.kind == kind) at.push_back(e.at);
    return at;
  }

  // What the loop runner reads from Journal::failed() from the next cycle on.
  void set_journal_failed(bool failed) { journal_failed_ = failed; }

  [[nodiscard]] Duration now() const { return sim::from_micros(now_us_); }
  [[nodiscard]] const CycleOutput &last() const { return last_; }
  [[nodiscard]] const std::vector<LoggedEvent> &events() const { return events_; }
  sim::SimTable &sim() { return sim_; }
  Session &session() { return session_; }

private:
  static SessionSetup setup_for(const BenchSetup &bench, const sim::SimTable &sim) {
    SessionSetup setup;
    setup.trajectory = bench.trajectory;
    setup.calibration = sim.factory_calibration();
    setup.calibration_valid = bench.calibration_valid;
    setup.screening_confirmed = bench.screening_confirmed;
    setup.hard_cap = newtons(890);
    setup.timings = bench.timings;
    setup.slip = bench.slip;
    return setup;
  }

  sim::SimTable sim_;
  Session session_;
  hal::DriveStatus drive_;
  bool journal_failed_ = false;
  sim::Micros now_us_ = 0;
  CycleOutput last_;
  std::vector<LoggedEvent> events_;
};

// Per-cycle steps of the session's rates at kPeriod, and the rounding a comparison allows.
inline constexpr double kTiny = 1e-9; // N or s: arithmetic rounding only
constexpr double per_cycle(double newtons_per_second) { return newtons_per_second * kPeriod.si(); }
inline constexpr double kTreatmentStep = per_cycle(50);  // N per 1 ms cycle at 50 N/s
inline constexpr double kEmergencyStep = per_cycle(400); // N per 1 ms cycle at 400 N/s

// The start request in a Ready session whose patient has done the press test.
inline CycleOutput start_after_press_test(SessionBench &bench) {
  bench.pass_press_test();
  return bench.cycle(start_request());
}

// A start refused for `code` alone: no other refusal in the cycle, the session still in `state`,
// and no torque commanded.
inline ::testing::AssertionResult refused_with_only(const CycleOutput &out, FaultCode code,
                                                    State state = State::Ready) {
  const std::vector<FaultCode> codes = SessionBench::refusals(out);
  if (codes != std::vector<FaultCode>{code}) {
    auto failure = ::testing::AssertionFailure() << "refused with {";
    for (FaultCode c : codes)
      failure << " " << number(c);
    return failure << " } instead of { " << number(code) << " }";
  }
  if (out.state != state)
    return ::testing::AssertionFailure() << "the session left the state it should stay in";
  if (out.command.enable) return ::testing::AssertionFailure() << "torque was commanded";
  return ::testing::AssertionSuccess();
}

} // namespace tractus::controller::bench
