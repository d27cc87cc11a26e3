#!/usr/bin/env node
/**
 * Issue 10 item 1 in the browser: open the default link in headless Chromium (wasm), press Play,
 * and every 5 s read softmax(α) of the normal cell from the drawing (`data-weight` on every curve,
 * src/viz/renderCell.ts). Prints one JSON line per reading and a summary: the seconds and steps
 * after Play at which at least half the normal edges had their strongest op at ≥ 2× uniform
 * (softmax ≥ 2/K), and the derived normal cell then and at the end (top-2 incoming edges per node
 * by their strongest non-none op, spec §2.4). A measurement, not a test.
 *
 *   npm run -s build && node scripts/decision-bench-browser.mjs                 # 90 s, the default link
 *   node scripts/decision-bench-browser.mjs --seconds 60 --hash 'archLr=0.01'  # another setting
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { launchChromium, startPreview } from './lib/preview.mjs';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '90' },
    hash: { type: 'string', default: '' },
    backend: { type: 'string', default: 'wasm' },
    port: { type: 'string', default: '4176' },
  },
});
const log = (m) => process.stderr.write(`decision: ${m}\n`);
const base = await startPreview(values.port, log);

/** In the page: the normal cell's curves as {from, to, op, w}. */
const readCell = () =>
  [...document.querySelectorAll('[data-testid="cell-normal"] path.op')].map((p) => ({
    from: p.getAttribute('data-from'),
    to: p.getAttribute('data-to'),
    op: p.getAttribute('data-op'),
    w: Number(p.getAttribute('data-weight')),
  }));

function summarise(curves) {
  const edges = new Map();
  for (const c of curves) {
    const k = `${c.from}->${c.to}`;
    if (!edges.has(k)) edges.set(k, []);
    edges.get(k).push(c);
  }
  const K = edges.size ? [...edges.values()][0].length : 1;
  let decided = 0;
  const argmax = {};
  const byNode = new Map();
  for (const list of edges.values()) {
    const best = list.reduce((a, b) => (b.w > a.w ? b : a));
    if (best.w >= 2 / K) decided++;
    argmax[best.op] = (argmax[best.op] ?? 0) + 1;
    const strong = list.filter((c) => c.op !== 'none').reduce((a, b) => (b.w > a.w ? b : a));
    if (!byNode.has(strong.to)) byNode.set(strong.to, []);
    byNode.get(strong.to).push(strong);
  }
  const derived = {};
  for (const list of byNode.values()) for (const c of list.sort((a, b) => b.w - a.w).slice(0, 2)) derived[c.op] = (derived[c.op] ?? 0) + 1;
  return { edges: edges.size, decided, argmax, derivedNormal: derived };
}

const browser = await launchChromium();
let code = 0;
try {
  const page = await browser.newPage({ viewport: { width: 1024, height: 768 } });
  const tLoad = Date.now();
  await page.goto(`${base}/?backend=${values.backend}${values.hash ? `#${values.hash}` : ''}`);
  const root = page.locator('.app');
  await root.waitFor();
  await page.waitForFunction(() => document.querySelector('.app')?.getAttribute('data-ready') === 'true', null, { timeout: 180_000 });
  log(`ready after ${((Date.now() - tLoad) / 1000).toFixed(1)} s; pressing Play`);
  await page.getByRole('button', { name: 'Play', exact: true }).click();
  const t0 = Date.now();
  let first = null;
  let last = null;
  while (Date.now() - t0 < Number(values.seconds) * 1000) {
    await sleep(5000);
    const s = summarise(await page.evaluate(readCell));
    const line = { seconds: +((Date.now() - t0) / 1000).toFixed(1), step: Number(await root.getAttribute('data-step')), ...s, decided: `${s.decided}/${s.edges}` };
    console.log(JSON.stringify(line));
    if (!first && s.decided * 2 >= s.edges) first = line;
    last = line;
  }
  console.log(JSON.stringify({ summary: true, backend: values.backend, hash: values.hash, halfDecidedAt: first, end: last }));
  if (!first) code = 1;
} finally {
  await browser.close();
}
process.exit(code);
