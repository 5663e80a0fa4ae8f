// The calibration wizard (docs/calibration.md): begin with the cell's serial, the technician and
// the reference loads; take a stable reading at each load of the plan (up to the span and back
// down, for each cycle); finish to see the fit and its acceptance figures; install a passed
// record. The record in force is shown beside it.

import { api } from '../../api.js';
import { h, replace, problemList } from '../../dom.js';
import { when } from '../../format.js';

let root = null;
let begun = null; // POST begin's answer (plan, cycles, capacity)
let step = null; // the next step {number, count, cycle, direction, load_N, instruction}
let done = false; // every reading taken
let points = []; // readings taken this run
let result = null; // POST finish's answer
let installed = null;
let error = null;
let status = null;
let busy = false;
const form = { serial: '', technician: '', loads: '0, 200, 400, 600, 800, 1000', cycles: '2' };

async function call(fn) {
  if (busy) return;
  busy = true;
  error = null;
  render();
  try {
    await fn();
  } catch (e) {
    error = e;
  } finally {
    busy = false;
    render();
  }
}

function reset() {
  begun = null;
  step = null;
  done = false;
  points = [];
  result = null;
}

function parseLoads(text) {
  const loads = text.split(/[,\s]+/).filter(Boolean).map(Number);
  return loads.length && loads.every((n) => Number.isFinite(n) && n >= 0) ? loads : null;
}

function begin() {
  const loads = parseLoads(form.loads);
  if (!loads) {
    error = { message: 'Reference loads: newtons separated by commas, ascending from 0, e.g. 0, 200, 400, 600, 800, 1000.' };
    render();
    return;
  }
  call(async () => {
    const r = await api.calibrationBegin({
      serial: form.serial.trim(), technician: form.technician.trim(), loads_N: loads, cycles: Number(form.cycles) || 2,
    });
    reset();
    installed = null;
    begun = r;
    step = r.next || null;
    done = !step;
  });
}

function take(load) {
  call(async () => {
    const r = await api.calibrationReading({ load_N: load });
    if (r.point) points.push(r.point);
    step = r.next || null;
    done = Boolean(r.done) || !step;
    loadStatus();
  });
}

function figureList(lines) {
  return h('ul', { class: 'summary-lines' }, (lines || []).map((l) => h('li', { class: /FAILED|fail/.test(l) ? 'bad-text' : '' }, l)));
}

function beginView() {
  const field = (label, key, attrs = {}) => h('div', { class: 'field-row' }, h('label', { for: `cal-${key}` }, label),
    h('input', { type: 'text', id: `cal-${key}`, value: form[key], oninput: (e) => { form[key] = e.target.value; }, ...attrs }));
  return h('div', { class: 'wizard' },
    installed ? h('div', { class: 'verdict-tile ok small' }, `Installed: ${installed.id || 'new calibration'} — in force until ${when(installed.expires_utc)}`) : null,
    h('p', {}, 'Take the harness off the cable and hang the empty hanger on the load cell. The loads go up to the span and back down, for each cycle.'),
    field('Load-cell serial', 'serial', { placeholder: 'as on the label', autocomplete: 'off', spellcheck: 'false' }),
    field('Technician', 'technician', { placeholder: 'name or staff id', autocomplete: 'off' }),
    field('Reference loads (N)', 'loads', { inputmode: 'decimal', size: 28 }),
    field('Cycles', 'cycles', { inputmode: 'numeric', size: 3 }),
    h('div', { class: 'field-row' }, h('button', { type: 'button', class: 'primary', id: 'cal-begin', disabled: busy, onclick: begin }, 'Begin calibration')));
}

function stepView() {
  const load = step ? step.load_N : null;
  const input = h('input', { type: 'text', inputmode: 'decimal', id: 'cal-load', value: load ?? '', size: 8, 'aria-label': 'Load on the cell in newtons' });
  const last = points[points.length - 1];
  return h('div', { class: 'wizard' },
    begun && begun.plan ? h('p', { class: 'note' }, `Plan ${begun.plan}, ${begun.cycles} cycles${begun.table ? ` · ${begun.table}` : ''}`) : null,
    step ? h('div', { class: 'wizard-progress' }, `Step ${step.number} of ${step.count} · cycle ${step.cycle} · ${step.direction}`) : null,
    done
      ? h('p', { class: 'big-instruction' }, 'Every reading is taken. Finish to compute the fit and its acceptance figures.')
      : h('p', { class: 'big-instruction' }, `${step.load_N} N — ${step.instruction || 'hang the load, then take the reading'}`),
    done ? null : h('div', { class: 'field-row' }, h('label', { for: 'cal-load' }, 'Load on the cell (N)'), input,
      h('button', { type: 'button', class: 'primary', id: 'cal-take', disabled: busy, onclick: () => take(Number(input.value)) }, busy ? 'Reading…' : 'Take reading')),
    last ? h('p', { class: 'note' }, `${points.length} reading${points.length > 1 ? 's' : ''} taken; last: ${last.load_N} N → ${last.counts} counts (σ ${Number(last.sigma_counts).toFixed(1)}, ${last.samples} samples).`) : null,
    h('div', { class: 'field-row' },
      done ? h('button', { type: 'button', class: 'primary', id: 'cal-finish', disabled: busy, onclick: () => call(async () => { result = await api.calibrationFinish(); loadStatus(); }) }, 'Finish') : null,
      h('button', { type: 'button', class: 'secondary', id: 'cal-cancel', disabled: busy, onclick: () => call(async () => { await api.calibrationCancel(); reset(); loadStatus(); }) }, 'Cancel calibration')));
}

function resultView() {
  const pass = Boolean(result.accepted);
  return h('div', { class: 'wizard' },
    h('div', { class: `verdict-tile ${pass ? 'ok' : 'bad'}`, id: 'cal-verdict' }, pass ? 'PASSED — ready to install' : 'FAILED acceptance'),
    figureList(result.summary),
    (result.failures || []).length ? h('ul', { class: 'problems' }, result.failures.map((f) => h('li', {}, f))) : null,
    result.message ? h('p', { class: 'note' }, result.message) : null,
    h('div', { class: 'field-row' },
      pass ? h('button', { type: 'button', class: 'primary', id: 'cal-install', disabled: busy, onclick: () => call(async () => {
        installed = await api.calibrationInstall();
        reset();
        loadStatus();
      }) }, 'Install this calibration') : null,
      h('button', { type: 'button', class: 'secondary', disabled: busy, onclick: () => call(async () => { await api.calibrationCancel(); reset(); loadStatus(); }) }, pass ? 'Discard' : 'Close')));
}

function statusView() {
  if (!status) return h('p', { class: 'note' }, 'Loading…');
  if (status.error) return problemList(status.error);
  const v = status.latest_verification;
  return h('div', {},
    h('div', { class: `verdict-tile ${status.in_force ? 'ok' : 'bad'}` }, status.in_force ? 'In force' : 'NOT in force'),
    status.why_not ? h('p', { class: 'bad-text' }, status.why_not) : null,
    status.sessions_use ? h('p', { class: 'note' }, `Sessions use ${status.sessions_use}.`) : null,
    status.expires_utc ? h('p', {}, `Expires ${when(status.expires_utc)}`) : null,
    status.summary ? figureList(status.summary) : null,
    h('h3', {}, 'Latest verification'),
    v ? h('p', { class: v.passed ? 'ok-text' : 'bad-text' }, `${when(v.time_utc)} · ${v.technician} · ${v.text}`) : h('p', { class: 'note' }, 'None since this calibration.'));
}

async function loadStatus() {
  try {
    status = await api.calibration();
    // A wizard left under way (another page, a reload) carries on here.
    const w = status.wizard;
    if (w && !step && !result && !done) {
      step = w.next || null;
      done = !w.next;
    }
  } catch (e) {
    status = { error: e };
  }
  render();
}

function render() {
  if (!root) return;
  replace(root, h('div', { class: 'split wide-left' },
    h('div', { class: 'panel scroll' }, h('h2', {}, 'Calibration wizard'),
      result ? resultView() : step || done ? stepView() : beginView(),
      error ? problemList(error) : null),
    h('div', { class: 'panel scroll' }, h('h2', {}, 'Calibration in force'), statusView())));
}

export function enter(node) {
  root = node;
  render();
  loadStatus();
}

export function leave() {
  root = null;
}

