/**
 * Step benchmark shared by the CLI (`darts bench`) and the browser bench page: median ms per
 * search step, split into the α step and the w step, peak bytes of one step, and whether the
 * tensor count is stable across the timed steps. Timed on random data (as the reference is timed).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchConfig } from '../core/config';
import { RandomDataSource } from '../data/random';
import { DartsSearch } from './search';

export interface BenchResult {
  backend: string;
  msPerStep: number;
  stepsPerSec: number;
  alphaStepMs: number;
  weightStepMs: number;
  peakBytes: number;
  numTensorsStable: boolean;
  steps: number;
  warmup: number;
  order: 1 | 2;
  paramCount: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

export async function benchSteps(
  config: SearchConfig,
  opts: { steps?: number; warmup?: number; onProgress?: (done: number, total: number) => void } = {},
): Promise<BenchResult> {
  const steps = opts.steps ?? 10;
  const warmup = opts.warmup ?? 2;
  const data = new RandomDataSource(config.height, config.width, config.inChannels, config.numClasses, config.seed);
  const search = DartsSearch.create(config, data);
  try {
    const total = warmup + steps + 1;
    for (let i = 0; i < warmup; i++) {
      await search.step('both');
      opts.onProgress?.(i + 1, total);
    }
    const before = tf.memory().numTensors;
    const ms: number[] = [];
    const a: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t0 = performance.now();
      const r = await search.step('both');
      ms.push(performance.now() - t0);
      a.push(r.archMs ?? 0);
      w.push(r.weightMs ?? 0);
      opts.onProgress?.(warmup + i + 1, total);
    }
    const numTensorsStable = tf.memory().numTensors === before;
    // Peak memory of one more step, measured separately so tracking does not skew the timings.
    const peakBytes = await measurePeakBytes(() => search.step('both'));
    opts.onProgress?.(total, total);
    const msPerStep = median(ms);
    return {
      backend: tf.getBackend(),
      msPerStep: round(msPerStep),
      stepsPerSec: round(1000 / msPerStep, 3),
      alphaStepMs: round(median(a)),
      weightStepMs: round(median(w)),
      peakBytes,
      numTensorsStable,
      steps,
      warmup,
      order: config.order,
      paramCount: search.paramCount,
    };
  } finally {
    search.dispose();
  }
}

const round = (x: number, d = 1) => Math.round(x * 10 ** d) / 10 ** d;

/**
 * Peak tensor bytes while `fn` runs: the maximum of tfjs' own byte counter (engine.state.numBytes,
 * the value tf.profile samples after every kernel). tf.profile itself is not used because it
 * records every kernel and overflows the call stack beyond ~100k kernels per step.
 */
export async function measurePeakBytes(fn: () => Promise<unknown>): Promise<number> {
  const state = (tf.engine() as unknown as { state: { numBytes: number } }).state;
  let value = state.numBytes;
  let peak = value;
  Object.defineProperty(state, 'numBytes', {
    configurable: true,
    enumerable: true,
    get: () => value,
    set: (v: number) => {
      value = v;
      if (v > peak) peak = v;
    },
  });
  try {
    await fn();
  } finally {
    delete (state as { numBytes?: number }).numBytes;
    state.numBytes = value;
  }
  return peak;
}
