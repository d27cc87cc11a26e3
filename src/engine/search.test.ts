/**
 * DartsSearch end to end on tiny configurations: no tensor leaks, determinism, 'arch' + 'weights'
 * = 'both', parameter counts, divergence handling, moving a run between backends, and that the
 * search actually learns on the synthetic data.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import type { SearchConfig } from '../core/config';
import { supernetParamCount } from '../core/params';
import { decodeRunFile, encodeRunFile } from '../core/runFile';
import { validateConfig } from '../core/validateConfig';
import { syntheticForConfig, type SyntheticDataset } from '../data/synthetic';
import { initNodeBackend } from './node';
import { disposeKernelCaches } from './ops/kernels';
import { DartsSearch } from './search';
import { DivergenceError, type Batch, type DataSource, type EngineState, type StepKind } from './types';

/** 3 cells (N, R, R: normal and reduction cells, a FactorizedReduce preprocess), all 8 ops, 8×8. */
const TINY = { C: 2, layers: 3, steps: 1, multiplier: 1, height: 8, width: 8, batchSize: 4, numClasses: 4, epochs: 5, seed: 7 };

function tinyConfig(over: Record<string, unknown> = {}): SearchConfig {
  return validateConfig({ ...TINY, ...over });
}

/** 18 weight samples at batch 4: epochs of 5 steps, the last batch of each epoch has 2 samples. */
function dataFor(cfg: SearchConfig): SyntheticDataset {
  return syntheticForConfig(cfg, { trainSize: 36, testSize: 8 });
}

async function run(search: DartsSearch, n: number, kind: StepKind = 'both') {
  const out = [];
  for (let i = 0; i < n; i++) out.push(await search.step(kind));
  return out;
}

async function rawAlpha(search: DartsSearch): Promise<number[]> {
  const a = await search.alphas();
  return [...a.rawNormal, ...a.rawReduce];
}

/** Everything saveState reports except the config, as plain number arrays. */
function flatState(s: EngineState) {
  return {
    step: s.step,
    archSteps: s.archSteps,
    weights: s.weights.map((w) => Array.from(w.data)),
    buffers: s.buffers.map((b) => Array.from(b.data)),
    alpha: [...s.alphaNormal, ...s.alphaReduce],
    momentum: s.momentum.map((m) => Array.from(m)),
    adam: { t: s.adam.t, m: s.adam.m.map((m) => Array.from(m)), v: s.adam.v.map((v) => Array.from(v)) },
    rngState: s.rngState,
  };
}

function maxAbsDiff(a: number[], b: number[]): number {
  expect(a.length).toBe(b.length);
  return a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);
}

/** A DataSource that can replace pixels with NaN in weight and/or architecture batches. */
class PoisonedData implements DataSource {
  readonly name = 'poisoned';
  poisonWeights = false;
  poisonArch = false;
  constructor(private readonly inner: SyntheticDataset) {}
  get height() {
    return this.inner.height;
  }
  get width() {
    return this.inner.width;
  }
  get channels() {
    return this.inner.channels;
  }
  get numClasses() {
    return this.inner.numClasses;
  }
  get weightSetSize() {
    return this.inner.weightSetSize;
  }
  private poison(b: Batch, on: boolean): Batch {
    if (!on) return b;
    const x = Float32Array.from(b.x);
    for (let i = 0; i < x.length; i += 7) x[i] = NaN;
    return { ...b, x };
  }
  nextWeightBatch(n: number): Batch {
    return this.poison(this.inner.nextWeightBatch(n), this.poisonWeights);
  }
  randomArchBatch(n: number): Batch {
    return this.poison(this.inner.randomArchBatch(n), this.poisonArch);
  }
}

/** A DataSource for tests that only build the network. */
const NO_DATA: DataSource = {
  name: 'none',
  height: 8,
  width: 8,
  channels: 3,
  numClasses: 10,
  weightSetSize: 1,
  nextWeightBatch: () => {
    throw new Error('no data');
  },
  randomArchBatch: () => {
    throw new Error('no data');
  },
};

// ---------------------------------------------------------------------------------------------

describe('no tensor leaks (wasm)', () => {
  const cases: [string, Record<string, unknown>, StepKind[], number][] = [
    ['100 first-order both steps', {}, ['both'], 100],
    ['10 second-order both steps', { order: 2 }, ['both'], 10],
    ['10 separate arch then weights steps (first order)', {}, ['arch', 'weights'], 10],
    ['10 separate arch then weights steps (second order)', { order: 2 }, ['arch', 'weights'], 10],
  ];
  it.each(cases)('%s', async (_name, over, kinds, n) => {
    await initNodeBackend('wasm');
    const cfg = tinyConfig(over);
    const s = DartsSearch.create(cfg, dataFor(cfg));
    // Warm-up: creates the optimiser state and the cached kernel constants.
    for (let i = 0; i < 2; i++) for (const k of kinds) await s.step(k);
    const before = tf.memory().numTensors;
    for (let i = 0; i < n; i++) for (const k of kinds) await s.step(k);
    expect(tf.memory().numTensors).toBe(before);
    expect(s.stepCount).toBe(n + 2);
    expect(s.epoch).toBeGreaterThan(0);
    s.dispose();
  });

  it('create → steps → dispose, and fromState → dispose, leave no tensors behind', async () => {
    await initNodeBackend('wasm');
    disposeKernelCaches();
    const start = tf.memory().numTensors;
    const cfg = tinyConfig({ order: 2 });
    const s = DartsSearch.create(cfg, dataFor(cfg));
    await run(s, 2);
    await s.lastArchGrad();
    const state = await s.saveState();
    s.dispose();
    disposeKernelCaches();
    expect(tf.memory().numTensors).toBe(start);
    const r = DartsSearch.fromState(state, dataFor(cfg));
    r.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });
});

describe.each(['cpu', 'wasm'] as const)('determinism on %s', (backend) => {
  it('same seed and config ⇒ bit-identical α, weights and losses after 5 steps', async () => {
    await initNodeBackend(backend);
    const cfg = tinyConfig();
    const runs = [];
    for (let r = 0; r < 2; r++) {
      const s = DartsSearch.create(cfg, dataFor(cfg));
      const res = await run(s, 5);
      runs.push({ alpha: await rawAlpha(s), state: flatState(await s.saveState()), losses: res.map((x) => [x.trainLoss, x.valLoss]) });
      s.dispose();
    }
    expect(runs[1].alpha).toEqual(runs[0].alpha);
    expect(runs[1].state).toEqual(runs[0].state);
    expect(runs[1].losses).toEqual(runs[0].losses);
  });

  if (backend === 'wasm') {
    it('a different seed ⇒ different α', async () => {
      await initNodeBackend(backend);
      const alphas = [];
      for (const seed of [7, 8]) {
        const cfg = tinyConfig({ seed });
        const s = DartsSearch.create(cfg, dataFor(cfg));
        await run(s, 2);
        alphas.push(await rawAlpha(s));
        s.dispose();
      }
      expect(maxAbsDiff(alphas[0], alphas[1])).toBeGreaterThan(1e-4);
    });
  }
});

describe('step kinds', () => {
  it.each([1, 2] as const)("'arch' then 'weights' equals one 'both' step bit-exactly (order %i)", async (order) => {
    await initNodeBackend('wasm');
    const cfg = tinyConfig({ order });
    const a = DartsSearch.create(cfg, dataFor(cfg));
    const b = DartsSearch.create(cfg, dataFor(cfg));
    for (let i = 0; i < 3; i++) {
      const ra = await a.step('arch');
      expect(ra.trainLoss).toBeUndefined();
      expect(a.stepCount).toBe(i); // an α step alone does not count
      const wa = await a.step('weights');
      const rb = await b.step('both');
      expect(rb.valLoss).toBe(ra.valLoss);
      expect(rb.trainLoss).toBe(wa.trainLoss);
      expect(a.stepCount).toBe(i + 1);
      expect(flatState(await a.saveState())).toEqual(flatState(await b.saveState()));
    }
    expect((await a.lastArchGrad())!.normal).toEqual((await b.lastArchGrad())!.normal);
    a.dispose();
    b.dispose();
  });
});

describe('networks without a normal cell (layers 1 and 2: every cell is a reduction cell)', () => {
  // α_normal does not enter the loss; its gradient is zero, not missing.
  it.each([
    [1, 1],
    [2, 1],
    [2, 2],
  ] as const)('layers %i, order %i: steps run and α_reduce moves', async (layers, order) => {
    await initNodeBackend('wasm');
    const cfg = tinyConfig({ layers, order });
    const s = DartsSearch.create(cfg, dataFor(cfg));
    const a0 = await s.alphas();
    const r = await s.step('both');
    expect(Number.isFinite(r.trainLoss)).toBe(true);
    expect(Number.isFinite(r.valLoss)).toBe(true);
    const g = (await s.lastArchGrad())!;
    expect(Array.from(g.normal).every((v) => v === 0)).toBe(true);
    expect(Array.from(g.reduce).some((v) => v !== 0)).toBe(true);
    const a1 = await s.alphas();
    expect(Array.from(a1.rawReduce)).not.toEqual(Array.from(a0.rawReduce));
    s.dispose();
  });
});

describe('parameter count', () => {
  const configs: [string, Record<string, unknown>, number?][] = [
    ['C=4 L=5 (spec §10.A 3)', { C: 4, layers: 5 }, 136_182],
    ['C=16 L=8 (the reference log)', { C: 16, layers: 8 }, 1_930_618],
    ['C=8 L=5', { C: 8, layers: 5 }, 394_210],
    ['conv_1x1 / conv_3x3 / conv_5x5, steps 2', { C: 4, layers: 3, steps: 2, ops: ['conv_1x1', 'conv_3x3', 'conv_5x5'] }],
    ['none + skip only, steps 3, multiplier 2', { C: 2, layers: 4, steps: 3, multiplier: 2, ops: ['none', 'skip_connect'] }],
    ['inChannels 1, layers 1, steps 1', { C: 2, layers: 1, steps: 1, inChannels: 1 }],
    ['layers 2, steps 3, multiplier 1, 5×5 convs', { C: 4, layers: 2, steps: 3, multiplier: 1, ops: ['sep_conv_5x5', 'dil_conv_5x5', 'max_pool_3x3'] }],
    ['inChannels 1, 2 classes, layers 4, mixed ops', { C: 6, layers: 4, steps: 2, inChannels: 1, numClasses: 2, ops: ['avg_pool_3x3', 'sep_conv_3x3', 'dil_conv_3x3', 'conv_3x3'] }],
    ['steps 3, multiplier 3, all 8 ops, layers 5', { C: 2, layers: 5, steps: 3 }],
  ];
  it.each(configs)('%s', async (_name, over, expected) => {
    await initNodeBackend('cpu');
    const cfg = validateConfig({ height: 8, width: 8, batchSize: 2, ...over });
    const s = DartsSearch.create(cfg, NO_DATA);
    expect(s.paramCount).toBe(supernetParamCount(cfg));
    if (expected !== undefined) expect(s.paramCount).toBe(expected);
    // The tensors themselves, not just the bookkeeping.
    expect(s.model.weights.reduce((n, w) => n + w.size, 0)).toBe(s.paramCount);
    s.dispose();
  });
});

describe('divergence (wasm)', () => {
  async function poisonedSearch(over: Record<string, unknown> = {}) {
    await initNodeBackend('wasm');
    const cfg = tinyConfig(over);
    const data = new PoisonedData(dataFor(cfg));
    const s = DartsSearch.create(cfg, data);
    await run(s, 2); // optimiser state exists
    return { s, data };
  }

  it('NaN pixels ⇒ step rejects with DivergenceError and leaves α, weights and optimiser state unchanged', async () => {
    const { s, data } = await poisonedSearch();
    const before = flatState(await s.saveState());
    data.poisonWeights = data.poisonArch = true;
    const err = await s.step('both').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).phase).toBe('arch');
    expect(Number.isNaN((err as DivergenceError).value)).toBe(true);
    const after = flatState(await s.saveState());
    expect(after.alpha).toEqual(before.alpha);
    expect(after.weights).toEqual(before.weights);
    expect(after.momentum).toEqual(before.momentum);
    expect(after.adam).toEqual(before.adam);
    expect(after.buffers).toEqual(before.buffers);
    expect([after.step, after.archSteps]).toEqual([before.step, before.archSteps]);
    s.dispose();
  });

  it('a NaN weight batch ⇒ the weight step rejects and leaves weights, momentum and α unchanged', async () => {
    const { s, data } = await poisonedSearch();
    const before = flatState(await s.saveState());
    data.poisonWeights = true;
    const err = await s.step('weights').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DivergenceError);
    expect((err as DivergenceError).phase).toBe('weights');
    const after = flatState(await s.saveState());
    expect(after.weights).toEqual(before.weights);
    expect(after.momentum).toEqual(before.momentum);
    expect(after.alpha).toEqual(before.alpha);
    expect(after.step).toBe(before.step);
    s.dispose();
  });

  // Regression: BN running statistics are only committed once the weight step's loss is finite.
  it('a NaN weight batch leaves the BN running statistics unchanged', async () => {
    const { s, data } = await poisonedSearch();
    const before = flatState(await s.saveState());
    data.poisonWeights = true;
    await expect(s.step('weights')).rejects.toBeInstanceOf(DivergenceError);
    const after = flatState(await s.saveState());
    s.dispose();
    expect(after.buffers).toEqual(before.buffers);
  });

  // Regression: a diverged step drops its pending train batch, so one bad batch cannot stall the run.
  it('the run continues once the data is clean again', async () => {
    const { s, data } = await poisonedSearch();
    data.poisonWeights = data.poisonArch = true;
    await expect(s.step('both')).rejects.toBeInstanceOf(DivergenceError);
    data.poisonWeights = data.poisonArch = false;
    let r;
    try {
      r = await s.step('both');
    } finally {
      s.dispose();
    }
    expect(Number.isFinite(r.trainLoss)).toBe(true);
    expect(Number.isFinite(r.valLoss)).toBe(true);
  });

  it('a huge learning rate ends in DivergenceError, never in a silently NaN α', async () => {
    await initNodeBackend('wasm');
    const cfg = tinyConfig({ lr: 1e6 });
    const s = DartsSearch.create(cfg, dataFor(cfg));
    let err: unknown = null;
    for (let i = 0; i < 50 && !err; i++) {
      err = await s.step('both').then(
        () => null,
        (e: unknown) => e,
      );
      expect((await rawAlpha(s)).every(Number.isFinite), `α after step ${i}`).toBe(true);
    }
    expect(err).toBeInstanceOf(DivergenceError);
    s.dispose();
  });
});

describe('saveState / fromState', () => {
  it('cpu → wasm continues within 1e-5; cpu → cpu continues bit-identically', async () => {
    await initNodeBackend('cpu');
    const cfg = tinyConfig({ order: 2 });
    const a = DartsSearch.create(cfg, dataFor(cfg));
    await run(a, 3);
    const state = await a.saveState();
    await run(a, 2);
    const alphaA = await rawAlpha(a);
    const stateA = flatState(await a.saveState());
    a.dispose();

    const same = DartsSearch.fromState(state, dataFor(cfg));
    expect(same.stepCount).toBe(3);
    await run(same, 2);
    expect(await rawAlpha(same)).toEqual(alphaA);
    expect(flatState(await same.saveState())).toEqual(stateA);
    same.dispose();

    await initNodeBackend('wasm');
    const other = DartsSearch.fromState(state, dataFor(cfg));
    await run(other, 2);
    expect(maxAbsDiff(await rawAlpha(other), alphaA)).toBeLessThan(1e-5);
    const so = flatState(await other.saveState());
    expect(so.rngState).toEqual(stateA.rngState);
    expect([so.step, so.archSteps]).toEqual([stateA.step, stateA.archSteps]);
    other.dispose();
  });
});

describe('a run file (core/runFile.ts) continues the run bit-identically', () => {
  for (const backend of ['cpu', 'wasm'] as const) {
    it(`on ${backend}: save after 3 steps, reopen, 2 more steps = 5 uninterrupted steps`, async () => {
      await initNodeBackend(backend);
      const cfg = tinyConfig({ order: 1 });
      const a = DartsSearch.create(cfg, dataFor(cfg));
      await run(a, 3);
      const bytes = encodeRunFile({ state: await a.saveState(), dataset: { name: 'synthetic' }, savedAt: new Date(0).toISOString() });
      await run(a, 2);
      const alphaA = await rawAlpha(a);
      const stateA = flatState(await a.saveState());
      a.dispose();

      const opened = decodeRunFile(bytes);
      const b = DartsSearch.fromState(opened.state, dataFor(opened.state.config));
      expect(b.stepCount).toBe(3);
      await run(b, 2);
      expect(await rawAlpha(b)).toEqual(alphaA);
      expect(flatState(await b.saveState())).toEqual(stateA);
      b.dispose();
    });
  }
});

describe('learning', () => {
  it('the train loss falls over 40 steps on the synthetic data', async () => {
    await initNodeBackend('wasm');
    const cfg = tinyConfig({ C: 2, batchSize: 8, lr: 0.05, seed: 3 });
    const s = DartsSearch.create(cfg, syntheticForConfig(cfg, { trainSize: 512, testSize: 8 }));
    const losses = (await run(s, 40)).map((r) => r.trainLoss!);
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const first = mean(losses.slice(0, 5));
    const last = mean(losses.slice(-5));
    expect(first).toBeGreaterThan(1.0); // ≈ ln 4 = 1.386 at the start (4 classes)
    expect(last, `first 5: ${first.toFixed(3)}, last 5: ${last.toFixed(3)}`).toBeLessThan(0.8 * first); // seen: 1.30 → 0.42, 1.29 → 0.61, 1.38 → 0.60 (seeds 3–5)
    s.dispose();
  });
});
