// Supervisor states and session outcomes (DESIGN §5).
#pragma once

#include <cstdint>

namespace tractus::controller {

enum class State : std::uint8_t {
  Idle,       // no session loaded; drive disabled
  Ready,      // session loaded, waiting for start; drive disabled
  Pretension, // taking up harness slack to the minimum cord tension
  Treating,   // following the protocol's trajectory
  Paused,     // held at a reduced force, protocol clock stopped
  Releasing,  // controlled release (end of treatment, stop or patient switch)
  Complete,   // release done, drive disabled; reminder until acknowledged
  Fault,      // latched: drive disabled; needs acknowledgement and the cause gone
};
inline constexpr int kStateCount = 8;
const char *to_string(State s);

// Whether the drive may hold torque in this state.
constexpr bool is_active(State s) {
  return s == State::Pretension || s == State::Treating || s == State::Paused ||
         s == State::Releasing;
}

// Why a session ended, recorded in the journal and mapped to the exit code.
enum class Outcome : std::uint8_t {
  None,         // still running
  Completed,    // the protocol ran to its end
  PatientStop,  // the patient pressed the hand switch
  OperatorStop, // the operator pressed stop
  Faulted,      // a monitor tripped
};
const char *to_string(Outcome o);

} // namespace tractus::controller
