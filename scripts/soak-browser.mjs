#!/usr/bin/env node
/**
 * Soak in the browser (issue 11 item 5): open the default link in headless Chromium on wasm,
 * press Play and let the search run for `--steps` steps. Every `--every` steps it prints the
 * worker's tensor count, tfjs byte count and wasm heap (sent with each snapshot, read from the
 * app root's data-tensors, data-tensor-bytes, data-heap-bytes) and the page's JS heap. The last
 * line says whether the worker's three figures stayed flat (exit 1 if not).
 *
 *   npm run -s build && npm run -s soak:browser                   # 2,000 lecture steps (≈ 5 min)
 *   npm run -s soak:browser -- --steps 500 --every 100 --hash 'C=2'
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { launchChromium, startPreview } from './lib/preview.mjs';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '2000' },
    every: { type: 'string', default: '500' },
    hash: { type: 'string', default: '' },
    port: { type: 'string', default: '4177' },
  },
});
const steps = Number(values.steps);
const every = Number(values.every);
const log = (m) => process.stderr.write(`soak: ${m}\n`);
const base = await startPreview(values.port, log);
const browser = await launchChromium();
let code = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 720 } });
  await page.goto(`${base}/?backend=wasm${values.hash ? `#${values.hash}` : ''}`);
  await page.waitForFunction(() => document.querySelector('.app')?.getAttribute('data-ready') === 'true', null, { timeout: 180_000 });
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  log(`playing; a sample every ${every} steps up to ${steps}`);
  const read = () =>
    page.evaluate(() => {
      const el = document.querySelector('.app');
      const n = (a) => Number(el.getAttribute(a));
      const perf = /** @type {{ memory?: { usedJSHeapSize: number } }} */ (performance);
      return { step: n('data-step'), numTensors: n('data-tensors'), numBytes: n('data-tensor-bytes'), heapBytes: n('data-heap-bytes'), pageJsHeap: perf.memory?.usedJSHeapSize ?? 0, state: el.getAttribute('data-state') };
    });
  const samples = [];
  let next = every;
  let t0 = Date.now();
  while (next <= steps) {
    const r = await read();
    if (r.state !== 'running') throw new Error(`the run stopped at step ${r.step} (state ${r.state})`);
    if (r.step >= next) {
      const s = { ...r, msPerStep: Math.round((Date.now() - t0) / every) };
      delete s.state;
      samples.push(s);
      console.log(JSON.stringify(s));
      next += every;
      t0 = Date.now();
    }
    await sleep(250);
  }
  const [first, ...rest] = samples;
  const flat = rest.every((s) => s.numTensors === first.numTensors && s.numBytes === first.numBytes && s.heapBytes <= (rest[0]?.heapBytes ?? first.heapBytes));
  const uniq = (k) => [...new Set(samples.map((s) => s[k]))];
  console.log(JSON.stringify({ summary: true, steps, numTensors: uniq('numTensors'), numBytes: uniq('numBytes'), heapBytes: uniq('heapBytes'), pageJsHeapMB: samples.map((s) => Math.round(s.pageJsHeap / 1e6)), flat }));
  if (!flat) code = 1;
} catch (e) {
  log(String(e));
  code = 1;
} finally {
  await browser.close();
}
process.exit(code);
