// Past sessions from the journals, newest first; one session's summary, force curve and events.

import { api } from '../api.js';
import { $, h, replace, problemList } from '../dom.js';
import { curveChart } from '../chart.js';
import { formatForce, formatDuration, fromNewtons, forceUnit } from '../units.js';
import { pick, when, kvTable, outcomeText } from '../format.js';
import { store, profileById } from '../store.js';
import { guardingSummary } from '../guarding.js';

let chart = null;
let selected = null;

function rowOf(s) {
  return {
    id: pick(s, 'id', 'session_id', 'session'),
    started: pick(s, 'started_utc', 'started', 'start', 'time'),
    patient: pick(s, 'patient_id', 'patient.id', 'patient'),
    profile: pick(s, 'profile_name', 'profile.name', 'profile_id', 'profile.id', 'profile'),
    outcome: pick(s, 'outcome', 'summary.outcome', 'result'),
    duration: pick(s, 'duration_s', 'summary.duration_s', 'treatment_s'),
    code: pick(s, 'code'),
    source: pick(s, 'source'),
    simulated: pick(s, 'simulated'),
    problems: pick(s, 'problems'),
    last: pick(s, 'last'),
    unreadable: pick(s, 'unreadable'),
    guarding: pick(s, 'guarding'),
  };
}

function outcomeBad(r) {
  return (r.code && r.code >= 200) || r.outcome === 'interrupted' || r.outcome === 'unreadable';
}

function renderList(list) {
  const box = $('#sessions-list');
  if (!list.length) {
    replace(box, h('p', { class: 'note' }, 'No sessions yet.'));
    return;
  }
  replace(box, list.map((s) => {
    const r = rowOf(s);
    return h('button', {
      type: 'button', class: 'row', role: 'listitem', 'aria-current': String(r.id === selected),
      dataset: { id: r.id }, onclick: () => openSession(r.id),
    },
    h('span', { class: 'row-main' }, typeof r.profile === 'object' ? r.profile.name || r.profile.id
      : (profileById(r.profile) || {}).name || r.profile || r.id),
    h('span', { class: 'row-meta' }, [when(r.started), r.patient && `patient ${typeof r.patient === 'object' ? r.patient.id : r.patient}`,
      typeof r.duration === 'number' ? formatDuration(r.duration) : null, r.simulated ? 'simulator' : null,
      r.guarding && r.guarding.events > 0 ? `guarding ×${r.guarding.events}` : null].filter(Boolean).join(' · ')),
    h('span', { class: `row-outcome${outcomeBad(r) ? ' bad-text' : ''}` }, outcomeText(r)));
  }));
}

// The force curve of a session: [[t, N], …] or samples {t, setpoint_N, force_N} or [[t, sp, f], …].
function curveOf(d) {
  const c = pick(d, 'curve', 'force_curve', 'samples', 'points');
  if (!Array.isArray(c) || !c.length) return null;
  if (Array.isArray(c[0])) {
    if (c[0].length >= 3) return { force: c.map((p) => [p[0], p[2]]), setpoint: c.map((p) => [p[0], p[1]]) };
    return { force: c, setpoint: null };
  }
  const t = (p) => p.t_s ?? p.t ?? p.time_s;
  return {
    force: c.map((p) => [t(p), p.force_N ?? p.measured_N ?? p.force]),
    setpoint: c.some((p) => p.setpoint_N !== undefined) ? c.map((p) => [t(p), p.setpoint_N]) : null,
  };
}

async function openSession(id) {
  selected = id;
  document.querySelectorAll('#sessions-list .row').forEach((b) => b.setAttribute('aria-current', String(b.dataset.id === id)));
  const box = $('#session-detail');
  replace(box, h('p', { class: 'note' }, 'Loading…'));
  if (chart) chart.destroy();
  chart = null;
  try {
    const d = await api.session(id);
    const header = d.header || {};
    const summary = d.summary || {};
    const peak = pick(summary, 'peak_force_n', 'peak_force_N');
    const inState = summary.seconds_in_state || {};
    const treated = ['pretension', 'treating', 'paused', 'releasing'].reduce((a, k) => a + (inState[k] || 0), 0);
    const mass = pick(header, 'patient.body_mass_kg');
    const events = Array.isArray(d.events) ? d.events : [];
    const chartBox = h('div', { class: 'session-chart' });
    replace(box,
      h('h2', {}, pick(header, 'profile.as_run.name', 'profile.name', 'profile.as_run.id', 'profile.id') || id),
      h('div', { class: 'kv-pair' }, kvTable({
        session: id,
        patient: pick(header, 'patient.id', 'patient_id'),
        weight: typeof mass === 'number' ? `${mass.toFixed(1)} kg` : undefined,
        started: when(pick(header, 'started_utc', 'started')),
        outcome: d.summary ? [pick(summary, 'outcome'), summary.code ? `${summary.code} ${summary.fault || ''}` : null].filter(Boolean).join(' — ')
          : outcomeText({ outcome: d.outcome, last: d.last, unreadable: d.unreadable }),
        'peak force': typeof peak === 'number' ? formatForce(peak) : undefined,
        'time with torque': treated ? formatDuration(treated) : undefined,
        'hold error (RMS)': summary.hold_rms_error_n > 0 ? `${fromNewtons(summary.hold_rms_error_n).toFixed(2)} ${forceUnit()}` : undefined,
        // A journal from before the guarding detector has no such block: nothing shown.
        'muscle guarding': guardingSummary(summary.guarding) || undefined,
        table: pick(header, 'table.description', 'table.address', 'table.kind'),
        problems: Array.isArray(d.problems) && d.problems.length ? d.problems.join('; ') : undefined,
      })),
      chartBox,
      h('h3', {}, 'Events'),
      events.length ? h('ol', { class: 'events' }, events.map((e) => h('li', {},
        h('span', { class: 'event-time' }, typeof e.t === 'number' ? formatDuration(e.t) : typeof e.t_s === 'number' ? formatDuration(e.t_s) : ''),
        ' ', h('span', { class: 'event-kind' }, e.event || e.kind || ''),
        e.code ? h('span', { class: 'code' }, String(e.code)) : null,
        ' ', e.fault || e.name || e.state || '', e.detail && e.detail !== e.state ? ` — ${e.detail}` : '',
        typeof e.size_n === 'number' ? ` (≈ ${formatForce(e.size_n)})` : ''))) : h('p', { class: 'note' }, 'No events.'));
    const curve = curveOf(d);
    if (curve) chart = curveChart(chartBox, curve.force, { second: curve.setpoint });
    else chartBox.replaceWith(h('p', { class: 'note' }, 'No force curve in this journal.'));
  } catch (e) {
    replace(box, problemList(e));
  }
}

export function init() {}

export async function enter() {
  replace($('#sessions-list'), h('p', { class: 'note' }, 'Loading…'));
  try {
    if (!store.profiles) {
      const p = await api.profiles().catch(() => null);
      if (p) store.profiles = Array.isArray(p) ? p : p.profiles || [];
    }
    const r = await api.sessions();
    renderList(Array.isArray(r) ? r : r.sessions || []);
  } catch (e) {
    replace($('#sessions-list'), problemList(e));
  }
}

export function leave() {
  if (chart) chart.destroy();
  chart = null;
}
