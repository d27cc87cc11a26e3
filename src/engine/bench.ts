/**
 * Step benchmark shared by the CLI (`darts bench`) and the browser bench page: median ms per
 * search step, split into the α step and the w step, peak bytes of one step, and whether the
 * tensor count is stable across the timed steps. Timed on random data (as the reference is timed).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchConfig } from '../core/config';
import { RandomDataSource } from '../data/random';
import { kernelImpl } from './kernels/backends';
import { countKernels } from './kernelCounter';
import { DartsSearch } from './search';
import type { BackendName } from './types';

export interface BenchResult {
  backend: string;
  msPerStep: number;
  stepsPerSec: number;
  alphaStepMs: number;
  weightStepMs: number;
  /** Peak bytes of live tensor buffers during one step (a buffer shared by several tensors counts once). */
  peakBytes: number;
  /** wasm only: size of the wasm heap after the run (its high-water mark, fragmentation included). */
  heapBytes?: number;
  /** tfjs kernels run by one step (counted by wrapping engine.runKernelFunc). */
  kernelsPerStep: number;
  /** How our custom kernels run on this backend: simd, js, or composite (stock tfjs ops). */
  kernels: string;
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
    // Peak memory and kernel count of more steps, measured separately so tracking does not skew the timings.
    const peakBytes = await measurePeakBytes(() => search.step('both'));
    const { stats } = await countKernels(() => search.step('both'));
    opts.onProgress?.(total, total);
    const msPerStep = median(ms);
    return {
      backend: tf.getBackend(),
      msPerStep: round(msPerStep),
      stepsPerSec: round(1000 / msPerStep, 3),
      alphaStepMs: round(median(a)),
      weightStepMs: round(median(w)),
      peakBytes,
      ...(heapBytes() ? { heapBytes: heapBytes() } : {}),
      kernelsPerStep: stats.total,
      kernels: kernelImpl(tf.getBackend() as BackendName),
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

/** Size of the wasm backend's heap (bytes), or 0 on other backends. */
export function heapBytes(): number {
  if (tf.getBackend() !== 'wasm') return 0;
  const w = (tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } }).wasm;
  return w?.HEAPU8?.length ?? 0;
}

/**
 * Peak bytes of live tensor buffers while `fn` runs. tfjs' own counter (numBytes, which
 * tf.profile samples) counts every tensor, so a buffer shared by a reshape or a clone counts
 * twice; here each data buffer counts once, by watching the engine's dataId registry
 * (state.tensorInfo: one entry per buffer, added when a buffer appears, removed when it is freed).
 */
export async function measurePeakBytes(fn: () => Promise<unknown>): Promise<number> {
  const state = (tf.engine() as unknown as { state: { tensorInfo: WeakMap<object, { bytes: number }>; numBytes: number } }).state;
  const info = state.tensorInfo;
  // Buffers alive before `fn` are counted from tfjs' per-tensor figure (an upper bound for them).
  let live = state.numBytes;
  let peak = live;
  const set = info.set.bind(info);
  const del = info.delete.bind(info);
  Object.assign(info, {
    set(k: object, v: { bytes: number }) {
      if (!info.has(k)) {
        live += v.bytes;
        if (live > peak) peak = live;
      }
      return set(k, v);
    },
    delete(k: object) {
      if (info.has(k)) live -= info.get(k)!.bytes;
      return del(k);
    },
  });
  try {
    await fn();
  } finally {
    delete (info as unknown as { set?: unknown }).set;
    delete (info as unknown as { delete?: unknown }).delete;
  }
  return peak;
}
