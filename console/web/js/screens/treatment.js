// The treatment screen: state, phase, times, force and setpoint in big numerals, the live plot,
// the safety inputs, and start / pause / resume. Stop is the big button in the header.

import { api } from '../api.js';
import { $, h, replace, setText, toggleClass, show, problemList } from '../dom.js';
import { store, profileById, weightKg } from '../store.js';
import { LiveChart } from '../chart.js';
import { describeFault } from '../faults.js';
import { outcomeText } from '../format.js';
import { stateLabel, phaseLabel } from '../labels.js';
import * as telemetry from '../telemetry.js';
import { guardingSummary } from '../guarding.js';
import { formatForce, formatDuration, forceUnit, onUnitsChange, NEWTONS_PER_KGF, weightToKg } from '../units.js';

let goTo = () => {};
let chart = null;
let refusals = []; // start-refused events of the last start
let commandError = null;
// When the start now sent was pressed (performance.now()), or null. Start stays disabled from
// the press until the loop leaves Ready or refuses it: the frame saying so comes 50 ms or more
// later, and a second tap meanwhile would reach a loop already in pretension and be refused
// 409. After START_SETTLE_MS without either (a frame lost), the button is offered again.
let startPressedAt = null;
const START_SETTLE_MS = 3000;
let lastState = null;
let visible = false;
let session = null; // {name, patientId, weightKg, weightText, duration_s, peak_N}
// This session's muscle guarding as this page saw it: [{t_s, sizeN, endT, largestN}], and the
// count the loop reports (frames carry it, so a page opened mid-session counts the earlier ones).
let guardingLog = [];
let guardingCount = 0;
let guardingKey = null;

// Whatever GET /api/state or POST /api/session says about the loaded session.
function describeSession(s) {
  if (!s) return null;
  const sess = s.session ?? s.loaded ?? (s.profile ? s : null);
  if (!sess) return null;
  const profile = sess.profile;
  const profileId = typeof profile === 'string' ? profile : profile && profile.id;
  const known = profileById(profileId);
  const patient = sess.patient || {};
  let wKg = null;
  if (typeof patient.body_mass_kg === 'number') wKg = patient.body_mass_kg;
  else if (typeof patient.weight_kg === 'number') wKg = patient.weight_kg;
  else if (typeof patient.weight === 'string') {
    const m = /^(\d+(?:\.\d+)?)\s*(kg|lb)$/.exec(patient.weight.trim());
    if (m) wKg = weightToKg(Number(m[1]), m[2]);
  }
  return {
    id: sess.id || null,
    name: (profile && profile.name) || sess.profile_name || (known && known.name) || profileId || 'session',
    patientId: patient.id || sess.patient_id || '',
    weightKg: wKg,
    weightText: typeof patient.weight === 'string' ? patient.weight : wKg ? `${wKg.toFixed(1)} kg` : '',
    duration_s: sess.duration_s ?? (profile && profile.duration_s) ?? sess.trajectory?.duration_s ?? null,
    peak_N: sess.peak_N ?? (profile && profile.peak_N) ?? sess.trajectory?.peak_N ?? null,
  };
}

let lastSession = null; // how the previous session ended (GET /api/state last_session)

// The course visit this session was loaded for (screening.js keeps it), or null.
function visitOf(s) {
  const v = store.visitSession;
  if (!v || !s) return null;
  return !v.sessionId || !s.id || v.sessionId === s.id ? v : null;
}

function renderSession() {
  const line = $('#session-line');
  if (!session) {
    replace(line, h('span', {}, 'No session loaded'),
      lastSession && lastSession.outcome ? h('span', { class: lastSession.outcome === 'interrupted' ? 'bad-text' : '', id: 'last-session' },
        [`Last session: ${outcomeText(lastSession)}`, guardingSummary(lastSession.guarding)].filter(Boolean).join(' · ')) : null,
      store.visitSession ? h('span', { class: 'visit-line', id: 'session-visit' },
        `Course visit ${store.visitSession.number} done: record the pain after`) : null);
    return;
  }
  const v = visitOf(session);
  replace(line, h('span', { class: 'session-name' }, session.name),
    h('span', {}, [session.patientId && `Patient ${session.patientId}`, session.weightText].filter(Boolean).join(' · ')),
    v ? h('span', { class: 'visit-line', id: 'session-visit' }, `Course visit ${v.number} at ${formatForce(v.forceN)}`) : null);
  if (session.peak_N) chart.setCeiling(session.peak_N);
}

async function refreshSession() {
  try {
    const s = await api.state();
    session = describeSession(s);
    store.shownSessionId = session ? session.id : null;
    lastSession = s ? s.last_session : null;
    if (!session) store.loaded = null;
    if (session) {
      // What the preview said, for what the state leaves out.
      if (!session.duration_s && store.draft.loadedDuration) session.duration_s = store.draft.loadedDuration;
      if (!session.peak_N && store.draft.loadedPeak) session.peak_N = store.draft.loadedPeak;
      if (!session.weightKg) session.weightKg = weightKg();
    }
    renderSession();
    // Only a frame newer than the telemetry's: right after a load the state can still carry
    // the previous session's last frame.
    const latest = telemetry.latestFrame();
    if (s && s.frame && (!latest || s.frame.seq > latest.seq)) onFrame(s.frame, true);
  } catch { /* the telemetry will say */ }
}

function chip(id, ok, okText, badText) {
  const node = $(id);
  toggleClass(node, 'ok', ok === true);
  toggleClass(node, 'bad', ok === false);
  node.lastChild.textContent = ok === true ? okText : ok === false ? badText : node.dataset.name;
}

// A control that has just appeared takes no press for this long. The buttons share one row,
// so when the state changes another button takes the place of the one pressed (Resume takes
// Pause's): the second tap of a double tap must not press it.
const CONTROL_SETTLE_MS = 500;
const usableSince = new Map(); // button id -> when it became visible and enabled

function renderControls(state) {
  const now = performance.now();
  const b = (id, on, enabled = true) => {
    if (!(on && enabled)) usableSince.delete(id);
    else if (!usableSince.has(id)) usableSince.set(id, now);
    const settling = on && enabled && now - usableSince.get(id) < CONTROL_SETTLE_MS;
    show($(id), on);
    $(id).disabled = !enabled || settling;
  };
  const starting = startPressedAt !== null && now - startPressedAt < START_SETTLE_MS;
  b('#cmd-start', state === 'ready', !starting);
  b('#cmd-pause', state === 'treating' || state === 'pretension', state === 'treating');
  b('#cmd-resume', state === 'paused');
  b('#cmd-unload', state === 'ready');
  b('#cmd-new', state === 'idle' || !state);
  // After a course visit's session: back to the course for the pain after and a note.
  b('#cmd-course', Boolean(store.visitSession) && (state === 'idle' || !state));
}

let noticeKey = null;

function renderNotice(frame) {
  const box = $('#treatment-notice');
  // Rebuilt only when what it says changes (it is called 20 times a second).
  const key = JSON.stringify([commandError && commandError.message, refusals.map((r) => r.code),
    Boolean(frame && frame.state === 'ready' && frame.press_test === false)]);
  if (key === noticeKey) return;
  noticeKey = key;
  if (commandError) {
    replace(box, problemList(commandError));
    return;
  }
  if (refusals.length) {
    replace(box, h('div', { class: 'refusals', role: 'alert' },
      h('p', { class: 'problems-title' }, 'Start refused — every condition that is not met:'),
      h('ul', {}, refusals.map((r) => h('li', {},
        h('span', { class: 'code' }, String(r.code)), ' ', h('strong', {}, r.name), ': ', r.meaning,
        r.action ? h('span', { class: 'what-to-do' }, ` — ${r.action}`) : null)))));
    return;
  }
  if (frame && frame.state === 'ready' && frame.press_test === false) {
    replace(box, h('p', { class: 'hint-box' }, 'Ask the patient to press and release the hand switch once (press test).'));
    return;
  }
  replace(box);
}

// The treatment screen's log of this session's muscle guarding, under the plot: the count, then
// each event's protocol time and size (a notice: nothing to acknowledge).
function renderGuardingLog() {
  const box = $('#guarding-log');
  const key = JSON.stringify([guardingCount, guardingLog, forceUnit()]);
  if (key === guardingKey) return;
  guardingKey = key;
  const count = Math.max(guardingCount, guardingLog.length);
  show(box, count > 0);
  if (!count) {
    replace(box);
    return;
  }
  replace(box,
    h('span', { class: 'guarding-count' }, `Muscle guarding this session: ${count}`),
    guardingLog.map((g) => h('span', { class: `guarding-item${g.endT === null ? ' under-way' : ''}` },
      `${formatDuration(g.t_s)} ≈ ${formatForce(g.largestN ?? g.sizeN)}`,
      g.endT === null ? ' — under way' : Number.isFinite(g.endT - g.t_s) ? ` (${Math.max(1, Math.round(g.endT - g.t_s))} s)` : '')));
}

function trackGuarding(frame, fromState) {
  if (frame.loop_running === false) return;
  if (typeof frame.guarding_events === 'number') guardingCount = frame.guarding_events;
  if (fromState) return; // GET /api/state's frame repeats one the telemetry may have carried
  for (const e of frame.events || []) {
    if (e.kind === 'guarding-onset') {
      guardingLog.push({ t_s: frame.t_s, sizeN: e.size_N, endT: null, largestN: null });
    } else if (e.kind === 'guarding-end') {
      const open = [...guardingLog].reverse().find((g) => g.endT === null);
      if (open) {
        open.endT = frame.t_s;
        open.largestN = e.size_N;
      }
    }
  }
}

// Every frame: the plot's data, refusals and state changes. The readouts are redrawn at most
// 20 times a second (the eye reads no faster; each redraw is a layout and a paint).
const RENDER_EVERY_MS = 50;
let pending = null;
let renderTimer = null;

function onFrame(frame, fromState = false) {
  // The service's own idle frames (no loop) carry no measurement.
  const live = frame.loop_running !== false;
  if (!fromState && live) chart.push(frame);
  const state = frame.state;
  for (const e of frame.events || []) {
    if (e.kind === 'start-refused') {
      startPressedAt = null;
      if (!refusals.some((r) => r.code === e.code)) refusals.push(describeFault(e.code, { name: e.name, meaning: e.detail }));
    }
  }
  if (state !== lastState && state === 'ready') {
    // A new session loaded: its own guarding log.
    guardingLog = [];
    guardingCount = 0;
  }
  trackGuarding(frame, fromState);
  if (state !== 'ready') startPressedAt = null;
  if (state !== lastState) {
    if (state === 'pretension' || state === 'treating') refusals = [];
    if (state === 'ready' && lastState && lastState !== 'ready') chart.clear();
    if ((state === 'ready' && lastState === 'idle') || (state === 'idle' && lastState && lastState !== 'idle')) {
      if (visible) refreshSession();
    }
    lastState = state;
  }
  if (!visible) return;
  pending = frame;
  if (fromState || (frame.events && frame.events.length)) {
    render(frame); // at once: a state change or an event is shown without delay
  } else if (!renderTimer) {
    renderTimer = setTimeout(() => {
      renderTimer = null;
      if (pending && visible) render(pending);
    }, RENDER_EVERY_MS);
  }
}

function render(frame) {
  const live = frame.loop_running !== false;
  const state = frame.state;
  setText($('#state-word'), stateLabel(state));
  $('#state-word').dataset.state = state || '';
  const showPhase = (state === 'treating' || state === 'releasing') && frame.phase && frame.phase !== 'done';
  setText($('#phase-word'), showPhase ? phaseLabel(frame.phase) : '');
  setText($('#force-value'), live ? formatForce(frame.force_N, { withUnit: false }) : '—');
  setText($('#setpoint-value'), ['pretension', 'treating', 'paused', 'releasing'].includes(state)
    ? formatForce(frame.setpoint_N, { withUnit: false }) : '—');
  const kg = session && session.weightKg;
  setText($('#force-bw'), live && kg && Number.isFinite(frame.force_N) ? `${((frame.force_N / (kg * NEWTONS_PER_KGF)) * 100).toFixed(0)} % of body weight` : '');
  const t = frame.t_s;
  const hasTime = state && state !== 'idle' && Number.isFinite(t);
  setText($('#time-elapsed'), hasTime ? formatDuration(t) : '—:——');
  setText($('#time-remaining'), hasTime && session && session.duration_s ? formatDuration(session.duration_s - t) : '—:——');
  // Without a loop the safety inputs are not read: neither good nor bad.
  const known = (v) => (live ? v : null);
  chip('#chip-switch', known(frame.switch_connected), 'Hand switch connected', 'Hand switch NOT connected');
  chip('#chip-press', known(frame.press_test), 'Press test passed', 'Press test needed');
  chip('#chip-estop', known(frame.estop_closed), 'E-stop chain closed', 'E-stop chain OPEN');
  renderControls(state);
  renderNotice(frame);
  renderGuardingLog();
}

// What a command that failed did not do, and what the table goes on doing meanwhile.
const COMMAND_NOT_DONE = {
  start: 'Start was not sent', pause: 'Pause was not sent', resume: 'Resume was not sent',
};
const COMMAND_LEAVES = {
  start: 'The session has not started.',
  pause: 'The pull goes on — press STOP to release it.',
  resume: 'The session stays paused.',
};

async function command(name) {
  if (name === 'start') {
    if (startPressedAt !== null && performance.now() - startPressedAt < START_SETTLE_MS) return;
    startPressedAt = performance.now();
    refusals = [];
  }
  commandError = null;
  const frame = telemetry.latestFrame();
  if (frame) renderControls(frame.state);
  renderNotice(frame);
  try {
    await api.command(name, session && session.id);
  } catch (e) {
    if (name === 'start') startPressedAt = null;
    // Said with what was not done and what that leaves the table doing: "The table cannot be
    // reached." beside a live "Treating" did not say that the pull goes on.
    const said = /[.!?]$/.test(e.message) ? e.message : `${e.message}.`;
    commandError = Object.assign(new Error(`${COMMAND_NOT_DONE[name] || 'Not done'}: ${said} ${COMMAND_LEAVES[name] || ''}`.trim()),
      { code: e.code, problems: e.problems });
    // The table has another session than this page showed (nothing was sent): show the table's.
    if (e.code === 'other-session') refreshSession();
    const latest = telemetry.latestFrame();
    if (latest) renderControls(latest.state);
    renderNotice(latest);
  }
}

async function unload() {
  commandError = null;
  try {
    await api.unloadSession();
    store.loaded = null;
    session = null;
    store.shownSessionId = null;
    renderSession();
    chart.clear();
    if (store.visitSession) goTo('course', store.visitSession.courseId);
    else goTo('protocols');
  } catch (e) {
    commandError = e;
    renderNotice(telemetry.latestFrame());
  }
}

// The plot is redrawn 10 times a second, not at every animation frame: a two-minute window
// moves by less than a pixel in 0.1 s, and the table's small computer has other work (a
// redraw of 6000 points at 60 Hz costs a good part of a core without a GPU).
const DRAW_EVERY_MS = 100;
let lastDraw = 0;

function drawLoop(now) {
  if (visible && now - lastDraw >= DRAW_EVERY_MS) {
    lastDraw = now;
    chart.draw();
  }
  requestAnimationFrame(drawLoop);
}

export function init({ go }) {
  goTo = go;
  chart = new LiveChart($('#live-chart'));
  ['#chip-switch', '#chip-press', '#chip-estop'].forEach((id) => { $(id).dataset.name = $(id).lastChild.textContent; });
  telemetry.onFrame((f) => onFrame(f));
  $('#cmd-start').addEventListener('click', () => command('start'));
  $('#cmd-pause').addEventListener('click', () => command('pause'));
  $('#cmd-resume').addEventListener('click', () => command('resume'));
  $('#cmd-unload').addEventListener('click', unload);
  $('#cmd-course').addEventListener('click', () => {
    if (store.visitSession) goTo('course', store.visitSession.courseId);
  });
  onUnitsChange(() => {
    setText($('#force-unit'), forceUnit());
    setText($('#setpoint-unit'), forceUnit());
    chart.dirty = true;
    renderSession();
    const f = telemetry.latestFrame();
    if (f) onFrame(f, true);
  });
  requestAnimationFrame(drawLoop);
  // For the end-to-end test: how much the live plot holds.
  window.tractusLiveChart = () => ({
    points: chart.length,
    maxForceN: chart.force.reduce((m, v) => (v !== null && v > m ? v : m), 0),
  });
}

export function enter() {
  visible = true;
  setText($('#force-unit'), forceUnit());
  setText($('#setpoint-unit'), forceUnit());
  session = store.loaded ? describeSession(store.loaded) : session;
  store.shownSessionId = session ? session.id : null;
  renderSession();
  renderControls(telemetry.latestFrame()?.state);
  refreshSession();
  const f = telemetry.latestFrame();
  if (f) onFrame(f, true);
  chart.dirty = true;
}

export function leave() {
  visible = false;
}
