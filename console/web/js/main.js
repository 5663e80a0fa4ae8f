// The console page: wires the header (STOP, simulator banner, connection, units), the alert
// panel, the login and the screens behind a hash router (#/treatment, #/tech/diagnostics …).

import { api, role, token, onAuthChange, logout, stop } from './api.js';
import { $, $$, setText, show } from './dom.js';
import { store } from './store.js';
import * as telemetry from './telemetry.js';
import { forceUnit, setForceUnit, onUnitsChange, useClinicDefaults } from './units.js';
import { initAlerts } from './alerts.js';
import { initGuarding } from './guarding.js';
import { armAudio } from './audio.js';
import { stateLabel } from './labels.js';
import * as login from './screens/login.js';
import * as protocols from './screens/protocols.js';
import * as patient from './screens/patient.js';
import * as screening from './screens/screening.js';
import * as treatment from './screens/treatment.js';
import * as sessions from './screens/sessions.js';
import * as tech from './screens/tech.js';
import * as patients from './screens/patients.js';
import * as course from './screens/course.js';
import * as clinic from './screens/clinic.js';

// name -> {module, role needed}
const SCREENS = {
  login: { module: login, role: null },
  protocols: { module: protocols, role: 'operator' },
  patient: { module: patient, role: 'operator' },
  screening: { module: screening, role: 'operator' },
  treatment: { module: treatment, role: 'operator' },
  sessions: { module: sessions, role: 'operator' },
  patients: { module: patients, role: 'operator' },
  course: { module: course, role: 'operator' },
  clinic: { module: clinic, role: 'technician' },
  tech: { module: tech, role: 'technician' },
};

// Screens reached from another's nav entry: the new session's steps, a patient's course.
const NAV_OF = { patient: 'protocols', screening: 'protocols', course: 'patients' };

let current = null; // {name, module}

function allowed(needed) {
  const r = role();
  if (!needed) return true;
  if (!r) return false;
  return needed === 'operator' || r === 'technician';
}

function parseHash() {
  const parts = location.hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  return { name: parts[0] || '', params: parts.slice(1) };
}

export function go(name, ...params) {
  const hash = `#/${[name, ...params].join('/')}`;
  if (location.hash === hash) route();
  else location.hash = hash;
}

// Goes to a hash such as '#/tech/diagnostics', routing again if the page is already there
// (after a login that was asked for on the way).
export function navigate(hash) {
  if (!hash || hash === '#/' || hash === '#') go('');
  else if (location.hash === hash) route();
  else location.hash = hash;
}

// Set when the default screen was chosen before any telemetry frame had come (right after a
// login): the first frame may show a session on the table, and then the treatment is the screen.
let defaultedWithoutFrame = false;

function defaultScreen() {
  const frame = telemetry.latestFrame();
  const loaded = store.loaded || (frame && frame.state && frame.state !== 'idle');
  defaultedWithoutFrame = !frame && !loaded;
  return loaded ? 'treatment' : 'protocols';
}

// Logging in while a session runs (a login that ended, another clinician's page) opened "New
// session" because no frame had come yet: the first frame corrects that, once, unless the user
// has gone elsewhere meanwhile.
function followTheFirstFrame(frame) {
  if (!defaultedWithoutFrame) return;
  defaultedWithoutFrame = false;
  if (frame.state && frame.state !== 'idle' && current && current.name === 'protocols') go('treatment');
}

function route() {
  let { name, params } = parseHash();
  if (!SCREENS[name]) name = token() ? defaultScreen() : 'login';
  const entry = SCREENS[name];
  if (!allowed(entry.role)) {
    // Technician screens for an operator: the PIN pad, preset to the technician role.
    login.prepare({ role: entry.role === 'technician' ? 'technician' : 'operator', then: location.hash });
    name = 'login';
  } else if (name === 'login' && token() && !login.wantsRoleChange()) {
    name = defaultScreen();
  }
  const next = SCREENS[name].module;
  if (current && current.module !== next && current.module.leave) current.module.leave();
  for (const n of Object.keys(SCREENS)) show($(`#screen-${n}`), n === name);
  $$('#nav a').forEach((a) => {
    // A course visit's screening belongs to the patients, not to a new session.
    const parent = name === 'screening' && store.draft.visit ? 'patients' : NAV_OF[name];
    const on = a.dataset.screen === name || parent === a.dataset.screen;
    if (on) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  });
  current = { name, module: next };
  next.enter(params);
}

function renderAuth() {
  const r = role();
  show($('#nav'), Boolean(r));
  show($('#who'), Boolean(r));
  setText($('#who-role'), r === 'technician' ? 'Technician' : r === 'operator' ? 'Operator' : '');
  if (r) telemetry.connect(token());
  else telemetry.disconnect();
}

// STOP works without a login and is never quiet about failing: a stop that got no answer says
// so until one is delivered (it is sent again every second, since the table may have been
// briefly out of reach), and Esc presses it, as its label says.
const STOP_RETRY_MS = 1000;
const STOP_RETRY_FOR_MS = 60000;

function initStop() {
  const button = $('#stop');
  const hint = $('#stop-hint');
  let resetTimer = null;
  let attempt = 0; // which press the sends belong to: a new press supersedes older retries
  const send = async (mine, firstTry) => {
    if (mine !== attempt) return;
    try {
      await stop();
      if (mine !== attempt) return;
      button.classList.remove('failed');
      setText(hint, 'stop sent');
      resetTimer = setTimeout(() => {
        button.classList.remove('sent');
        setText(hint, 'release the pull');
      }, 4000);
    } catch (e) {
      if (mine !== attempt) return;
      // The one failure that must never be quiet, nor go quiet by itself: it may not have
      // arrived (a timeout may have), so it stays until a send is answered.
      button.classList.add('failed');
      setText(hint, 'NOT CONFIRMED — use the E-stop');
      console.error('stop failed', e);
      if (performance.now() - firstTry < STOP_RETRY_FOR_MS)
        setTimeout(() => send(mine, firstTry), STOP_RETRY_MS);
    }
  };
  button.addEventListener('click', () => {
    armAudio();
    attempt += 1;
    clearTimeout(resetTimer);
    button.classList.add('sent');
    if (!button.classList.contains('failed')) setText(hint, 'stopping…');
    send(attempt, performance.now());
  });
  document.addEventListener('keydown', (e) => {
    if (e.key !== 'Escape' || e.repeat || e.isComposing) return; // not an input method's Esc
    e.preventDefault();
    button.click();
  });
}

function initUnits() {
  const buttons = $$('#force-units button');
  const render = () => buttons.forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.unit === forceUnit())));
  buttons.forEach((b) => b.addEventListener('click', () => setForceUnit(b.dataset.unit)));
  onUnitsChange(render);
  render();
}

function initConnection() {
  const conn = $('#conn');
  const text = $('#conn-text');
  const banner = $('#conn-lost');
  const render = (status) => {
    const labels = {
      offline: 'Not connected', connecting: 'Connecting…', live: 'Live',
      lost: 'Connection lost', stale: 'No data',
    };
    setText(text, labels[status] || status);
    conn.dataset.status = status;
    show(banner, Boolean(role()) && (status === 'lost' || status === 'stale'));
    document.body.classList.toggle('not-live', status !== 'live');
  };
  telemetry.onStatus(render);
  render(telemetry.connectionStatus());
}

function initTableState() {
  const chip = $('#table-state');
  telemetry.onFrame((f) => {
    followTheFirstFrame(f);
    setText(chip, stateLabel(f.state));
    chip.dataset.state = f.state || '';
  });
  telemetry.onStatus((s) => {
    if (s === 'offline') {
      setText(chip, '');
      chip.dataset.state = '';
    }
  });
}

async function loadInfo() {
  for (let attempt = 0; ; attempt += 1) {
    try {
      store.info = await api.info();
      break;
    } catch {
      await new Promise((r) => setTimeout(r, Math.min(5000, 500 * 2 ** attempt)));
    }
  }
  useClinicDefaults(store.info.display_units);
  const sim = Boolean(store.info.simulated);
  show($('#sim-banner'), sim);
  document.body.classList.toggle('simulated', sim);
  const version = store.info.version || store.info.software_version || '';
  $('.brand').title = [version && `tractus ${version}`, store.info.table].filter(Boolean).join(' — ');
}

function start() {
  initStop();
  initUnits();
  initConnection();
  initTableState();
  initAlerts();
  initGuarding();
  // A 401 here logs the page out (api.js), which stops the reconnecting.
  telemetry.onLoginDoubt(() => { api.state().catch(() => {}); });
  for (const { module } of Object.values(SCREENS)) if (module.init) module.init({ go, navigate });
  $('#logout').addEventListener('click', () => logout());
  $$('[data-go]').forEach((b) => b.addEventListener('click', () => go(b.dataset.go)));
  armAudio(); // a kiosk's autoplay policy lets it run now; elsewhere the first gesture resumes it
  document.addEventListener('pointerdown', armAudio, { once: true });
  document.addEventListener('keydown', armAudio, { once: true });
  onAuthChange((r, why) => {
    renderAuth();
    if (!r) {
      store.loaded = null;
      login.prepare({ message: why });
      go('login');
    }
  });
  window.addEventListener('hashchange', route);
  renderAuth();
  loadInfo();
  route();
  document.body.classList.add('ready');
}

start();
