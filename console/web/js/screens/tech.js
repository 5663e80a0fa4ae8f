// The technician's screens behind the technician PIN: diagnostics, fault history, the
// calibration wizard and the daily verification, as tabs (#/tech/NAME).

import { $, $$, show } from '../dom.js';
import * as diagnostics from './tech/diagnostics.js';
import * as faults from './tech/faults.js';
import * as calibration from './tech/calibration.js';
import * as verification from './tech/verification.js';

const TABS = { diagnostics, faults, calibration, verification };
let current = null;

export function init(ctx) {
  for (const tab of Object.values(TABS)) if (tab.init) tab.init(ctx);
}

export function enter(params) {
  const name = TABS[params[0]] ? params[0] : 'diagnostics';
  if (current && current !== TABS[name] && current.leave) current.leave();
  for (const n of Object.keys(TABS)) show($(`#tech-${n}`), n === name);
  $$('#screen-tech [data-tab]').forEach((a) => a.setAttribute('aria-selected', String(a.dataset.tab === name)));
  current = TABS[name];
  current.enter($(`#tech-${name}`));
}

export function leave() {
  if (current && current.leave) current.leave();
  current = null;
}
