// Fault history: every fault in the journals, and every session a crash cut short
// ("interrupted"), newest first, with its code and meaning.

import { api } from '../../api.js';
import { h, replace, problemList } from '../../dom.js';
import { describeFault } from '../../faults.js';
import { pick, when } from '../../format.js';
import { formatDuration } from '../../units.js';

export async function enter(root) {
  replace(root, h('p', { class: 'note' }, 'Loading…'));
  try {
    const r = await api.faults();
    const list = Array.isArray(r) ? r : r.faults || [];
    if (!list.length) {
      replace(root, h('div', { class: 'panel' }, h('h2', {}, 'Fault history'), h('p', { class: 'note' }, 'No faults recorded in the journals.')));
      return;
    }
    replace(root, h('div', { class: 'panel scroll' }, h('h2', {}, `Fault history (${list.length})`),
      h('table', { class: 'grid', id: 'fault-table' },
        h('thead', {}, h('tr', {}, h('th', {}, 'When'), h('th', {}, 'Session'), h('th', {}, 'At'), h('th', {}, 'Code'), h('th', {}, 'Meaning'))),
        h('tbody', {}, list.map((f) => {
          const code = pick(f, 'code', 'fault.code');
          const d = describeFault(code, { name: pick(f, 'name', 'fault.name'), meaning: pick(f, 'meaning', 'fault.meaning') });
          const t = pick(f, 't_s', 't', 'time_s');
          // An interrupted session (code null): tractus stopped mid-session, as critical as a 3xx.
          const critical = code >= 300 || pick(f, 'name') === 'interrupted';
          return h('tr', { class: critical ? 'critical' : '' },
            h('td', {}, when(pick(f, 'started_utc', 'wall_time', 'started', 'date', 'time'))),
            h('td', {}, String(pick(f, 'session', 'session_id') || '')),
            h('td', {}, typeof t === 'number' ? formatDuration(t) : ''),
            h('td', {}, h('span', { class: 'code' }, String(code ?? '')), ' ', d.name),
            h('td', {}, d.meaning));
        })))));
  } catch (e) {
    replace(root, problemList(e));
  }
}
