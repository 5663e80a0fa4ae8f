// The session's gate between Ready and a pull: the hand switch's press test, every start
// condition of DESIGN §5 (110-119), and the one drive fault the session clears by itself, a
// watchdog trip its own stalled loop caused while the table was at rest.
#include "controller/session.hpp"

#include <tuple>

namespace tractus::controller {

void Session::track_press_test(CycleOutput &out, const Readings &r) noexcept {
  if (r.safety.io != hal::IoStatus::Ok || !r.safety.patient_switch_connected) return;
  const auto sw = hal::patient_switch_state(r.safety);
  if (sw == hal::PatientSwitch::Pressed) press_seen_ = true;
  if (sw == hal::PatientSwitch::Released && press_seen_ && !press_test_passed_) {
    press_test_passed_ = true;
    emit(out, EventKind::PressTestPassed, FaultCode::None, "patient switch tested");
  }
}

// Every start condition of DESIGN §5; every one that fails is reported, not just the first.
// The verdict comes from the conditions themselves, never from how many events were written.
bool Session::refuse_start(CycleOutput &out, const Readings &r) noexcept {
  struct Condition {
    bool failed;
    FaultCode code;
    const char *detail = nullptr; // the code's meaning unless given
  };
  // A device that gave no valid reply to this reading is refused as not answering (119), named;
  // its own conditions are not judged on what it did not say (an unanswered safety I/O is not an
  // open E-stop chain).
  const bool load_cell_ok = r.load_cell.io == hal::IoStatus::Ok;
  const bool safety_ok = r.safety.io == hal::IoStatus::Ok;
  const bool drive_answered = r.drive.io == hal::IoStatus::Ok;
  // Every silent device named (an RTU bus outage silences all three), from a static table:
  // nothing is formatted in the cycle.
  static constexpr const char *kSilent[8] = {
      nullptr,
      "no valid reply to the start's reading from the load-cell transmitter",
      "no valid reply to the start's reading from the drive",
      "no valid reply to the start's reading from the load-cell transmitter and the drive",
      "no valid reply to the start's reading from the safety I/O",
      "no valid reply to the start's reading from the load-cell transmitter and the safety I/O",
      "no valid reply to the start's reading from the drive and the safety I/O",
      "no valid reply to the start's reading from the load-cell transmitter, the drive and the "
      "safety I/O",
  };
  const char *silent =
      kSilent[(load_cell_ok ? 0U : 1U) | (drive_answered ? 0U : 2U) | (safety_ok ? 0U : 4U)];
  const std::array conditions{
      Condition{!setup_.calibration_valid, FaultCode::CalibrationInvalid},
      Condition{safety_ok && (!r.safety.patient_switch_connected ||
                              hal::patient_switch_state(r.safety) != hal::PatientSwitch::Released),
                FaultCode::PatientSwitchNotConnected},
      Condition{!press_test_passed_, FaultCode::PressTestNotPassed},
      Condition{safety_ok && !r.safety.estop_chain_closed, FaultCode::EstopOpenAtStart},
      Condition{drive_answered && (!r.drive.ready || r.drive.fault || r.drive.sto_active),
                FaultCode::DriveNotReady},
      Condition{drive_answered && !r.drive.watchdog_armed, FaultCode::WatchdogNotConfigured},
      Condition{!setup_.screening_confirmed, FaultCode::ScreeningNotConfirmed},
      Condition{setup_.trajectory == nullptr, FaultCode::ProfileInvalidForPatient},
      Condition{r.journal_failed, FaultCode::JournalNoRoom},
      Condition{silent != nullptr, FaultCode::TableNotAnswering, silent},
  };
  // The event buffer is sized from this count (session.hpp): a new condition must update it.
  static_assert(std::tuple_size_v<decltype(conditions)> == kStartConditionCount);
  bool refused = false;
  for (const Condition &c : conditions) {
    if (!c.failed) continue;
    refused = true;
    emit(out, EventKind::StartRefused, c.code, c.detail ? c.detail : info(c.code).meaning);
  }
  return refused;
}

// The drive's communication watchdog (100 ms) takes the torque off when the loop falls silent;
// a PC that stalls the loop that long in Ready trips it with no torque to take, and the start
// would then be refused 114 until a person unloads the session. A trip that comes within
// stall_trip_window of the loop's own stall, in Idle or Ready, is cleared with one reset edge
// (the drive left disabled) and journaled with the stall's length. A trip with no stall before
// it (a link that lost commands), any other fault, or a trip the reset did not clear stays:
// 114 at the start, and a person looks.
bool Session::reset_stall_trip(CycleOutput &out, const Readings &r) noexcept {
  if (stalled()) {
    stall_trip_reset_ = false;
    last_stall_at_ = now_;
    last_stall_ = dt_;
  }
  if (state_ != State::Idle && state_ != State::Ready) return false;
  if (last_stall_ <= Duration{} || stall_trip_reset_ ||
      now_ - last_stall_at_ > setup_.timings.stall_trip_window)
    return false;
  if (r.drive.io != hal::IoStatus::Ok || !r.drive.fault ||
      r.drive.fault_code != hal::kDriveWatchdogExpired || r.drive.operation_enabled)
    return false;
  stall_trip_reset_ = true;
  emit(out, EventKind::WatchdogReset, FaultCode::None,
       "the drive's watchdog tripped while the loop stalled; fault reset, torque off",
       last_stall_.si());
  return true;
}

} // namespace tractus::controller
