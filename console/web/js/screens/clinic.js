// The clinic's own protocols and limits, kept in the records store (technician): the list of
// protocols (#/clinic/protocols), one opened in the editor (#/clinic/protocols/ID) or a new one
// (#/clinic/protocols/new) — its common fields as a form beside the whole profile as JSON, the
// force curve previewed live for a patient weight, saved as a new version (the previous ones
// stay), exported as a file and imported from one — and the clinic's limits (#/clinic/limits).

import { records } from '../api.js';
import { $, $$, h, replace, setText, show, problemList } from '../dom.js';
import { curveChart } from '../chart.js';
import { when } from '../format.js';
import {
  formatForce, formatDuration, parseWeight, quantity, weightUnit, setWeightUnit, weightToKg, kgToWeight,
  onUnitsChange,
} from '../units.js';
import { errorBox, downloadLinks, isUnavailable } from '../records-ui.js';
import { store } from '../store.js';

let goTo = () => {};
let tab = null;
let visible = false;

// ---------- the protocol being edited ----------

// New protocols start from one of these (the stock protocols' shapes, docs/profiles.md).
const TEMPLATES = {
  static: {
    format: 'tractus.profile/1', id: 'clinic-lumbar-static', name: 'Clinic lumbar static',
    region: 'lumbar', mode: 'static', max_force: '30 %bw', ramp: '30 s', duration: '15 min',
  },
  intermittent: {
    format: 'tractus.profile/1', id: 'clinic-lumbar-intermittent', name: 'Clinic lumbar intermittent 60/30',
    region: 'lumbar', mode: 'intermittent', max_force: '40 %bw', rest_force: '50 %max', hold: '60 s', rest: '30 s',
    ramp: '10 s', progressive_steps: 3, regressive_steps: 2, duration: '20 min',
  },
  cyclic: {
    format: 'tractus.profile/1', id: 'clinic-lumbar-cyclic', name: 'Clinic lumbar cyclic',
    region: 'lumbar', mode: 'cyclic', max_force: '35 %bw', rest_force: '50 %max', ramp: '20 s',
    progressive_steps: 2, regressive_steps: 1, duration: '15 min',
  },
};

// The form's fields: key, label, what it takes, the modes it belongs to (docs/profiles.md).
const ALL = ['static', 'intermittent', 'cyclic'];
const FIELDS = [
  { key: 'id', label: 'Id', hint: 'a-z, 0-9 and -; a new id is a new protocol', modes: ALL },
  { key: 'name', label: 'Name', hint: 'what the operators read', modes: ALL, wide: true },
  { key: 'max_force', label: 'Max force', hint: 'e.g. 40 %bw, 300 N, 70 lbf', modes: ALL },
  { key: 'rest_force', label: 'Rest force', hint: 'e.g. 50 %max', modes: ['intermittent', 'cyclic'] },
  { key: 'hold', label: 'Hold', hint: 'e.g. 60 s', modes: ['intermittent'] },
  { key: 'rest', label: 'Rest', hint: 'e.g. 30 s', modes: ['intermittent'] },
  { key: 'ramp', label: 'Ramp', hint: 'optional, 30 s when left out', modes: ALL },
  { key: 'progressive_steps', label: 'Progressive steps', hint: '0 to 10', modes: ['intermittent', 'cyclic'], number: true },
  { key: 'regressive_steps', label: 'Regressive steps', hint: '0 to 10', modes: ['intermittent', 'cyclic'], number: true },
  { key: 'duration', label: 'Duration', hint: 'the whole session, e.g. 20 min', modes: ALL },
];

const editor = {
  id: null, // the protocol opened (null: a new one)
  info: null, // GET /api/records/protocols/{id}
  profile: null, // the profile as edited
  source: null, // where it came from: 'version N', 'file NAME', 'template'
  jsonError: null,
  saved: null, // {id, version} of the last save
  chart: null,
  previewSeq: 0,
  previewTimer: null,
  weight: null, // preview weight in the chosen unit
};

// The fields in the order docs/profiles.md lists them (the store gives them sorted by name).
const ORDER = ['format', 'id', 'name', 'region', 'mode', 'max_force', 'rest_force', 'hold', 'rest', 'ramp',
  'ramp_shape', 'progressive_steps', 'regressive_steps', 'duration', 'oscillation'];

function ordered(profile) {
  const out = {};
  for (const k of ORDER) if (k in profile) out[k] = profile[k];
  for (const k of Object.keys(profile)) if (!(k in out)) out[k] = profile[k];
  return out;
}

function pretty(profile) {
  return JSON.stringify(ordered(profile), null, 2);
}

// ---------- the list ----------

async function renderList(box) {
  replace(box, h('p', { class: 'note' }, 'Loading the clinic’s protocols…'));
  try {
    const r = await records.protocols();
    const list = r.protocols || [];
    replace(box,
      h('div', { class: 'panel' },
        h('div', { class: 'panel-head' },
          h('h2', {}, 'Clinic protocols'),
          h('div', { class: 'head-actions' },
            importButton(),
            h('a', { href: '#/clinic/protocols/new', class: 'button primary', id: 'protocol-new' }, 'New protocol'))),
        h('p', { class: 'note' }, 'The clinic’s own protocols, kept in the records for every table. Each save is a new version; the earlier versions stay.'),
        list.length ? h('table', { class: 'grid', id: 'protocols-table' },
          h('thead', {}, h('tr', {}, ['Name', 'Id', 'Region', 'Mode', 'Version', 'Saved', 'By'].map((t) => h('th', { scope: 'col' }, t)))),
          h('tbody', {}, list.map((p) => h('tr', { dataset: { id: p.id } },
            h('td', {}, h('a', { href: `#/clinic/protocols/${encodeURIComponent(p.id)}`, class: 'row-link' }, p.name || p.id)),
            h('td', {}, p.id), h('td', {}, p.region || ''), h('td', {}, p.mode || ''),
            h('td', { class: 'num' }, String(p.version ?? '')), h('td', {}, when(p.created_utc)), h('td', {}, p.created_by || '')))))
          : h('p', { class: 'note', id: 'protocols-none' }, 'No clinic protocol yet: make a new one, or import a file exported from another clinic or table.')));
  } catch (e) {
    replace(box, errorBox(e, { retry: () => renderList(box), sentence: 'The clinic’s protocols cannot be shown or changed until the records store is back. The stock protocols still work.' }));
  }
}

// "Import a file…": a file picked in the browser, read here, opened in the editor unsaved.
function importButton() {
  const input = h('input', { type: 'file', accept: '.json,application/json', id: 'protocol-import', class: 'visually-hidden' });
  input.addEventListener('change', () => {
    const file = input.files && input.files[0];
    if (!file) return;
    const reader = new FileReader();
    reader.onload = () => {
      let parsed;
      try {
        parsed = JSON.parse(String(reader.result));
      } catch (e) {
        importError(`${file.name} is not JSON: ${e.message}`);
        return;
      }
      // The profile itself, or an export that wraps it.
      const profile = parsed && typeof parsed === 'object' && !Array.isArray(parsed)
        ? (parsed.format ? parsed : parsed.profile && typeof parsed.profile === 'object' ? parsed.profile : parsed) : null;
      if (!profile) {
        importError(`${file.name} holds no protocol (a tractus.profile/1 JSON object).`);
        return;
      }
      editor.pendingImport = { profile, name: file.name };
      if (location.hash === '#/clinic/protocols/new') enter(['protocols', 'new']);
      else goTo('clinic', 'protocols', 'new');
    };
    reader.onerror = () => importError(`${file.name} could not be read: ${reader.error && reader.error.message}`);
    reader.readAsText(file);
    input.value = '';
  });
  return h('label', { class: 'button secondary file-button', for: 'protocol-import' }, 'Import a file…', input);
}

function importError(text) {
  const box = $('#clinic-protocols');
  const old = $('#import-problem');
  if (old) old.remove();
  box.prepend(h('div', { class: 'problems', role: 'alert', id: 'import-problem' }, h('p', { class: 'problems-title' }, 'Not imported'), h('p', {}, text)));
}

// ---------- the editor ----------

function field(f) {
  const value = editor.profile[f.key];
  const input = h('input', {
    type: 'text', id: `pf-${f.key}`, value: value === undefined ? '' : String(value),
    inputmode: f.number ? 'numeric' : null, spellcheck: 'false', autocomplete: 'off',
    'aria-describedby': `pf-${f.key}-hint`,
  });
  input.addEventListener('input', () => {
    const t = input.value.trim();
    if (!t) delete editor.profile[f.key];
    else editor.profile[f.key] = f.number && /^\d+$/.test(t) ? Number(t) : t;
    formChanged();
  });
  return h('div', { class: `pf-field${f.wide ? ' wide' : ''}`, dataset: { key: f.key } },
    h('label', { for: `pf-${f.key}` }, f.label),
    input,
    h('span', { class: 'note', id: `pf-${f.key}-hint` }, f.hint));
}

// The value a choice shows as chosen: the profile's, or the default of a field left out.
const DEFAULTS = { ramp_shape: 'linear' };
const chosen = (key) => editor.profile[key] ?? DEFAULTS[key];

function segmented(key, options, label) {
  return h('div', { class: 'pf-field' },
    h('span', { class: 'pf-label', id: `pf-${key}-label` }, label),
    h('span', { class: 'seg', role: 'radiogroup', 'aria-labelledby': `pf-${key}-label`, id: `pf-${key}` },
      options.map((o) => h('button', {
        type: 'button', role: 'radio', 'aria-checked': String(chosen(key) === o), 'aria-pressed': String(chosen(key) === o),
        dataset: { value: o },
        onclick: () => {
          if (key === 'mode' && editor.profile.mode !== o) {
            // Fields with no meaning in the new mode go (a profile with them is refused).
            for (const f of FIELDS) if (!f.modes.includes(o)) delete editor.profile[f.key];
            for (const f of FIELDS) if (f.modes.includes(o) && editor.profile[f.key] === undefined && TEMPLATES[o][f.key] !== undefined && f.key !== 'id' && f.key !== 'name') editor.profile[f.key] = TEMPLATES[o][f.key];
            // A cyclic session's ramps are always the S-curve (docs/profiles.md "Ramp shapes").
            if (o === 'cyclic') { delete editor.profile.oscillation; delete editor.profile.ramp_shape; }
          }
          editor.profile[key] = o;
          renderForm();
          formChanged();
        },
      }, o))));
}

function renderForm() {
  const box = $('#pf-form');
  if (!box) return;
  const mode = editor.profile.mode;
  replace(box,
    segmented('region', ['lumbar', 'cervical'], 'Region'),
    segmented('mode', ['static', 'intermittent', 'cyclic'], 'Mode'),
    mode === 'cyclic' ? null : segmented('ramp_shape', ['linear', 'logarithmic', 's-curve'], 'Ramp shape'),
    FIELDS.filter((f) => !mode || f.modes.includes(mode) || editor.profile[f.key] !== undefined).map(field),
    editor.profile.oscillation ? h('p', { class: 'note wide' }, 'Oscillation: edit it in the JSON.') : null);
}

// The form changed the profile: the JSON follows, and the preview.
function formChanged() {
  const text = $('#pf-json');
  if (text && document.activeElement !== text) text.value = pretty(editor.profile);
  editor.jsonError = null;
  renderJsonError();
  schedulePreview();
}

function jsonChanged() {
  const text = $('#pf-json').value;
  try {
    const parsed = JSON.parse(text);
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('the protocol is a JSON object { … }');
    editor.profile = parsed;
    editor.jsonError = null;
    renderForm();
  } catch (e) {
    editor.jsonError = e.message;
  }
  renderJsonError();
  schedulePreview();
}

function renderJsonError() {
  const box = $('#pf-json-problem');
  if (!box) return;
  setText(box, editor.jsonError ? `Not valid JSON: ${editor.jsonError}` : '');
  show(box, Boolean(editor.jsonError));
  $('#pf-json').setAttribute('aria-invalid', String(Boolean(editor.jsonError)));
  $('#pf-save').disabled = Boolean(editor.jsonError);
}

function schedulePreview() {
  clearTimeout(editor.previewTimer);
  editor.previewTimer = setTimeout(preview, 350);
}

function previewWeight() {
  return editor.weight ? quantity(editor.weight, weightUnit()) : null;
}

// The force curve of the profile as edited, for the weight entered (POST …/protocols/preview).
async function preview() {
  const summary = $('#pf-preview-summary');
  const problems = $('#pf-preview-problems');
  const chartBox = $('#pf-preview-chart');
  if (!summary) return;
  const destroy = () => {
    if (editor.chart) editor.chart.destroy();
    editor.chart = null;
  };
  if (editor.jsonError) {
    destroy();
    replace(summary, h('p', { class: 'note' }, 'Correct the JSON to see the force curve.'));
    replace(problems);
    return;
  }
  const weight = previewWeight();
  if (!weight) {
    destroy();
    replace(summary, h('p', { class: 'note' }, 'Enter a patient weight to see the forces.'));
    replace(problems);
    return;
  }
  const seq = ++editor.previewSeq;
  try {
    const r = await records.protocolPreview(editor.profile, weight);
    if (seq !== editor.previewSeq || !visible) return;
    replace(summary,
      h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'Peak'), h('span', { class: 'figure-value', id: 'pf-peak' }, formatForce(r.peak_N))),
      h('div', { class: 'figure' }, h('span', { class: 'figure-label' }, 'Duration'), h('span', { class: 'figure-value' }, formatDuration(r.duration_s))),
      h('div', { class: 'figure ok' }, h('span', { class: 'figure-label' }, 'For'), h('span', { class: 'figure-value' }, weight)));
    replace(problems);
    destroy();
    editor.chart = curveChart(chartBox, r.points || []);
  } catch (e) {
    if (seq !== editor.previewSeq || !visible) return;
    destroy();
    replace(summary, h('div', { class: 'figure bad' }, h('span', { class: 'figure-label' }, 'Not usable'), h('span', { class: 'figure-value' }, weight)));
    replace(problems, errorBox(e));
    markFields(e);
  }
}

// Marks the fields the server's problems name ("/max_force: …").
function markFields(e) {
  const named = new Set();
  for (const p of e.problems || []) {
    const m = /\/(?:profile\/)?([a-z_]+)\b/.exec(p);
    if (m) named.add(m[1]);
  }
  $$('#pf-form [data-key]').forEach((node) => {
    const input = node.querySelector('input');
    if (input) input.setAttribute('aria-invalid', String(named.has(node.dataset.key)));
  });
}

async function save() {
  const author = $('#pf-author').value.trim();
  const box = $('#pf-save-problems');
  replace(box);
  if (!author) {
    replace(box, h('p', { class: 'bad-text', role: 'alert' }, 'Enter your initials: each version names who saved it.'));
    $('#pf-author').focus();
    return;
  }
  const button = $('#pf-save');
  button.disabled = true;
  try {
    const r = await records.saveProtocol(author, editor.profile);
    store.profiles = null; // the protocol lists read them again
    editor.saved = r;
    editor.viewVersion = null;
    editor.shownSaved = false;
    editor.pendingImport = null;
    if (r.id && (r.id !== editor.id || location.hash !== `#/clinic/protocols/${encodeURIComponent(r.id)}`)) {
      goTo('clinic', 'protocols', encodeURIComponent(r.id));
    } else {
      await openProtocol(r.id || editor.id);
    }
  } catch (e) {
    replace(box, errorBox(e));
    markFields(e);
  } finally {
    button.disabled = Boolean(editor.jsonError);
  }
}

function renderEditor(box) {
  const info = editor.info;
  const title = editor.id ? `${editor.profile.name || editor.id}` : 'New clinic protocol';
  const json = h('textarea', { id: 'pf-json', class: 'json', rows: '16', spellcheck: 'false', 'aria-describedby': 'pf-json-problem' });
  json.value = pretty(editor.profile);
  json.addEventListener('input', jsonChanged);
  json.addEventListener('blur', () => { if (!editor.jsonError) json.value = pretty(editor.profile); });
  const weight = h('input', { id: 'pf-weight', type: 'text', inputmode: 'decimal', maxlength: '6', value: editor.weight ?? '', 'aria-label': 'Patient weight for the preview' });
  weight.addEventListener('input', () => {
    editor.weight = parseWeight(weight.value);
    schedulePreview();
  });
  const units = h('span', { class: 'seg weight-units', role: 'group', 'aria-label': 'Weight unit' },
    ['kg', 'lb'].map((u) => h('button', {
      type: 'button', dataset: { wunit: u }, 'aria-pressed': String(weightUnit() === u),
      onclick: () => {
        const from = weightUnit();
        if (u === from) return;
        if (editor.weight) editor.weight = Math.round(kgToWeight(weightToKg(editor.weight, from), u) * 10) / 10;
        setWeightUnit(u);
      },
    }, u)));
  const saved = editor.saved && editor.saved.id === editor.id;
  if (saved) editor.shownSaved = true;
  replace(box,
    h('div', { class: 'record-head' },
      h('a', { href: '#/clinic/protocols', class: 'button secondary back' }, '← Clinic protocols'),
      h('h2', { id: 'pf-title' }, title, editor.id && info ? h('span', { class: 'title-sub' }, ` version ${info.version}`) : null),
      editor.id ? downloadLinks([{ label: 'Export', format: 'json', href: records.protocolExport(editor.id, info && info.version), title: 'This version as a file for another clinic or table' }], { cls: 'protocol-export' }) : null),
    saved ? h('p', { class: 'ok-box', role: 'status', id: 'pf-saved' }, editor.saved.unchanged
      ? `Nothing to save: version ${editor.saved.version} is the same.`
      : `Saved as version ${editor.saved.version}${editor.saved.version > 1 ? '. The earlier versions stay in the records.' : '.'}`) : null,
    info && info.versions && info.version !== Math.max(...info.versions.map((v) => v.version)) ? h('p', { class: 'hint-box', id: 'pf-old-version' },
      `This is version ${info.version}, not the newest. Saving it makes it the newest version again.`) : null,
    editor.source && editor.source.startsWith('file') ? h('p', { class: 'hint-box', id: 'pf-imported' },
      `Imported from ${editor.source.slice(5)}, not saved yet: check the curve, then save it.`) : null,
    h('div', { class: 'editor-grid' },
      h('div', { class: 'panel editor-fields' },
        h('h3', {}, 'Fields'),
        h('div', { id: 'pf-form', class: 'pf-form' }),
        h('details', { class: 'json-box', open: editor.jsonOpen || undefined, ontoggle: (e) => { editor.jsonOpen = e.currentTarget.open; } },
          h('summary', {}, 'The whole protocol as JSON (every field, oscillation included)'),
          json,
          h('p', { class: 'bad-text', id: 'pf-json-problem', hidden: true, role: 'alert' }))),
      h('div', { class: 'panel editor-preview' },
        h('div', { class: 'preview-head' },
          h('h3', {}, 'Force curve'),
          h('label', { class: 'inline-field' }, 'Patient weight', weight, units)),
        h('div', { id: 'pf-preview-summary', class: 'preview-summary' }),
        h('div', { id: 'pf-preview-chart', class: 'preview-chart' }),
        h('div', { id: 'pf-preview-problems' }),
        h('div', { class: 'save-row' },
          h('label', { for: 'pf-author', class: 'inline-field' }, 'Your initials',
            h('input', { id: 'pf-author', type: 'text', maxlength: '16', autocomplete: 'off', value: editor.author || '' })),
          h('button', { type: 'button', class: 'primary', id: 'pf-save', onclick: save }, editor.id ? 'Save as a new version' : 'Save protocol')),
        h('div', { id: 'pf-save-problems' }))),
    info && info.versions && info.versions.length ? h('div', { class: 'panel' },
      h('h3', {}, 'Versions'),
      h('ul', { class: 'versions' }, info.versions.slice().sort((a, b) => b.version - a.version).map((v, i) => h('li', { class: v.version === info.version ? 'current' : '' },
        h('a', { href: `#/clinic/protocols/${encodeURIComponent(editor.id)}/${v.version}`, class: 'version-link' }, `version ${v.version}`),
        ` · ${when(v.created_utc)} · ${v.created_by || 'unnamed'}${i === 0 ? ' · the one in use' : ''}${v.version === info.version ? ' · shown' : ''}`)))) : null);
  $('#pf-author').addEventListener('input', (e) => { editor.author = e.target.value; });
  renderForm();
  renderJsonError();
  preview();
}

async function openProtocol(id, version = null) {
  const box = $('#clinic-protocols');
  if (editor.chart) editor.chart.destroy();
  editor.chart = null;
  if (id === 'new') {
    editor.id = null;
    editor.info = null;
    if (editor.pendingImport) {
      editor.profile = ordered(editor.pendingImport.profile);
      editor.source = `file ${editor.pendingImport.name}`;
      editor.pendingImport = null;
    } else {
      editor.profile = JSON.parse(JSON.stringify(TEMPLATES.intermittent));
      editor.source = 'template';
    }
    editor.jsonError = null;
    renderEditor(box);
    return;
  }
  replace(box, h('p', { class: 'note' }, `Loading ${id}…`));
  try {
    const r = await records.protocol(id, version);
    editor.id = r.id || id;
    editor.info = r;
    editor.profile = ordered(r.profile || {});
    editor.source = `version ${r.version}`;
    editor.jsonError = null;
    renderEditor(box);
    const done = $('#pf-saved');
    if (done) done.scrollIntoView({ block: 'nearest' });
  } catch (e) {
    replace(box, h('div', { class: 'record-head' }, h('a', { href: '#/clinic/protocols', class: 'button secondary back' }, '← Clinic protocols')),
      errorBox(e, { retry: () => openProtocol(id), sentence: 'The clinic’s protocols cannot be shown or changed until the records store is back. The stock protocols still work.' }));
  }
}

// ---------- the clinic's limits ----------

const LIMITS = [
  ['lumbar_hard_cap', 'Lumbar hard cap', 'a force: 600 N, 135 lbf'],
  ['cervical_hard_cap', 'Cervical hard cap', 'a force'],
  ['lumbar_clinical_cap_percent_bw', 'Lumbar clinical cap', 'e.g. 40 %bw'],
  ['cervical_clinical_cap_percent_bw', 'Cervical clinical cap', 'e.g. 15 %bw'],
  ['min_cord_tension', 'Minimum cord tension', 'a force (at most 30 N)'],
  ['max_rate', 'Fastest force change', 'e.g. 30 N/s'],
  ['min_hold_rest', 'Shortest hold or rest', 'e.g. 10 s'],
  ['max_hold_rest', 'Longest hold or rest', 'e.g. 3 min'],
  ['min_ramp', 'Shortest ramp', 'a duration'],
  ['max_ramp', 'Longest ramp', 'a duration'],
  ['min_duration', 'Shortest session', 'a duration'],
  ['max_duration', 'Longest session', 'e.g. 30 min'],
  ['max_steps', 'Most progressive or regressive steps', 'a whole number'],
  ['max_oscillation_percent_of_max', 'Largest oscillation', 'e.g. 15 %max'],
  ['min_oscillation_frequency', 'Slowest oscillation', 'e.g. 0.1 Hz'],
  ['max_oscillation_frequency', 'Fastest oscillation', 'e.g. 0.5 Hz'],
];

async function renderLimits(answer = null, saved = false) {
  const box = $('#clinic-limits');
  let r = answer;
  if (!r) {
    replace(box, h('p', { class: 'note' }, 'Loading the clinic’s limits…'));
    try {
      r = await records.limits();
    } catch (e) {
      replace(box, errorBox(e, { retry: () => renderLimits(), sentence: 'The clinic’s limits cannot be shown or changed until the records store is back. The limits in force on this table stay in force.' }));
      return;
    }
  }
  const set = r.limits || {};
  const effective = r.effective || {};
  const machine = r.machine || {};
  const own = r.table || {};
  const known = new Set(LIMITS.map((l) => l[0]));
  const rows = [...LIMITS, ...Object.keys(effective).filter((k) => !known.has(k)).map((k) => [k, k.replace(/_/g, ' '), ''])];
  const form = h('form', { class: 'panel limits-form', id: 'limits-form', autocomplete: 'off', novalidate: true },
    h('h2', {}, 'Clinic limits'),
    h('p', { class: 'note' }, 'Every protocol on every table of the clinic is checked against these. A clinic may make the machine’s limits stricter, never looser. Leave a field empty to keep the machine’s limit.'),
    saved ? h('p', { class: 'ok-box', role: 'status', id: 'limits-saved' }, 'Saved: every table of the clinic checks its protocols against these from now.') : null,
    r.set_utc ? h('p', { class: 'note', id: 'limits-set' }, `Last set ${when(r.set_utc)} by ${r.set_by || 'unnamed'}.`) : null,
    h('table', { class: 'grid limits-grid' },
      h('thead', {}, h('tr', {}, ['Limit', 'The clinic’s', 'In force on this table', 'The machine’s'].map((t) => h('th', { scope: 'col' }, t)))),
      h('tbody', {}, rows.map(([key, label, hint]) => h('tr', { dataset: { member: key } },
        h('th', { scope: 'row' }, h('label', { for: `limit-${key}` }, label)),
        h('td', {}, h('input', { type: 'text', id: `limit-${key}`, value: set[key] ?? '', placeholder: hint, maxlength: '32', spellcheck: 'false', 'aria-describedby': `limit-${key}-problem` }),
          h('div', { class: 'limit-problem', id: `limit-${key}-problem` })),
        h('td', { class: `effective${effective[key] !== machine[key] ? ' lowered' : ''}` }, effective[key] !== undefined ? String(effective[key]) : '—',
          own[key] !== undefined && own[key] !== machine[key] ? h('span', { class: 'note block' }, `this table’s own file: ${own[key]}`) : null),
        h('td', { class: 'machine' }, machine[key] !== undefined ? String(machine[key]) : '—'))))),
    h('div', { class: 'form-actions' },
      h('div', { id: 'limits-problems', class: 'grow' }),
      h('label', { for: 'limits-author', class: 'inline-field' }, 'Your initials', h('input', { id: 'limits-author', type: 'text', maxlength: '16' })),
      h('button', { type: 'submit', class: 'primary', id: 'limits-save' }, 'Save limits')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const author = $('#limits-author').value.trim();
    const problems = $('#limits-problems');
    replace(problems);
    $$('#limits-form .limit-problem').forEach((n) => replace(n));
    $$('#limits-form input[id^="limit-"]').forEach((n) => n.setAttribute('aria-invalid', 'false'));
    if (!author) {
      replace(problems, h('p', { class: 'bad-text', role: 'alert' }, 'Enter your initials: the records keep who set the limits.'));
      return;
    }
    const limits = {};
    for (const [key] of rows) {
      const v = $(`#limit-${key}`).value.trim();
      if (v) limits[key] = key === 'max_steps' && /^\d+$/.test(v) ? Number(v) : v;
    }
    const button = $('#limits-save');
    button.disabled = true;
    try {
      const answer = await records.setLimits(author, limits);
      store.profiles = null; // what is allowed may have changed
      await renderLimits(answer && answer.effective ? answer : null, true);
      const done = $('#limits-saved');
      if (done) done.scrollIntoView({ block: 'nearest' });
    } catch (e) {
      // Each problem beside its member; every one listed below too.
      for (const p of e.problems || []) {
        const key = rows.map((x) => x[0]).find((k) => p.includes(`/${k}`));
        if (key) {
          $(`#limit-${key}-problem`).append(h('span', { class: 'bad-text' }, p.replace(/^.*?\/[a-z_]+: /, '')));
          $(`#limit-${key}`).setAttribute('aria-invalid', 'true');
        }
      }
      replace(problems, isUnavailable(e) ? errorBox(e) : problemList(e));
      // The first limit refused, where its problem is said.
      const first = $('#limits-form input[aria-invalid="true"]');
      if (first) {
        first.scrollIntoView({ block: 'center' });
        first.focus({ preventScroll: true });
      }
    } finally {
      button.disabled = false;
    }
  });
  replace(box, form);
}

// ---------- the screen ----------

export function init({ go }) {
  goTo = go;
  onUnitsChange(() => {
    if (!visible || tab !== 'protocols' || !$('#pf-weight')) return;
    $('#pf-weight').value = editor.weight ?? '';
    $$('#clinic-protocols .weight-units button').forEach((b) => b.setAttribute('aria-pressed', String(b.dataset.wunit === weightUnit())));
    preview();
  });
}

export function enter(params = []) {
  visible = true;
  tab = params[0] === 'limits' ? 'limits' : 'protocols';
  show($('#clinic-protocols'), tab === 'protocols');
  show($('#clinic-limits'), tab === 'limits');
  $$('#screen-clinic [data-clinic-tab]').forEach((a) => a.setAttribute('aria-selected', String(a.dataset.clinicTab === tab)));
  if (editor.weight === null) editor.weight = weightUnit() === 'lb' ? 176 : 80;
  if (tab === 'limits') {
    renderLimits();
  } else if (params[1]) {
    const id = decodeURIComponent(params[1]);
    // "Saved as version N" is said once, on the protocol just saved.
    if (!editor.saved || editor.saved.id !== id || editor.shownSaved) editor.saved = null;
    editor.shownSaved = false;
    openProtocol(id, /^\d+$/.test(params[2] || '') ? Number(params[2]) : null);
  } else {
    renderList($('#clinic-protocols'));
  }
}

export function leave() {
  visible = false;
  clearTimeout(editor.previewTimer);
  if (editor.chart) editor.chart.destroy();
  editor.chart = null;
}
