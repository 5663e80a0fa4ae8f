// Diagnostics, refreshed every second: raw load-cell counts and status, safety inputs, drive
// status, loop timing (period error p50/p99/p99.9, overruns), Modbus statistics; and the
// telemetry latency measured by this page.

import { api } from '../../api.js';
import { h, replace, problemList } from '../../dom.js';
import { kvTable, humanKey, value } from '../../format.js';
import { telemetryStats } from '../../telemetry.js';

let timer = null;
let root = null;
let busy = false;

// Sections in the order a technician reads them; anything else the server adds follows.
const TITLES = {
  load_cell: 'Load cell',
  safety: 'Safety inputs',
  drive: 'Drive',
  loop: 'Control loop timing',
  modbus: 'Modbus',
  table: 'Table',
};

// The order a technician reads each device's fields in; fields not listed follow.
const ORDER = {
  load_cell: ['io', 'raw_counts', 'sample_counter', 'adc_ok', 'overload', 'excitation_fault', 'age_ms'],
  safety: ['io', 'estop_chain_closed', 'patient_switch_connected', 'patient_switch', 'patient_switch_a', 'patient_switch_b', 'table_locked', 'age_ms'],
  drive: ['io', 'ready', 'operation_enabled', 'fault', 'fault_code', 'sto_active', 'watchdog_armed', 'cable_position_mm', 'cable_speed_mm_s', 'motor_current_a', 'age_ms'],
};

// Values that mean something is wrong, shown in red.
const BAD = {
  io: (v) => v !== 'ok',
  adc_ok: (v) => v === false,
  overload: (v) => v === true,
  excitation_fault: (v) => v === true,
  estop_chain_closed: (v) => v === false,
  patient_switch_connected: (v) => v === false,
  patient_switch: (v) => v === 'discrepant',
  fault: (v) => v === true,
  fault_code: (v) => typeof v === 'number' && v !== 0,
  sto_active: (v) => v === true,
  watchdog_armed: (v) => v === false,
  timeouts: (v) => v > 0,
  exceptions: (v) => v > 0,
  bad_replies: (v) => v > 0,
  disconnects: (v) => v > 0,
};

function deviceTable(key, obj) {
  const order = ORDER[key] || [];
  const keys = [...order.filter((k) => k in obj), ...Object.keys(obj).filter((k) => !order.includes(k))];
  return h('table', { class: 'kv' }, h('tbody', {}, keys.map((k) => h('tr', {},
    h('th', { scope: 'row' }, humanKey(k)),
    h('td', { class: BAD[k] && BAD[k](obj[k]) ? 'bad-text' : '' }, value(obj[k]))))));
}

function card(title, body, key = '') {
  return h('div', { class: `card diag-${key}` }, h('h3', {}, title), body);
}

function flatTable(obj) {
  const flat = {};
  const subs = [];
  for (const [k, x] of Object.entries(obj)) {
    if (x && typeof x === 'object' && !Array.isArray(x)) subs.push([k, x]);
    else flat[k] = x;
  }
  return h('div', {}, kvTable(flat, { human: true }),
    subs.map(([k, x]) => h('div', { class: 'sub' }, h('h4', {}, humanKey(k)), kvTable(x, { human: true }))));
}

function loopCard(loop, of) {
  if (!loop) return card(TITLES.loop, h('p', { class: 'note' }, 'No loop has run since the server started.'), 'loop');
  const e = loop.period_error_ms || {};
  const ms = (v) => (typeof v === 'number' ? `${v.toFixed(3)} ms` : '—');
  const num = (v) => (typeof v === 'number' ? v.toFixed(3) : '—');
  return card(TITLES.loop, h('div', {},
    h('p', { class: 'tiles-caption' }, 'Period error (wake-up lateness), ms'),
    h('div', { class: 'tiles' },
      h('div', { class: 'tile' }, h('span', { class: 'figure-label' }, 'p50'), h('span', { class: 'figure-value', id: 'loop-p50' }, num(e.p50))),
      h('div', { class: 'tile' }, h('span', { class: 'figure-label' }, 'p99'), h('span', { class: 'figure-value', id: 'loop-p99' }, num(e.p99))),
      h('div', { class: 'tile' }, h('span', { class: 'figure-label' }, 'p99.9'), h('span', { class: 'figure-value' }, num(e.p99_9)))),
    kvTable({
      'period': ms(loop.period_ms),
      'cycles': loop.cycles,
      'overruns': loop.overruns,
      'worst lateness': ms(loop.worst_lateness_ms),
      'session': of,
    })), 'loop');
}

function telemetryCard(serverDropped) {
  const s = telemetryStats();
  const ms = (v) => (v === null ? '—' : `${v.toFixed(1)} ms`);
  return card('Telemetry to this page', kvTable({
    'latency p50': ms(s.p50),
    'latency p99': ms(s.p99),
    'latency max': ms(s.max),
    'frames measured': s.count,
    'frames dropped': s.dropped,
    'dropped by the server': serverDropped,
  }), 'telemetry');
}

function render(d) {
  const devices = d.devices || {};
  const cards = [loopCard(d.loop, d.loop_of)];
  for (const key of ['load_cell', 'safety', 'drive']) {
    if (devices[key]) cards.push(card(TITLES[key], deviceTable(key, devices[key]), key));
  }
  if (!d.devices) cards.push(card('Devices', h('p', { class: 'bad-text' }, d.devices_error || 'The devices cannot be read now.'), 'devices'));
  cards.push(telemetryCard(d.telemetry_frames_dropped));
  cards.push(card(TITLES.modbus, d.modbus ? deviceTable('modbus', d.modbus) : h('p', { class: 'note' }, 'In-process simulator: no Modbus link.'), 'modbus'));
  if (d.table) cards.push(card(TITLES.table, flatTable(d.table), 'table'));
  const known = new Set(['devices', 'devices_source', 'devices_error', 'loop', 'loop_of', 'modbus', 'table', 'telemetry_frames_dropped']);
  for (const [k, v] of Object.entries(d)) {
    if (known.has(k)) continue;
    cards.push(card(humanKey(k), v && typeof v === 'object' ? flatTable(v) : h('p', { class: 'big-value' }, value(v)), k));
  }
  const stamp = h('p', { class: 'note updated' },
    `Updated ${new Date().toLocaleTimeString()} · every second${d.devices_source ? ` · devices ${d.devices_source}` : ''}`);
  replace(root, h('div', { class: 'cards', id: 'diagnostics-cards' }, cards), stamp);
}

async function refresh() {
  if (busy || !root) return;
  busy = true;
  try {
    const d = await api.diagnostics();
    if (root) render(d);
  } catch (e) {
    if (root) replace(root, problemList(e), h('div', { class: 'cards' }, telemetryCard()));
  } finally {
    busy = false;
  }
}

export function enter(node) {
  root = node;
  if (!root.firstChild) replace(root, h('p', { class: 'note' }, 'Loading…'));
  refresh();
  clearInterval(timer);
  timer = setInterval(refresh, 1000);
}

export function leave() {
  clearInterval(timer);
  timer = null;
  root = null;
}
