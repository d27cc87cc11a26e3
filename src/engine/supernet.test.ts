/**
 * The fast supernet (grouped by source state, custom kernels, one flat θ) against the plain
 * per-edge reference (testing/referenceSupernet.ts: one MixedOp per edge, stock tfjs ops) on
 * configurations the spec §10.E fixture does not cover: op subsets, the conv_kxk ops of the
 * simple example, 1–6 nodes, multiplier < steps, all-reduction networks, odd sizes, RGB input.
 * Logits, the loss gradient of every parameter (by reference name) and of both α must agree,
 * with the custom kernels and with the stock-op composites, on cpu and wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type SearchConfig } from '../core/config';
import type { OpName } from '../core/primitives';
import { numEdges } from '../core/searchSpace';
import { lossAndGrads } from './bilevel';
import { useCustomKernels } from './kernels/ops';
import { crossEntropy, SupernetModel } from './model';
import { makeRunningStats, type ForwardCtx } from './modules';
import { initNodeBackend } from './node';
import { ParamSet, specSize, torchFanIn, type ParamSpec } from './params';
import { Supernet as ReferenceSupernet } from './testing/referenceSupernet';

/** Hash-like weights by position in the spec (as the fixture), so both models get the same values. */
function weights(s: ParamSpec): Float32Array {
  const n = specSize(s);
  if (s.init === 'ones') return new Float32Array(n).fill(1);
  if (s.init === 'zeros') return new Float32Array(n);
  const v = new Float32Array(n);
  const fan = s.layout === 'dw' ? s.shape[0] * s.shape[1] : torchFanIn(s);
  for (let i = 0; i < n; i++) v[i] = ((((i * 7919 + n * 31) % 10007) / 10007 - 0.5) * 2) / Math.sqrt(fan);
  return v;
}

const ramp = (n: number, a: number, b: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * a + b));

const CASES: { name: string; over: Partial<SearchConfig> }[] = [
  { name: 'all 8 ops, 1 node, N-R-R, 8×8', over: { C: 2, layers: 3, steps: 1, multiplier: 1, height: 8, width: 8 } },
  { name: 'simple example: conv 1×1/3×3/5×5, 2 nodes', over: { ops: ['conv_1x1', 'conv_3x3', 'conv_5x5'], C: 4, layers: 3, steps: 2, multiplier: 2, height: 8, width: 8 } },
  { name: 'skip-collapse space, 3 nodes, multiplier 2, all reduction cells', over: { ops: ['none', 'skip_connect', 'sep_conv_3x3'], C: 4, layers: 2, steps: 3, multiplier: 2, height: 8, width: 8 } },
  { name: 'one cell, max pool + dil 5×5', over: { ops: ['max_pool_3x3', 'dil_conv_5x5'], C: 2, layers: 1, steps: 2, multiplier: 1, height: 6, width: 6 } },
  { name: 'RGB 12×12, 5 cells with FactorizedReduce preprocessing, 4 nodes, pools and sep convs', over: { ops: ['none', 'max_pool_3x3', 'avg_pool_3x3', 'sep_conv_5x5'], inChannels: 3, C: 4, layers: 5, steps: 4, multiplier: 4, height: 12, width: 12 } },
  { name: '6 nodes, skip + dil 3×3 + avg pool', over: { ops: ['avg_pool_3x3', 'skip_connect', 'dil_conv_3x3'], C: 2, layers: 3, steps: 6, multiplier: 3, height: 8, width: 8 } },
];

function config(over: Partial<SearchConfig>): SearchConfig {
  return { ...DEFAULT_CONFIG, inChannels: 1, numClasses: 5, stemMultiplier: 3, ...over, ops: (over.ops ?? DEFAULT_CONFIG.ops) as OpName[] };
}

async function referenceResult(cfg: SearchConfig, x: tf.Tensor4D, y: tf.Tensor2D, an: tf.Tensor2D, ar: tf.Tensor2D) {
  const net = new ReferenceSupernet(cfg);
  const params = new ParamSet(net.specs, (s) => weights(s));
  const running = makeRunningStats(net.bns);
  const ctx: ForwardCtx = { training: true, updateStats: false, p: params.vars, running, pending: [] };
  const logits = tf.tidy(() => net.forward(x, tf.softmax(an) as tf.Tensor2D, tf.softmax(ar) as tf.Tensor2D, ctx));
  // (+ 0·Σα: networks of reduction cells only never read α_normal; its gradient is then zero)
  const f = (a: tf.Tensor, b: tf.Tensor, ...ps: tf.Tensor[]) =>
    tf.add(crossEntropy(net.forward(x, tf.softmax(a) as tf.Tensor2D, tf.softmax(b) as tf.Tensor2D, { ...ctx, p: ps }), y), tf.mul(tf.add(tf.sum(a), tf.sum(b)), 0));
  const g = tf.grads(f)([an, ar, ...params.vars]);
  const out = {
    names: net.specs.map((s) => s.name),
    bnNames: net.bns.map((b) => b.name),
    logits: Array.from(await logits.data()),
    alpha: [Array.from(await g[0].data()), Array.from(await g[1].data())],
    byName: new Map(await Promise.all(net.specs.map(async (s, i) => [s.name, Array.from(await g[i + 2].data())] as const))),
  };
  tf.dispose([logits, ...g]);
  params.dispose();
  running.forEach((r) => (r.mean.dispose(), r.variance.dispose()));
  return out;
}

async function fastResult(cfg: SearchConfig, x: tf.Tensor4D, y: tf.Tensor2D, an: Float32Array, ar: Float32Array, cellwise: boolean) {
  const m = new SupernetModel(cfg, (s) => weights(s), { normal: an, reduce: ar });
  m.cellwise = cellwise;
  const logits = tf.tidy(() => m.logits(x, true, false));
  const r = lossAndGrads(m, { x, y }, [m.alphaNormal, m.alphaReduce, m.theta], false);
  const theta = await r.grads[2].data();
  const out = {
    names: m.net.layout.specs.map((s) => s.name),
    bnNames: m.net.layout.bns.map((b) => b.name),
    logits: Array.from(await logits.data()),
    alpha: [Array.from(await r.grads[0].data()), Array.from(await r.grads[1].data())],
    byName: new Map(m.net.layout.specs.map((s, i) => [s.name, Array.from(m.specValues(theta as Float32Array, i))] as const)),
  };
  tf.dispose([logits, r.loss, r.acc, ...r.grads]);
  m.dispose();
  return out;
}

function close(a: number[], b: number[], what: string, tol = 1e-4) {
  expect(a.length, what).toBe(b.length);
  let worst = 0;
  let scale = 0;
  a.forEach((v, i) => {
    worst = Math.max(worst, Math.abs(v - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  });
  expect(worst, `${what}: max |Δ| (scale ${scale})`).toBeLessThanOrEqual(tol * Math.max(1, scale));
}

afterAll(() => useCustomKernels(true));

describe.each([
  ['cpu', true, false],
  ['wasm', true, false],
  ['wasm', true, true],
  ['cpu', false, false],
] as const)('fast supernet = per-edge reference (%s, custom kernels %s, cellwise %s)', (backend, custom, cellwise) => {
  it.each(CASES)('$name', async ({ over }) => {
    await initNodeBackend(backend);
    useCustomKernels(custom);
    const cfg = config(over);
    const E = numEdges(cfg.steps);
    const K = cfg.ops.length;
    const N = 3;
    const x = tf.tensor4d(ramp(N * cfg.height * cfg.width * cfg.inChannels, 0.731, 0.2), [N, cfg.height, cfg.width, cfg.inChannels]);
    const y = tf.oneHot(tf.tensor1d([0, 3, 1], 'int32'), cfg.numClasses).toFloat() as tf.Tensor2D;
    const an = ramp(E * K, 1.37, 0.5);
    const ar = ramp(E * K, 0.91, 1.1);
    const at = [tf.tensor2d(an, [E, K]), tf.tensor2d(ar, [E, K])];
    const ref = await referenceResult(cfg, x, y, at[0], at[1]);
    const got = await fastResult(cfg, x, y, an, ar, cellwise);
    tf.dispose([x, y, ...at]);
    expect(got.names).toEqual(ref.names);
    expect(got.bnNames).toEqual(ref.bnNames);
    close(got.logits, ref.logits, 'logits');
    close(got.alpha[0], ref.alpha[0], 'dL/dα normal');
    close(got.alpha[1], ref.alpha[1], 'dL/dα reduce');
    for (const name of ref.names) close(got.byName.get(name)!, ref.byName.get(name)!, `dL/d ${name}`);
  });
});
