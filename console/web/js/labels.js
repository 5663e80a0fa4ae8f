// Words for the supervisor's states and the trajectory's phases, as the operator reads them.

const STATES = {
  idle: 'No session',
  ready: 'Ready',
  pretension: 'Taking up slack',
  treating: 'Treating',
  paused: 'Paused',
  releasing: 'Releasing',
  complete: 'Complete',
  fault: 'Fault',
};

const PHASES = {
  ramp: 'ramp',
  hold: 'hold',
  rest: 'rest',
  release: 'release',
  done: 'done',
};

export function stateLabel(state) {
  return STATES[state] || (state ? String(state) : '—');
}

export function phaseLabel(phase) {
  return PHASES[phase] || (phase ? String(phase) : '');
}

// Torque may be on: the drive is holding the cord.
export function isActive(state) {
  return state === 'pretension' || state === 'treating' || state === 'paused' || state === 'releasing';
}
