// What the screens share: the table's info, the protocol list, and the session being prepared
// (protocol → patient → screening) before it is loaded. Nothing here is stored beyond the page:
// a patient id never lands in the browser's storage.

import { weightUnit, setWeightUnit, kgToWeight, weightToKg, quantity } from './units.js';

export const store = {
  info: null, // GET /api/info
  profiles: null, // GET /api/profiles (array)
  clinicUnavailable: null, // why the clinic's own protocols are missing from it, or null
  draft: {
    profileId: null,
    patientId: '',
    weight: null, // number in the chosen weight unit (units.weightUnit())
    preview: null, // {points, peak_N, duration_s} for profileId at weight
    // A course visit being prepared (the course screen → screening): its session is loaded with
    // "visit_id", the course's protocol at the force the clinician confirmed. Null for a
    // session without a visit.
    visit: null, // {id, number, courseId, forceN, weightText}
  },
  loaded: null, // the loaded session as GET /api/state describes it
  // The course visit the loaded (or last) session was loaded for, so the treatment screen can
  // say so and lead back to the course for the pain after: {courseId, visitId, number,
  // patientId, forceN, sessionId}. Null when the session was not a visit's.
  visitSession: null,
  // The id of the session the treatment screen shows: every command the page sends for it names
  // it (start, pause, resume, acknowledge), so a page that fell behind acts on nothing else.
  shownSessionId: null,
};

export function profileById(id) {
  return (store.profiles || []).find((p) => p.id === id) || null;
}

export function resetDraft() {
  store.draft.profileId = null;
  store.draft.patientId = '';
  store.draft.preview = null;
  store.draft.visit = null;
}

// A new session without a visit: the course visit being prepared, if any, is dropped (its
// protocol and patient stay as a starting point).
export function leaveVisit() {
  if (!store.draft.visit) return;
  store.draft.visit = null;
  store.draft.preview = null;
}

// The weight as the server reads it ("80 kg", "176.4 lb"), or null when none was entered. A
// course visit's is the records' body mass as it is kept, in kg (not rounded to the unit).
export function weightQuantity() {
  if (store.draft.visit) return store.draft.visit.weightText;
  const w = store.draft.weight;
  return w ? quantity(w, weightUnit()) : null;
}

export function weightKg() {
  const w = store.draft.weight;
  return w ? weightToKg(w, weightUnit()) : null;
}

// Switches kg <-> lb and converts the weight already entered.
export function switchWeightUnit(unit) {
  const from = weightUnit();
  if (unit === from) return;
  if (store.draft.weight) {
    const kg = weightToKg(store.draft.weight, from);
    store.draft.weight = Math.round(kgToWeight(kg, unit) * 10) / 10;
  }
  setWeightUnit(unit);
}
