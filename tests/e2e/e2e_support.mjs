// What the console's browser tests share (console.e2e.mjs, records.e2e.mjs): the browser and
// where its screenshots go, a clock for the log, the clean-ups every path runs (a hard timeout
// and a signal included), and the processes a test starts and kills.

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import path from 'node:path';

export const CHROMIUM = process.env.TRACTUS_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // As the table's kiosk runs it (packaging/tractus-kiosk.service): alarms sound with no tap first.
  '--autoplay-policy=no-user-gesture-required'];

// Screenshots: TRACTUS_E2E_SCREENSHOTS, else BUILD/tests/e2e/screenshots for TRACTUS_BIN=BUILD/apps/tractus
// (where ctest puts them too), else `here`/screenshots (git-ignored).
export function screenshotsDir(here) {
  return path.resolve(process.env.TRACTUS_E2E_SCREENSHOTS ||
    (process.env.TRACTUS_BIN ? path.join(path.dirname(path.dirname(path.resolve(process.env.TRACTUS_BIN))), 'tests', 'e2e', 'screenshots')
      : path.join(here, 'screenshots')));
}

// console.log with the seconds since the test started.
export function clock() {
  const t0 = Date.now();
  return (...a) => console.log(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(5)} s]`, ...a);
}

// playwright-core's chromium driver, or exit 1 naming what to run: never a silent skip.
export async function loadChromium(test, here) {
  try {
    return (await import('playwright-core')).chromium;
  } catch {
    console.error(`${test}: playwright-core is not installed in ${here}/node_modules. Run scripts/setup.sh ` +
      '(it runs `npm ci` in tests/e2e), or `npm ci` in tests/e2e.');
    process.exit(1);
  }
}

// The clean-ups a test pushes (run in reverse on every path), run too when the test outlives
// `timeoutMs` (which fails it) or is interrupted.
export function guardProcess(test, timeoutMs) {
  const cleanups = [];
  async function cleanup() {
    while (cleanups.length) {
      const fn = cleanups.pop();
      try { await fn(); } catch (e) { console.error('cleanup:', e.message); }
    }
  }
  const watchdog = setTimeout(async () => {
    console.error(`${test}: FAILED: hard timeout of ${timeoutMs / 1000} s`);
    await Promise.race([cleanup(), new Promise((r) => setTimeout(r, 5000))]);
    process.exit(1);
  }, timeoutMs);
  for (const sig of ['SIGINT', 'SIGTERM']) {
    process.on(sig, async () => {
      await cleanup();
      process.exit(1);
    });
  }
  return { cleanups, cleanup, watchdog };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

// Runs a command to completion with `input` on stdin; rejects with its output on failure.
export function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => { out += d; });
    child.stderr.on('data', (d) => { out += d; });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out) : reject(new Error(`${path.basename(cmd)} ${args.join(' ')} exited ${code}:\n${out}`))));
    child.stdin.end(input);
  });
}

// Kills a detached child's whole process group: TERM, then KILL if it lingers.
export async function killGroup(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = once(child, 'exit');
  try { process.kill(-child.pid, 'SIGTERM'); } catch { return; }
  const timer = setTimeout(() => { try { process.kill(-child.pid, 'SIGKILL'); } catch { /* gone */ } }, 3000);
  await gone;
  clearTimeout(timer);
}
