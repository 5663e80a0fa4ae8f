// The telemetry WebSocket (GET /api/telemetry?token=…): frames at 50 Hz while a session is
// loaded, 5 Hz otherwise, one at once per event. Reconnects with backoff; measures the latency
// from the loop to this page for every frame, and counts the frames the server dropped (gaps in
// `seq`).

const WINDOW = 5000; // latency values kept for the statistics
const STALE_MS = 1500; // no frame for this long while connected: the readouts are stale

const frameListeners = new Set();
const statusListeners = new Set();
let probeLogin = () => {}; // asks the server whether the login still holds

const latencies = new Float64Array(WINDOW);
let latencyCount = 0; // frames measured since the page loaded
let dropped = 0;
let lastSeq = null;

let socket = null;
let wanted = false;
let currentToken = null;
let retryTimer = null;
let retryDelay = 500;
let failures = 0;
let lastFrameAt = 0;
let status = 'offline'; // 'offline' | 'connecting' | 'live' | 'lost' | 'stale'
let latest = null;

export function latestFrame() {
  return latest;
}

export function connectionStatus() {
  return status;
}

// fn(frame) for every frame.
export function onFrame(fn) {
  frameListeners.add(fn);
  return () => frameListeners.delete(fn);
}

// fn(status, failures) when the connection changes.
export function onStatus(fn) {
  statusListeners.add(fn);
  return () => statusListeners.delete(fn);
}

function setStatus(s) {
  if (s === status) return;
  status = s;
  statusListeners.forEach((fn) => fn(status, failures));
}

// fn(): called when the connection may have failed for want of a valid login.
export function onLoginDoubt(fn) {
  probeLogin = fn;
}

export function connect(token) {
  if (wanted && token === currentToken && socket) return;
  disconnect();
  wanted = true;
  currentToken = token;
  open();
}

export function disconnect() {
  wanted = false;
  clearTimeout(retryTimer);
  if (socket) {
    const s = socket;
    socket = null;
    s.onclose = null;
    s.close();
  }
  setStatus('offline');
}

function open() {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  const url = `${scheme}//${location.host}/api/telemetry?token=${encodeURIComponent(currentToken)}`;
  setStatus(failures > 0 ? 'lost' : 'connecting');
  let s;
  try {
    s = new WebSocket(url);
  } catch {
    scheduleRetry();
    return;
  }
  socket = s;
  s.onopen = () => {
    failures = 0;
    retryDelay = 500;
    lastSeq = null; // a gap across a reconnect is not a drop by the server
    lastFrameAt = performance.now();
    setStatus('live');
  };
  s.onmessage = (event) => receive(event.data);
  s.onclose = (event) => {
    if (socket !== s) return;
    socket = null;
    failures += 1;
    setStatus('lost');
    // 1008: the server closed it because the login ended. A refused upgrade (expired token)
    // shows only as 1006, so after a few failures ask too.
    if (event.code === 1008 || failures >= 3) probeLogin();
    scheduleRetry();
  };
  s.onerror = () => { /* onclose follows */ };
}

function scheduleRetry() {
  if (!wanted) return;
  clearTimeout(retryTimer);
  // Backoff with jitter: 0.5 s, 1 s, 2 s, 4 s, then every 5 s.
  const delay = retryDelay * (0.8 + Math.random() * 0.4);
  retryDelay = Math.min(retryDelay * 2, 5000);
  retryTimer = setTimeout(open, delay);
}

function receive(data) {
  const now = performance.timeOrigin + performance.now();
  let frame;
  try {
    frame = JSON.parse(data);
  } catch {
    return;
  }
  if (!frame || frame.type !== 'telemetry') return;
  if (typeof frame.wall_ms === 'number') {
    latencies[latencyCount % WINDOW] = now - frame.wall_ms;
    latencyCount += 1;
  }
  if (typeof frame.seq === 'number') {
    if (lastSeq !== null && frame.seq > lastSeq + 1) dropped += frame.seq - lastSeq - 1;
    lastSeq = frame.seq;
  }
  lastFrameAt = performance.now();
  if (status === 'stale') setStatus('live');
  latest = frame;
  frameListeners.forEach((fn) => {
    try { fn(frame); } catch (e) { console.error(e); }
  });
}

// A connection that is open but silent is as bad as a closed one: the force shown is old.
setInterval(() => {
  if (status === 'live' && performance.now() - lastFrameAt > STALE_MS) setStatus('stale');
}, 250);

function percentile(sorted, p) {
  if (!sorted.length) return null;
  const i = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[i];
}

// {count, window, p50, p99, max, dropped}: latency loop → this page in ms over the last 5000
// frames, and frames the server dropped since the page loaded.
export function telemetryStats() {
  const n = Math.min(latencyCount, WINDOW);
  const sorted = Array.from(latencies.subarray(0, n)).sort((a, b) => a - b);
  const round = (v) => (v === null ? null : Math.round(v * 100) / 100);
  return {
    count: latencyCount,
    window: n,
    p50: round(percentile(sorted, 50)),
    p99: round(percentile(sorted, 99)),
    max: round(n ? sorted[n - 1] : null),
    dropped,
  };
}

export function resetTelemetryStats() {
  latencyCount = 0;
  dropped = 0;
  lastSeq = null;
}

window.tractusTelemetryStats = telemetryStats;
window.tractusResetTelemetryStats = resetTelemetryStats;
