// One telemetry frame: what the loop publishes for the console, a plain value with no heap
// memory so the loop can copy it into a lock-free queue without allocating.
#pragma once

#include "controller/fault_codes.hpp"
#include "controller/session.hpp"
#include "controller/state.hpp"

#include <nlohmann/json.hpp>

#include <cstdint>

namespace tractus::console {

struct TelemetryFrame {
  std::uint64_t seq = 0; // increases by one per frame published (gaps = frames dropped)
  double wall_ms = 0;    // system clock when the loop published it, ms since the Unix epoch:
                         // the browser compares it with its own clock to measure latency
  double protocol_s = 0; // time along the protocol (stops while paused)
  double setpoint_n = 0;
  double force_n = 0; // measured (calibrated) force
  controller::State state = controller::State::Idle;
  profiles::Phase phase = profiles::Phase::Done;
  controller::Outcome outcome = controller::Outcome::None;
  controller::FaultCode fault = controller::FaultCode::None;
  bool alarm = false;
  bool reminder = false;
  bool press_test_passed = false;
  bool estop_chain_closed = false;
  bool patient_switch_connected = false;
  bool simulated = false;
  bool loop_running = false; // false: the service's own idle frame, no loop
  // Muscle guarding (a notice, never a fault): an event under way, the largest size it has
  // reached so far (N), and how many have begun this session (LoopBridge counts the onsets).
  bool guarding = false;
  double guarding_n = 0;
  std::uint32_t guarding_events = 0;
  // Events of the cycle that published this frame (state changes, faults, refusals …).
  std::array<controller::Event, controller::kMaxEventsPerCycle> events{}; // as CycleOutput
  std::uint8_t event_count = 0;
};

// {"type":"telemetry","seq":…,"wall_ms":…,"t_s":…,"setpoint_N":…,"force_N":…,"state":"treating",
//  "phase":"hold","outcome":null|"operator-stop",…,"fault":null|{"code":301,"name":…,"meaning":…},
//  "alarm":…,"reminder":…,"press_test":…,"estop_closed":…,"switch_connected":…,
//  "simulated":…,"loop_running":…,"guarding":false,"guarding_N":null,"guarding_events":0,
//  "events":[{"kind":"fault-latched","state":"fault","code":301,"name":…,"detail":…}, …]}
//  (a guarding event also has "size_N")   — documented in docs/console.md.
nlohmann::json to_json(const TelemetryFrame &frame);

} // namespace tractus::console
