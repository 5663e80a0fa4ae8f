// The console's HTTP API (docs/console.md): JSON in and out, `Authorization: Bearer TOKEN`.
// The token lives in sessionStorage: it survives a reload of the page but not the browser.

const TOKEN_KEY = 'tractus.token';
const ROLE_KEY = 'tractus.role';

const authListeners = new Set();

export class ApiError extends Error {
  constructor(status, body) {
    const e = (body && body.error) || {};
    super(e.message || `The table answered ${status}.`);
    this.status = status;
    this.code = e.code || 'http-' + status;
    this.problems = Array.isArray(e.problems) ? e.problems : [];
    this.body = body;
  }
}

export function token() {
  try { return sessionStorage.getItem(TOKEN_KEY); } catch { return null; }
}

export function role() {
  try { return token() ? sessionStorage.getItem(ROLE_KEY) : null; } catch { return null; }
}

function setAuth(newToken, newRole, why) {
  try {
    if (newToken) {
      sessionStorage.setItem(TOKEN_KEY, newToken);
      sessionStorage.setItem(ROLE_KEY, newRole);
    } else {
      sessionStorage.removeItem(TOKEN_KEY);
      sessionStorage.removeItem(ROLE_KEY);
    }
  } catch { /* storage unavailable: the login lasts as long as the page */ }
  authListeners.forEach((fn) => fn(newRole || null, why || null));
}

// fn(role|null, why|null): called on login, logout and when the server says the login ended.
export function onAuthChange(fn) {
  authListeners.add(fn);
  return () => authListeners.delete(fn);
}

export async function request(method, path, body, { auth = true, timeoutMs = 10000 } = {}) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const t = token();
  if (auth && t) headers.Authorization = `Bearer ${t}`;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
      signal: controller.signal,
    });
  } catch (e) {
    throw new ApiError(0, { error: { code: 'unreachable', message: controller.signal.aborted
      ? 'The table did not answer in time.' : 'The table cannot be reached.' } });
  } finally {
    clearTimeout(timer);
  }
  let data = null;
  const text = await response.text();
  if (text) {
    try { data = JSON.parse(text); } catch { data = null; }
  }
  if (!response.ok) {
    const error = new ApiError(response.status, data);
    // A login that ended (expired, or the server restarted) sends the operator back to the PIN
    // pad; the STOP button keeps working meanwhile (it needs no token).
    if (auth && response.status === 401 && t && t === token()) {
      setAuth(null, null, error.code === 'token-expired' ? 'Your login expired. Please log in again.'
        : 'Please log in again.');
    }
    throw error;
  }
  return data;
}

export const get = (path, opts) => request('GET', path, undefined, opts);
export const post = (path, body = {}, opts) => request('POST', path, body, opts);
export const put = (path, body = {}, opts) => request('PUT', path, body, opts);
export const del = (path, opts) => request('DELETE', path, undefined, opts);

// A file the API sends as a download (a report, an exported protocol): fetched with the token,
// which a plain link cannot carry. Resolves to {blob, name}; an error answer is an ApiError.
export async function fetchFile(path, { timeoutMs = 30000 } = {}) {
  const t = token();
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  let response;
  try {
    response = await fetch(path, {
      headers: t ? { Authorization: `Bearer ${t}` } : {},
      cache: 'no-store',
      signal: controller.signal,
    });
  } catch {
    throw new ApiError(0, { error: { code: 'unreachable', message: controller.signal.aborted
      ? 'The table did not answer in time.' : 'The table cannot be reached.' } });
  } finally {
    clearTimeout(timer);
  }
  if (!response.ok) {
    let data = null;
    try { data = JSON.parse(await response.text()); } catch { data = null; }
    const error = new ApiError(response.status, data);
    if (response.status === 401 && t && t === token()) {
      setAuth(null, null, error.code === 'token-expired' ? 'Your login expired. Please log in again.'
        : 'Please log in again.');
    }
    throw error;
  }
  const disposition = response.headers.get('Content-Disposition') || '';
  const m = /filename="([^"]+)"/.exec(disposition);
  const name = m ? m[1] : decodeURIComponent(path.split('?')[0].split('/').pop() || 'download');
  return { blob: await response.blob(), name };
}

export async function login(asRole, pin) {
  const r = await request('POST', '/api/login', { role: asRole, pin }, { auth: false });
  setAuth(r.token, r.role || asRole);
  return r;
}

export async function logout() {
  try { await post('/api/logout'); } catch { /* the token is dropped whatever the server says */ }
  setAuth(null, null);
}

// Stop never needs a token (docs/console.md): a console whose login expired can still stop a
// pull. It is sent without one so that a stale token cannot get it refused.
export function stop() {
  return request('POST', '/api/session/stop', {}, { auth: false, timeoutMs: 3000 });
}

export const api = {
  info: () => get('/api/info', { auth: false }),
  profiles: () => get('/api/profiles'),
  preview: (id, weight) => get(`/api/profiles/${encodeURIComponent(id)}/preview?weight=${encodeURIComponent(weight)}`),
  screening: () => get('/api/screening'),
  loadSession: (body) => post('/api/session', body),
  unloadSession: () => del('/api/session'),
  // `sessionId`: the session the page shows; the table refuses the command (409 other-session)
  // when it has another loaded, so a page that fell behind cannot act on a patient it never showed.
  command: (name, sessionId) => post(`/api/session/${name}${sessionId ? `?session=${encodeURIComponent(sessionId)}` : ''}`),
  state: () => get('/api/state'),
  sessions: () => get('/api/sessions'),
  session: (id) => get(`/api/sessions/${encodeURIComponent(id)}`),
  diagnostics: () => get('/api/tech/diagnostics'),
  faults: () => get('/api/tech/faults'),
  calibration: () => get('/api/tech/calibration'),
  calibrationBegin: (body) => post('/api/tech/calibration/begin', body),
  calibrationReading: (body) => post('/api/tech/calibration/reading', body),
  calibrationFinish: () => post('/api/tech/calibration/finish'),
  calibrationInstall: () => post('/api/tech/calibration/install'),
  calibrationCancel: () => post('/api/tech/calibration/cancel'),
  verification: (body) => post('/api/tech/verification', body),
};

// The clinic's records (docs/records.md, docs/console.md "API"). Ids go into paths encoded.
const seg = encodeURIComponent;
export const records = {
  status: () => get('/api/records'),
  search: (text) => get(`/api/records/patients?search=${seg(text)}`),
  addPatient: (body) => post('/api/records/patients', body),
  patient: (id) => get(`/api/records/patients/${seg(id)}`),
  startCourse: (patientId, body) => post(`/api/records/patients/${seg(patientId)}/courses`, body),
  course: (id) => get(`/api/records/courses/${seg(id)}`),
  confirmVisit: (courseId, force) => post(`/api/records/courses/${seg(courseId)}/visits`, { force }),
  pain: (visitId, when, score) => post(`/api/records/visits/${seg(visitId)}/pain`, { when, score }),
  note: (visitId, note) => post(`/api/records/visits/${seg(visitId)}/note`, { note }),
  sessionReport: (id, format) => `/api/records/sessions/${seg(id)}/report?format=${format}`,
  courseReport: (id, format) => `/api/records/courses/${seg(id)}/report?format=${format}`,
  // The clinic's own protocols and limits (technician).
  protocols: () => get('/api/records/protocols'),
  protocol: (id, version) => get(`/api/records/protocols/${seg(id)}${version ? `?version=${seg(version)}` : ''}`),
  protocolPreview: (profile, weight) => post('/api/records/protocols/preview', { profile, weight }),
  saveProtocol: (author, profile) => post('/api/records/protocols', { author, profile }),
  protocolExport: (id, version) => `/api/records/protocols/${seg(id)}/export${version ? `?version=${seg(version)}` : ''}`,
  limits: () => get('/api/records/limits'),
  setLimits: (author, limits) => put('/api/records/limits', { author, limits }),
};
