// The daily verification: hang a known load (500 N by default) and read it through the
// calibration in force; it passes within ±0.5 % of the load, never tighter than ±2 N. A failed
// verification takes the calibration out of force until one passes.

import { api } from '../../api.js';
import { h, replace, problemList } from '../../dom.js';
import { kvTable } from '../../format.js';
import { formatForce } from '../../units.js';

let root = null;
const form = { load: '500', technician: '' };
let result = null;
let error = null;
let busy = false;

async function verify() {
  const n = Number(form.load);
  if (!Number.isFinite(n) || n <= 0) {
    error = { message: 'The load is a number of newtons, e.g. 500.' };
    render();
    return;
  }
  busy = true;
  error = null;
  result = null;
  render();
  try {
    const body = { load_N: n };
    if (form.technician.trim()) body.technician = form.technician.trim();
    result = await api.verification(body);
  } catch (e) {
    error = e;
  } finally {
    busy = false;
    render();
  }
}

function resultView() {
  const pass = Boolean(result.passed);
  return h('div', {},
    h('div', { class: `verdict-tile ${pass ? 'ok' : 'bad'}`, id: 'verify-verdict' }, pass ? 'PASSED' : 'FAILED — the calibration is out of force'),
    kvTable({
      reference: typeof result.reference_N === 'number' ? formatForce(result.reference_N, { unit: 'N' }) : undefined,
      measured: typeof result.measured_N === 'number' ? `${result.measured_N.toFixed(2)} N` : undefined,
      error: typeof result.error_N === 'number' ? `${result.error_N.toFixed(2)} N (allowed ±${Number(result.tolerance_N).toFixed(2)} N)` : undefined,
      calibration: result.record_id,
    }),
    result.text ? h('p', { class: 'note' }, result.text) : null,
    result.message ? h('p', { class: 'bad-text' }, result.message) : null);
}

function render() {
  if (!root) return;
  const field = (label, key, attrs) => h('div', { class: 'field-row' }, h('label', { for: `verify-${key}` }, label),
    h('input', { type: 'text', id: `verify-${key}`, value: form[key], oninput: (e) => { form[key] = e.target.value; }, ...attrs }));
  replace(root, h('div', { class: 'panel narrow' },
    h('h2', {}, 'Daily verification'),
    h('p', {}, 'Take the harness off, hang the verification weight on the load cell, let it settle, then verify.'),
    field('Load on the cell (N)', 'load', { inputmode: 'decimal', size: 6 }),
    field('Technician', 'technician', { placeholder: 'name or staff id', autocomplete: 'off' }),
    h('div', { class: 'field-row' }, h('button', { type: 'button', class: 'primary', id: 'verify-run', disabled: busy, onclick: verify }, busy ? 'Reading…' : 'Verify')),
    result ? resultView() : null,
    error ? problemList(error) : null));
}

export function enter(node) {
  root = node;
  render();
}

export function leave() {
  root = null;
}
