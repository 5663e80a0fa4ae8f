// Muscle guarding (docs/console.md "Muscle guarding"): while the force loop's detector reports an
// event under way (the frame's `guarding`), a calm notice under the header on every screen — not
// an alarm: no sound, no acknowledgement — that clears at the event's end; and the session's
// guarding events, for the treatment screen's log. Sizes come in newtons and are shown in the
// force unit the operator chose.

import { role } from './api.js';
import { $, setText, show } from './dom.js';
import { formatForce, onUnitsChange } from './units.js';
import * as telemetry from './telemetry.js';

// The notice's words, in the chosen unit: "Muscle guarding — the table is easing off (≈ 14 lbf)".
export function guardingTitle(sizeN) {
  const size = Number.isFinite(sizeN) && sizeN > 0 ? ` (≈ ${formatForce(sizeN)})` : '';
  return `Muscle guarding — the table is easing off${size}`;
}

// "2 muscle-guarding events, largest ≈ 4.2 lbf": the journal summary's `guarding` block
// ({events, largest_n, seconds}) or a count; '' when there is none to tell, 'none' for zero.
export function guardingSummary(g) {
  if (!g || typeof g !== 'object' || typeof g.events !== 'number') return '';
  if (g.events === 0) return 'no muscle guarding';
  const largest = typeof g.largest_n === 'number' && g.largest_n > 0 ? `, largest ≈ ${formatForce(g.largest_n)}` : '';
  return `${g.events} muscle-guarding event${g.events === 1 ? '' : 's'}${largest}`;
}

let last = null; // the latest frame, for a redraw when the unit changes

function render(frame) {
  last = frame;
  const notice = $('#guarding-notice');
  const on = Boolean(role() && frame && frame.loop_running !== false && frame.guarding === true);
  show(notice, on);
  document.body.classList.toggle('guarding', on);
  if (!on) return;
  setText($('#guarding-title'), guardingTitle(frame.guarding_N));
}

export function initGuarding() {
  telemetry.onFrame(render);
  telemetry.onStatus((s) => {
    if (s === 'offline') render(null);
  });
  onUnitsChange(() => { if (last) render(last); });
}
