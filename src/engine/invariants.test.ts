/**
 * Spec §10.F invariants on small supernets (cpu): α-gradient rows sum to 0 (softmax shift
 * invariance, spec §2), softmax rows sum to 1, the derived genotype never contains `none`, second
 * order with η = 0 is first order, and stride-2 ops map H → ceil(H/2).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveGenotype, rowsFromFlat } from '../core/derive';
import { Rng } from '../core/rng';
import { validateConfig } from '../core/validateConfig';
import type { SearchConfig } from '../core/config';
import { syntheticForConfig } from '../data/synthetic';
import { archGradFirstOrder, archGradSecondOrder, type LossGrads } from './bilevel';
import type { TensorBatch } from './model';
import { initNodeBackend } from './node';
import { avgPool3, conv, depthwise, maxPool3, subsample2 } from './ops/kernels';
import { DartsSearch } from './search';
import type { Batch } from './types';

function toTensors(b: Batch, cfg: SearchConfig): TensorBatch {
  return tf.tidy(() => ({
    x: tf.tensor4d(b.x, [b.n, cfg.height, cfg.width, cfg.inChannels]),
    y: tf.oneHot(tf.tensor1d(b.y, 'int32'), cfg.numClasses).toFloat() as tf.Tensor2D,
  }));
}

async function grads(r: LossGrads): Promise<Float32Array[]> {
  const out = await Promise.all(r.grads.map(async (g) => Float32Array.from((await g.data()) as Float32Array)));
  tf.dispose([r.loss, r.acc, ...r.grads]);
  return out;
}

/** Largest |row sum| of a [rows × ops] matrix, and the largest |entry| (the scale). */
function rowSums(flat: Float32Array, ops: number): { worst: number; scale: number } {
  let worst = 0;
  let scale = 0;
  for (let r = 0; r < flat.length / ops; r++) {
    let s = 0;
    for (let k = 0; k < ops; k++) {
      s += flat[r * ops + k];
      scale = Math.max(scale, Math.abs(flat[r * ops + k]));
    }
    worst = Math.max(worst, Math.abs(s));
  }
  return { worst, scale };
}

function expectZeroRowSums(flat: Float32Array, ops: number, what: string) {
  const { worst, scale } = rowSums(flat, ops);
  expect(scale, `${what}: gradient is not identically zero`).toBeGreaterThan(0);
  expect(worst, `${what}: worst |row sum| ${worst} vs scale ${scale}`).toBeLessThan(1e-6 * scale);
}

const CONFIGS: [string, Record<string, unknown>][] = [
  ['all 8 ops, steps 2', { C: 2, layers: 3, steps: 2, multiplier: 2 }],
  ['3 ops without none, steps 3, multiplier 2', { C: 2, layers: 3, steps: 3, multiplier: 2, ops: ['max_pool_3x3', 'skip_connect', 'dil_conv_3x3'] }],
];

describe.each(CONFIGS)('α-gradient invariants on cpu (%s)', (_name, partial) => {
  const cfg = validateConfig({ ...partial, height: 8, width: 8, batchSize: 3, numClasses: 4, seed: 5 });
  let search: DartsSearch;
  let train: TensorBatch;
  let val: TensorBatch;
  const K = cfg.ops.length;

  beforeAll(async () => {
    await initNodeBackend('cpu');
    const data = syntheticForConfig(cfg, { trainSize: 64, testSize: 8 });
    search = DartsSearch.create(cfg, data);
    // Spread α well away from uniform so the softmax Jacobian is not trivial.
    const rng = new Rng(11, 'alpha');
    const n = search.model.alphaNormal.size;
    search.model.alphaNormal.assign(tf.tensor2d(Float32Array.from({ length: n }, () => rng.normal()), search.model.alphaNormal.shape as [number, number]));
    search.model.alphaReduce.assign(tf.tensor2d(Float32Array.from({ length: n }, () => 2 * rng.normal()), search.model.alphaReduce.shape as [number, number]));
    train = toTensors(data.nextWeightBatch(cfg.batchSize), cfg);
    val = toTensors(data.randomArchBatch(cfg.batchSize), cfg);
  });
  afterAll(() => {
    search.dispose();
    tf.dispose([train.x, train.y, val.x, val.y]);
  });

  it('softmax(α) rows sum to 1 and the derived genotype never contains none', async () => {
    const a = await search.alphas();
    for (const sm of [a.softmaxNormal, a.softmaxReduce]) {
      for (let r = 0; r < sm.length / K; r++) {
        let s = 0;
        for (let k = 0; k < K; k++) {
          expect(sm[r * K + k]).toBeGreaterThan(0);
          s += sm[r * K + k];
        }
        expect(Math.abs(s - 1)).toBeLessThan(1e-6);
      }
    }
    const g = deriveGenotype({ normal: rowsFromFlat(a.rawNormal, K), reduce: rowsFromFlat(a.rawReduce, K) }, cfg.ops, cfg.steps, cfg.multiplier, 'raw');
    for (const [op] of [...g.normal, ...g.reduce]) expect(op).not.toBe('none');
    expect(g.normal).toHaveLength(2 * cfg.steps);
  });

  it('first-order α-gradient rows sum to ~0 (normal and reduce)', async () => {
    const [gn, gr] = await grads(archGradFirstOrder(search.model, val));
    expectZeroRowSums(gn, K, 'normal');
    expectZeroRowSums(gr, K, 'reduce');
  });

  it('second-order α-gradient rows sum to ~0 (η = 0.025, with momentum buffers)', async () => {
    const bufs = search.model.weights.map((w) => tf.randomNormal(w.shape, 0, 0.1, 'float32', 3));
    const [gn, gr] = await grads(
      archGradSecondOrder(search.model, train, val, { eta: 0.025, momentum: 0.9, weightDecay: 3e-4, momentumBuffers: bufs }),
    );
    tf.dispose(bufs);
    expectZeroRowSums(gn, K, 'normal');
    expectZeroRowSums(gr, K, 'reduce');
  });

  it('second order with η = 0 equals first order (w′ = w, the implicit term vanishes)', async () => {
    const bufs = search.model.weights.map((w) => tf.randomNormal(w.shape, 0, 0.1, 'float32', 4));
    const second = await grads(
      archGradSecondOrder(search.model, train, val, { eta: 0, momentum: 0.9, weightDecay: 3e-4, momentumBuffers: bufs }),
    );
    tf.dispose(bufs);
    const first = await grads(archGradFirstOrder(search.model, val));
    for (let t = 0; t < 2; t++) {
      let worst = 0;
      let scale = 0;
      first[t].forEach((v, i) => {
        worst = Math.max(worst, Math.abs(v - second[t][i]));
        scale = Math.max(scale, Math.abs(v));
      });
      expect(scale).toBeGreaterThan(0);
      expect(worst, `${t ? 'reduce' : 'normal'}: |Δ| ${worst} vs scale ${scale}`).toBeLessThanOrEqual(1e-6 * scale);
    }
  });

  it('α gradients of both orders leave the weights and the BN running statistics untouched', async () => {
    const m = search.model;
    const snap = async () => Promise.all([...m.weights, ...m.running.flatMap((r) => [r.mean, r.variance])].map(async (t) => Array.from(await t.data())));
    const before = await snap();
    await grads(archGradFirstOrder(m, val));
    await grads(archGradSecondOrder(m, train, val, { eta: 0.025, momentum: 0.9, weightDecay: 3e-4, momentumBuffers: null }));
    const after = await snap();
    after.forEach((a, i) => expect(a).toEqual(before[i]));
  });
});

describe('stride-2 shapes (spec §10.F 14)', () => {
  it('every stride-2 op maps H × W to ceil(H/2) × ceil(W/2)', async () => {
    await initNodeBackend('cpu');
    for (let H = 1; H <= 9; H++)
      for (const W of [H, H + 1]) {
        const want = [2, Math.ceil(H / 2), Math.ceil(W / 2), 2];
        tf.tidy(() => {
          const x = tf.randomNormal([2, H, W, 2], 0, 1, 'float32', H * 10 + W) as tf.Tensor4D;
          const outs: [string, tf.Tensor][] = [
            ['maxPool3', maxPool3(x, 2)],
            ['avgPool3', avgPool3(x, 2)],
            ['subsample2', subsample2(x)],
          ];
          for (const k of [3, 5])
            for (const d of [1, 2] as const) outs.push([`depthwise k${k} d${d}`, depthwise(x, tf.ones([k, k, 2, 1]) as tf.Tensor4D, 2, d)]);
          for (const k of [1, 3, 5]) outs.push([`conv k${k}`, conv(x, tf.ones([k, k, 2, 2]) as tf.Tensor4D, 2)]);
          for (const [name, y] of outs) expect(y.shape, `${name} on ${H}×${W}`).toEqual(want);
          // The (odd, odd) grid of FactorizedReduce path B needs even sizes: floor = ceil there.
          if (H % 2 === 0 && W % 2 === 0) expect(subsample2(x, 1, 1).shape).toEqual(want);
        });
      }
  });
});
