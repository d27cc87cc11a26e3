/**
 * Teaching tasks: metadata, determinism, shapes and label balance, the designed statistics, and —
 * with the real engine — that each task is solvable by the op it is designed for (and, where
 * meaningful, not by a contrasting op trained identically).
 */
import { describe, expect, it } from 'vitest';
import { isOpName, type OpName } from '../core/primitives';
import { Rng } from '../core/rng';
import { validateConfig } from '../core/validateConfig';
import { initNodeBackend } from '../engine/node';
import { DartsSearch } from '../engine/search';
import type { Batch, DataSource } from '../engine/types';
import { generateTask, getTeachingTask, isTeachingTaskId, TEACHING_TASKS, type TeachingTaskId } from './tasks';
import type { ImageSplit, RawImageSet } from './types';
import { TEACHING_TASK_CLASSES } from '../core/datasetClasses';

const IDS = TEACHING_TASKS.map((t) => t.id);

describe('TEACHING_TASKS metadata', () => {
  it('has the three tasks with unique ids, texts, valid expected ops and class names', () => {
    expect(IDS).toEqual(['task-texture', 'task-long-range', 'task-pool']);
    for (const t of TEACHING_TASKS) {
      expect(t.id).toMatch(/^task-[a-z0-9-]+$/);
      expect(t.name.length).toBeGreaterThan(3);
      expect(t.summary.length).toBeGreaterThan(20);
      const sentences = t.explanation.split(/(?<=\.)\s+(?=[A-Zα])/);
      expect(sentences.length).toBeGreaterThanOrEqual(2);
      expect(sentences.length).toBeLessThanOrEqual(4);
      expect(t.expectedOps.length).toBeGreaterThan(0);
      for (const op of t.expectedOps) expect(isOpName(op), op).toBe(true);
      expect(new Set(t.classNames).size).toBe(t.classNames.length);
      expect(t.classNames.length).toBeGreaterThanOrEqual(2);
      // Links and the CLI assume this count from the name alone (core/datasetClasses.ts).
      expect(t.classNames.length).toBe(TEACHING_TASK_CLASSES);
      expect(isTeachingTaskId(t.id)).toBe(true);
      expect(getTeachingTask(t.id)).toBe(t);
    }
    expect(isTeachingTaskId('task-nope')).toBe(false);
    expect(() => getTeachingTask('task-nope')).toThrow(/task-texture, task-long-range, task-pool/);
  });
});

describe('generateTask', () => {
  it.each(IDS)('%s: same seed → identical bytes; another seed → different; train and test differ', (id) => {
    const a = generateTask(id, { seed: 5, trainSize: 64, testSize: 32 });
    const b = generateTask(id, { seed: 5, trainSize: 64, testSize: 32 });
    const c = generateTask(id, { seed: 6, trainSize: 64, testSize: 32 });
    expect(b).toEqual(a);
    expect(Buffer.from(c.train.x).equals(Buffer.from(a.train.x))).toBe(false);
    expect(Buffer.from(c.test.x).equals(Buffer.from(a.test.x))).toBe(false);
    expect(Buffer.from(a.test.x).equals(Buffer.from(a.train.x.subarray(0, a.test.x.length)))).toBe(false);
    // The test split does not depend on the training size (its own stream).
    expect(generateTask(id, { seed: 5, trainSize: 8, testSize: 32 }).test).toEqual(a.test);
  });

  it.each(IDS)('%s: RawImageSet shape, balanced shuffled labels, uint8 range, card fields', (id) => {
    const t = getTeachingTask(id);
    const d = generateTask(id, { seed: 2 });
    expect([d.id, d.name, d.height, d.width, d.channels]).toEqual([id, t.name, 16, 16, 1]);
    expect(d.numClasses).toBe(t.classNames.length);
    expect(d.classNames).toEqual(t.classNames);
    expect(d.source).toBe('Generated in your browser from the seed');
    expect(d.license).toBe('Synthetic; no license needed');
    expect(d.flipSafe).toBe(true);
    for (const [split, n] of [[d.train, 2048], [d.test, 512]] as const) {
      expect(split.n).toBe(n);
      expect(split.x).toBeInstanceOf(Uint8Array);
      expect(split.y).toBeInstanceOf(Uint8Array);
      expect(split.x.length).toBe(n * 16 * 16);
      const hist = new Array(d.numClasses).fill(0);
      for (const y of split.y) hist[y]++;
      expect(hist).toEqual(new Array(d.numClasses).fill(n / d.numClasses));
      // Shuffled: not in class order.
      expect(Array.from(split.y.subarray(0, 8))).not.toEqual([0, 1, 2, 3, 0, 1, 2, 3]);
      // Uses the byte range without saturating most pixels.
      let lo = 255, hi = 0, clipped = 0;
      for (const v of split.x) {
        lo = Math.min(lo, v);
        hi = Math.max(hi, v);
        if (v === 0 || v === 255) clipped++;
      }
      expect(lo).toBeLessThan(80);
      expect(hi).toBeGreaterThan(200);
      expect(clipped / split.x.length).toBeLessThan(0.01);
    }
  });

  it('works at any size >= 8 and with 3 channels; rejects bad options', () => {
    for (const id of IDS) {
      const d = generateTask(id, { height: 9, width: 12, channels: 3, seed: 1, trainSize: 10, testSize: 7 });
      expect([d.height, d.width, d.channels, d.train.n, d.test.n]).toEqual([9, 12, 3, 10, 7]);
      expect(d.train.x.length).toBe(10 * 9 * 12 * 3);
      expect(d.test.y.length).toBe(7);
      for (const y of [...d.train.y, ...d.test.y]) expect(y).toBeLessThan(d.numClasses);
      // RGB images are tinted per image: the channels differ.
      expect(d.train.x.filter((_, i) => i % 3 === 0)).not.toEqual(d.train.x.filter((_, i) => i % 3 === 1));
    }
    expect(() => generateTask('task-pool', { height: 7, seed: 1 })).toThrow(/height must be an integer >= 8/);
    expect(() => generateTask('task-pool', { width: 8.5, seed: 1 })).toThrow(/width/);
    expect(() => generateTask('task-pool', { channels: 2, seed: 1 })).toThrow(/channels must be 1 or 3/);
    expect(() => generateTask('task-pool', { trainSize: 0, seed: 1 })).toThrow(/trainSize/);
    expect(() => generateTask('nope' as TeachingTaskId, { seed: 1 })).toThrow(/unknown teaching task/);
  });
});

// ---------------------------------------------------------------------------------------------
// The designed statistics, checked on the bytes (cheap; no engine).

/** Image i of a split as H×W floats (channel 0). */
function image(s: ImageSplit, i: number, H: number, W: number, C: number): Float64Array {
  const out = new Float64Array(H * W);
  for (let p = 0; p < H * W; p++) out[p] = s.x[(i * H * W + p) * C];
  return out;
}

/** Mean |x(p) − x(p + (dy, dx))| over the image, in grey levels. */
function meanAbsDiff(img: Float64Array, H: number, W: number, dy: number, dx: number): number {
  let s = 0;
  let n = 0;
  for (let y = 0; y + dy < H; y++) {
    for (let x = 0; x + dx < W; x++) {
      s += Math.abs(img[y * W + x] - img[(y + dy) * W + x + dx]);
      n++;
    }
  }
  return s / n;
}

/** Per class: the mean over its images of f(image). */
function perClass(d: RawImageSet, f: (img: Float64Array) => number): number[] {
  const sum = new Array(d.numClasses).fill(0);
  const cnt = new Array(d.numClasses).fill(0);
  for (let i = 0; i < d.train.n; i++) {
    sum[d.train.y[i]] += f(image(d.train, i, d.height, d.width, d.channels));
    cnt[d.train.y[i]]++;
  }
  return sum.map((s, c) => s / cnt[c]);
}

describe('designed statistics', () => {
  it('task-texture and task-long-range: the classes differ only in where the noise repeats, not in brightness, contrast or 3×3 neighbours', () => {
    for (const [id, size, period] of [['task-texture', 16, 3], ['task-long-range', 16, 8]] as const) {
      const d = generateTask(id, { height: size, width: size, seed: 3, trainSize: 400, testSize: 4 });
      const mean = perClass(d, (img) => img.reduce((a, b) => a + b, 0) / img.length);
      const near = perClass(d, (img) => meanAbsDiff(img, size, size, 1, 1)); // inside a 3×3 window
      const across = perClass(d, (img) => meanAbsDiff(img, size, size, 0, period));
      const down = perClass(d, (img) => meanAbsDiff(img, size, size, period, 0));
      for (let c = 0; c < 4; c++) {
        expect(Math.abs(mean[c] - 128), `${id} mean of class ${c}`).toBeLessThan(3);
        expect(Math.abs(near[c] - near[0]) / near[0], `${id} 3×3 neighbours of class ${c}`).toBeLessThan(0.05);
      }
      // Class 1 repeats across, class 2 down, class 3 both ways; class 0 nowhere.
      const repeats = [
        [false, false],
        [true, false],
        [false, true],
        [true, true],
      ];
      repeats.forEach(([a, b], c) => {
        expect(across[c] < 0.6 * near[0], `${id} class ${c} across`).toBe(a);
        expect(down[c] < 0.6 * near[0], `${id} class ${c} down`).toBe(b);
      });
    }
  });

  it('task-pool: the speck brightness rises with the class; the background does not', () => {
    const d = generateTask('task-pool', { seed: 3, trainSize: 400, testSize: 4 });
    const brightest = perClass(d, (img) => Math.max(...img));
    const median = perClass(d, (img) => Float64Array.from(img).sort()[img.length >> 1]);
    for (let c = 1; c < 4; c++) expect(brightest[c] - brightest[c - 1]).toBeGreaterThan(25);
    for (let c = 1; c < 4; c++) expect(Math.abs(median[c] - median[0])).toBeLessThan(3);
  });
});

// ---------------------------------------------------------------------------------------------
// Solvable by the designed op: train a network whose every cell edge is that one op (softmax(α)
// over a single op is exactly 1), weights only, then measure accuracy on the held-out test split.

/** Minimal DataSource over a RawImageSet: uint8 → mean 0 / std 1 per channel (training statistics). */
class TaskSource implements DataSource {
  readonly name = 'teaching-task';
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly weightSetSize: number;
  readonly trainX: Float32Array;
  readonly testX: Float32Array;
  private readonly size: number;
  private readonly rng: Rng;
  private perm: Int32Array;
  private cursor = 0;

  constructor(
    readonly set: RawImageSet,
    seed: number,
  ) {
    this.height = set.height;
    this.width = set.width;
    this.channels = set.channels;
    this.numClasses = set.numClasses;
    this.weightSetSize = set.train.n; // weights-only training: the whole training split
    this.size = set.height * set.width * set.channels;
    const C = set.channels;
    const mean = new Array(C).fill(0);
    const sq = new Array(C).fill(0);
    set.train.x.forEach((v, i) => {
      mean[i % C] += v;
      sq[i % C] += v * v;
    });
    const m = set.train.x.length / C;
    const mu = mean.map((s) => s / m);
    const sd = sq.map((q, c) => Math.sqrt(q / m - mu[c] * mu[c]));
    const norm = (x: Uint8Array) => Float32Array.from(x, (v, i) => (v - mu[i % C]) / sd[i % C]);
    this.trainX = norm(set.train.x);
    this.testX = norm(set.test.x);
    this.rng = new Rng(seed, 'task-source');
    this.perm = this.rng.permutation(this.weightSetSize);
  }

  private gather(xs: Float32Array, ys: Uint8Array, idx: ArrayLike<number>): Batch {
    const n = idx.length;
    const x = new Float32Array(n * this.size);
    const y = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      x.set(xs.subarray(idx[k] * this.size, (idx[k] + 1) * this.size), k * this.size);
      y[k] = ys[idx[k]];
    }
    return { x, y, n };
  }

  nextWeightBatch(batchSize: number): Batch {
    if (this.cursor + batchSize > this.weightSetSize) {
      this.perm = this.rng.permutation(this.weightSetSize);
      this.cursor = 0;
    }
    const b = this.gather(this.trainX, this.set.train.y, this.perm.subarray(this.cursor, this.cursor + batchSize));
    this.cursor += batchSize;
    return b;
  }

  randomArchBatch(batchSize: number): Batch {
    return this.gather(this.trainX, this.set.train.y, this.rng.sample(this.weightSetSize, batchSize));
  }

  testBatches(batchSize: number): Batch[] {
    const out: Batch[] = [];
    for (let s = 0; s < this.set.test.n; s += batchSize) {
      const idx = Array.from({ length: Math.min(batchSize, this.set.test.n - s) }, (_, k) => s + k);
      out.push(this.gather(this.testX, this.set.test.y, idx));
    }
    return out;
  }
}

/** Tiny single-op network (C=4, one node per cell), weight steps only; held-out test accuracy. */
async function testAccuracy(set: RawImageSet, op: OpName, o: { layers: number; steps: number; seed: number }): Promise<number> {
  const batchSize = 32;
  const data = new TaskSource(set, o.seed);
  const cfg = validateConfig({
    ops: [op],
    steps: 1,
    multiplier: 1,
    C: 4,
    layers: o.layers,
    inChannels: set.channels as 1 | 3,
    height: set.height,
    width: set.width,
    numClasses: set.numClasses,
    batchSize,
    lr: 0.05,
    // Cosine schedule annealed over the run.
    epochs: Math.ceil(o.steps / Math.floor(set.train.n / batchSize)),
    seed: o.seed,
  });
  const search = DartsSearch.create(cfg, data);
  try {
    for (let i = 0; i < o.steps; i++) await search.step('weights');
    let correct = 0;
    for (const b of data.testBatches(128)) correct += (await search.evaluate(b)).acc * b.n;
    return correct / set.test.n;
  } finally {
    search.dispose();
  }
}

// Measured while tuning (wasm, 2-core machine; chance is 0.25 for all three 4-class tasks), seeds 1–6 / 1–4:
//   texture, 200 steps:     conv_3x3 0.93–0.96, avg_pool_3x3 0.49–0.85 (gap ≥ 0.11); skip_connect 0.27–0.43
//   long-range, 160 steps:  dil_conv_5x5 0.95–0.98, conv_3x3 0.24–0.30 (sep_conv_5x5 ≈ 0.75, conv_5x5 0.3–0.7 at 150)
//   pool, 80 steps:         max_pool_3x3 0.90–0.97, skip_connect 0.90–0.94 (conv_3x3 ≈ 0.98: it can, but need not)
// With shuffled training labels every one of these networks stays at 0.21–0.34, far below the bounds.
// CPU time ≈ 25 ms (8×8) and 45–65 ms (12×12) per step, ≈ 30 s for the three tests together.
// A short first-order DARTS search (3 ops per edge, 2-node cells, 150 steps, seed 1) moved mean softmax(α) of the normal
// cells towards the intended op: texture conv_3x3 0.354 vs avg_pool/skip 0.32; long-range dil_conv_5x5 0.424 vs
// conv_3x3 0.305, skip 0.271; pool max_pool_3x3 0.367 vs skip 0.314, conv_3x3 0.319.
describe('each task is solvable by the op it is designed for (wasm, single-op networks, held-out test split)', () => {
  const SEED = 1;
  /** Generous: the steps take ≈ 30 s of CPU in all, but a shared machine may run them much slower. */
  const TIMEOUT = 300_000;

  it('task-texture (8×8, 3 cells, 200 steps): conv_3x3 ≥ 0.85 and beats avg_pool_3x3 by ≥ 0.08', async () => {
    await initNodeBackend('wasm');
    const set = generateTask('task-texture', { height: 8, width: 8, seed: SEED });
    const conv = await testAccuracy(set, 'conv_3x3', { layers: 3, steps: 200, seed: SEED });
    const pool = await testAccuracy(set, 'avg_pool_3x3', { layers: 3, steps: 200, seed: SEED });
    const msg = `conv_3x3 ${conv.toFixed(3)}, avg_pool_3x3 ${pool.toFixed(3)}`;
    expect(conv, msg).toBeGreaterThanOrEqual(0.85);
    expect(conv - pool, msg).toBeGreaterThanOrEqual(0.08);
  }, TIMEOUT);

  it('task-long-range (12×12, 3 cells, 160 steps): dil_conv_5x5 ≥ 0.8 and beats conv_3x3 by ≥ 0.4', async () => {
    await initNodeBackend('wasm');
    const set = generateTask('task-long-range', { height: 12, width: 12, seed: SEED });
    const dil = await testAccuracy(set, 'dil_conv_5x5', { layers: 3, steps: 160, seed: SEED });
    const conv3 = await testAccuracy(set, 'conv_3x3', { layers: 3, steps: 160, seed: SEED });
    const msg = `dil_conv_5x5 ${dil.toFixed(3)}, conv_3x3 ${conv3.toFixed(3)}`;
    expect(dil, msg).toBeGreaterThanOrEqual(0.8);
    expect(dil - conv3, msg).toBeGreaterThanOrEqual(0.4);
  }, TIMEOUT);

  it('task-pool (8×8, 3 cells, 80 steps): parameter-free max_pool_3x3 and skip_connect networks each ≥ 0.85', async () => {
    await initNodeBackend('wasm');
    const set = generateTask('task-pool', { height: 8, width: 8, seed: SEED });
    const maxPool = await testAccuracy(set, 'max_pool_3x3', { layers: 3, steps: 80, seed: SEED });
    const skip = await testAccuracy(set, 'skip_connect', { layers: 3, steps: 80, seed: SEED });
    const msg = `max_pool_3x3 ${maxPool.toFixed(3)}, skip_connect ${skip.toFixed(3)}`;
    expect(maxPool, msg).toBeGreaterThanOrEqual(0.85);
    expect(skip, msg).toBeGreaterThanOrEqual(0.85);
  }, TIMEOUT);
});
