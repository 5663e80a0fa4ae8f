// What the records screens share (patients, a course, the clinic's protocols): the notice for a
// records store that cannot be used, the 0–10 pain picker, report downloads, and the server's
// problems sorted under the fields they name.

import { fetchFile } from './api.js';
import { h, replace, problemList } from './dom.js';

// The store cannot be used (503 records-unavailable; a visit's session refused with 120).
export function isUnavailable(error) {
  return Boolean(error) && (error.code === 'records-unavailable'
    || (error.status === 503 && error.body && error.body.error && error.body.error.fault_code === 120));
}

// The words for a store that cannot be used: what happened, what still works, what to do.
export function unavailableNotice(error, { retry = null, sentence = null } = {}) {
  const code = error && error.body && error.body.error && error.body.error.fault_code;
  return h('div', { class: 'records-down', role: 'alert' },
    h('p', { class: 'problems-title' }, code ? h('span', { class: 'code' }, String(code)) : null,
      'The clinic’s records cannot be reached'),
    h('p', {}, sentence || 'Patients, courses and visits cannot be shown or changed until the records store is back.'),
    error && error.message ? h('p', { class: 'note records-why' }, error.message) : null,
    h('p', {}, 'Sessions without a course visit still work: ',
      h('a', { href: '#/protocols', class: 'button secondary inline' }, 'New session'),
      ' — they are added to the records by themselves once the store is back.'),
    retry ? h('button', { type: 'button', class: 'secondary', onclick: retry }, 'Try again') : null);
}

// The right box for an API error: the store's notice, or the problems in words.
export function errorBox(error, opts = {}) {
  return isUnavailable(error) ? unavailableNotice(error, opts) : problemList(error);
}

// A 0–10 pain score on the numeric rating scale, as big buttons. onChange(score).
export function painPicker({ label, value = null, onChange = () => {}, id = null }) {
  const labelId = id ? `${id}-label` : null;
  const group = h('div', { class: 'pain-picker', role: 'radiogroup', 'aria-labelledby': labelId, id });
  const buttons = [];
  const set = (v) => {
    group.dataset.value = v === null ? '' : String(v);
    buttons.forEach((b, i) => b.setAttribute('aria-checked', String(i === v)));
  };
  for (let i = 0; i <= 10; i += 1) {
    const b = h('button', {
      type: 'button', role: 'radio', class: `pain pain-${i}`, 'aria-checked': 'false',
      'aria-label': `${label}: ${i} of 10`, dataset: { score: String(i) },
      onclick: () => { set(i); onChange(i); },
    }, String(i));
    buttons.push(b);
    group.append(b);
  }
  set(value);
  return h('div', { class: 'pain-field' },
    h('div', { class: 'pain-label', id: labelId }, label),
    group,
    h('div', { class: 'pain-scale note' }, h('span', {}, '0 no pain'), h('span', {}, '10 worst imaginable')));
}

// Saves a blob under a file name, as a download the browser keeps.
function save(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = h('a', { href: url, download: name, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

// Download links for reports: [{label, href, title}] → links that fetch with the token (a
// plain link cannot send it) and save the file; a refusal is said beside them.
export function downloadLinks(items, { label = null, cls = '' } = {}) {
  const status = h('span', { class: 'download-status', role: 'status', 'aria-live': 'polite' });
  const links = items.map((item) => h('a', {
    href: item.href,
    class: `button download ${item.cls || ''}`,
    download: '',
    title: item.title || null,
    dataset: { format: item.format || item.label.toLowerCase() },
    onclick: async (event) => {
      event.preventDefault();
      const link = event.currentTarget;
      if (link.getAttribute('aria-busy') === 'true') return;
      link.setAttribute('aria-busy', 'true');
      replace(status, `Preparing ${item.label}…`);
      try {
        const { blob, name } = await fetchFile(item.href);
        save(blob, name);
        replace(status, `${item.label} saved as ${name}`);
      } catch (e) {
        replace(status, h('span', { class: 'bad-text' },
          `${item.label} not available: ${e.message}${e.problems.length ? ` (${e.problems.join('; ')})` : ''}`));
      } finally {
        link.removeAttribute('aria-busy');
      }
    },
  }, item.label));
  return h('div', { class: `downloads ${cls}` }, label ? h('span', { class: 'downloads-label' }, label) : null, links, status);
}

// The server's problems, each under the field it names. `fields` maps a field to the pointer
// names that belong to it: {ceiling: ['ceiling', 'ceiling_n']}. Returns {field: [text…],
// other: [text…]}; a problem naming no field (or one not listed) goes to `other`.
export function sortProblems(error, fields) {
  const out = { other: [] };
  for (const f of Object.keys(fields)) out[f] = [];
  const all = error.problems && error.problems.length ? error.problems : [error.message];
  for (const p of all) {
    const m = /(?:^|\s|:)\/([a-z_]+)\b/.exec(p);
    const name = m ? m[1] : null;
    const field = name ? Object.keys(fields).find((f) => fields[f].includes(name)) : null;
    (field ? out[field] : out.other).push(p);
  }
  return out;
}

// The problems of one field, under its input (aria-describedby points here).
export function fieldError(node, problems) {
  // Under its field a problem needs no pointer: "course: /ceiling_n: 444.8 N …" → "444.8 N …".
  const words = (p) => String(p).replace(/^(?:[a-z]+: )?\/[a-z_]+: /, '');
  replace(node, problems.length ? h('ul', { class: 'field-problems' }, problems.map((p) => h('li', {}, words(p)))) : null);
  node.hidden = !problems.length;
}
