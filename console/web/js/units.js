// Units at the edge (DESIGN §2): the server speaks newtons and seconds; the operator may read and
// type forces in N, lbf or kgf and body weight in kg or lb. The choice is kept in localStorage so
// the table remembers the operator's habit; until this browser has made one, the clinic's default
// units (the configuration file's display_units, served by GET /api/info) are in force.

export const NEWTONS_PER_LBF = 4.4482216152605; // exact by definition (avoirdupois pound × g0)
export const NEWTONS_PER_KGF = 9.80665; // standard gravity
export const KG_PER_LB = 0.45359237; // exact by definition

const FORCE_UNITS = {
  N: { per: 1, decimals: 0 },
  lbf: { per: NEWTONS_PER_LBF, decimals: 1 },
  kgf: { per: NEWTONS_PER_KGF, decimals: 1 },
};
export const FORCE_UNIT_NAMES = Object.keys(FORCE_UNITS);
export const WEIGHT_UNIT_NAMES = ['kg', 'lb'];

const listeners = new Set();
// This browser's own choices (null: none yet), and the units in force.
const saved = {
  force: read('tractus.forceUnit', FORCE_UNIT_NAMES),
  weight: read('tractus.weightUnit', WEIGHT_UNIT_NAMES),
};
const prefs = { force: saved.force ?? 'N', weight: saved.weight ?? 'kg' };

function read(key, allowed) {
  try {
    const v = localStorage.getItem(key);
    return allowed.includes(v) ? v : null;
  } catch {
    return null;
  }
}

// The clinic's defaults, {force, weight} from GET /api/info: taken where this browser has no
// choice of its own, so an operator who picked lbf keeps lbf.
export function useClinicDefaults(units) {
  const next = {
    force: !saved.force && FORCE_UNIT_NAMES.includes(units?.force) ? units.force : prefs.force,
    weight: !saved.weight && WEIGHT_UNIT_NAMES.includes(units?.weight) ? units.weight : prefs.weight,
  };
  if (next.force === prefs.force && next.weight === prefs.weight) return;
  Object.assign(prefs, next);
  listeners.forEach((fn) => fn());
}

export function forceUnit() {
  return prefs.force;
}
export function weightUnit() {
  return prefs.weight;
}

export function setForceUnit(unit) {
  choose('force', 'tractus.forceUnit', FORCE_UNIT_NAMES, unit);
}

export function setWeightUnit(unit) {
  choose('weight', 'tractus.weightUnit', WEIGHT_UNIT_NAMES, unit);
}

// The operator's choice is kept even when it is already in force: it is theirs from now on,
// whatever the clinic's default becomes.
function choose(kind, key, allowed, unit) {
  if (!allowed.includes(unit)) return;
  saved[kind] = unit;
  try { localStorage.setItem(key, unit); } catch { /* private mode */ }
  if (unit === prefs[kind]) return;
  prefs[kind] = unit;
  listeners.forEach((fn) => fn());
}

// Called whenever a unit preference changes (readouts and plots redraw).
export function onUnitsChange(fn) {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

// Newtons in the chosen force unit, as a number.
export function fromNewtons(n, unit = prefs.force) {
  return n / FORCE_UNITS[unit].per;
}

// "313 N", "70.4 lbf"; "—" for a missing value.
export function formatForce(n, { unit = prefs.force, withUnit = true } = {}) {
  if (n === null || n === undefined || !Number.isFinite(n)) return withUnit ? `— ${unit}` : '—';
  let v = fromNewtons(n, unit).toFixed(FORCE_UNITS[unit].decimals);
  if (/^-0(\.0+)?$/.test(v)) v = v.slice(1); // a slack cord reads a hair below zero: show 0
  return withUnit ? `${v} ${unit}` : v;
}

export function forceDecimals(unit = prefs.force) {
  return FORCE_UNITS[unit].decimals;
}

// Body weight: kg <-> the chosen unit.
export function weightToKg(value, unit) {
  return unit === 'lb' ? value * KG_PER_LB : value;
}
export function kgToWeight(kg, unit) {
  return unit === 'lb' ? kg / KG_PER_LB : kg;
}

// The server's quantity grammar (profiles/quantity_text): digits, an optional "." and digits,
// one optional space, a unit. No exponent, no leading ".".
export function quantity(value, unit, decimals = 1) {
  let text = Number(value).toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return `${text} ${unit}`;
}

// Parses what the operator typed as a weight: "80", "80.5" (in the chosen unit). Returns null
// when it is not a positive number.
export function parseWeight(text) {
  const t = String(text).trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  const v = Number(t);
  return v > 0 && Number.isFinite(v) ? v : null;
}

// 312.4 s -> "5:12"; 3725 s -> "1:02:05".
export function formatDuration(seconds) {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—:——';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}
