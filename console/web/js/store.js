// What the screens share: the table's info, the protocol list, and the session being prepared
// (protocol → patient → screening) before it is loaded. Nothing here is stored beyond the page:
// a patient id never lands in the browser's storage.

import { weightUnit, setWeightUnit, kgToWeight, weightToKg, quantity } from './units.js';

export const store = {
  info: null, // GET /api/info
  profiles: null, // GET /api/profiles (array)
  draft: {
    profileId: null,
    patientId: '',
    weight: null, // number in the chosen weight unit (units.weightUnit())
    preview: null, // {points, peak_N, duration_s} for profileId at weight
  },
  loaded: null, // the loaded session as GET /api/state describes it
};

export function profileById(id) {
  return (store.profiles || []).find((p) => p.id === id) || null;
}

export function resetDraft() {
  store.draft.profileId = null;
  store.draft.patientId = '';
  store.draft.preview = null;
}

// The weight as the server reads it ("80 kg", "176.4 lb"), or null when none was entered.
export function weightQuantity() {
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
