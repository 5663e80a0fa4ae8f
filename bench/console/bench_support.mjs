// What the console benches (console_bench.mjs, stop_flood_bench.mjs) need around their
// measurement: a log with the elapsed time, cleanups that run on every path (normal end,
// SIGINT/SIGTERM, the time limit), a free loopback port, and `tractus serve --table sim` started
// with PINs of its own in a scratch folder and stopped again. Node's own modules only.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

const t0 = Date.now();
export const log = (...a) => console.error(`[${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s]`, ...a);
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// Run last-in first-out; a failing one is reported and the rest still run.
const cleanups = [];
export const onCleanup = (fn) => cleanups.push(fn);
export async function cleanup() {
  while (cleanups.length) {
    try { await cleanups.pop()(); } catch (e) { console.error('cleanup:', e.message); }
  }
}

// Cleans up and exits 1 on SIGINT/SIGTERM, or when `limitMs` passes; returns the limit's timer
// (clearTimeout it once the measurement ends).
export function guard(name, limitMs) {
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, async () => { await cleanup(); process.exit(1); });
  return setTimeout(async () => {
    console.error(`${name}: gave up (time limit, ${Math.round(limitMs / 1000)} s)`);
    await cleanup();
    process.exit(1);
  }, limitMs);
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// Runs a command to its end with `input` on stdin; resolves with its output, rejects on a
// non-zero exit.
export function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const c = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    c.stdout.on('data', (d) => { out += d; });
    c.stderr.on('data', (d) => { out += d; });
    c.on('error', reject);
    c.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} ${args.join(' ')}: exit ${code}\n${out}`))));
    c.stdin.end(input);
  });
}

// `tractus serve --table sim` on a free loopback port, its PINs set first, its data in a scratch
// folder. Waits (at most 20 s) until `answers(port)` is true; stopped by cleanup() with SIGTERM,
// then SIGKILL after `graceMs`. Returns {port, pid}.
export async function startServe({ bin, operatorPin, technicianPin, answers, graceMs = 5000, prefix = 'tractus-bench-', logLevel = 'info' }) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  onCleanup(() => fs.rmSync(dir, { recursive: true, force: true }));
  const data = path.join(dir, 'data');
  fs.mkdirSync(data);
  await run(bin, ['pin', 'set', 'operator', '--data', data], `${operatorPin}\n${operatorPin}\n`);
  await run(bin, ['pin', 'set', 'technician', '--data', data], `${technicianPin}\n${technicianPin}\n`);
  const port = await freePort();
  const logFile = path.join(dir, 'serve.log');
  const fd = fs.openSync(logFile, 'w');
  const child = spawn(bin, ['serve', '--listen', `127.0.0.1:${port}`, '--table', 'sim', '--data', data,
    '--journal', path.join(data, 'sessions'), '--store', path.join(data, 'calibration'),
    '--log-level', logLevel, '--no-config'],
  { stdio: ['ignore', fd, fd], detached: true });
  fs.closeSync(fd);
  onCleanup(async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const gone = once(child, 'exit');
    try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
    const t = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, graceMs);
    await gone;
    clearTimeout(t);
  });
  for (let i = 0; ; i += 1) {
    if (child.exitCode !== null) throw new Error(`tractus serve exited:\n${fs.readFileSync(logFile, 'utf8')}`);
    try { if (await answers(port)) break; } catch { /* not yet */ }
    if (i > 200) throw new Error('tractus serve did not answer within 20 s');
    await sleep(100);
  }
  return { port, pid: child.pid };
}
