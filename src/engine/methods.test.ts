/**
 * The successor methods (spec §6) pinned by their defining equations on small fixtures computed by
 * hand in float64, plus each method end to end on a tiny supernet: finite steps, no tensor leaks,
 * and a bit-identical resume from a run file (the method and its settings travel with it).
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SearchConfig } from '../core/config';
import { deriveForMethod, edgeSoftmax } from '../core/methodDerive';
import { auxSkipBeta, gdasTau, METHODS, sdartsEpsilon, type MethodName } from '../core/methods';
import { Rng } from '../core/rng';
import { decodeRunFile, encodeRunFile } from '../core/runFile';
import { validateConfig } from '../core/validateConfig';
import { syntheticForConfig } from '../data/synthetic';
import { auxSkipMix, constantMix, drawGumbel, gumbelMix, pcMix, perturbedSoftmax, sigmoidMix, zeroOneLoss } from './methods';
import { batchTensors } from './model';
import { initNodeBackend } from './node';
import { DartsSearch } from './search';
import { channelShuffle } from './supernet';

const TINY = { C: 8, layers: 3, steps: 2, multiplier: 2, height: 8, width: 8, batchSize: 4, numClasses: 4, epochs: 5, seed: 7 };
const cfgFor = (method: MethodName, over: Record<string, unknown> = {}): SearchConfig =>
  validateConfig({ ...TINY, method, ...(method === 'pc-darts' ? { pcK: 2 } : {}), ...over });
const dataFor = (c: SearchConfig) => syntheticForConfig(c, { trainSize: 24, testSize: 8 });

beforeAll(async () => {
  await initNodeBackend('cpu');
});

describe('schedules (spec §6)', () => {
  it('GDAS τ goes linearly from 10 to 0.1, DARTS- β from 1 to 0, SDARTS ε from 0.03 to 0.3', () => {
    const m = { gdasTauMax: 10, gdasTauMin: 0.1, auxSkipBeta: 1, sdartsEpsMin: 0.03, sdartsEpsMax: 0.3 };
    expect(gdasTau(m, 0, 50)).toBe(10);
    expect(gdasTau(m, 49, 50)).toBeCloseTo(0.1, 12);
    expect(gdasTau(m, 24.5, 50)).toBeCloseTo(5.05, 12);
    expect(auxSkipBeta(m, 0, 50)).toBe(1);
    expect(auxSkipBeta(m, 25, 50)).toBe(0.5); // (50 − 25)/50
    expect(auxSkipBeta(m, 50, 50)).toBe(0);
    expect(sdartsEpsilon(m, 0, 50)).toBeCloseTo(0.03, 12);
    expect(sdartsEpsilon(m, 25, 50)).toBeCloseTo(0.165, 12);
    expect(sdartsEpsilon(m, 50, 50)).toBeCloseTo(0.3, 12);
  });
});

describe('mixing equations', () => {
  it('PC-DARTS: columns are softmax(β over the node)·softmax(α), the last column β̃', () => {
    const steps = 2; // 5 edges: node 0 ← rows 0, 1; node 1 ← rows 2, 3, 4
    const a = [
      [0.1, -0.2],
      [0.3, 0.0],
      [0.0, 0.5],
      [-0.4, 0.2],
      [0.2, 0.2],
    ];
    const b = [0.5, -0.5, 1, 0, -1];
    const [w] = pcMix(steps)([tf.tensor2d(a), tf.tensor2d(a), tf.tensor1d(b), tf.tensor1d(b)]);
    const got = w.arraySync();
    const bt = [...softmax([0.5, -0.5]), ...softmax([1, 0, -1])];
    a.forEach((row, e) => {
      const p = softmax(row);
      expect(got[e][0]).toBeCloseTo(bt[e] * p[0], 6);
      expect(got[e][1]).toBeCloseTo(bt[e] * p[1], 6);
      expect(got[e][2]).toBeCloseTo(bt[e], 6);
    });
    expect(edgeSoftmax(b, steps).map((v) => Number(v.toFixed(6)))).toEqual(bt.map((v) => Number(v.toFixed(6))));
  });

  it('PC-DARTS channel_shuffle(x, K) moves channel g·(C/K)+j to j·K+g', () => {
    const x = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8]);
    expect(Array.from(channelShuffle(x, 4).dataSync())).toEqual([0, 2, 4, 6, 1, 3, 5, 7]);
    expect(Array.from(channelShuffle(x, 2).dataSync())).toEqual([0, 4, 1, 5, 2, 6, 3, 7]);
  });

  it('FairDARTS: σ(α) and the zero-one loss −w·mean((σ − ½)²)', () => {
    const a = [
      [0, 2],
      [-1, 3],
    ];
    const [w] = sigmoidMix([tf.tensor2d(a), tf.tensor2d(a)]);
    expect(w.arraySync()[1][0]).toBeCloseTo(1 / (1 + Math.E), 6);
    const sig = a.flat().map((v) => 1 / (1 + Math.exp(-v)));
    const want = (-10 * 2 * sig.reduce((s, v) => s + (v - 0.5) ** 2, 0)) / 8;
    expect(zeroOneLoss(10)([tf.tensor2d(a), tf.tensor2d(a)]).dataSync()[0]).toBeCloseTo(want, 6);
  });

  it('DARTS-: softmax(α) for the ops, then a last column β for the auxiliary skip (outside the softmax)', () => {
    const a = [[0.2, -0.1, 0.4]];
    const [w] = auxSkipMix(0.7)([tf.tensor2d(a), tf.tensor2d(a)]);
    const p = softmax(a[0]);
    expect(Array.from(w.dataSync()).map((v) => Number(v.toFixed(6)))).toEqual([p[0], p[1], p[2], 0.7].map((v) => Number(v.toFixed(6))));
  });

  it('SDARTS-RS: softmax + U(−ε, ε), clipped to [0, 1], rows renormalised; a row clipped to 0 keeps its argmax', () => {
    const soft = Float32Array.from([0.5, 0.3, 0.2, 0.1, 0.1, 0.8]);
    const eps = 0.25;
    const rng = new Rng(3, 'x');
    const noise = new Rng(3, 'x');
    const got = perturbedSoftmax(soft, 3, eps, rng);
    for (let r = 0; r < 2; r++) {
      const v = [0, 1, 2].map((k) => Math.min(1, Math.max(0, soft[r * 3 + k] + noise.uniform(-eps, eps))));
      const s = v.reduce((x, y) => x + y, 0);
      v.forEach((x, k) => expect(got[r * 3 + k]).toBeCloseTo(x / s, 6));
    }
    // ε so large that every entry can clip to 0: the row is then one-hot at its argmax.
    const zero = perturbedSoftmax(Float32Array.from([0.1, 0.6, 0.3]), 3, 0, { uniform: () => -1 } as unknown as Rng);
    expect(Array.from(zero)).toEqual([0, 1, 0]);
    // The argmax is the perturbed row's, before clamping (utils.clip), not the softmax's.
    const draws = [-0.12, -0.95, -0.5];
    const moved = perturbedSoftmax(Float32Array.from([0.1, 0.6, 0.3]), 3, 1, { uniform: () => draws.shift()! } as unknown as Rng);
    expect(Array.from(moved)).toEqual([1, 0, 0]);
  });

  it('GDAS: selection = argmax(α + g); forward one-hot, gradient that of p = softmax((log_softmax α + g)/τ)', () => {
    const alpha = Float32Array.from([0.1, 0.5, -0.2, 0.0, 0.3, 0.2]);
    const draw = drawGumbel([alpha, alpha], 3, new Rng(11, 'g'));
    for (let r = 0; r < 2; r++) {
      const z = [0, 1, 2].map((k) => alpha[r * 3 + k] + draw.gumbel[0][r * 3 + k]);
      expect(draw.select[0][r]).toBe(z.indexOf(Math.max(...z)));
    }
    const tau = 0.7;
    const a = tf.tensor2d(alpha, [2, 3]);
    const c = tf.tensor2d([1, -2, 0.5, 3, 0.25, -1], [2, 3]);
    const [h] = gumbelMix(draw, tau, 3)([a, a]);
    const hv = h.arraySync();
    hv.forEach((row, r) => row.forEach((v, k) => expect(v).toBeCloseTo(k === draw.select[0][r] ? 1 : 0, 6)));
    const gST = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(gumbelMix(draw, tau, 3)([x, x])[0], c)))(a);
    const gP = tf.grad((x: tf.Tensor) => {
      const p = tf.softmax(tf.div(tf.add(tf.logSoftmax(x), tf.tensor2d(draw.gumbel[0], [2, 3])), tau));
      return tf.sum(tf.mul(p, c));
    })(a);
    expect(Array.from(gST.dataSync())).toEqual(Array.from(gP.dataSync()));
  });
});

describe('GDAS computes only the sampled op of each edge', () => {
  it('gives the logits and weight gradients of the full supernet under one-hot mixing', async () => {
    const c = cfgFor('gdas');
    const s = DartsSearch.create(c, dataFor(c));
    const m = s.model;
    const b = batchTensors(dataFor(c).nextWeightBatch(4), c);
    const [an, ar] = [m.alphaNormal.dataSync() as Float32Array, m.alphaReduce.dataSync() as Float32Array];
    const draw = drawGumbel([an, ar], c.ops.length, new Rng(1, 'gdas-test'));
    const oneHot = (sel: Int32Array) => {
      const o = new Float32Array(sel.length * c.ops.length);
      sel.forEach((k, r) => (o[r * c.ops.length + k] = 1));
      return o;
    };
    const lossOf = (sparse: boolean) => {
      m.select = sparse ? draw.select : null;
      m.mixFn = sparse ? gumbelMix(draw, 1, c.ops.length) : constantMix(oneHot(draw.select[0]), oneHot(draw.select[1]), m.alphaNormal.shape as [number, number]);
      const { value, grads } = tf.variableGrads(() => m.loss(b, true, false).loss, [m.theta]);
      return { loss: value.dataSync()[0], g: Array.from(grads[m.theta.name].dataSync()) };
    };
    const sparse = lossOf(true);
    const full = lossOf(false);
    expect(sparse.loss).toBeCloseTo(full.loss, 5);
    const maxDiff = sparse.g.reduce((mx, v, i) => Math.max(mx, Math.abs(v - full.g[i])), 0);
    expect(maxDiff).toBeLessThan(1e-5);
    s.dispose();
  });
});

describe('every method runs, derives and resumes bit-identically', () => {
  for (const method of METHODS) {
    it(method, async () => {
      const c = cfgFor(method);
      const before = tf.memory().numTensors;
      const s = DartsSearch.create(c, dataFor(c));
      for (let i = 0; i < 2; i++) {
        const r = await s.step('both');
        expect(Number.isFinite(r.trainLoss)).toBe(true);
        expect(Number.isFinite(r.valLoss)).toBe(true);
      }
      const saved = await s.saveState();
      expect(saved.config.method).toBe(method);
      const file = decodeRunFile(encodeRunFile({ state: saved, dataset: { name: 'synthetic' }, savedAt: '2026-12-07T00:00:00Z' }));
      expect(file.state.config.method).toBe(method);
      const a = await s.step('both');
      const resumed = DartsSearch.fromState(file.state, dataFor(c));
      // The sampler's position travels in the run file; a fresh data source starts from it.
      const b = await resumed.step('both');
      expect(b.trainLoss).toBe(a.trainLoss);
      expect(b.valLoss).toBe(a.valLoss);
      const [x, y] = [await s.alphas(), await resumed.alphas()];
      expect(Array.from(y.rawNormal)).toEqual(Array.from(x.rawNormal));
      expect(y.betaNormal ? Array.from(y.betaNormal) : null).toEqual(x.betaNormal ? Array.from(x.betaNormal) : null);
      const g = deriveForMethod(c, x);
      expect(g.genotype.normal.length).toBe(2 * c.steps);
      s.dispose();
      resumed.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  }
});

function softmax(r: number[]): number[] {
  const m = Math.max(...r);
  const e = r.map((v) => Math.exp(v - m));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

describe('cell-by-cell backprop gives the whole-graph gradients for every mixing', () => {
  // (GDAS always uses the whole-graph tape: search.ts.)
  for (const method of ['pc-darts', 'fair-darts', 'darts-minus'] as const) {
    it(method, async () => {
      const c = cfgFor(method);
      const s = DartsSearch.create(c, dataFor(c));
      const m = s.model;
      const b = batchTensors(dataFor(c).nextWeightBatch(4), c);
      if (method === 'fair-darts') m.extraLoss = zeroOneLoss(10);
      const { lossAndGrads } = await import('./bilevel');
      const vars = [m.theta, ...m.alphas];
      const flat = (r: { loss: tf.Scalar; grads: tf.Tensor[] }) => [r.loss.dataSync()[0], ...r.grads.flatMap((g) => Array.from(g.dataSync()))];
      m.cellwise = false;
      const whole = flat(lossAndGrads(m, b, vars));
      m.cellwise = true;
      const cells = flat(lossAndGrads(m, b, vars));
      expect(cells.length).toBe(whole.length);
      const maxDiff = cells.reduce((mx, v, i) => Math.max(mx, Math.abs(v - whole[i])), 0);
      expect(maxDiff).toBeLessThan(1e-5);
      s.dispose();
    });
  }
});

describe('DARTS-: the auxiliary skip has its own FactorizedReduce on stride-2 edges', () => {
  it('equals β added to skip_connect when its weights are the skip op\'s, and DARTS at β = 0', async () => {
    const c = cfgFor('darts-minus');
    const minus = DartsSearch.create(c, dataFor(c));
    const L = minus.model.net.layout;
    const theta = minus.model.theta.dataSync() as Float32Array;
    const byName = new Map(L.specs.map((sp) => [sp.name, theta.subarray(sp.offset, sp.offset + sp.shape.reduce((x, y) => x * y, 1))]));
    const aux = L.specs.filter((sp) => sp.name.includes('auxiliary_op'));
    // 2 reduction cells × 2·steps stride-2 edges (from the two cell inputs) × conv_1 + conv_2.
    expect(aux.length).toBe(2 * 2 * c.steps * 2);
    // Copy each edge's skip FactorizedReduce weights into its auxiliary one.
    const skipCol = c.ops.indexOf('skip_connect');
    const copied = new Float32Array(theta);
    for (const sp of aux) {
      const from = byName.get(sp.name.replace('auxiliary_op', `_ops.${skipCol}`))!;
      copied.set(from, sp.offset);
    }
    minus.model.theta.assign(tf.tensor1d(copied));
    const b = batchTensors(dataFor(c).nextWeightBatch(4), c);
    const beta = 0.6;
    const logits = (mix: (a: tf.Tensor[]) => [tf.Tensor2D, tf.Tensor2D]) => {
      minus.model.mixFn = mix;
      return Array.from(minus.model.logits(b.x, true, false).dataSync());
    };
    const withAux = logits(auxSkipMix(beta));
    // The shared formulation: β on the skip column, the auxiliary column 0.
    const k = c.ops.length;
    const shared = logits(([an, ar]) => {
      const add = Float32Array.from({ length: k + 1 }, (_, i) => (i === skipCol ? beta : 0));
      const one = (a: tf.Tensor) => tf.add(tf.concat([tf.softmax(a), tf.zeros([a.shape[0], 1])], 1), tf.tensor1d(add)) as tf.Tensor2D;
      return [one(an), one(ar)];
    });
    expect(withAux.reduce((m, v, i) => Math.max(m, Math.abs(v - shared[i])), 0)).toBeLessThan(1e-5);
    // β = 0: exactly DARTS on the shared weights.
    const darts = DartsSearch.create({ ...c, method: 'darts' }, dataFor(c));
    const dl = darts.model.net.layout;
    darts.model.theta.assign(tf.tensor1d(Float32Array.from({ length: dl.paramCount }, (_, i) => {
      const sp = dl.specs.find((x) => x.offset <= i && i < x.offset + x.shape.reduce((p, q) => p * q, 1))!;
      return byName.get(sp.name)![i - sp.offset];
    })));
    const d0 = Array.from(darts.model.logits(b.x, true, false).dataSync());
    minus.model.theta.assign(tf.tensor1d(theta));
    const m0 = logits(auxSkipMix(0));
    expect(m0.reduce((m, v, i) => Math.max(m, Math.abs(v - d0[i])), 0)).toBeLessThan(1e-5);
    expect(minus.paramCount - darts.paramCount).toBe(aux.reduce((s2, sp) => s2 + sp.shape.reduce((x, y) => x * y, 1), 0));
    minus.dispose();
    darts.dispose();
  });
});

describe('PC-DARTS parameter count', () => {
  it('ops are built for C/K channels (spec §1.6 closed forms with c = C/K)', () => {
    const c = cfgFor('pc-darts', { pcK: 4, C: 8, steps: 4, multiplier: 4, layers: 1 });
    const darts = DartsSearch.create({ ...c, method: 'darts' }, dataFor(c));
    const pc = DartsSearch.create(c, dataFor(c));
    // One reduction cell (layers 1, where C doubles to 16): ops 92c² + 1428c, c = 16 for DARTS
    // and 16/K = 4 for PC-DARTS.
    const ops = (x: number) => 92 * x * x + 1428 * x;
    expect(darts.paramCount - pc.paramCount).toBe(ops(16) - ops(4));
    darts.dispose();
    pc.dispose();
  });
});
