#!/usr/bin/env node
// STOP under a connection flood (issue 11, docs/console.md "Connections", docs/performance.md):
// how long `POST /api/session/stop` takes to be answered — connect, send, 202 read back — while
// a session pulls on the simulated table, first on a quiet network, then with 200 connections
// that never finish a request (half silent, half sending a request's start), each reopened the
// moment the server closes it. Also how long the pull takes to fall below 15 N after the first
// STOP, and the server's file descriptors and resident memory before and under the flood.
// Target: every STOP answered 202 within 100 ms.
//
// Usage:
//   node bench/console/stop_flood_bench.mjs --bin build/release/apps/tractus [--stops 100] [--flood 200]
//
// Starts `tractus serve --table sim` on a free loopback port with PINs of its own, and stops it
// (and the flood) on every path. Node's own modules only; Linux (/proc) for the process figures.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

const { values: opt } = parseArgs({
  options: {
    bin: { type: 'string', default: process.env.TRACTUS_BIN },
    stops: { type: 'string', default: '100' },
    flood: { type: 'string', default: '200' },
    json: { type: 'string' },
  },
});
const STOPS = Number(opt.stops);
const FLOOD = Number(opt.flood);
if (!opt.bin || !(STOPS >= 1) || !(FLOOD >= 0)) {
  console.error('stop_flood_bench: give --bin PATH/tractus; --stops and --flood are counts');
  process.exit(2);
}
const OPERATOR_PIN = '2468';
const t0 = Date.now();
const log = (...a) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`, ...a);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

const cleanups = [];
async function cleanup() {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch (e) { console.error('cleanup:', e.message); }
  }
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { await cleanup(); process.exit(1); });
const limit = setTimeout(async () => {
  console.error('stop_flood_bench: gave up (time limit, 5 min)');
  await cleanup();
  process.exit(1);
}, 300_000);

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { out += d; });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd}: exit ${code}\n${out}`))));
    c.stdin.end(input);
  });
}

let port;
let serverPid;
async function startServer() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tractus-stop-bench-'));
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  await run(opt.bin, ['pin', 'set', 'operator', '--data', data], `${OPERATOR_PIN}\n${OPERATOR_PIN}\n`);
  await run(opt.bin, ['pin', 'set', 'technician', '--data', data], '13579135\n13579135\n');
  port = await freePort();
  const logFile = path.join(dir, 'serve.log');
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(opt.bin, ['serve', '--listen', `127.0.0.1:${port}`, '--table', 'sim', '--data', data,
    '--journal', path.join(data, 'sessions'), '--store', path.join(data, 'calibration')],
  { stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  serverPid = child.pid;
  cleanups.push(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = once(child, 'exit');
    try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
    const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 15000);
    await gone;
    clearTimeout(t);
  });
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`tractus serve exited:\n${fs.readFileSync(logFile, 'utf8')}`);
    try { if ((await request('GET', '/api/info')).status === 200) break; } catch { /* not yet */ }
    if (i > 200) throw new Error('tractus serve did not answer within 20 s');
    await sleep(100);
  }
}

// One request on a new connection, as a page whose keep-alive connection was closed would send
// it: {status, json, ms} (ms from connect to the whole answer read).
function request(method, target, body, token) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const payload = body === undefined ? '' : JSON.stringify(body);
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    const timer = setTimeout(() => { socket.destroy(); reject(new Error(`${method} ${target}: no answer in 10 s`)); }, 10_000);
    socket.on('connect', () => {
      socket.write(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n`
        + (token ? `Authorization: Bearer ${token}\r\n` : '')
        + (payload ? `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(payload)}\r\n` : 'Content-Length: 0\r\n')
        + `\r\n${payload}`);
    });
    socket.on('data', (d) => { data += d; });
    socket.on('error', (e) => { clearTimeout(timer); reject(e); });
    socket.on('close', () => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const status = Number(/^HTTP\/1\.1 (\d+)/.exec(data)?.[1] ?? 0);
      const text = data.slice(data.indexOf('\r\n\r\n') + 4);
      let json = null;
      try { json = text ? JSON.parse(text) : null; } catch { /* not JSON */ }
      resolve({ status, json, ms });
    });
  });
}

let token;
async function api(method, target, body) {
  const r = await request(method, target, body, token);
  if (r.status >= 300) throw new Error(`${method} ${target}: ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}
const frame = async () => (await api('GET', '/api/state')).frame;
async function waitFor(what, fn, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

async function pull() {
  const checklist = await api('GET', '/api/screening');
  const answers = {};
  for (const group of Object.values(checklist)) if (Array.isArray(group)) for (const i of group) answers[i.id] = false;
  await api('POST', '/api/session', {
    profile: 'lumbar-intermittent', patient: { id: 'BENCH-1', weight: '150 kg' }, screening: { answers, confirmed: true },
  });
  await waitFor('the press test', async () => (await frame()).press_test, 10_000);
  // A start the supervisor refuses (a frame read just before the press test ended) is a
  // start-refused event, not an error: start again until the session leaves Ready.
  await waitFor('the start', async () => {
    await api('POST', '/api/session/start');
    await sleep(500);
    return (await frame()).state !== 'ready';
  }, 10_000);
  let last;
  try {
    await waitFor('100 N', async () => { last = await frame(); return last.force_N > 100; }, 30_000);
  } catch (e) {
    throw new Error(`${e.message}; last frame ${JSON.stringify(last)}`);
  }
}

async function endSession() {
  await waitFor('the end of the release', async () => ['complete', 'fault'].includes((await frame()).state), 30_000);
  await api('POST', '/api/session/acknowledge');
  await waitFor('the table to be free', async () => !(await api('GET', '/api/state')).session, 30_000);
}

function processFigures() {
  const fds = fs.readdirSync(`/proc/${serverPid}/fd`).length;
  const rss = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${serverPid}/status`, 'utf8'))[1]);
  return { fds, rss_MiB: rss / 1024 };
}

const FLOOD_WORKER = `
const net = require('node:net');
const { workerData, parentPort } = require('node:worker_threads');
let reopened = 0;
let stopping = false;
function open(i) {
  if (stopping) return;
  const s = net.connect(workerData.port, '127.0.0.1');
  s.on('connect', () => { if (i % 2) s.write('GET /api/info HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nX-Pad: '); });
  s.on('error', () => {});
  s.on('close', () => { reopened += 1; setImmediate(() => open(i)); });
  s.on('data', () => {});
}
for (let i = 0; i < workerData.count; i += 1) open(i);
parentPort.on('message', (m) => {
  if (m === 'count') parentPort.postMessage(reopened);
  if (m === 'stop') { stopping = true; parentPort.postMessage(reopened); setTimeout(() => process.exit(0), 10); }
});
`;

async function floodCount(worker) {
  worker.postMessage('count');
  const [n] = await once(worker, 'message');
  return n;
}

const pct = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];

// STOPs one after another from a pulling session: latencies, 202s, and the release time by the
// loop's own clock (the frame's wall_ms) against the first STOP.
async function stops(label, sample) {
  await pull();
  const before = processFigures();
  let released = null;
  const firstStop = Date.now();
  const watch = (async () => {
    while (Date.now() - firstStop < 10_000) {
      try {
        const f = await frame();
        if (f.force_N < 15) { released = f.wall_ms - firstStop; return; }
      } catch { /* under the flood a poll may fail: poll again */ }
      await sleep(20);
    }
  })();
  const ms = [];
  let accepted = 0;
  let peak = before;
  for (let i = 0; i < STOPS; i += 1) {
    try {
      const r = await request('POST', '/api/session/stop', undefined, token);
      if (r.status === 202) accepted += 1;
      ms.push(r.ms);
    } catch (e) {
      ms.push(Infinity);
      log(`STOP ${i}: ${e.message}`);
    }
    if (sample) {
      const now = processFigures();
      peak = { fds: Math.max(peak.fds, now.fds), rss_MiB: Math.max(peak.rss_MiB, now.rss_MiB) };
    }
  }
  await watch;
  ms.sort((a, b) => a - b);
  const result = {
    label, stops: STOPS, answered_202: accepted,
    latency_ms: { p50: pct(ms, 50), p99: pct(ms, 99), max: ms[ms.length - 1] },
    within_100ms: ms.filter((x) => x <= 100).length,
    release_below_15N_ms: released,
    server_before: before, server_peak: peak,
  };
  await endSession();
  return result;
}

try {
  await startServer();
  token = (await api('POST', '/api/login', { role: 'operator', pin: OPERATOR_PIN })).token;
  const results = [];
  log('quiet network: pull, then STOPs');
  results.push(await stops('quiet', true));
  log(`flood of ${FLOOD} connections, reopened when closed`);
  const worker = new Worker(FLOOD_WORKER, { eval: true, workerData: { port, count: FLOOD } });
  cleanups.push(async () => { worker.postMessage('stop'); await once(worker, 'exit'); });
  await sleep(1000);
  const flooded = await stops(`flood ${FLOOD}`, true);
  flooded.flood_reopened = await floodCount(worker);
  results.push(flooded);
  for (const r of results) console.log(JSON.stringify(r));
  if (opt.json) fs.writeFileSync(opt.json, JSON.stringify(results, null, 2));
  const ok = results.every((r) => r.answered_202 === STOPS && r.within_100ms === STOPS
    && r.release_below_15N_ms !== null && r.release_below_15N_ms < 3000);
  console.log(ok ? 'stop_flood_bench: every STOP answered 202 within 100 ms; released below 15 N within 3 s'
    : 'stop_flood_bench: TARGET MISSED (see above)');
  clearTimeout(limit);
  await cleanup();
  process.exit(ok ? 0 : 1);
} catch (e) {
  console.error(`stop_flood_bench: ${e.stack || e.message}`);
  await cleanup();
  process.exit(1);
}
