// One course (#/course/ID): its plan, the progression chart (each visit's confirmed and peak
// force, pain before and after), the next visit — the force the rule proposes with its reason,
// confirmed or adjusted by the clinician, the pain before, then the screening and the session
// loaded for the visit — the pain after and a note once a visit's session has ended, the visits
// and the reports.

import { api, records } from '../api.js';
import { $, h, replace, show } from '../dom.js';
import { store } from '../store.js';
import { progressionChart } from '../chart.js';
import { when } from '../format.js';
import {
  formatForce, forceUnit, fromNewtons, quantity, weightUnit, kgToWeight, onUnitsChange,
} from '../units.js';
import { errorBox, downloadLinks, painPicker, isUnavailable } from '../records-ui.js';
import {
  ensureProfiles, protocolName, weightText, sessionOutcome, outcomeClass, sessionDownloads,
} from './patients.js';

let goTo = () => {};
let courseId = null;
let data = null; // {course, patient, loadedSession}
let chart = null;
let visible = false;
let pollTimer = null;
let loadSeq = 0;
// What the clinician has entered so far, kept across a refresh of the screen.
const entry = { forceText: null, forceFor: null, painBefore: null, painAfter: null, note: null, noteFor: null };

function resetEntry() {
  Object.assign(entry, { forceText: null, forceFor: null, painBefore: null, painAfter: null, note: null, noteFor: null });
}

const capitalised = (t) => (t ? t.charAt(0).toUpperCase() + t.slice(1) : '');

// ---------- the next visit ----------

function nextPanel(course, patient) {
  const next = course.next || {};
  const panel = h('div', { class: 'panel next-visit', id: 'next-visit' });
  if (course.closed_utc) {
    replace(panel, h('h2', {}, 'No more visits'), h('p', {}, `This course was closed on ${when(course.closed_utc)}.`));
    return panel;
  }
  if (next.none) {
    replace(panel, h('h2', {}, 'No more visits'), h('p', { id: 'next-none' }, capitalised(next.none) + '.'),
      h('p', { class: 'note' }, `Start a new course on `, h('a', { href: `#/patients/${encodeURIComponent(patient.id)}` }, `patient ${patient.id}`), ' to go on.'));
    return panel;
  }
  const unit = forceUnit();
  const proposed = formatForce(next.force_n, { withUnit: false });
  const key = `${course.id}/${next.visit}/${next.force_n}/${unit}`;
  if (entry.forceFor !== key) {
    entry.forceText = proposed;
    entry.forceFor = key;
  }
  const input = h('input', {
    id: 'next-force', type: 'text', inputmode: 'decimal', maxlength: '8', value: entry.forceText,
    'aria-describedby': 'next-force-hint next-force-problems',
  });
  input.addEventListener('input', () => { entry.forceText = input.value; });
  const pending = (course.visits || []).find((v) => v.session && v.pain_after === null && !onTable(v));
  replace(panel,
    h('h2', {}, `Visit ${next.visit} of ${course.visits_planned}`),
    pending ? h('p', { class: 'hint-box' }, `Visit ${pending.number}’s pain after is not recorded yet: record it above first. Until then the rule holds the force.`) : null,
    h('div', { class: `proposal${next.raised ? ' raised' : ''}` },
      h('span', { class: 'figure-label' }, 'Proposed force'),
      h('span', { class: 'figure-value', id: 'next-proposed' }, formatForce(next.force_n)),
      h('p', { class: 'why', id: 'next-why' }, capitalised(next.why))),
    h('label', { for: 'next-force', class: 'field-label' }, 'Force for this visit'),
    h('div', { class: 'force-row' }, input, h('span', { class: 'unit-label' }, unit),
      h('span', { class: 'note', id: 'next-force-hint' }, `confirm the proposal or adjust it; at most ${formatForce(course.ceiling_n)}, the course’s ceiling`)),
    h('div', { class: 'field-error', id: 'next-force-problems', hidden: true }),
    painPicker({ label: 'Pain before the treatment (0–10)', id: 'pain-before', value: entry.painBefore, onChange: (v) => { entry.painBefore = v; } }),
    h('div', { class: 'field-error', id: 'pain-before-problems', hidden: true }),
    h('div', { id: 'next-problems' }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'primary', id: 'next-go', onclick: () => confirmNext(course, patient) }, 'Confirm force · Next: screening')));
  return panel;
}

function fieldProblem(id, text) {
  const node = $(`#${id}-problems`);
  if (!node) return;
  replace(node, text ? h('ul', { class: 'field-problems' }, h('li', {}, text)) : null);
  node.hidden = !text;
}

async function confirmNext(course, patient) {
  const next = course.next;
  const unit = forceUnit();
  const text = $('#next-force').value.trim().replace(',', '.');
  fieldProblem('next-force', null);
  fieldProblem('pain-before', null);
  replace($('#next-problems'));
  let bad = false;
  const value = Number(text);
  if (!/^\d+(\.\d+)?$/.test(text) || !(value > 0)) {
    fieldProblem('next-force', `Enter the force for this visit in ${unit} (a number).`);
    bad = true;
  } else if (value / fromNewtons(1, unit) > course.ceiling_n + 0.05) {
    fieldProblem('next-force', `${text} ${unit} is above the course’s ceiling, ${formatForce(course.ceiling_n)}: the force may be at most that.`);
    bad = true;
  }
  if (entry.painBefore === null) {
    fieldProblem('pain-before', 'Ask the patient for their pain before the treatment, 0 to 10.');
    bad = true;
  }
  if (bad) return;
  const button = $('#next-go');
  button.disabled = true;
  try {
    // The proposal untouched is sent as the server gave it, in newtons: a figure rounded to
    // the unit shown would move the next visit's proposal by the rounding.
    const force = text === formatForce(next.force_n, { withUnit: false }) ? quantity(next.force_n, 'N', 3) : `${text} ${unit}`;
    let visit;
    try {
      visit = (await records.confirmVisit(course.id, force)).visit;
    } catch (e) {
      if (e.status === 422 && !isUnavailable(e)) {
        fieldProblem('next-force', `Refused: ${e.message}`);
        return;
      }
      throw e;
    }
    await records.pain(visit.id, 'before', entry.painBefore);
    const mass = patient.body_mass_kg;
    store.draft.profileId = course.protocol;
    store.draft.patientId = patient.id;
    store.draft.weight = Math.round(kgToWeight(mass, weightUnit()) * 10) / 10;
    store.draft.preview = null;
    store.draft.visit = {
      id: visit.id, number: visit.number, courseId: course.id, forceN: visit.confirmed_force_n,
      weightText: quantity(mass, 'kg', 3),
    };
    resetEntry();
    goTo('screening');
  } catch (e) {
    replace($('#next-problems'), errorBox(e, { retry: load }));
  } finally {
    button.disabled = false;
  }
}

// ---------- after a visit ----------

// The visit's session is the one loaded on the table now (not yet over).
function onTable(v) {
  return Boolean(data && data.loadedSession && v.session && data.loadedSession.id === v.session);
}

function afterPanel(course, v) {
  if (onTable(v)) {
    return h('div', { class: 'panel after-visit', id: 'after-visit' },
      h('h2', {}, `Visit ${v.number} is on the table`),
      h('p', {}, 'Its session is loaded or running. Record the pain after once it has ended.'),
      h('a', { href: '#/treatment', class: 'button primary' }, 'Go to the treatment'));
  }
  if (!v.result) {
    // Ended, not yet indexed (a few seconds), or unloaded before its start (then the visit is
    // freed when indexed): the pain after is asked once the records say how it went.
    return h('div', { class: 'panel after-visit waiting', id: 'after-visit' },
      h('h2', {}, `Visit ${v.number}: adding its session to the records…`),
      h('p', { class: 'note' }, 'This takes a few seconds after a session ends. The pain after is asked here then.'));
  }
  if (entry.noteFor !== v.id) {
    entry.noteFor = v.id;
    entry.note = v.note || '';
    entry.painAfter = null;
  }
  const r = v.result;
  const note = h('textarea', { id: 'visit-note', rows: '3', maxlength: '2000', placeholder: 'How the visit went (optional): nothing that names the patient.' });
  note.value = entry.note;
  note.addEventListener('input', () => { entry.note = note.value; });
  return h('div', { class: 'panel after-visit', id: 'after-visit', dataset: { visit: String(v.id) } },
    h('h2', {}, `After visit ${v.number}`),
    h('p', {}, [`The session ${sessionOutcome(r)}`, typeof r.peak_force_n === 'number' ? `, peak ${formatForce(r.peak_force_n)}` : '',
      ` (confirmed ${formatForce(v.confirmed_force_n)}).`].join('')),
    painPicker({ label: 'Pain after the treatment (0–10)', id: 'pain-after', value: entry.painAfter, onChange: (s) => { entry.painAfter = s; } }),
    h('div', { class: 'field-error', id: 'pain-after-problems', hidden: true }),
    h('label', { for: 'visit-note', class: 'field-label' }, 'Note on the visit'),
    note,
    h('div', { id: 'after-problems' }),
    h('div', { class: 'form-actions' },
      h('button', { type: 'button', class: 'primary', id: 'after-save', onclick: () => saveAfter(v) }, 'Save pain after and note')));
}

async function saveAfter(v) {
  fieldProblem('pain-after', null);
  replace($('#after-problems'));
  if (entry.painAfter === null) {
    fieldProblem('pain-after', 'Ask the patient for their pain after the treatment, 0 to 10.');
    return;
  }
  const button = $('#after-save');
  button.disabled = true;
  try {
    await records.pain(v.id, 'after', entry.painAfter);
    const note = (entry.note || '').trim();
    if (note && note !== (v.note || '')) await records.note(v.id, note);
    if (store.visitSession && store.visitSession.visitId === v.id) store.visitSession = null;
    entry.noteFor = null;
    await load();
  } catch (e) {
    replace($('#after-problems'), errorBox(e, { retry: load }));
    button.disabled = false;
  }
}

// ---------- the visits ----------

function visitOutcome(v) {
  if (v.result) return h('span', { class: outcomeClass(v.result) }, sessionOutcome(v.result));
  if (onTable(v)) return h('span', { class: 'warn-text' }, 'on the table now');
  if (v.session) return h('span', { class: 'note' }, 'ended; being added to the records');
  return h('span', { class: 'note' }, 'confirmed, not run');
}

const pain = (p) => (p === null || p === undefined ? '—' : String(p));

function visitsTable(course) {
  const visits = course.visits || [];
  if (!visits.length) return h('p', { class: 'note' }, 'No visit yet.');
  return h('div', { class: 'table-scroll' }, h('table', { class: 'grid visits-grid', id: 'visits-table' },
    h('thead', {}, h('tr', {}, ['Visit', 'Date', 'Proposed', 'Confirmed', 'Peak', 'Outcome', 'Pain before', 'Pain after', 'Note', 'Reports']
      .map((t) => h('th', { scope: 'col', class: ['Visit', 'Proposed', 'Confirmed', 'Peak', 'Pain before', 'Pain after'].includes(t) ? 'num' : null }, t)))),
    h('tbody', {}, visits.map((v) => h('tr', { dataset: { visit: String(v.number) } },
      h('td', { class: 'num' }, String(v.number)),
      h('td', {}, when(v.result ? v.result.started_utc : v.confirmed_utc)),
      h('td', { class: 'num' }, formatForce(v.proposed_force_n)),
      h('td', { class: 'num confirmed' }, formatForce(v.confirmed_force_n)),
      h('td', { class: 'num peak' }, v.result && typeof v.result.peak_force_n === 'number' ? formatForce(v.result.peak_force_n) : '—'),
      h('td', {}, visitOutcome(v), v.result && v.result.table ? h('span', { class: 'table-tag' }, v.result.table) : null),
      h('td', { class: 'num pain-before' }, pain(v.pain_before)),
      h('td', { class: 'num pain-after' }, pain(v.pain_after)),
      h('td', { class: 'visit-note' }, v.note || ''),
      h('td', {}, v.result ? sessionDownloads(v.result.id) : v.session ? h('span', { class: 'note' }, 'after indexing') : ''))))));
}

// ---------- the screen ----------

function render() {
  const box = $('#course-view');
  if (chart) chart.destroy();
  chart = null;
  const { course, patient } = data;
  const run = (course.visits || []).filter((v) => v.result || v.session).length;
  const pendingAfter = (course.visits || []).filter((v) => v.session && v.pain_after === null);
  const chartBox = h('div', { class: 'progression-chart', id: 'course-chart', role: 'img',
    'aria-label': 'Per visit: the confirmed and peak force, and the pain before and after' });
  replace(box,
    h('div', { class: 'record-head' },
      h('a', { href: `#/patients/${encodeURIComponent(patient.id)}`, class: 'button secondary back' }, `← Patient ${patient.id}`),
      h('h2', { id: 'course-title' }, `${protocolName(course.protocol)}`, h('span', { class: 'title-sub' }, ` course ${course.id}`)),
      downloadLinks([
        { label: 'Course PDF', format: 'pdf', href: records.courseReport(course.id, 'pdf'), title: 'The course report as a PDF' },
        { label: 'Course CSV', format: 'csv', href: records.courseReport(course.id, 'csv'), title: 'The course’s visits for a spreadsheet' },
      ], { cls: 'course-downloads' })),
    h('div', { class: 'facts' },
      fact('Patient', `${patient.id} · ${weightText(patient.body_mass_kg)}`),
      fact('Visits', `${run} of ${course.visits_planned} run`, 'course-visits-run'),
      fact('Start', formatForce(course.start_force_n)),
      fact('Step', `+${formatForce(course.step_n)} a visit`),
      fact('Ceiling', formatForce(course.ceiling_n)),
      fact(course.closed_utc ? 'Closed' : 'Started', when(course.closed_utc || course.created_utc))),
    h('div', { class: 'course-grid' },
      h('div', { class: 'course-side' },
        pendingAfter.map((v) => afterPanel(course, v)),
        nextPanel(course, patient)),
      h('div', { class: 'panel chart-panel course-chart-panel' },
        h('div', { class: 'chart-legend' },
          h('span', { class: 'key confirmed' }, 'confirmed force'),
          h('span', { class: 'key peak' }, 'peak force'),
          h('span', { class: 'key pain-before' }, 'pain before'),
          h('span', { class: 'key pain-after' }, 'pain after'),
          h('span', { class: 'chart-note' }, `${forceUnit()} left, pain right`)),
        (course.visits || []).length ? chartBox : h('p', { class: 'note' }, 'The chart shows each visit once the first is confirmed.'))),
    h('div', { class: 'panel' }, h('h2', {}, 'Visits'), visitsTable(course)));
  if ((course.visits || []).length) {
    // Drawn once the box has its size (after layout).
    requestAnimationFrame(() => {
      if (!visible || !chartBox.isConnected) return;
      try {
        chart = progressionChart(chartBox, course.visits, { planned: course.visits_planned });
      } catch (e) {
        replace(chartBox, h('p', { class: 'bad-text' }, `The chart cannot be drawn: ${e.message}`));
      }
    });
  }
}

function fact(label, value, id = null) {
  return h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, label), h('span', { class: 'figure-value small', id }, value));
}

// Reads the course, its patient and what the table has loaded; draws the screen when any of it
// changed. While a visit's session is still to be added to the records, looks again every 2 s.
async function load() {
  clearTimeout(pollTimer);
  const seq = ++loadSeq;
  const id = courseId;
  try {
    await ensureProfiles().catch(() => null);
    const { course } = await records.course(id);
    const [p, state] = await Promise.all([records.patient(course.patient), api.state().catch(() => null)]);
    if (seq !== loadSeq || !visible || id !== courseId) return;
    const next = { course, patient: p.patient, loadedSession: state && state.session ? state.session : null };
    const changed = !data || JSON.stringify(next) !== JSON.stringify(data) || !$('#course-view').firstChild;
    data = next;
    if (changed) render();
    const waiting = (course.visits || []).some((v) => v.session && !v.result);
    if (waiting) pollTimer = setTimeout(load, 2000);
  } catch (e) {
    if (seq !== loadSeq || !visible) return;
    data = null;
    if (chart) chart.destroy();
    chart = null;
    replace($('#course-view'),
      h('div', { class: 'record-head' }, h('a', { href: '#/patients', class: 'button secondary back' }, '← Patients')),
      errorBox(e, { retry: load }));
    if (isUnavailable(e)) pollTimer = setTimeout(load, 10000);
  }
}

export function init({ go }) {
  goTo = go;
  onUnitsChange(() => {
    if (visible && data) render();
  });
}

export function enter(params = []) {
  visible = true;
  const id = params[0] ? decodeURIComponent(params[0]) : '';
  if (id !== courseId) {
    courseId = id;
    data = null;
    resetEntry();
    replace($('#course-view'), h('p', { class: 'note' }, `Loading course ${id}…`));
  }
  load();
}

export function leave() {
  visible = false;
  clearTimeout(pollTimer);
  if (chart) chart.destroy();
  chart = null;
  data = null;
  show($('#course-view'), true);
}
