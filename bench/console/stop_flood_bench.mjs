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

import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';

import { cleanup, guard, log, onCleanup, sleep, startServe } from './bench_support.mjs';

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
const limit = guard('stop_flood_bench', 300_000);

let port;
let serverPid;
async function startServer() {
  ({ port, pid: serverPid } = await startServe({
    bin: opt.bin, operatorPin: OPERATOR_PIN, technicianPin: '13579135', graceMs: 15000,
    prefix: 'tractus-stop-bench-',
    answers: async (p) => { port = p; return (await request('GET', '/api/info')).status === 200; },
  }));
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
  onCleanup(async () => { worker.postMessage('stop'); await once(worker, 'exit'); });
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
