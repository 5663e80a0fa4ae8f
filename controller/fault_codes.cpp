#include "controller/fault_codes.hpp"
#include "controller/state.hpp"

#include <array>

namespace tractus::controller {

namespace {
constexpr std::array kFaults{
    FaultInfo{FaultCode::None, "none", "no fault"},
    FaultInfo{FaultCode::CalibrationInvalid, "calibration-invalid",
              "the load-cell calibration is missing, expired or damaged"},
    FaultInfo{FaultCode::PatientSwitchNotConnected, "switch-not-connected",
              "the patient hand switch is not plugged in"},
    FaultInfo{FaultCode::PressTestNotPassed, "press-test-missing",
              "the patient has not tested the hand switch this session"},
    FaultInfo{FaultCode::EstopOpenAtStart, "estop-open", "the emergency-stop chain is open"},
    FaultInfo{FaultCode::DriveNotReady, "drive-not-ready", "the drive is not ready to enable"},
    FaultInfo{FaultCode::WatchdogNotConfigured, "watchdog-not-configured",
              "the drive's communication watchdog is not armed"},
    FaultInfo{FaultCode::ScreeningNotConfirmed, "screening-not-confirmed",
              "the screening checklist has not been confirmed"},
    FaultInfo{FaultCode::ProfileInvalidForPatient, "profile-invalid",
              "the protocol is not valid for this patient"},
    FaultInfo{FaultCode::JournalNoRoom, "journal-no-room",
              "the journal folder lacks room for this session's record"},
    FaultInfo{FaultCode::TableNotAnswering, "table-not-answering",
              "no valid reply to the start's reading from a device of the table"},
    FaultInfo{FaultCode::RecordsUnavailable, "records-unavailable",
              "the records store a course visit needs cannot be reached"},
    FaultInfo{FaultCode::PatientSwitchPressed, "patient-switch",
              "the patient pressed the hand switch"},
    FaultInfo{FaultCode::OperatorStop, "operator-stop", "the operator stopped the session"},
    FaultInfo{FaultCode::LoopOverrun, "loop-overrun", "the control loop missed its deadline"},
    FaultInfo{FaultCode::PretensionTimeout, "pretension-timeout",
              "the cord did not reach its minimum tension in time (harness not attached?)"},
    FaultInfo{FaultCode::SessionTimeLimit, "session-time-limit",
              "the session ran past its planned duration"},
    FaultInfo{FaultCode::JournalUnwritable, "journal-unwritable",
              "the session's journal cannot be written (disk full or failing)"},
    FaultInfo{FaultCode::OverForce, "over-force", "the force exceeded its hard limit"},
    FaultInfo{FaultCode::ForceRiseTooFast, "force-rate", "the force rose faster than allowed"},
    FaultInfo{FaultCode::LoadCellStale, "loadcell-stale",
              "the load cell's sample counter stopped (frozen transmitter)"},
    FaultInfo{
        FaultCode::LoadCellOutOfRange, "loadcell-out-of-range",
        "the load cell reports overload, an ADC or excitation fault, or a force out of range"},
    FaultInfo{FaultCode::ForceImplausible, "force-implausible",
              "force and cable travel disagree (harness slipped or load cell failed)"},
    FaultInfo{FaultCode::DriveFault, "drive-fault", "the drive reports a fault"},
    FaultInfo{FaultCode::EstopOpened, "estop", "the emergency-stop chain opened"},
    FaultInfo{FaultCode::LoadCellCommLost, "loadcell-comm",
              "no valid reply from the load-cell transmitter"},
    FaultInfo{FaultCode::DriveCommLost, "drive-comm", "no valid reply from the drive"},
    FaultInfo{FaultCode::SafetyIoCommLost, "safety-io-comm", "no valid reply from the safety I/O"},
    FaultInfo{FaultCode::TravelLimit, "travel-limit", "the cable travelled beyond its limit"},
    FaultInfo{FaultCode::PatientSwitchDiscrepancy, "switch-discrepancy",
              "the patient switch's two channels disagree (wire break or stuck contact)"},
    FaultInfo{FaultCode::PatientSwitchDisconnected, "switch-disconnected",
              "the patient hand switch was unplugged during the session"},
};
} // namespace

const FaultInfo &info(FaultCode c) {
  for (const auto &f : kFaults)
    if (f.code == c) return f;
  return kFaults[0];
}

const char *to_string(State s) {
  switch (s) {
  case State::Idle: return "idle";
  case State::Ready: return "ready";
  case State::Pretension: return "pretension";
  case State::Treating: return "treating";
  case State::Paused: return "paused";
  case State::Releasing: return "releasing";
  case State::Complete: return "complete";
  case State::Fault: return "fault";
  }
  return "unknown";
}

const char *to_string(Outcome o) {
  switch (o) {
  case Outcome::None: return "running";
  case Outcome::Completed: return "completed";
  case Outcome::PatientStop: return "stopped by patient switch";
  case Outcome::OperatorStop: return "stopped by operator";
  case Outcome::Faulted: return "fault";
  }
  return "unknown";
}

} // namespace tractus::controller
