#!/usr/bin/env node
/**
 * `npm run bench`: the browser benchmark. It drives headless Chromium through every backend that
 * initialises and prints ONE JSON line per backend on stdout; progress goes to stderr.
 *
 *   npm run -s bench                                  # webgpu, webgl, wasm, cpu
 *   npm run -s bench -- --backends wasm,cpu --steps 3
 *   npm run -s bench -- --backends webgl --preset simple-convs --size 8 --batch 4
 *
 * Flags: --backends a,b (default webgpu,webgl,wasm,cpu), --preset NAME, --steps N timed steps
 * (default 5), --warmup N untimed steps first (default 1), --timeout S per backend (default 360),
 * --port P for `vite preview` (default 4174), --build (rebuild dist/ even when it exists), and the
 * app's URL overrides, named like the CLI flags: --C --layers --nodes --size --classes --batch
 * --seed --order --ops.
 *
 * Without --preset, wasm and cpu run `lecture` (the app's default) and webgl/webgpu run the
 * smaller `simple-convs`: headless Chromium renders those on SwiftShader, a CPU rasteriser that
 * takes seconds per lecture step. The `config` field of each line says which and why.
 *
 * A line with numbers:
 *   backend, preset, config, warmup, steps (timed steps), msPerStep (median per step, from the
 *   data-step increments on the app root), stepsPerSec (timed steps / timed window),
 *   snapshotToPaintMs (median, from a snapshot message reaching the main thread to the end of the
 *   next frame that paints it), fps (requestAnimationFrame rate on the main thread during the timed
 *   window), longTasks (main-thread tasks over 50 ms in that window, PerformanceObserver),
 *   worstFrameMs (longest gap between two frames), snapshots (snapshots in the window), readyMs
 *   (page load to a built supernet on that backend).
 * A backend that does not initialise, falls back to another one, errors or times out gets
 * `{backend, preset, config, error}` instead, and the run goes on with the next backend.
 *
 * Measurement needs no change to the app: an init script wraps `Worker` to timestamp every
 * snapshot message before the app's own handler sees it, then rAF + a MessageChannel task marks
 * the end of the frame that applies it (the app applies the latest snapshot on the next rAF), and
 * a MutationObserver timestamps every data-step change on the app root. Readiness is polled with a
 * bounded loop, never a fixed sleep.
 *
 * Exit code: 0 when at least one backend was measured, 1 otherwise or on a build/server failure,
 * 2 on a usage error. The preview server is always stopped.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { chromium } from '@playwright/test';

const ALL_BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'];
const SOFTWARE_GPU = new Set(['webgpu', 'webgl']);
const DEFAULT_PRESET = 'lecture';
const GPU_DEFAULT_PRESET = 'simple-convs';
/** CLI-style flags passed on as the app's URL overrides (src/ui/urlState.ts). */
const URL_OVERRIDES = ['C', 'layers', 'nodes', 'size', 'classes', 'batch', 'seed', 'order', 'ops'];
const CHROMIUM_ARGS = [
  '--enable-unsafe-webgpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
];

const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

// ------------------------------------------------------------------------------------ arguments

function usage(msg) {
  if (msg) process.stderr.write(`bench: ${msg}\n`);
  process.stderr.write(
    'usage: node scripts/bench-browser.mjs [--backends webgpu,webgl,wasm,cpu] [--preset NAME] [--steps N] ' +
      '[--warmup N] [--timeout SECONDS] [--port PORT] [--build] [--C N --layers N --nodes N --size N ' +
      '--classes N --batch N --seed N --order 1|2 --ops a,b,c]\n',
  );
  process.exit(msg ? 2 : 0);
}

function parseArgs(argv) {
  const opts = { backends: ALL_BACKENDS, preset: undefined, steps: 5, warmup: 1, timeoutS: 360, port: 4174, build: false, overrides: {} };
  for (let i = 0; i < argv.length; i++) {
    let flag = argv[i];
    let value;
    const eq = flag.indexOf('=');
    if (flag.startsWith('--') && eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    }
    const next = () => {
      if (value !== undefined) return value;
      if (i + 1 >= argv.length || argv[i + 1].startsWith('--')) usage(`${flag} needs a value`);
      return argv[++i];
    };
    const int = (min) => {
      const s = next();
      const n = Number(s);
      if (!Number.isInteger(n) || n < min) usage(`${flag} wants an integer ≥ ${min}, got "${s}"`);
      return n;
    };
    switch (flag) {
      case '-h':
      case '--help':
        usage();
        break;
      case '--backends': {
        const list = next().split(',').map((s) => s.trim()).filter(Boolean);
        const bad = list.filter((b) => !ALL_BACKENDS.includes(b));
        if (bad.length || !list.length) usage(`unknown backend(s) "${bad.join(',')}"; choose from ${ALL_BACKENDS.join(',')}`);
        opts.backends = [...new Set(list)];
        break;
      }
      case '--preset':
        opts.preset = next();
        break;
      case '--steps':
        opts.steps = int(1);
        break;
      case '--warmup':
        opts.warmup = int(0);
        break;
      case '--timeout':
        opts.timeoutS = int(10);
        break;
      case '--port':
        opts.port = int(1);
        break;
      case '--build':
        opts.build = true;
        break;
      default: {
        const key = flag.replace(/^--/, '');
        if (flag.startsWith('--') && URL_OVERRIDES.includes(key)) opts.overrides[key] = next();
        else usage(`unknown argument "${argv[i]}"`);
      }
    }
  }
  return opts;
}

// ------------------------------------------------------------------------- build and preview

function runToStderr(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', process.stderr, process.stderr] });
    child.on('error', (e) => {
      log(`cannot start ${cmd}: ${e.message}`);
      resolve(1);
    });
    child.on('exit', (code) => resolve(code ?? 1));
  });
}

let server = null;

/** Stop `vite preview` (npx and its node child: the whole process group). Idempotent. */
function stopServer(signal = 'SIGTERM') {
  if (!server || server.exitCode !== null || server.signalCode !== null) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    try {
      server.kill(signal);
    } catch {
      /* already gone */
    }
  }
}

/** True when something already answers HTTP on `url` (then it is not our server to measure). */
async function answers(url) {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2000) });
    return true;
  } catch {
    return false;
  }
}

async function startServer(port) {
  const url = `http://localhost:${port}/`;
  if (await answers(url)) throw new Error(`port ${port} is already in use (something answers on ${url}); pass --port`);
  let stderr = '';
  server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], {
    detached: true, // own process group, so stopServer reaches vite behind npx
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  server.stderr.on('data', (d) => {
    stderr += d;
  });
  let exited = false;
  server.on('exit', () => {
    exited = true;
  });
  server.on('error', (e) => {
    exited = true;
    stderr += e.message;
  });
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`vite preview exited: ${stderr.trim().split('\n').slice(-3).join(' | ') || 'no message'}`);
    try {
      const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
      if (res.ok && (await res.text()).includes('DARTS Playground')) return url;
    } catch {
      /* not up yet */
    }
    await sleep(250);
  }
  throw new Error(`vite preview did not answer on ${url} within 60 s`);
}

// ----------------------------------------------------------------------------- in the page

/**
 * Runs in the page before the app (page.addInitScript). Timestamps snapshot messages and their
 * paint, data-step changes, and, once the warm-up is over, rAF frames and long tasks until
 * `steps` more steps have been shown.
 */
function pageProbe({ warmup, steps }) {
  const B = {
    stepLog: [], // { step, t } at every data-step change
    snaps: [], // { step, recv, painted }
    window: null, // { t0, step0, t1, step1, frames, firstFrame, lastFrame, worstFrame, longTasks }
    done: false,
  };
  window.__dartsBench = B;

  // 1. Snapshot → paint. Our listener is added in the constructor, so it runs before the app's
  // onmessage handler. The app applies the latest snapshot in its next rAF callback; ours is in the
  // same frame, and a MessageChannel task posted from it runs once that frame has been rendered.
  const Orig = window.Worker;
  if (Orig) {
    window.Worker = class extends Orig {
      constructor(url, options) {
        super(url, options);
        this.addEventListener('message', (e) => {
          const d = e.data;
          if (!d || d.type !== 'snapshot') return;
          const recv = performance.now();
          const step = d.step;
          requestAnimationFrame(() => {
            const ch = new MessageChannel();
            ch.port1.onmessage = () => {
              B.snaps.push({ step, recv, painted: performance.now() });
              ch.port1.close();
            };
            ch.port2.postMessage(0);
          });
        });
      }
    };
  }

  // 2. The timed window: from the first data-step ≥ warmup to `steps` steps later.
  let longTaskObserver = null;
  const startWindow = (t0, step0) => {
    const w = { t0, step0, t1: null, step1: null, frames: 0, firstFrame: null, lastFrame: null, worstFrame: 0, longTasks: 0, longTaskMs: [] };
    B.window = w;
    try {
      longTaskObserver = new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          if (e.duration > 50 && w.t1 === null) {
            w.longTasks++;
            w.longTaskMs.push(Math.round(e.duration));
          }
        }
      });
      longTaskObserver.observe({ type: 'longtask', buffered: false });
    } catch {
      w.longTasks = null; // no Long Tasks API
    }
    const tick = (t) => {
      if (w.t1 !== null) return;
      if (w.lastFrame !== null) w.worstFrame = Math.max(w.worstFrame, t - w.lastFrame);
      else w.firstFrame = t;
      w.lastFrame = t;
      w.frames++;
      requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  };
  const endWindow = (t1, step1) => {
    const w = B.window;
    w.t1 = t1;
    w.step1 = step1;
    longTaskObserver?.disconnect();
    B.done = true;
  };

  let last = -1;
  new MutationObserver((records) => {
    const t = performance.now();
    for (const r of records) {
      const el = r.target;
      if (!(el instanceof Element) || !el.classList.contains('app')) continue;
      const step = Number(el.getAttribute('data-step'));
      if (!Number.isFinite(step) || step === last) continue;
      last = step;
      B.stepLog.push({ step, t });
      if (!B.window && step >= warmup && step > 0) startWindow(t, step);
      else if (B.window && B.window.t1 === null && step >= B.window.step0 + steps) endWindow(t, step);
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-step'] });
}

// ----------------------------------------------------------------------------------- helpers

function median(xs) {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const round = (x, digits = 1) => (x === null || x === undefined || !Number.isFinite(x) ? null : Number(x.toFixed(digits)));

/** Per-step durations inside the window: an interval that covers k steps counts k times at Δt/k. */
function perStepMs(stepLog, w) {
  const pts = stepLog.filter((p) => p.t >= w.t0 && p.t <= w.t1);
  const out = [];
  for (let i = 1; i < pts.length; i++) {
    const k = pts[i].step - pts[i - 1].step;
    if (k <= 0) continue;
    for (let j = 0; j < k; j++) out.push((pts[i].t - pts[i - 1].t) / k);
  }
  return out;
}

function describeConfig(backend, opts) {
  const preset = opts.preset ?? (SOFTWARE_GPU.has(backend) ? GPU_DEFAULT_PRESET : DEFAULT_PRESET);
  const params = new URLSearchParams({ preset });
  for (const [k, v] of Object.entries(opts.overrides)) params.set(k, v);
  const query = params.toString();
  const source = opts.preset
    ? '--preset'
    : SOFTWARE_GPU.has(backend)
      ? `smaller default for ${backend} (software-rendered on SwiftShader in headless Chromium); --preset overrides`
      : 'the app default';
  return { preset, config: { query, source }, query };
}

// ------------------------------------------------------------------------------- one backend

async function benchBackend(backend, baseUrl, opts) {
  const { preset, config, query } = describeConfig(backend, opts);
  const head = { backend, preset, config };
  const url = `${baseUrl}?${query}&backend=${backend}&autoplay=1`;
  const deadline = Date.now() + opts.timeoutS * 1000;
  let browser = null;
  const pageErrors = [];
  try {
    log(`${backend}: launching Chromium, opening ${url.replace(baseUrl, '/')}`);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      headless: true,
      args: CHROMIUM_ARGS,
    });
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    let crashed = null;
    page.on('crash', () => {
      crashed = 'the page crashed';
    });
    browser.on('disconnected', () => {
      crashed ??= 'the browser disconnected';
    });
    page.on('pageerror', (e) => pageErrors.push(e.message));
    await page.addInitScript(pageProbe, { warmup: opts.warmup, steps: opts.steps });
    const t0 = Date.now();
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });

    let readyMs = null;
    let lastStep = -1;
    let lastStatus = '';
    for (;;) {
      if (crashed) return { ...head, error: crashed };
      if (Date.now() > deadline) {
        return { ...head, error: `timed out after ${opts.timeoutS} s at data-step ${Math.max(lastStep, 0)}${lastStatus ? ` (${lastStatus})` : ''}` };
      }
      const s = await page.evaluate(() => {
        const app = document.querySelector('.app');
        const B = window.__dartsBench;
        return {
          app: Boolean(app),
          backend: app?.getAttribute('data-backend') ?? '',
          state: app?.getAttribute('data-state') ?? '',
          ready: app?.getAttribute('data-ready') === 'true',
          step: Number(app?.getAttribute('data-step') ?? 0),
          error: document.querySelector('.error-banner')?.textContent?.trim() ?? '',
          badge: document.querySelector('[data-testid="backend-badge"]')?.getAttribute('title') ?? '',
          status: document.querySelector('.cells .busy')?.textContent?.trim() ?? '',
          notices: [...document.querySelectorAll('.notice p')].map((p) => p.textContent ?? ''),
          done: Boolean(B?.done),
        };
      });
      if (!s.app && Date.now() - t0 > 60_000) return { ...head, error: `the app did not render within 60 s${pageErrors.length ? `: ${pageErrors[0]}` : ''}` };
      if (s.state === 'error' || s.error) return { ...head, error: s.error || 'data-state=error' };
      if (s.backend && s.backend !== backend) {
        return { ...head, error: `fell back to ${s.backend}: ${s.badge.replace(/^Fallback: /, '')}` };
      }
      const ignored = s.notices.find((n) => /ignored|Unknown preset/.test(n));
      if (ignored) return { ...head, error: ignored };
      if (s.status && s.status !== lastStatus) log(`${backend}: ${s.status}`);
      lastStatus = s.status;
      if (s.ready && s.backend === backend && readyMs === null) {
        readyMs = Date.now() - t0;
        log(`${backend}: ready after ${(readyMs / 1000).toFixed(1)} s; ${opts.warmup} warm-up + ${opts.steps} timed steps`);
      }
      if (s.step !== lastStep && s.step > 0) {
        const phase = s.step <= opts.warmup ? 'warm-up' : 'timed';
        log(`${backend}: step ${s.step} (${phase}, ${((Date.now() - t0) / 1000).toFixed(1)} s)`);
      }
      lastStep = s.step;
      if (s.done) break;
      await sleep(200);
    }

    const B = await page.evaluate(() => window.__dartsBench);
    const w = B.window;
    const windowMs = w.t1 - w.t0;
    const steps = w.step1 - w.step0;
    const perStep = perStepMs(B.stepLog, w);
    const inWindow = B.snaps.filter((s) => s.recv >= w.t0 && s.recv <= w.t1);
    const latencies = (inWindow.length ? inWindow : B.snaps.filter((s) => s.recv >= w.t0)).map((s) => s.painted - s.recv);
    const fps = w.frames > 1 && w.lastFrame > w.firstFrame ? ((w.frames - 1) * 1000) / (w.lastFrame - w.firstFrame) : null;
    return {
      ...head,
      warmup: opts.warmup,
      steps,
      msPerStep: round(median(perStep)),
      stepsPerSec: round((steps * 1000) / windowMs, 3),
      snapshotToPaintMs: round(median(latencies)),
      fps: round(fps),
      longTasks: w.longTasks,
      ...(w.longTaskMs?.length ? { longTaskMs: w.longTaskMs } : {}),
      worstFrameMs: round(w.worstFrame),
      snapshots: inWindow.length,
      readyMs,
    };
  } catch (e) {
    const msg = String(e?.message ?? e).split('\n')[0];
    return { ...head, error: `${msg}${pageErrors.length ? ` (page errors: ${pageErrors.slice(0, 2).join(' | ')})` : ''}` };
  } finally {
    await browser?.close().catch(() => {});
  }
}

// -------------------------------------------------------------------------------------- main

async function main() {
  const opts = parseArgs(process.argv.slice(2));

  if (opts.build || !existsSync('dist/index.html')) {
    log('vite build');
    const code = await runToStderr('npx', ['vite', 'build']);
    if (code !== 0) throw new Error(`vite build failed (exit ${code})`);
  }

  log(`starting vite preview on port ${opts.port}`);
  const baseUrl = await startServer(opts.port);
  let measured = 0;
  for (const backend of opts.backends) {
    const line = await benchBackend(backend, baseUrl, opts);
    if (!line.error) measured++;
    else log(`${backend}: ${line.error}`);
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
  return measured > 0 ? 0 : 1;
}

for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    stopServer('SIGTERM');
    process.exit(sig === 'SIGINT' ? 130 : 143);
  });
}
// Last resort for any exit path (exceptions included): never leave the preview server behind.
process.on('exit', () => stopServer('SIGKILL'));

let code = 1;
try {
  code = await main();
} catch (e) {
  log(`error: ${e?.message ?? e}`);
} finally {
  stopServer('SIGTERM');
  if (server) {
    const gone = new Promise((r) => (server.exitCode !== null || server.signalCode !== null ? r() : server.once('exit', r)));
    await Promise.race([gone, sleep(3000)]);
  }
}
process.exit(code);
