// The alert panel under the header, on every screen: an active alarm (patient switch, a latched
// fault), the end-of-treatment reminder, or the notice of a stop, each with its code, meaning and
// an Acknowledge button. Only an active alarm pulses; everything else is steady.

import { api, role } from './api.js';
import { store } from './store.js';
import { $, setText, show } from './dom.js';
import { describeFault, isStopCode } from './faults.js';
import { chime } from './audio.js';
import * as telemetry from './telemetry.js';

let acknowledgedRun = null; // the run whose stop notice the operator acknowledged
let run = 0; // counts starts and loads, so an acknowledgement applies to one stop only
let lastState = null;
let lastChime = 0;
let ackPending = false;
let ackedWhileFault = false;

const STOP_OUTCOMES = { 'operator-stop': 151, 'patient-stop': 150 };

// The frame's fault, or for a stop (which is not a fault) the stop's code from the outcome.
function faultOf(frame) {
  const f = frame.fault;
  if (typeof f === 'number' && f) return describeFault(f);
  if (f && typeof f === 'object' && f.code) return describeFault(f.code, f);
  const stop = STOP_OUTCOMES[frame.outcome];
  return stop ? describeFault(stop) : null;
}

// What the panel should show for this frame, or null. `canAck`: whether Acknowledge does
// something now. A stop's release must finish (state Complete) before its acknowledgement ends
// the session; during the release only an alarm (the patient's switch) can be silenced.
function alertFor(frame) {
  const fault = faultOf(frame);
  if (frame.state === 'fault') {
    return { level: 'alarm', fault, title: 'Fault — the drive is disabled', canAck: true };
  }
  const stopCode = fault && isStopCode(fault.code) ? fault.code : null;
  const who = stopCode === 150 ? 'Patient pressed the hand switch' : 'Stop pressed';
  const phase = frame.state === 'releasing' ? 'releasing the force' : 'the force is released';
  if (frame.alarm) {
    // A stop's alarm (the patient's switch, or a stop from this or another console) until the
    // operator has seen it: Acknowledge silences it.
    return {
      level: 'alarm',
      fault: fault || describeFault(150),
      title: stopCode ? `${who} — ${phase}` : 'Alarm',
      canAck: true,
    };
  }
  // Once this page's acknowledgement is accepted (or another console's is seen) the reminder
  // goes at once: the loop clears it on its next cycle, but a frame saying so may lag on a busy
  // machine, and a second press would find the session already closed.
  if (frame.reminder && acknowledgedRun !== run) {
    return {
      level: 'reminder',
      fault: { code: null, name: 'complete', meaning: 'The treatment is complete and the force is released.', action: 'Attend to the patient, then acknowledge.' },
      title: 'Treatment complete',
      canAck: true,
    };
  }
  if (stopCode && frame.state === 'releasing') {
    const acknowledged = acknowledgedRun === run;
    return {
      level: 'notice',
      fault: { ...fault, action: acknowledged
        ? 'Acknowledged. Holding the minimum cord tension; the drive is disabled 5 s after the release, and the session then closes by itself.'
        : 'Holding the minimum cord tension; the drive is disabled 5 s after the release. Then acknowledge to close the session.' },
      title: `${who} — ${phase}`, canAck: false,
    };
  }
  if (stopCode && frame.state === 'complete' && acknowledgedRun !== run) {
    return {
      level: 'notice',
      fault: { ...fault, action: 'The drive is disabled. Acknowledge to close the session.' },
      title: `${who} — ${phase}`, canAck: true,
    };
  }
  return null;
}

function render(frame) {
  const panel = $('#alert');
  const a = role() ? alertFor(frame) : null;
  show(panel, Boolean(a));
  document.body.classList.toggle('has-alert', Boolean(a));
  if (!a) return;
  panel.dataset.level = a.level;
  const f = a.fault || {};
  setText($('#alert-code'), f.code ? String(f.code) : '✓');
  setText($('#alert-title'), f.code ? `${a.title} · ${f.name}` : a.title);
  setText($('#alert-meaning'), f.meaning || '');
  let action = f.action || '';
  if (frame.state === 'fault' && ackedWhileFault) action = 'Acknowledged, but the cause is still present: remove it, then acknowledge again.';
  setText($('#alert-action'), action);
  $('#alert-ack').disabled = ackPending || !a.canAck;
  const now = performance.now();
  if (a.level === 'alarm' && now - lastChime > 3000) {
    lastChime = now;
    chime();
  }
}

// Whether an acknowledgement now closes the session: in Complete, or during a stop's release.
function endsTheSession(frame) {
  return frame.state === 'complete' || (frame.state === 'releasing' && Boolean(STOP_OUTCOMES[frame.outcome]));
}

function track(frame) {
  // A new start or a new load begins a new run: its stop needs its own acknowledgement.
  if (frame.state !== lastState && (frame.state === 'pretension' || frame.state === 'ready')) {
    run += 1;
    ackedWhileFault = false;
  }
  if (frame.state !== 'fault') ackedWhileFault = false;
  lastState = frame.state;
  for (const e of frame.events || []) {
    if (e.kind === 'acknowledged') {
      // In Complete an acknowledgement ends the session (the loop lingers a few seconds); one
      // during a stop's release counts for the Complete that follows (docs/console.md), so the
      // page does not ask for it again there. Not during a treatment's own release: its
      // end-of-treatment reminder comes in Complete and needs its own.
      if (endsTheSession(frame)) acknowledgedRun = run;
      if (frame.state === 'fault') ackedWhileFault = true;
    }
    if (e.kind === 'reminder') chime({ high: 660, low: 550 });
  }
}

async function acknowledge() {
  ackPending = true;
  $('#alert-ack').disabled = true;
  try {
    await api.command('acknowledge', store.shownSessionId);
    const latest = telemetry.latestFrame();
    if (latest && endsTheSession(latest)) acknowledgedRun = run;
  } catch (e) {
    setText($('#alert-action'), `Acknowledge failed: ${e.message}`);
  } finally {
    ackPending = false;
    const f = telemetry.latestFrame();
    if (f) render(f);
  }
}

export function initAlerts() {
  $('#alert-ack').addEventListener('click', acknowledge);
  telemetry.onFrame((frame) => {
    track(frame);
    render(frame);
  });
  telemetry.onStatus((s) => {
    if (s === 'offline') show($('#alert'), false);
  });
}
