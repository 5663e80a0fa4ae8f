// Step 2: the patient — a pseudonymous id and the body weight (kg or lb). Never a name: the id
// field refuses text that looks like one (letters and a space) and says why.

import { api } from '../api.js';
import { $, $$, h, replace, setText, problemList } from '../dom.js';
import { store, profileById, weightQuantity, weightKg, switchWeightUnit, leaveVisit } from '../store.js';
import { formatForce, formatDuration, parseWeight, weightUnit, kgToWeight, onUnitsChange } from '../units.js';

let goTo = () => {};
let checkSeq = 0;
let debounce = null;
let suits = false;

// A pseudonymous id as the table takes it (controller::valid_patient_id): 1 to 32 letters,
// digits, - or _, starting with a letter or digit, with at least one digit ("Smith" is a name).
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/;

function idProblem(id) {
  if (!id) return 'Enter the patient’s id.';
  if (/\s/.test(id)) return 'An id has no spaces: use the pseudonymous id from your records, never a name.';
  if (!ID_PATTERN.test(id)) return 'Use up to 32 letters, digits, - and _ only, starting with a letter or digit.';
  if (!/[0-9]/.test(id)) return 'An id has at least one digit (e.g. P-0042): use the id from your records, never a name.';
  return null;
}

function renderWeightUnits() {
  $$('#screen-patient .weight-units button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.wunit === weightUnit())));
  const kg = weightKg();
  const other = weightUnit() === 'kg' ? 'lb' : 'kg';
  setText($('#patient-weight-other'), kg ? `= ${kgToWeight(kg, other).toFixed(1)} ${other}` : '');
}

function renderProtocol(previewOk, error) {
  const p = profileById(store.draft.profileId);
  const box = $('#patient-protocol');
  if (!p) {
    replace(box, h('span', { class: 'note' }, 'No protocol chosen. '), h('a', { href: '#/protocols' }, 'Choose one'));
    return;
  }
  const pv = store.draft.preview;
  replace(box,
    h('span', { class: 'protocol-name' }, p.name || p.id), ' ',
    previewOk && pv ? h('span', { class: 'ok-text' }, `peak ${formatForce(pv.peak_N)}, ${formatDuration(pv.duration_s)}`) : null,
    error ? h('span', { class: 'bad-text' }, 'does not suit this patient') : null);
  replace($('#patient-problems'), error ? problemList(error) : null);
}

async function check() {
  const next = $('#patient-next');
  const hint = $('#patient-hint');
  const id = $('#patient-id').value.trim();
  store.draft.patientId = id;
  const problem = idProblem(id);
  renderWeightUnits();
  const weight = weightQuantity();
  next.disabled = true;
  if (!weight) {
    setText(hint, 'Enter the patient’s body weight.');
    renderProtocol(false, null);
    return;
  }
  const seq = ++checkSeq;
  try {
    store.draft.preview = await api.preview(store.draft.profileId, weight.replace(' ', ''));
    if (seq !== checkSeq) return;
    suits = true;
    renderProtocol(true, null);
  } catch (e) {
    if (seq !== checkSeq) return;
    suits = false;
    store.draft.preview = null;
    renderProtocol(false, e);
  }
  setText(hint, problem || (suits ? '' : 'Choose another protocol or correct the weight.'));
  $('#patient-id').setAttribute('aria-invalid', String(Boolean(problem) && id.length > 0));
  next.disabled = Boolean(problem) || !suits;
}

export function init({ go }) {
  goTo = go;
  const id = $('#patient-id');
  const weight = $('#patient-weight');
  id.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(check, 150);
  });
  weight.addEventListener('input', () => {
    store.draft.weight = parseWeight(weight.value);
    clearTimeout(debounce);
    debounce = setTimeout(check, 300);
  });
  $$('#screen-patient .weight-units button').forEach((b) => b.addEventListener('click', () => switchWeightUnit(b.dataset.wunit)));
  onUnitsChange(() => {
    if ($('#screen-patient').hidden) return;
    weight.value = store.draft.weight ?? '';
    check();
  });
  $('#patient-form').addEventListener('submit', (event) => {
    event.preventDefault();
    if (!$('#patient-next').disabled) goTo('screening');
  });
  $('#patient-next').addEventListener('click', () => goTo('screening'));
}

export function enter() {
  leaveVisit();
  if (!store.draft.profileId) {
    goTo('protocols');
    return;
  }
  $('#patient-id').value = store.draft.patientId;
  $('#patient-weight').value = store.draft.weight ?? '';
  check();
  ($('#patient-id').value ? $('#patient-weight') : $('#patient-id')).focus();
}

export function leave() {
  clearTimeout(debounce);
}
