// Step 3: the screening checklist (contraindications and red flags). Every item must be answered
// No to load the session; a Yes says why traction must not be given. Then the session is loaded
// (POST /api/session) and every problem the table returns is shown.

import { api } from '../api.js';
import { $, h, replace, setText, problemList } from '../dom.js';
import { store, profileById, weightQuantity } from '../store.js';
import { formatForce } from '../units.js';
import { errorBox } from '../records-ui.js';

let goTo = () => {};
let groups = null; // [{key, title, items:[{id,text}]}]
const answers = new Map(); // id -> true (yes) | false (no)

const GROUP_TITLES = {
  contraindications: 'Contraindications',
  red_flags: 'Red flags',
  redFlags: 'Red flags',
};

function normalise(checklist) {
  if (Array.isArray(checklist)) return [{ key: 'items', title: 'Questions', items: checklist }];
  const out = [];
  for (const [key, value] of Object.entries(checklist || {})) {
    if (Array.isArray(value)) out.push({ key, title: GROUP_TITLES[key] || key.replace(/_/g, ' '), items: value });
  }
  return out;
}

function whyYes(group) {
  return group.key.startsWith('red')
    ? 'A red flag: do not treat. Refer the patient to a physician today.'
    : 'Traction is contraindicated for this patient: do not treat.';
}

// One item: its text, No / Yes, and (after a Yes) why traction must not be given. Built once;
// an answer updates it in place, so nothing under the operator's finger is rebuilt.
function itemRow(group, item) {
  const name = `screen-${item.id}`;
  const why = h('span', { class: 'screen-why', hidden: true }, whyYes(group));
  const row = h('div', { class: 'screen-item', role: 'radiogroup', 'aria-labelledby': name, dataset: { id: item.id } });
  const choice = (value, label) => h('button', {
    type: 'button',
    class: `answer ${value ? 'yes' : 'no'}`,
    role: 'radio',
    'aria-checked': 'false',
    'aria-label': `${label}: ${item.text}`,
    dataset: { value: value ? 'yes' : 'no' },
    onclick: () => {
      answers.set(item.id, value);
      updateRow(row);
      renderVerdict();
    },
  }, label);
  row.append(h('span', { class: 'screen-text', id: name }, item.text),
    h('span', { class: 'answers' }, choice(false, 'No'), choice(true, 'Yes')), why);
  updateRow(row);
  return row;
}

function updateRow(row) {
  const a = answers.get(row.dataset.id);
  row.classList.toggle('answered-yes', a === true);
  row.querySelectorAll('.answer').forEach((b) => b.setAttribute('aria-checked', String(a === (b.dataset.value === 'yes'))));
  row.querySelector('.screen-why').hidden = a !== true;
}

function render() {
  const box = $('#screening-items');
  if (!groups) {
    replace(box, h('p', { class: 'note' }, 'Loading the checklist…'));
    return;
  }
  replace(box, groups.map((g) => h('fieldset', { class: 'screen-group' },
    h('legend', {}, g.title),
    g.items.map((item) => itemRow(g, item)))));
  renderVerdict();
}

function renderVerdict() {
  const all = groups ? groups.flatMap((g) => g.items) : [];
  const yes = all.filter((i) => answers.get(i.id) === true);
  const open = all.filter((i) => !answers.has(i.id));
  const verdict = $('#screening-verdict');
  const confirm = $('#screening-confirm');
  verdict.className = 'verdict';
  if (!all.length) {
    setText(verdict, '');
  } else if (yes.length) {
    verdict.classList.add('bad');
    setText(verdict, `Do not treat: ${yes.length} answer${yes.length > 1 ? 's are' : ' is'} Yes. Traction is contraindicated.`);
  } else if (open.length) {
    setText(verdict, `${open.length} of ${all.length} item${all.length > 1 ? 's' : ''} still to answer.`);
  } else {
    verdict.classList.add('ok');
    setText(verdict, 'Every answer is No.');
  }
  confirm.disabled = !all.length || yes.length > 0 || open.length > 0;
  if (confirm.disabled) confirm.checked = false;
  $('#session-load').disabled = !confirm.checked || confirm.disabled;
}

function summary() {
  const p = profileById(store.draft.profileId);
  const v = store.draft.visit;
  const name = p ? p.name || p.id : store.draft.profileId;
  setText($('#screening-summary'), v
    ? `${name} at ${formatForce(v.forceN)} · patient ${store.draft.patientId}`
    : p ? `${name} · patient ${store.draft.patientId} · ${weightQuantity()}` : '');
}

// The steps above the checklist: a new session's four, or a course visit's three; Back goes
// to the step before (the patient, or the course).
function steps() {
  const v = store.draft.visit;
  const bar = $('#screening-steps');
  const tail = $('#screening-summary');
  const items = v
    ? [h('span', { class: 'done' }, `1 Course visit ${v.number}`), h('span', { class: 'current' }, '2 Screening'), h('span', {}, '3 Treatment')]
    : [h('span', { class: 'done' }, '1 Protocol'), h('span', { class: 'done' }, '2 Patient'), h('span', { class: 'current' }, '3 Screening'), h('span', {}, '4 Treatment')];
  replace(bar, items, tail);
  $('#screening-back').dataset.go = v ? `course/${v.courseId}` : 'patient';
  setText($('#screening-back'), v ? 'Back to the course' : 'Back');
}

async function load() {
  const button = $('#session-load');
  const problems = $('#screening-problems');
  replace(problems);
  button.disabled = true;
  const body = {
    profile: store.draft.profileId,
    patient: { id: store.draft.patientId, weight: weightQuantity() },
    screening: { answers: Object.fromEntries(answers), confirmed: true },
  };
  const visit = store.draft.visit;
  if (visit) body.visit_id = visit.id;
  try {
    store.loaded = await api.loadSession(body);
    store.visitSession = visit ? {
      courseId: visit.courseId, visitId: visit.id, number: visit.number, patientId: store.draft.patientId,
      forceN: visit.forceN, sessionId: store.loaded && store.loaded.session ? store.loaded.session.id : null,
    } : null;
    // The visit is the session's now: confirming the course's next visit starts afresh.
    store.draft.visit = null;
    store.draft.loadedPeak = store.draft.preview ? store.draft.preview.peak_N : null;
    store.draft.loadedDuration = store.draft.preview ? store.draft.preview.duration_s : null;
    answers.clear();
    $('#screening-confirm').checked = false;
    goTo('treatment');
  } catch (e) {
    replace(problems, errorBox(e, {
      sentence: 'A course visit’s session cannot be loaded until the records store is back: the force to pull for this visit is kept there.',
    }));
    // Below a long checklist the refusal was drawn out of sight, and Load looked to do nothing.
    problems.scrollIntoView({ block: 'nearest' });
    button.disabled = false;
  }
}

export function init({ go }) {
  goTo = go;
  $('#screening-confirm').addEventListener('change', renderVerdict);
  $('#session-load').addEventListener('click', load);
}

export async function enter() {
  if (!store.draft.profileId || !store.draft.patientId || !weightQuantity()) {
    goTo(store.draft.profileId ? 'patient' : 'protocols');
    return;
  }
  summary();
  steps();
  replace($('#screening-problems'));
  render();
  if (!groups) {
    try {
      const checklist = await api.screening();
      groups = normalise(checklist);
      if (checklist && typeof checklist.rule === 'string') setText($('#screening-rule'), checklist.rule);
    } catch (e) {
      replace($('#screening-items'), problemList(e));
      return;
    }
    render();
  }
}

export function leave() {}
