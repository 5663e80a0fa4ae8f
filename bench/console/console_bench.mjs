#!/usr/bin/env node
// Console benchmark (docs/performance.md): what the table console costs on the simulated table.
//
//   (a) telemetry latency loop → browser (p50 / p99 / max) over a window with one page open,
//       measured by the page itself (window.tractusTelemetryStats(): its clock minus the frame's
//       wall_ms, both the system clock of this machine);
//   (b) the control loop's period error p99 with no page connected vs with 5 pages connected,
//       from GET /api/tech/diagnostics (loop timing).
//
// Each measurement runs in a fresh lumbar-static session (80 kg), loaded and started over the
// API, because the loop's period-error histogram covers the whole session (it has no reset):
// the figure of (b) is the session's, of which the window is all but the few seconds between
// the load and the start.
//
// Usage:
//   node bench/console/console_bench.mjs --bin build/release/apps/tractus [--seconds 60] [--pages 5]
//                                        [--log-level info]
//       starts `tractus serve --table sim` on a free loopback port with PINs of its own, its
//       service log at the level given (docs/logging.md)
//   node bench/console/console_bench.mjs --url http://127.0.0.1:8080 --operator-pin P --technician-pin P
//       measures a console that runs already (it must be idle: no session loaded)
//
// playwright-core comes from tests/e2e/node_modules (scripts/setup.sh installs it); the browser
// is Debian's chromium (--chromium PATH to change). Loopback only; everything it starts is
// stopped on every path.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

import { cleanup, guard, log, onCleanup, sleep, startServe } from './bench_support.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const E2E = path.resolve(HERE, '../../tests/e2e');
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const { values: opt } = parseArgs({
  options: {
    bin: { type: 'string', default: process.env.TRACTUS_BIN },
    url: { type: 'string' },
    'operator-pin': { type: 'string', default: '2468' },
    'technician-pin': { type: 'string', default: '1357' },
    seconds: { type: 'string', default: '60' },
    pages: { type: 'string', default: '5' },
    profile: { type: 'string', default: 'lumbar-static' },
    weight: { type: 'string', default: '80 kg' },
    chromium: { type: 'string', default: process.env.TRACTUS_CHROMIUM || '/usr/bin/chromium' },
    json: { type: 'string' },
    // The service log's level (docs/logging.md): debug logs every request of the pages.
    'log-level': { type: 'string', default: 'info' },
  },
});
const SECONDS = Number(opt.seconds);
const PAGES = Number(opt.pages);
if (!(SECONDS >= 1) || !(PAGES >= 1)) {
  console.error('console_bench: --seconds and --pages must be positive numbers');
  process.exit(2);
}
if (!opt.url && !opt.bin) {
  console.error('console_bench: give --bin PATH/tractus (or TRACTUS_BIN) to start a server, or --url of a running one');
  process.exit(2);
}

let chromium;
try {
  ({ chromium } = createRequire(path.join(E2E, 'package.json'))('playwright-core'));
} catch {
  console.error(`console_bench: playwright-core is not installed in ${E2E}/node_modules: run scripts/setup.sh`);
  process.exit(1);
}

// Bounded: three windows plus set-up, never more than this.
const limit = guard('console_bench', (SECONDS * 3 + 240) * 1000);

function startServer() {
  return startServe({
    bin: opt.bin, operatorPin: opt['operator-pin'], technicianPin: opt['technician-pin'],
    logLevel: opt['log-level'],
    answers: async (port) => (await fetch(`http://127.0.0.1:${port}/api/info`)).ok,
  }).then(({ port }) => `http://127.0.0.1:${port}`);
}

// --- the API, as a command-line client (no Origin header) ---
let base;
const tokens = {};
async function api(method, p, body, role = 'operator') {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (role && tokens[role]) headers.Authorization = `Bearer ${tokens[role]}`;
  const r = await fetch(base + p, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await r.text();
  const data = text ? JSON.parse(text) : null;
  if (!r.ok) throw new Error(`${method} ${p}: ${r.status} ${text}`);
  return data;
}
async function login(role, pin) {
  tokens[role] = (await api('POST', '/api/login', { role, pin }, null)).token;
}
const state = async () => (await api('GET', '/api/state')).frame;

async function waitFor(what, fn, timeoutMs) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

// Ends whatever session is loaded: stop, wait for Complete, acknowledge, wait for no session.
async function endSession() {
  let f = await state();
  if (f.state === 'idle' && !(await api('GET', '/api/state')).session) return;
  if (f.state === 'ready') {
    await api('DELETE', '/api/session');
    return;
  }
  await api('POST', '/api/session/stop', {}, null);
  f = await waitFor('the stop to complete', async () => {
    const s = await state();
    return s.state === 'complete' || s.state === 'fault' || s.state === 'idle' ? s : null;
  }, 30_000);
  if (f.state !== 'idle') await api('POST', '/api/session/acknowledge', {});
  await waitFor('the session to end', async () => !(await api('GET', '/api/state')).session, 30_000);
}

// Loads and starts a fresh session; returns once it treats.
async function startSession() {
  await endSession();
  const checklist = await api('GET', '/api/screening');
  const answers = {};
  for (const group of Object.values(checklist)) if (Array.isArray(group)) for (const i of group) answers[i.id] = false;
  const loaded = await api('POST', '/api/session', {
    profile: opt.profile, patient: { id: 'BENCH-1', weight: opt.weight }, screening: { answers, confirmed: true },
  });
  const first = await state();
  if (first.state !== 'ready') log(`note: GET /api/state right after the load says ${first.state} (seq ${first.seq}, press_test ${first.press_test})`);
  // Start once the new session is Ready and its simulated patient has tested the hand switch;
  // a refused start (the frame seen was not yet this session's) is simply tried again.
  await waitFor('treatment', async () => {
    const f = await state();
    if (f.state === 'treating') return true;
    if (f.state === 'ready' && f.press_test) {
      await api('POST', '/api/session/start', {}).catch(() => {});
      await sleep(1000);
    }
    return false;
  }, 60_000);
  return loaded.session;
}

async function loopTiming() {
  const d = await api('GET', '/api/tech/diagnostics', undefined, 'technician');
  if (!d.loop) throw new Error(`diagnostics have no loop timing: ${JSON.stringify(d)}`);
  return d.loop;
}

async function openPages(context, n) {
  const pages = [];
  for (let i = 0; i < n; i += 1) {
    const page = await context.newPage();
    await page.goto(`${base}/#/treatment`);
    await page.locator('#conn[data-status="live"]').waitFor({ timeout: 20_000 });
    await page.locator('#screen-treatment').waitFor({ state: 'visible' });
    pages.push(page);
  }
  return pages;
}

const stats = (page) => page.evaluate(() => window.tractusTelemetryStats());

async function main() {
  base = opt.url || await startServer();
  log(`console at ${base}`);
  await login('operator', opt['operator-pin']);
  await login('technician', opt['technician-pin']);
  const info = await api('GET', '/api/info', undefined, null);
  if (!info.simulated) throw new Error('this benchmark runs on the simulator only (--table sim)');

  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'tractus-bench-chromium-'));
  onCleanup(() => fs.rmSync(profile, { recursive: true, force: true }));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: opt.chromium, args: CHROMIUM_ARGS, headless: true, viewport: { width: 1280, height: 800 },
  });
  onCleanup(() => context.close());
  // Every page starts logged in as the operator (the token the API client got).
  await context.addInitScript((t) => {
    sessionStorage.setItem('tractus.token', t);
    sessionStorage.setItem('tractus.role', 'operator');
  }, tokens.operator);
  for (const p of context.pages()) await p.close();

  const results = {};

  // (a) one page, its latency over the window.
  log(`(a) session with 1 page for ${SECONDS} s`);
  await startSession();
  let pages = await openPages(context, 1);
  await pages[0].evaluate(() => window.tractusResetTelemetryStats());
  await sleep(SECONDS * 1000);
  results.latency1 = await stats(pages[0]);
  results.loop1 = await loopTiming();
  for (const p of pages) await p.close();

  // (b) no page: the loop alone.
  log(`(b) session with no page for ${SECONDS} s`);
  await startSession();
  await sleep(SECONDS * 1000);
  results.loop0 = await loopTiming();

  // (b) five pages.
  log(`(b) session with ${PAGES} pages for ${SECONDS} s`);
  await startSession();
  pages = await openPages(context, PAGES);
  for (const p of pages) await p.evaluate(() => window.tractusResetTelemetryStats());
  await sleep(SECONDS * 1000);
  results.loopN = await loopTiming();
  results.latencyN = await Promise.all(pages.map(stats));
  for (const p of pages) await p.close();
  await endSession();
  return results;
}

function report(r) {
  const ms = (v) => (typeof v === 'number' ? v.toFixed(3).padStart(9) : '        —');
  const lat = (s) => `${ms(s.p50)} ${ms(s.p99)} ${ms(s.max)}   ${s.count} frames, ${s.dropped} dropped`;
  const loop = (l) => `${ms(l.period_error_ms.p50)} ${ms(l.period_error_ms.p99)} ${ms(l.worst_lateness_ms)}   ` +
    `p99.9 ${l.period_error_ms.p99_9} ms, ${l.cycles} cycles, ${l.overruns} overruns`;
  const worst = r.latencyN.reduce((a, s) => (s.p99 > a.p99 ? s : a));
  const lines = [
    `tractus console benchmark: ${SECONDS} s windows, ${opt.profile} at ${opt.weight}, simulated table, ${os.cpus().length} cores` +
      (opt.url ? '' : `, service log at ${opt['log-level']}`),
    '',
    'measurement                                    p50 ms    p99 ms    max ms',
    `telemetry latency loop → browser, 1 page   ${lat(r.latency1)}`,
    `telemetry latency, worst of ${PAGES} pages       ${lat(worst)}`,
    `loop period error, 0 pages                 ${loop(r.loop0)}`,
    `loop period error, 1 page                  ${loop(r.loop1)}`,
    `loop period error, ${PAGES} pages                ${loop(r.loopN)}`,
    '',
    '(loop figures cover each session from its load: the window plus the few seconds before the start;',
    ' "max" of the loop is its worst lateness)',
  ];
  console.log(lines.join('\n'));
  if (opt.json) fs.writeFileSync(opt.json, JSON.stringify({ seconds: SECONDS, pages: PAGES, ...r }, null, 2));
}

let code = 0;
try {
  report(await main());
} catch (e) {
  code = 1;
  console.error(`console_bench: FAILED: ${e.stack || e.message}`);
} finally {
  await cleanup();
  clearTimeout(limit);
}
process.exit(code);
