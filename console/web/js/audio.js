// A soft tone for alarms and the end-of-treatment reminder (the beeper of established tables).
// Browsers allow sound only after a user gesture unless told otherwise (the table's kiosk starts
// chromium with --autoplay-policy=no-user-gesture-required): the page arms it as it loads, so a
// kiosk's page sounds its alarms at once, even after a reload with nobody touching it, and any
// other browser's first touch or key resumes it.

let context = null;

export function armAudio() {
  if (!context) {
    const Ctx = window.AudioContext || window.webkitAudioContext;
    if (!Ctx) return;
    try {
      context = new Ctx();
    } catch {
      context = null;
      return;
    }
  }
  if (context.state === 'suspended') context.resume().catch(() => {});
}

// 'running' when an alarm would sound now; 'suspended' until a gesture allows it; 'none' without
// Web Audio. For the technician's eyes and the e2e tests.
export function audioState() {
  return context ? context.state : 'none';
}
window.tractusAudioState = audioState;

// Two short tones, calm but unmistakable.
export function chime({ high = 880, low = 660 } = {}) {
  if (!context) return;
  if (context.state === 'suspended') context.resume().catch(() => {});
  const t0 = context.currentTime + 0.01;
  [[high, 0], [low, 0.22]].forEach(([freq, at]) => {
    const osc = context.createOscillator();
    const gain = context.createGain();
    osc.type = 'sine';
    osc.frequency.value = freq;
    gain.gain.setValueAtTime(0.0001, t0 + at);
    gain.gain.exponentialRampToValueAtTime(0.25, t0 + at + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, t0 + at + 0.18);
    osc.connect(gain).connect(context.destination);
    osc.start(t0 + at);
    osc.stop(t0 + at + 0.2);
  });
}
