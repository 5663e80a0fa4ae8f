// Reading and showing JSON whose exact shape the page does not depend on (journals,
// diagnostics): pick the first field present, format times, render key/value tables.

import { h } from './dom.js';
import { formatForce } from './units.js';

// pick(obj, 'a.b', 'c'): the first of these paths that has a value.
export function pick(obj, ...paths) {
  for (const path of paths) {
    let v = obj;
    for (const key of path.split('.')) {
      if (v === null || v === undefined || typeof v !== 'object') { v = undefined; break; }
      v = v[key];
    }
    if (v !== undefined && v !== null && v !== '') return v;
  }
  return undefined;
}

// An ISO date or a Unix time (s or ms) as a local date and time.
export function when(value) {
  if (value === undefined || value === null || value === '') return '';
  let d;
  if (typeof value === 'number') d = new Date(value > 1e12 ? value : value * 1000);
  else d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  return d.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

export function humanKey(key) {
  return String(key)
    .replace(/_mm_s$/, ' (mm/s)').replace(/_mm$/, ' (mm)').replace(/_[Nn]$/, ' (N)').replace(/_ms$/, ' (ms)')
    .replace(/_us$/, ' (µs)').replace(/_s$/, ' (s)').replace(/current_a$/, 'current (A)').replace(/_kg$/, ' (kg)')
    .replace(/_pct$/, ' (%)').replace(/_/g, ' ');
}

export function value(v) {
  if (v === true) return 'yes';
  if (v === false) return 'no';
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return Number.isInteger(v) ? v.toLocaleString('en-US') : String(Math.round(v * 1000) / 1000);
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : value(x))).join(', ');
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

// A two-column table of the entries that have a value.
export function kvTable(obj, { human = false } = {}) {
  const rows = Object.entries(obj).filter(([, v]) => v !== undefined && v !== '');
  return h('table', { class: 'kv' }, h('tbody', {}, rows.map(([k, v]) => {
    const text = value(v);
    return h('tr', {}, h('th', { scope: 'row' }, human ? humanKey(k) : k), h('td', { class: text.length > 14 ? 'long' : '' }, text));
  })));
}

// Nested objects as nested tables (diagnostics): one level of sub-tables, deeper as JSON.
export function kvDeep(obj) {
  const rows = Object.entries(obj || {});
  return h('table', { class: 'kv' }, h('tbody', {}, rows.map(([k, v]) => {
    const cell = v && typeof v === 'object' && !Array.isArray(v) ? kvTable(v, { human: true }) : value(v);
    return h('tr', {}, h('th', { scope: 'row' }, humanKey(k)), h('td', {}, cell));
  })));
}

// How a session ended, in a few words: an interrupted one (crash mid-session) with what its
// journal last recorded, an unreadable one with why.
export function outcomeText(r) {
  if (r.outcome === 'interrupted') {
    const l = r.last || {};
    return ['interrupted', l.state, typeof l.force_N === 'number' ? `last ${formatForce(l.force_N)}` : null]
      .filter(Boolean).join(' — ');
  }
  if (r.outcome === 'unreadable') return `unreadable: ${r.unreadable || 'no reason given'}`;
  if (r.outcome === 'in-progress') return 'in progress';
  return r.outcome ? `${r.outcome}${r.code ? ` (${r.code})` : ''}` : 'not finished';
}
