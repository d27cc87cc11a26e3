/**
 * Soak in Node (issue 11 item 5): run many search steps of a preset on its own dataset and print,
 * every `--every` steps, the tensor count, tfjs' byte count and the wasm heap. All three must
 * stay flat; the last line says whether they did (exit 1 if not).
 *
 *   npm run -s soak -- --steps 10000             # the lecture preset on wasm (≈ 30 min here)
 *   npm run -s soak -- --preset simple-convs --steps 1000 --every 100 --backend cpu
 *
 * "Flat": after the first sample (warm-up allocations: the tape, the wasm heap's first growth),
 * every sample has the same tensor count and byte count, and the heap does not grow again.
 */
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs-core';
import { getPreset, getPresetInfo } from '../src/core/presets';
import { loadSearchData, SEARCH_DATASETS, type SearchDataset } from '../src/cli/search';
import { heapBytes } from '../src/engine/bench';
import { initNodeBackend } from '../src/engine/node';
import { DartsSearch } from '../src/engine/search';

const { values } = parseArgs({
  options: {
    preset: { type: 'string', default: 'lecture' },
    steps: { type: 'string', default: '10000' },
    every: { type: 'string', default: '500' },
    backend: { type: 'string', default: 'wasm' },
  },
});
const steps = Number(values.steps);
const every = Number(values.every);
const config = getPreset(values.preset!);
const dataset = getPresetInfo(values.preset!).dataset;
// cifar10 is a user upload in the app; Node has no copy, so that preset soaks on synthetic data.
const searchData: SearchDataset = (SEARCH_DATASETS as readonly string[]).includes(dataset) ? (dataset as SearchDataset) : 'synthetic';
const data = await loadSearchData(searchData, config);
await initNodeBackend(values.backend as 'wasm' | 'cpu');
const search = DartsSearch.create(config, data);

interface Sample {
  step: number;
  numTensors: number;
  numBytes: number;
  heapBytes: number;
  msPerStep: number;
}
const samples: Sample[] = [];
let t0 = performance.now();
console.error(`soak: ${values.preset} on ${tf.getBackend()}, ${steps} steps, a sample every ${every}`);
for (let i = 1; i <= steps; i++) {
  await search.step('both');
  if (i % every === 0) {
    const m = tf.memory();
    const s = { step: i, numTensors: m.numTensors, numBytes: m.numBytes, heapBytes: heapBytes(), msPerStep: Math.round(((performance.now() - t0) / every) * 10) / 10 };
    samples.push(s);
    console.log(JSON.stringify(s));
    t0 = performance.now();
  }
}
search.dispose();

const [first, ...rest] = samples;
const flat =
  first !== undefined &&
  rest.every((s) => s.numTensors === first.numTensors && s.numBytes === first.numBytes && s.heapBytes <= (rest[0]?.heapBytes ?? first.heapBytes));
console.log(
  JSON.stringify({
    summary: true,
    preset: values.preset,
    backend: tf.getBackend(),
    steps,
    numTensors: [...new Set(samples.map((s) => s.numTensors))],
    numBytes: [...new Set(samples.map((s) => s.numBytes))],
    heapBytes: [...new Set(samples.map((s) => s.heapBytes))],
    flat,
  }),
);
process.exit(flat ? 0 : 1);
