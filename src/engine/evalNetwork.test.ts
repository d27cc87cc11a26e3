/**
 * The evaluation network (NetworkCIFAR, spec §4.4): parameter counts against the reference
 * numbers of spec §9, any node count and concat list, the auxiliary head, drop-path, and that a
 * short training run learns.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Genotype } from '../core/genotype';
import { DARTS_V1, DARTS_V2 } from '../core/genotypes';
import { evalNetworkParamCount } from '../core/params';
import { Rng } from '../core/rng';
import { auxiliaryPlacement, EvalNetwork, type EvalNetConfig } from './evalNetwork';
import { EvalTrainer, DEFAULT_EVAL_TRAIN, type EvalData } from './evalTrainer';
import { initNodeBackend } from './node';
import { makeRunningStats, type ForwardCtx } from './modules';
import { ParamSet, uniformFanInInit } from './params';
import type { Batch } from './types';

const cifar = (C: number, layers: number, over: Partial<EvalNetConfig> = {}): EvalNetConfig => ({
  C,
  layers,
  inChannels: 3,
  numClasses: 10,
  height: 32,
  width: 32,
  auxiliary: false,
  ...over,
});

/** Parameter count of the built network without its auxiliary head (as the reference logs it). */
const count = (g: Genotype, cfg: EvalNetConfig) => {
  const net = new EvalNetwork(g, cfg);
  return net.paramCount - net.auxParamCount;
};

describe('EvalNetwork parameter counts (spec §9 reference numbers)', () => {
  it('DARTS_V2 at C=36, L=20 has 3,349,342 parameters; DARTS_V1 3,169,414', () => {
    expect(count(DARTS_V2, cifar(36, 20))).toBe(3_349_342);
    expect(count(DARTS_V1, cifar(36, 20))).toBe(3_169_414);
  });
  it('DARTS_V2 at C=16, L=8 has 246,106; with a 1-channel stem (MNIST) 54·16 fewer: 245,242', () => {
    expect(count(DARTS_V2, cifar(16, 8))).toBe(246_106);
    expect(count(DARTS_V2, cifar(16, 8, { inChannels: 1, height: 28, width: 28 }))).toBe(245_242);
    expect(count(DARTS_V1, cifar(16, 8))).toBe(232_890);
    expect(count(DARTS_V2, cifar(8, 5))).toBe(37_018);
  });
  it('the auxiliary head adds 476,426 parameters at C=36, L=20 (3,825,768 in all)', () => {
    const net = new EvalNetwork(DARTS_V2, cifar(36, 20, { auxiliary: true }));
    expect(net.paramCount).toBe(3_825_768);
    expect(net.auxCell).toBe(13);
  });
  it('agrees with the closed-form count for odd genotypes (3 nodes, partial concat, eval-only ops)', () => {
    const odd: Genotype = {
      normal: [['conv_7x1_1x7', 0], ['sep_conv_7x7', 1], ['skip_connect', 2], ['dil_conv_5x5', 0], ['avg_pool_3x3', 3], ['conv_3x3', 1]],
      normal_concat: [2, 4],
      reduce: [['skip_connect', 0], ['max_pool_3x3', 1], ['conv_1x1', 2], ['sep_conv_5x5', 0]],
      reduce_concat: [2, 3],
    };
    for (const [C, L] of [[4, 3], [6, 5], [8, 8]]) {
      const cfg = cifar(C, L);
      expect(count(odd, cfg)).toBe(evalNetworkParamCount(odd, cfg));
    }
  });
  it('places the auxiliary head after cell 2·layers//3 and refuses maps smaller than its 5×5 pool', () => {
    expect(auxiliaryPlacement({ layers: 8, height: 32, width: 32 })).toEqual({ cell: 5, size: 8 });
    expect(auxiliaryPlacement({ layers: 5, height: 28, width: 28 })).toEqual({ cell: 3, size: 7 });
    expect(auxiliaryPlacement({ layers: 3, height: 16, width: 16 })).toMatchObject({ error: expect.stringMatching(/4×4/) });
    expect(() => new EvalNetwork(DARTS_V2, cifar(4, 3, { height: 16, width: 16, auxiliary: true }))).toThrow(/turn it off/);
  });
});

/** A seeded toy task: class = which quadrant holds a bright square. */
function quadrantData(n: number, size: number, seed: number): { batches: Batch[]; all: Batch } {
  const rng = new Rng(seed, 'quadrants');
  const x = new Float32Array(n * size * size);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = i % 4;
    y[i] = c;
    const oy = c < 2 ? 0 : size / 2;
    const ox = c % 2 ? size / 2 : 0;
    for (let p = 0; p < size * size; p++) x[i * size * size + p] = 0.3 * rng.normal();
    for (let dy = 1; dy < size / 2 - 1; dy++) for (let dx = 1; dx < size / 2 - 1; dx++) x[i * size * size + (oy + dy) * size + ox + dx] += 1.5;
  }
  return { batches: [], all: { x, y, n } };
}

function toyEvalData(size: number): EvalData {
  const train = quadrantData(64, size, 1).all;
  const test = quadrantData(32, size, 2).all;
  let cursor = 0;
  const slice = (b: Batch, from: number, to: number): Batch => ({
    x: b.x.slice(from * size * size, to * size * size),
    y: b.y.slice(from, to),
    n: to - from,
  });
  return {
    trainSetSize: train.n,
    nextTrainBatch(bs) {
      if (cursor >= train.n) cursor = 0;
      const end = Math.min(cursor + bs, train.n);
      const b = slice(train, cursor, end);
      cursor = end;
      return b;
    },
    testBatches: (bs) => Array.from({ length: Math.ceil(test.n / bs) }, (_, i) => slice(test, i * bs, Math.min(test.n, (i + 1) * bs))),
  };
}

describe('EvalNetwork forward and training (cpu)', () => {
  beforeAll(async () => {
    await initNodeBackend('cpu');
  });

  const small = (over: Partial<EvalNetConfig> = {}): EvalNetConfig => ({ C: 2, layers: 3, inChannels: 1, numClasses: 4, height: 8, width: 8, auxiliary: false, ...over });

  it('runs genotypes with any node count and concat list, and drop-path only changes training passes', () => {
    const g: Genotype = {
      normal: [['sep_conv_3x3', 0], ['skip_connect', 1], ['dil_conv_3x3', 2], ['max_pool_3x3', 0], ['conv_7x1_1x7', 3], ['avg_pool_3x3', 2]],
      normal_concat: [3, 4],
      reduce: [['skip_connect', 0], ['sep_conv_7x7', 1]],
      reduce_concat: [2],
    };
    const net = new EvalNetwork(g, small());
    const rng = new Rng(3, 'w');
    const params = new ParamSet(net.specs, uniformFanInInit(() => rng.next()));
    const running = makeRunningStats(net.bns);
    const ctx = (training: boolean): ForwardCtx => ({ training, updateStats: false, p: params.vars, running, pending: [] });
    const x = tf.randomNormal([2, 8, 8, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    const plain = net.forward(x, ctx(true), { dropPathProb: 0 }).logits;
    expect(plain.shape).toEqual([2, 4]);
    // Dropping every path of sample 0 changes its logits; sample 1 keeps all paths but is scaled by 1/(1−p).
    const dropped = net.forward(x, ctx(true), { dropPathProb: 0.5, keepMask: (n) => Float32Array.from({ length: n }, (_, i) => (i === 0 ? 0 : 1)) }).logits;
    expect(Array.from(dropped.dataSync())).not.toEqual(Array.from(plain.dataSync()));
    const evalA = net.forward(x, ctx(false), { dropPathProb: 0.5, keepMask: () => new Float32Array(2) }).logits;
    const evalB = net.forward(x, ctx(false), { dropPathProb: 0 }).logits;
    expect(Array.from(evalA.dataSync())).toEqual(Array.from(evalB.dataSync()));
    tf.dispose([x, plain, dropped, evalA, evalB]);
    params.dispose();
  });

  it('training DARTS_V2 from scratch learns a toy task well above chance, without leaking tensors', async () => {
    const data = toyEvalData(8);
    const t = new EvalTrainer(DARTS_V2, small(), { ...DEFAULT_EVAL_TRAIN, epochs: 6, batchSize: 16, seed: 0, lr: 0.05, dropPath: 0.2 }, data);
    let last = await t.step(); // creates the momentum buffers
    const before = tf.memory().numTensors;
    while (!t.done) last = await t.step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last.step).toBe(t.totalSteps);
    expect(t.totalSteps).toBe(24);
    const { testAcc } = await t.test(16);
    expect(testAcc).toBeGreaterThan(0.6); // chance is 0.25
    t.dispose();
  }, 60_000);

  it('trains with the auxiliary head (loss includes 0.4 · aux loss)', async () => {
    const data = toyEvalData(20);
    const cfg = small({ height: 20, width: 20, auxiliary: true });
    const t = new EvalTrainer(DARTS_V1, cfg, { ...DEFAULT_EVAL_TRAIN, epochs: 1, batchSize: 32, seed: 1 }, data);
    const r = await t.step();
    expect(Number.isFinite(r.loss)).toBe(true);
    expect(t.net.auxParamCount).toBeGreaterThan(0);
    expect(t.paramCount).toBe(t.net.paramCount - t.net.auxParamCount);
    t.dispose();
  }, 60_000);
});
