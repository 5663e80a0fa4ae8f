// Patients (#/patients): find one by the clinic's id as it is typed, add one (id and body
// weight), and one patient's record (#/patients/ID): their weight, their courses (open and
// closed), a course started, and their sessions from every table of the clinic with reports.

import { api, records } from '../api.js';
import { $, $$, h, replace, setText, show } from '../dom.js';
import { store, profileById } from '../store.js';
import { when } from '../format.js';
import {
  formatForce, forceUnit, parseWeight, quantity, weightUnit, setWeightUnit, weightToKg, kgToWeight,
  onUnitsChange, fromNewtons, NEWTONS_PER_LBF,
} from '../units.js';

const toNewtons = (v, unit) => v / fromNewtons(1, unit);
import { errorBox, downloadLinks, sortProblems, fieldError, isUnavailable } from '../records-ui.js';

let goTo = () => {};
let searchSeq = 0;
let debounce = null;
let current = null; // {patient, courses, sessions} on the record view
let courseFormOpen = false;

const REGION = { lumbar: 'Lumbar', cervical: 'Cervical' };

export async function ensureProfiles() {
  if (store.profiles) return store.profiles;
  const r = await api.profiles();
  store.profiles = Array.isArray(r) ? r : r.profiles || [];
  store.clinicUnavailable = (r && r.clinic_unavailable) || null;
  return store.profiles;
}

export function protocolName(id) {
  const p = profileById(id);
  return p ? p.name || p.id : id || '';
}

// "80.0 kg (176.4 lb)", the chosen unit first.
export function weightText(kg) {
  if (typeof kg !== 'number') return '—';
  const unit = weightUnit();
  const other = unit === 'kg' ? 'lb' : 'kg';
  return `${kgToWeight(kg, unit).toFixed(1)} ${unit} (${kgToWeight(kg, other).toFixed(1)} ${other})`;
}

// A session's outcome in words, with its fault code.
export function sessionOutcome(s) {
  if (!s) return '';
  const outcome = s.outcome || 'not finished';
  return s.fault_code ? `${outcome} (${s.fault_code})` : outcome;
}

export function outcomeClass(s) {
  if (!s || !s.outcome) return '';
  return s.outcome === 'completed' ? 'ok-text' : s.fault_code || s.outcome === 'interrupted' ? 'bad-text' : 'warn-text';
}

// The reports of one session: PDF, CSV, PNG and the FHIR resource.
export function sessionDownloads(id, opts = {}) {
  return downloadLinks([
    { label: 'PDF', format: 'pdf', href: records.sessionReport(id, 'pdf'), title: 'The session report as a PDF' },
    { label: 'CSV', format: 'csv', href: records.sessionReport(id, 'csv'), title: 'The session’s figures for a spreadsheet' },
    { label: 'PNG', format: 'png', href: records.sessionReport(id, 'png'), title: 'The session report as a picture' },
    { label: 'FHIR', format: 'fhir', href: records.sessionReport(id, 'fhir'), title: 'The session as a FHIR resource (JSON) for another system' },
  ], { cls: 'small', ...opts });
}

// ---------- find and add ----------

function renderWeightUnits() {
  $$('#patient-add .weight-units button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.wunit === weightUnit())));
}

async function search() {
  const text = $('#patient-search').value.trim();
  const seq = ++searchSeq;
  const list = $('#patients-list');
  try {
    const r = await records.search(text);
    if (seq !== searchSeq) return;
    showStatus(null);
    const found = r.patients || [];
    setText($('#patients-count'), found.length === 0
      ? (text ? `No patient’s id contains “${text}”.` : 'No patients in the records yet: add one.')
      : `${found.length === 50 ? 'The first 50' : found.length} patient${found.length === 1 ? '' : 's'}${text ? ` whose id contains “${text}”` : ''}.`);
    replace(list, found.map((p) => h('a', {
      href: `#/patients/${encodeURIComponent(p.id)}`, class: 'row', role: 'listitem', dataset: { id: p.id },
    },
    h('span', { class: 'row-main' }, p.id),
    h('span', { class: 'row-meta' }, [weightText(p.body_mass_kg), p.created_utc ? `added ${when(p.created_utc)}` : null, p.note || null].filter(Boolean).join(' · ')))));
  } catch (e) {
    if (seq !== searchSeq) return;
    setText($('#patients-count'), '');
    if (isUnavailable(e)) {
      replace(list);
      showStatus(e);
    } else {
      replace(list, errorBox(e));
    }
  }
}

// The store's notice above the screen (or none).
function showStatus(error) {
  const box = $('#records-status');
  if (!error) {
    replace(box);
    show(box, false);
    return;
  }
  replace(box, errorBox(error, { retry: () => enter(currentParams) }));
  show(box, true);
}

const ADD_FIELDS = { id: ['id'], weight: ['weight'], note: ['note'] };

async function addPatient(event) {
  event.preventDefault();
  const id = $('#new-patient-id').value.trim();
  const weight = parseWeight($('#new-patient-weight').value);
  const note = $('#new-patient-note').value.trim();
  const local = { id: [], weight: [], note: [], other: [] };
  if (!id) local.id.push('Enter the clinic’s id for this patient.');
  if (weight === null) local.weight.push(`Enter the body weight in ${weightUnit()} (a number, e.g. ${weightUnit() === 'kg' ? '80' : '176'}).`);
  if (local.id.length || local.weight.length) {
    showAddProblems(local);
    return;
  }
  const button = $('#patient-add-submit');
  button.disabled = true;
  showAddProblems({ id: [], weight: [], note: [], other: [] });
  replace($('#patient-add-problems'));
  try {
    const body = { id, weight: quantity(weight, weightUnit()) };
    if (note) body.note = note;
    const r = await records.addPatient(body);
    $('#patient-add').reset();
    goTo('patients', encodeURIComponent(r.patient ? r.patient.id : id));
  } catch (e) {
    if (isUnavailable(e)) {
      replace($('#patient-add-problems'), errorBox(e));
    } else if (e.status === 409) {
      replace($('#patient-add-problems'), h('div', { class: 'problems', role: 'alert' },
        h('p', { class: 'problems-title' }, e.message),
        h('p', {}, 'Open that patient instead: ', h('a', { href: `#/patients/${encodeURIComponent(id)}` }, `patient ${id}`),
          ', or check the id.')));
    } else {
      // "patient id "Smith": holds no digit…" names no pointer: it is the id's.
      const sorted = sortProblems(e, ADD_FIELDS);
      for (const p of sorted.other.splice(0)) (/patient id|^id\b/i.test(p) ? sorted.id : /weight|mass/i.test(p) ? sorted.weight : sorted.other).push(p);
      showAddProblems(sorted);
      if (sorted.other.length) replace($('#patient-add-problems'), errorBox({ ...e, message: e.message, problems: sorted.other }));
    }
  } finally {
    button.disabled = false;
  }
}

function showAddProblems(sorted) {
  fieldError($('#new-patient-id-problems'), sorted.id);
  fieldError($('#new-patient-weight-problems'), sorted.weight);
  $('#new-patient-id').setAttribute('aria-invalid', String(sorted.id.length > 0));
  $('#new-patient-weight').setAttribute('aria-invalid', String(sorted.weight.length > 0));
}

// ---------- one patient ----------

function courseRow(c) {
  const run = (c.visits || []).filter((v) => v.session).length;
  const next = c.next || {};
  const state = c.closed_utc ? `closed ${when(c.closed_utc)}`
    : next.none ? 'no visit to come'
      : `next: visit ${next.visit} at ${formatForce(next.force_n)}`;
  return h('a', { href: `#/course/${c.id}`, class: `row course-row${c.closed_utc || next.none ? ' closed' : ''}`, role: 'listitem', dataset: { course: String(c.id) } },
    h('span', { class: 'row-main' }, `${protocolName(c.protocol)}`),
    h('span', { class: 'row-meta' }, [`course ${c.id}`, `started ${when(c.created_utc)}`,
      `${run} of ${c.visits_planned} visits run`, `${formatForce(c.start_force_n)} +${formatForce(c.step_n)} a visit, up to ${formatForce(c.ceiling_n)}`].join(' · ')),
    h('span', { class: `row-outcome${c.closed_utc || next.none ? '' : ' ok-text'}` }, state));
}

function sessionsTable(sessions) {
  if (!sessions.length) return h('p', { class: 'note' }, 'No sessions in the records yet.');
  // Newest first: the one just run is the one wanted.
  const rows = sessions.slice().reverse();
  return h('table', { class: 'grid sessions-grid' },
    h('thead', {}, h('tr', {}, ['Started', 'Table', 'Protocol', 'Outcome', 'Peak', 'Reports'].map((t) => h('th', { scope: 'col', class: t === 'Peak' ? 'num' : null }, t)))),
    h('tbody', {}, rows.map((s) => h('tr', { dataset: { session: s.id } },
      h('td', {}, when(s.started_utc), s.simulated ? h('span', { class: 'sim-tag' }, 'simulator') : null),
      h('td', { class: 'table-name' }, s.table || '—'),
      h('td', {}, protocolName(s.profile)),
      h('td', { class: outcomeClass(s) }, sessionOutcome(s)),
      h('td', { class: 'num' }, typeof s.peak_force_n === 'number' ? formatForce(s.peak_force_n) : '—'),
      h('td', {}, sessionDownloads(s.id))))));
}

// The form to start a course: protocol, visits, starting force, step and ceiling in the force
// unit in use; each of the server's problems shown under its field.
const COURSE_FIELDS = {
  protocol: ['protocol', 'protocol_id', 'region'],
  visits: ['visits', 'visits_planned'],
  start_force: ['start_force', 'start_force_n'],
  step: ['step', 'step_n'],
  ceiling: ['ceiling', 'ceiling_n'],
};

function courseForm(patient) {
  const unit = forceUnit();
  const profiles = (store.profiles || []);
  const field = (key, label, input, note) => [
    h('label', { for: `course-${key}` }, label),
    h('div', { class: key === 'protocol' ? 'wide' : null }, input, note ? h('p', { class: 'note' }, note) : null,
      h('div', { class: 'field-error', id: `course-${key}-problems`, hidden: true })),
  ];
  const forceInput = (key) => h('div', { class: 'force-row' },
    h('input', { id: `course-${key}`, type: 'text', inputmode: 'decimal', maxlength: '8', 'aria-describedby': `course-${key}-problems` }),
    h('span', { class: 'unit-label' }, unit));
  const select = h('select', { id: 'course-protocol', 'aria-describedby': 'course-protocol-problems' },
    h('option', { value: '' }, 'Choose a protocol…'),
    ['lumbar', 'cervical'].map((region) => h('optgroup', { label: REGION[region] },
      profiles.filter((p) => p.region === region).map((p) => h('option', {
        value: p.id, disabled: p.allowed === false,
      }, `${p.name || p.id}${p.source === 'clinic' ? ' (clinic’s own)' : ''}${p.allowed === false ? ' — not allowed by this clinic’s limits' : ''}`)))));
  const stepMax = unit === 'N' ? `${Math.round(10 * NEWTONS_PER_LBF * 10) / 10} N` : unit === 'lbf' ? '10 lbf' : `${(10 * NEWTONS_PER_LBF / 9.80665).toFixed(1)} kgf`;
  const form = h('form', { id: 'course-form', class: 'form-grid course-form', autocomplete: 'off', novalidate: true, dataset: { unit } },
    h('h3', {}, `Start a course for ${patient.id}`),
    field('protocol', 'Protocol', select, 'Every visit of the course runs this protocol at the visit’s force.'),
    field('visits', 'Visits', h('input', { id: 'course-visits', type: 'text', inputmode: 'numeric', maxlength: '2', value: '12', 'aria-describedby': 'course-visits-problems' }), '1 to 40 visits.'),
    field('start_force', 'Starting force', forceInput('start_force'), 'The force of the first visit.'),
    field('step', 'Step per visit', forceInput('step'), `Added after each visit that went well: 0 to ${stepMax}.`),
    field('ceiling', 'Ceiling', forceInput('ceiling'), `The most the course reaches; within what ${patient.id} may be pulled.`),
    h('div', { class: 'span2 form-actions' },
      h('div', { id: 'course-problems', class: 'grow' }),
      h('button', { type: 'button', class: 'secondary', onclick: () => { courseFormOpen = false; renderRecord(); } }, 'Cancel'),
      h('button', { type: 'submit', id: 'course-submit', class: 'primary' }, 'Start course')));
  form.addEventListener('submit', (e) => { e.preventDefault(); startCourse(patient); });
  return form;
}

async function startCourse(patient) {
  const unit = forceUnit();
  const value = (key) => $(`#course-${key}`).value.trim().replace(',', '.');
  const local = { protocol: [], visits: [], start_force: [], step: [], ceiling: [], other: [] };
  const protocol = value('protocol');
  if (!protocol) local.protocol.push('Choose the protocol of the course.');
  const visits = value('visits');
  if (!/^\d{1,2}$/.test(visits)) local.visits.push('Enter the number of visits, 1 to 40.');
  for (const key of ['start_force', 'step', 'ceiling']) {
    if (!/^\d+(\.\d+)?$/.test(value(key))) local[key].push(`Enter a force in ${unit} (a number, e.g. ${unit === 'N' ? '200' : '45'}).`);
  }
  if (Object.values(local).some((l) => l.length)) {
    showCourseProblems(local);
    return;
  }
  const button = $('#course-submit');
  button.disabled = true;
  showCourseProblems({ protocol: [], visits: [], start_force: [], step: [], ceiling: [], other: [] });
  try {
    const r = await records.startCourse(patient.id, {
      protocol, visits: Number(visits),
      start_force: `${value('start_force')} ${unit}`, step: `${value('step')} ${unit}`, ceiling: `${value('ceiling')} ${unit}`,
    });
    courseFormOpen = false;
    goTo('course', r.course.id);
  } catch (e) {
    if (isUnavailable(e)) {
      replace($('#course-problems'), errorBox(e));
    } else {
      const sorted = sortProblems(e, COURSE_FIELDS);
      showCourseProblems(sorted);
      if (sorted.other.length) replace($('#course-problems'), errorBox({ ...e, message: 'The course was not started:', problems: sorted.other }));
      else replace($('#course-problems'), h('p', { class: 'bad-text', role: 'alert' }, 'The course was not started: correct the fields marked above.'));
    }
  } finally {
    button.disabled = false;
  }
}

function showCourseProblems(sorted) {
  for (const key of Object.keys(COURSE_FIELDS)) {
    fieldError($(`#course-${key}-problems`), sorted[key]);
    $(`#course-${key}`).setAttribute('aria-invalid', String(sorted[key].length > 0));
  }
  if (!sorted.other.length) replace($('#course-problems'));
}

function renderRecord() {
  const box = $('#patient-record');
  if (!current) return;
  const { patient, courses, sessions } = current;
  const open = courses.filter((c) => !c.closed_utc && !(c.next && c.next.none));
  const closed = courses.filter((c) => c.closed_utc || (c.next && c.next.none));
  const showForm = courseFormOpen || courses.length === 0;
  replace(box,
    h('div', { class: 'record-head' },
      h('a', { href: '#/patients', class: 'button secondary back' }, '← Patients'),
      h('h2', { id: 'record-title' }, `Patient ${patient.id}`),
      h('div', { class: 'facts' },
        h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'Body weight'), h('span', { class: 'figure-value', id: 'record-weight' }, weightText(patient.body_mass_kg))),
        h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'In the records since'), h('span', { class: 'figure-value small' }, when(patient.created_utc))),
        patient.note ? h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'Note'), h('span', { class: 'figure-value small' }, patient.note)) : null)),
    h('div', { class: 'record-grid' },
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' }, h('h2', {}, 'Courses'),
          showForm ? null : h('button', { type: 'button', class: 'primary', id: 'course-new', onclick: () => { courseFormOpen = true; renderRecord(); $('#course-protocol').focus(); } }, 'Start a course')),
        courses.length ? null : h('p', { class: 'note' }, 'No course yet. A course plans the visits and raises the force step by step while the visits go well.'),
        open.length ? [h('h3', {}, 'Open'), h('div', { class: 'rows', role: 'list', id: 'courses-open' }, open.map(courseRow))] : null,
        closed.length ? [h('h3', {}, 'Finished or closed'), h('div', { class: 'rows', role: 'list', id: 'courses-closed' }, closed.map(courseRow))] : null,
        showForm ? courseForm(patient) : null),
      h('div', { class: 'panel' },
        h('h2', {}, 'Sessions'),
        h('p', { class: 'note' }, 'Every session of this patient, from every table of the clinic, newest first.'),
        sessionsTable(sessions))));
}

async function openPatient(id) {
  show($('#patients-find'), false);
  show($('#patient-record'), true);
  const box = $('#patient-record');
  if (!current || current.patient.id !== id) replace(box, h('p', { class: 'note' }, `Loading patient ${id}…`));
  try {
    await ensureProfiles().catch(() => null);
    const r = await records.patient(id);
    current = { patient: r.patient, courses: r.courses || [], sessions: r.sessions || [] };
    showStatus(null);
    renderRecord();
  } catch (e) {
    current = null;
    if (isUnavailable(e)) {
      replace(box);
      showStatus(e);
    } else {
      replace(box, h('div', { class: 'record-head' }, h('a', { href: '#/patients', class: 'button secondary back' }, '← Patients')),
        errorBox(e));
    }
  }
}

let currentParams = [];

export function init({ go }) {
  goTo = go;
  $('#patient-search').addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(search, 200);
  });
  $('#patient-add').addEventListener('submit', addPatient);
  $$('#patient-add .weight-units button').forEach((b) => b.addEventListener('click', () => {
    const input = $('#new-patient-weight');
    const w = parseWeight(input.value);
    const from = weightUnit();
    setWeightUnit(b.dataset.wunit);
    if (w !== null && from !== weightUnit()) input.value = String(Math.round(kgToWeight(weightToKg(w, from), weightUnit()) * 10) / 10);
  }));
  onUnitsChange(() => {
    renderWeightUnits();
    if ($('#screen-patients').hidden) return;
    if (current && !$('#patient-record').hidden) {
      // The forces typed so far follow the unit.
      const form = $('#course-form');
      const typed = {};
      if (form) {
        const from = form.dataset.unit;
        for (const key of ['start_force', 'step', 'ceiling']) {
          const v = Number($(`#course-${key}`).value.trim().replace(',', '.'));
          if ($(`#course-${key}`).value.trim() && Number.isFinite(v)) typed[key] = toNewtons(v, from);
        }
        typed.protocol = $('#course-protocol').value;
        typed.visits = $('#course-visits').value;
      }
      renderRecord();
      if (form && $('#course-form')) {
        for (const [key, n] of Object.entries(typed)) {
          if (key === 'protocol' || key === 'visits') $(`#course-${key}`).value = n;
          else $(`#course-${key}`).value = formatForce(n, { withUnit: false });
        }
      }
    } else {
      search();
    }
  });
}

export async function enter(params = []) {
  currentParams = params;
  renderWeightUnits();
  showStatus(null);
  const id = params[0] ? decodeURIComponent(params[0]) : null;
  if (id) {
    openPatient(id);
    return;
  }
  courseFormOpen = false;
  show($('#patient-record'), false);
  show($('#patients-find'), true);
  await ensureProfiles().catch(() => null);
  search();
  if (!$('#patient-search').value) $('#patient-search').focus();
}

export function leave() {
  clearTimeout(debounce);
}
