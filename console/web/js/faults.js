// Fault and refusal codes (docs/fault-codes.md, controller/fault_codes.cpp). The server sends the
// code, name and meaning; this table adds what the operator does about it, and names a code when
// an event carries the code alone.

const FAULTS = {
  110: ['calibration-invalid', 'The load-cell calibration is missing, expired or damaged.', 'Have a technician calibrate the load cell.'],
  111: ['switch-not-connected', 'The patient hand switch is not plugged in, or its channels do not read “released”.', 'Plug the hand switch in and check it.'],
  112: ['press-test-missing', 'The patient has not pressed and released the hand switch in this session.', 'Ask the patient to press and release the hand switch once.'],
  113: ['estop-open', 'The emergency-stop chain is open.', 'Release the E-stop and reset the safety relay.'],
  114: ['drive-not-ready', 'The drive reports a fault or STO, or is not ready to enable.', 'Reset the drive fault; call service if it persists.'],
  115: ['watchdog-not-configured', 'The drive’s communication watchdog is not armed.', 'Restart tractus; call service if it persists.'],
  116: ['screening-not-confirmed', 'The screening checklist was not confirmed.', 'Complete the screening checklist.'],
  117: ['profile-invalid', 'The protocol is not valid for this patient.', 'Pick another protocol or correct the weight.'],
  118: ['journal-no-room', 'The journal folder lacks room for this session’s record.', 'Free space in the journal folder.'],
  119: ['table-not-answering', 'A device of the table gave no valid reply to the start’s reading.', 'Press start again; if it repeats, unload the session and load it again (every device is asked and reconnected); if it still repeats, check the named device’s cable and power, then call service.'],
  150: ['patient-switch', 'The patient pressed the hand switch: the force is released to the minimum cord tension.', 'Attend to the patient, then acknowledge.'],
  151: ['operator-stop', 'The session was stopped: the force is released to the minimum cord tension.', 'Acknowledge when the patient is attended to.'],
  201: ['loop-overrun', 'The control loop stalled; the drive was disabled.', 'Acknowledge; call service if it happens again.'],
  202: ['pretension-timeout', 'The cord did not reach its minimum tension within 16 s (harness not attached or slipped).', 'Check the harness, then acknowledge.'],
  203: ['session-time-limit', 'The session ran past its planned time, or a pause lasted more than 10 minutes.', 'Acknowledge.'],
  301: ['over-force', 'The measured force exceeded its hard limit; the drive was disabled.', 'Attend to the patient; acknowledge; call service.'],
  302: ['force-rate', 'The force rose faster than allowed; the drive was disabled.', 'Attend to the patient; acknowledge; call service.'],
  303: ['loadcell-stale', 'The load cell stopped updating (frozen transmitter).', 'Acknowledge; call service if it persists.'],
  304: ['loadcell-out-of-range', 'The load cell reports an overload, a fault, or a force out of range.', 'Acknowledge; call service if it persists.'],
  305: ['force-implausible', 'Force and cable travel disagree (harness slipped or load cell failed).', 'Check the harness and the patient; acknowledge.'],
  306: ['drive-fault', 'The drive reports a fault.', 'Acknowledge; call service if it persists.'],
  307: ['estop', 'The emergency-stop chain opened; power was removed from the drive.', 'Release the E-stop, reset the relay, then acknowledge.'],
  308: ['loadcell-comm', 'No valid reply from the load-cell transmitter.', 'Check the cabling; acknowledge.'],
  309: ['drive-comm', 'No valid reply from the drive.', 'Check the cabling; acknowledge.'],
  310: ['safety-io-comm', 'No valid reply from the safety I/O.', 'Check the cabling; acknowledge.'],
  311: ['travel-limit', 'The cable travelled beyond its limit.', 'Check the harness and the patient; acknowledge.'],
  312: ['switch-discrepancy', 'The patient switch’s two channels disagree (wire break or stuck contact).', 'Check the hand switch; acknowledge.'],
  313: ['switch-disconnected', 'The patient hand switch was unplugged during the session.', 'Plug the hand switch in; acknowledge.'],
};

// {code, name, meaning, action} from a code and whatever the server said.
export function describeFault(code, server = {}) {
  const known = FAULTS[code] || [];
  return {
    code,
    name: server.name || known[0] || 'fault',
    meaning: server.meaning || known[1] || server.detail || '',
    action: known[2] || '',
  };
}

export function isStopCode(code) {
  return code === 150 || code === 151;
}
