// Every fault and start refusal has a code (docs/fault-codes.md), grouped as on established
// tables: 1xx start conditions and operator events, 2xx internal, 3xx critical (runtime).
#pragma once

#include <cstdint>

namespace tractus::controller {

enum class FaultCode : std::uint16_t {
  None = 0,
  // 1xx: start interlocks (a session cannot start) and stop events.
  CalibrationInvalid = 110,
  PatientSwitchNotConnected = 111,
  PressTestNotPassed = 112,
  EstopOpenAtStart = 113,
  DriveNotReady = 114,
  WatchdogNotConfigured = 115,
  ScreeningNotConfirmed = 116,
  ProfileInvalidForPatient = 117,
  JournalNoRoom = 118,
  TableNotAnswering = 119,
  RecordsUnavailable = 120, // a course visit's session needs the records store
  PatientSwitchPressed = 150,
  OperatorStop = 151,
  // 2xx: internal.
  LoopOverrun = 201,
  PretensionTimeout = 202,
  SessionTimeLimit = 203,
  JournalUnwritable = 204, // the one 2xx with a controlled release (stop category 1)
  // 3xx: critical runtime monitors; the drive is disabled at once.
  OverForce = 301,
  ForceRiseTooFast = 302,
  LoadCellStale = 303,
  LoadCellOutOfRange = 304,
  ForceImplausible = 305,
  DriveFault = 306,
  EstopOpened = 307,
  LoadCellCommLost = 308,
  DriveCommLost = 309,
  SafetyIoCommLost = 310,
  TravelLimit = 311,
  PatientSwitchDiscrepancy = 312,
  PatientSwitchDisconnected = 313,
};

struct FaultInfo {
  FaultCode code;
  const char *name;    // short identifier used in journals, e.g. "over-force"
  const char *meaning; // one sentence for the operator
};

const FaultInfo &info(FaultCode c);
inline int number(FaultCode c) { return static_cast<int>(c); }

} // namespace tractus::controller
