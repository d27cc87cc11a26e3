/**
 * Does the search visibly decide, and how soon? (issue 10 item 1). Runs a real search in Node and
 * prints, every --every steps, one JSON line: how many normal-cell edges have a strongest op at
 * ≥ 2× the uniform weight (softmax ≥ 2/K, "decided"), which op is strongest on each edge, and the
 * derived normal cell's ops (spec §2.4). The last line is a summary with the first step at which
 * at least half the edges were decided. Not a test: a measurement, to rerun when the engine, the
 * task or the preset changes.
 *
 *   npx tsx scripts/decision-bench.ts                                   # the lecture preset, 600 steps
 *   npx tsx scripts/decision-bench.ts --dataset task-long-range --config '{"archLr":0.03,"numClasses":4}'
 *   npx tsx scripts/decision-bench.ts --preset paper --steps 300 --every 50 --backend cpu
 *
 * Browser time ≈ steps × the browser's ms/step (`npm run -s bench -- --backends wasm`).
 */
import { parseArgs } from 'node:util';
import { deriveGenotype } from '../src/core/derive';
import { getPreset, getPresetInfo, PRESET_NAMES, type PresetName } from '../src/core/presets';
import { validateConfig } from '../src/core/validateConfig';
import { loadSearchData, SEARCH_DATASETS, type SearchDataset } from '../src/cli/search';
import { initNodeBackend } from '../src/engine/node';
import { DartsSearch } from '../src/engine/search';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'lecture' },
    dataset: { type: 'string' },
    config: { type: 'string', default: '{}' },
    steps: { type: 'string', default: '600' },
    every: { type: 'string', default: '100' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const preset = values.preset as PresetName;
if (!(PRESET_NAMES as readonly string[]).includes(preset)) throw new Error(`--preset must be one of ${PRESET_NAMES.join(', ')}`);
const dataset = (values.dataset ?? getPresetInfo(preset).dataset) as SearchDataset;
if (!(SEARCH_DATASETS as readonly string[]).includes(dataset)) throw new Error(`--dataset must be one of ${SEARCH_DATASETS.join(', ')}`);
const steps = Number(values.steps);
const every = Number(values.every);
const backend = values.backend === 'cpu' ? 'cpu' : 'wasm';

const cfg = validateConfig({ ...getPreset(preset), ...JSON.parse(values.config!) });
await initNodeBackend(backend);
const data = await loadSearchData(dataset, cfg);
const search = DartsSearch.create(cfg, data);
const K = cfg.ops.length;
const rows = (f: Float32Array) => Array.from({ length: f.length / K }, (_, e) => Array.from(f.subarray(e * K, e * K + K)));
const t0 = performance.now();
let firstHalf: number | null = null;
let last: Record<string, unknown> = {};
for (let i = 1; i <= steps; i++) {
  const r = await search.step('both');
  if (i % every !== 0 && i !== steps) continue;
  const a = await search.alphas();
  const sm = rows(a.softmaxNormal);
  const strongest = sm.map((row) => cfg.ops[row.indexOf(Math.max(...row))]);
  const decided = sm.filter((row) => Math.max(...row) >= 2 / K).length;
  if (firstHalf === null && decided * 2 >= sm.length) firstHalf = i;
  const g = deriveGenotype({ normal: rows(a.rawNormal), reduce: rows(a.rawReduce) }, cfg.ops, cfg.steps, cfg.multiplier, 'raw');
  const count = (xs: string[]) => xs.reduce<Record<string, number>>((m, x) => ((m[x] = (m[x] ?? 0) + 1), m), {});
  last = {
    step: i,
    nodeSeconds: +((performance.now() - t0) / 1000).toFixed(1),
    trainAcc: r.trainAcc,
    valAcc: r.valAcc,
    decided: `${decided}/${sm.length}`,
    strongestOp: Math.max(...sm.flat()).toFixed(3),
    argmax: count(strongest),
    derivedNormal: count(g.normal.map(([op]) => op)),
  };
  console.log(JSON.stringify(last));
}
console.log(JSON.stringify({ summary: true, preset, dataset, archLr: cfg.archLr, ops: K, steps, firstStepHalfDecided: firstHalf, final: last }));
search.dispose?.();
