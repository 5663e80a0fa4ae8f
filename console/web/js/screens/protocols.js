// Step 1: pick a protocol; its force curve for this patient's weight is previewed, or the
// reasons it does not suit the patient are shown.

import { api } from '../api.js';
import { $, $$, h, replace, setText, problemList } from '../dom.js';
import { store, profileById, weightQuantity, switchWeightUnit, leaveVisit } from '../store.js';
import { curveChart } from '../chart.js';
import { formatForce, formatDuration, parseWeight, weightUnit, onUnitsChange } from '../units.js';

let goTo = () => {};
let chart = null;
let previewSeq = 0;
let debounce = null;

const REGION = { lumbar: 'Lumbar', cervical: 'Cervical' };
const MODE = { static: 'static', intermittent: 'intermittent', cyclic: 'cyclic' };

// "33 %bw" or {"N": 264} or a number of newtons: whatever the list gives as the max force.
function maxForceText(p) {
  const m = p.max_force ?? p.max_force_N ?? p.maxForce;
  if (typeof m === 'number') return formatForce(m);
  if (m && typeof m === 'object') return m.text || (m.N !== undefined ? formatForce(m.N) : '');
  return m ? String(m) : '';
}

function durationText(p) {
  const d = p.duration_s ?? p.duration;
  if (typeof d === 'number') return `${Math.round(d / 60)} min`;
  return d ? String(d) : '';
}

function renderList() {
  const list = $('#protocol-list');
  if (!store.profiles) {
    replace(list, h('p', { class: 'note' }, 'Loading protocols…'));
    return;
  }
  // Lumbar first: the common treatment.
  const byRegion = { lumbar: [], cervical: [] };
  for (const p of store.profiles) (byRegion[p.region] ||= []).push(p);
  for (const k of Object.keys(byRegion)) if (!byRegion[k].length) delete byRegion[k];
  replace(list, store.clinicUnavailable ? h('p', { class: 'hint-box', id: 'clinic-protocols-missing' },
    'The clinic’s own protocols cannot be listed: the records store cannot be reached. The stock protocols below work.') : null,
  Object.entries(byRegion).map(([region, items]) => [
    h('div', { class: 'list-group' }, REGION[region] || region),
    // A protocol over the clinic's limits stays listed, marked, so the operator learns why it
    // is missing; choosing it shows every reason in the preview.
    items.map((p) => h('button', {
      type: 'button',
      class: p.allowed === false ? 'protocol refused' : 'protocol',
      role: 'option',
      'aria-selected': String(p.id === store.draft.profileId),
      dataset: { id: p.id },
      onclick: () => choose(p.id),
    },
    h('span', { class: 'protocol-name' }, p.name || p.id),
    h('span', { class: 'protocol-meta' },
      [MODE[p.mode] || p.mode, maxForceText(p), durationText(p),
        p.source === 'clinic' ? `clinic’s own${p.version ? `, version ${p.version}` : ''}` : null].filter(Boolean).join(' · ')),
    p.allowed === false ? h('span', { class: 'protocol-refused' }, `Not allowed by ${p.refused_by || 'this clinic’s limits'}`) : null)),
  ]));
}

function choose(id) {
  store.draft.profileId = id;
  store.draft.preview = null;
  $$('#protocol-list .protocol').forEach((b) => b.setAttribute('aria-selected', String(b.dataset.id === id)));
  refreshPreview();
}

function renderWeightUnits() {
  $$('.weight-units button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.wunit === weightUnit())));
}

function destroyChart() {
  if (chart) chart.destroy();
  chart = null;
  $('#preview-chart').hidden = true;
}

// Fetches and draws the preview for the chosen protocol at the entered weight.
export async function refreshPreview() {
  const id = store.draft.profileId;
  const p = profileById(id);
  const summary = $('#preview-summary');
  const problems = $('#preview-problems');
  const next = $('#protocols-next');
  setText($('#preview-title'), p ? p.name || p.id : 'Choose a protocol');
  replace(problems);
  next.disabled = true;
  if (!p) {
    destroyChart();
    replace(summary, h('p', { class: 'note' }, 'Choose a protocol on the left to see its force curve for this patient.'));
    return;
  }
  const weight = weightQuantity();
  if (!weight) {
    destroyChart();
    replace(summary, h('p', { class: 'note' }, 'Enter the patient’s weight to see the forces.'));
    return;
  }
  const seq = ++previewSeq;
  try {
    const preview = await api.preview(id, weight.replace(' ', ''));
    if (seq !== previewSeq) return;
    store.draft.preview = preview;
    replace(summary,
      h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'Peak'), h('span', { class: 'figure-value', id: 'preview-peak' }, formatForce(preview.peak_N))),
      h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'Duration'), h('span', { class: 'figure-value' }, formatDuration(preview.duration_s))),
      h('div', { class: 'figure ok' }, h('span', { class: 'figure-label' }, 'For'), h('span', { class: 'figure-value' }, weight)));
    destroyChart();
    $('#preview-chart').hidden = false;
    chart = curveChart($('#preview-chart'), preview.points || []);
    next.disabled = false;
  } catch (e) {
    if (seq !== previewSeq) return;
    store.draft.preview = null;
    destroyChart();
    replace(summary, h('div', { class: 'figure bad' }, h('span', { class: 'figure-label' }, 'Not for this patient'), h('span', { class: 'figure-value' }, weight)));
    replace(problems, problemList(e));
  }
}

export function init({ go }) {
  goTo = go;
  const weight = $('#preview-weight');
  weight.addEventListener('input', () => {
    store.draft.weight = parseWeight(weight.value);
    clearTimeout(debounce);
    debounce = setTimeout(refreshPreview, 300);
  });
  $$('#screen-protocols .weight-units button').forEach((b) => b.addEventListener('click', () => {
    switchWeightUnit(b.dataset.wunit);
  }));
  onUnitsChange(() => {
    renderWeightUnits();
    if (!$('#screen-protocols').hidden) {
      weight.value = store.draft.weight ?? '';
      renderList();
      refreshPreview();
    }
  });
  $('#protocols-next').addEventListener('click', () => goTo('patient'));
}

export async function enter() {
  leaveVisit();
  renderWeightUnits();
  $('#preview-weight').value = store.draft.weight ?? '';
  renderList();
  if (!store.profiles) {
    try {
      const r = await api.profiles();
      store.profiles = Array.isArray(r) ? r : r.profiles || [];
      store.clinicUnavailable = (r && r.clinic_unavailable) || null;
    } catch (e) {
      replace($('#protocol-list'), problemList(e));
      return;
    }
    renderList();
  }
  setText($('#protocols-hint'), 'Choose a protocol and check its curve for this patient.');
  refreshPreview();
}

export function leave() {
  clearTimeout(debounce);
}
