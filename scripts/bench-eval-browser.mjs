#!/usr/bin/env node
/**
 * `npm run -s bench:eval`: issue 4's browser figures, one JSON line on stdout.
 *
 *   dataLoadColdMs   page load → MNIST dataset card, fresh browser profile (download + decode + split)
 *   dataLoadWarmMs   the same after a reload (Cache API copy, no download)
 *   workerLoadMs     the worker's own load time on the cold run (card.loadMs)
 *   evalMsPerEpoch   "Train this cell" at the chosen size (default: quick), ms per epoch
 *   evalTotalMs      click → test accuracy shown (training + BN recalibration + test)
 *   testAccuracy, params, peakMB (peak tensor bytes in the worker while training)
 *
 * Flags: --size quick|standard (default quick), --epochs N (default: the size's), --port P
 * (default 4175), --build (rebuild dist/ even when it exists), --backend wasm|cpu|webgl|webgpu
 * (default wasm). Progress goes to stderr.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { launchChromium, startPreview } from './lib/preview.mjs';

const { values } = parseArgs({
  options: {
    size: { type: 'string', default: 'quick' },
    epochs: { type: 'string' },
    port: { type: 'string', default: '4175' },
    build: { type: 'boolean', default: false },
    backend: { type: 'string', default: 'wasm' },
  },
});
const log = (m) => process.stderr.write(`bench:eval: ${m}\n`);
const port = Number(values.port);

function run(cmd, args) {
  return new Promise((resolve) => spawn(cmd, args, { stdio: ['ignore', 'ignore', 'inherit'] }).on('exit', (c) => resolve(c ?? 1)));
}

if (values.build || !existsSync('dist/index.html')) {
  log('vite build');
  if ((await run('npx', ['vite', 'build'])) !== 0) process.exit(1);
}
const base = await startPreview(port, log);

const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, serviceWorkers: 'block' });
  const page = await context.newPage();
  const url = `${base}/?backend=${values.backend}#dataset=mnist`; // the lecture network on MNIST (10 classes)
  const timeToCard = async () => {
    const t0 = Date.now();
    await page.goto(url);
    await page.locator('.dataset-card[data-dataset="mnist"]').waitFor({ timeout: 300_000 });
    return Date.now() - t0;
  };
  const dataLoadColdMs = await timeToCard();
  const note = await page.locator('.dataset-card .panel-note').first().innerText();
  const workerLoadMs = Math.round(1000 * Number(/Loaded in ([\d.]+) s/.exec(note)?.[1] ?? NaN));
  const dataLoadWarmMs = await timeToCard();
  log(`MNIST card: cold ${dataLoadColdMs} ms, warm ${dataLoadWarmMs} ms`);
  await page.locator('.app[data-ready="true"]').waitFor({ timeout: 300_000 });
  const panel = page.locator('.evaluate-panel');
  await panel.getByLabel('Cell', { exact: true }).selectOption('DARTS_V2');
  await panel.getByLabel('Size').selectOption(values.size);
  if (values.epochs) await panel.getByLabel('Epochs').fill(values.epochs);
  await panel.getByLabel('Random cells').fill('0');
  const t0 = Date.now();
  await panel.getByRole('button', { name: 'Train this cell' }).click();
  const result = panel.locator('.eval-result');
  await result.waitFor({ timeout: 1_800_000 });
  const evalTotalMs = Date.now() - t0;
  const attr = async (n) => Number(await result.getAttribute(n));
  const out = {
    backend: values.backend,
    size: values.size,
    dataLoadColdMs,
    dataLoadWarmMs,
    workerLoadMs,
    evalMsPerEpoch: await attr('data-ms-per-epoch'),
    evalTotalMs,
    testAccuracy: await attr('data-test-accuracy'),
    params: await attr('data-params'),
    peakMB: Math.round((await attr('data-peak-bytes')) / 1e5) / 10,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
} finally {
  await browser.close();
  stop();
}
