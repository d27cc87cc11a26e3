/**
 * Every custom kernel (forward and gradient) against the composite of stock tfjs ops on the cpu
 * backend, on several shapes including odd sizes, shared and grouped inputs, stride 1 and 2 and
 * both dilations. The composites are themselves checked against PyTorch numbers in
 * ops/kernels.test.ts and by the supernet fixture.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, describe, expect, it } from 'vitest';
import { initNodeBackend } from '../node';
import { K } from './attrs';
import type { DwParams, MixEntry } from './math';
import type { ConvUnitAttrs } from './attrs';
import { convUnit, groupedBatchNorm, groupedDepthwise, groupedPointwise, hasCustom, mix, pool3, poolBn, splitFlat, sumOfSquares, useCustomKernels, type MixTerm } from './ops';

type Fn = (...xs: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/** Deterministic pseudo-random values in [−1, 1) (with exact zeros sprinkled in to test ReLU masks). */
function values(n: number, seed: number): Float32Array {
  const v = new Float32Array(n);
  let s = seed * 2654435761 + 12345;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    v[i] = i % 17 === 5 ? 0 : ((s >>> 8) / (1 << 24)) * 2 - 1;
  }
  return v;
}

/**
 * Outputs, and gradients of Σ_k ⟨out_k, R_k⟩ (fixed random R_k, over the first `gradOutputs`
 * outputs) w.r.t. every input, read to arrays.
 */
async function evalWithGrads(f: Fn, shapes: number[][], seed: number, gradOutputs: number): Promise<Float32Array[]> {
  const xs = shapes.map((s, i) => tf.tensor(values(s.reduce((a, b) => a * b, 1), seed + i), s));
  const loss = (...a: tf.Tensor[]) => {
    const out = f(...a);
    const list = (Array.isArray(out) ? out : [out]).slice(0, gradOutputs);
    if (!list.length) return tf.sum(tf.mul(a[0], 0)) as tf.Scalar;
    return tf.addN(list.map((o, k) => tf.sum(tf.mul(o, tf.tensor(values(o.size, 1000 + k), o.shape))))) as tf.Scalar;
  };
  const fwd = tf.tidy(() => {
    const out = f(...xs);
    return (Array.isArray(out) ? out : [out]).map((o) => tf.reshape(o, [-1]));
  });
  const grads = tf.grads(loss)(xs);
  const res = await Promise.all([...fwd, ...grads].map((t) => t.data() as Promise<Float32Array>));
  tf.dispose([...xs, ...fwd, ...grads]);
  return res;
}

/** Run f with custom kernels on `backend` and as composites on cpu; compare outputs and gradients. */
async function compare(backend: 'cpu' | 'wasm', kernel: string, f: Fn, shapes: number[][], { seed = 1, tol = 2e-5, gradOutputs = 99 } = {}) {
  await initNodeBackend(backend);
  useCustomKernels(true);
  expect(hasCustom(kernel), `${kernel} registered on ${backend}`).toBe(true);
  const got = await evalWithGrads(f, shapes, seed, gradOutputs);
  await initNodeBackend('cpu');
  useCustomKernels(false);
  const want = await evalWithGrads(f, shapes, seed, gradOutputs);
  useCustomKernels(true);
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => {
    expect(g.length, `output ${i} length`).toBe(want[i].length);
    let worst = 0;
    let scale = 0;
    for (let j = 0; j < g.length; j++) {
      worst = Math.max(worst, Math.abs(g[j] - want[i][j]));
      scale = Math.max(scale, Math.abs(want[i][j]));
    }
    expect(worst, `${kernel} on ${backend}: output/grad ${i}, scale ${scale}`).toBeLessThanOrEqual(tol * Math.max(1, scale));
  });
}

afterAll(() => useCustomKernels(true));

const BACKENDS = ['cpu', 'wasm'] as const;

describe.each(BACKENDS)('custom kernels on %s match the stock-op composites on cpu', (backend) => {
  const dwCases: { name: string; shape: number[]; p: DwParams }[] = [
    { name: 'shared x, 4 segments (sep3, sep5, dil3, dil5), relu, stride 1', shape: [2, 6, 6, 3], p: { segs: [{ k: 3, dil: 1, count: 2 }, { k: 5, dil: 1, count: 2 }, { k: 3, dil: 2, count: 1 }, { k: 5, dil: 2, count: 1 }], stride: 1, relu: true, xGroups: 1, groupOffset: 0 } },
    { name: 'shared x, stride 2 on an odd size', shape: [2, 7, 5, 2], p: { segs: [{ k: 3, dil: 1, count: 1 }, { k: 5, dil: 2, count: 2 }], stride: 2, relu: true, xGroups: 1, groupOffset: 0 } },
    { name: 'grouped x with an offset (stage 2 of sep convs), no relu', shape: [6, 5, 5, 3], p: { segs: [{ k: 3, dil: 1, count: 1 }, { k: 5, dil: 1, count: 1 }], stride: 1, relu: false, xGroups: 3, groupOffset: 1 } },
    { name: 'grouped x, relu, stride 2, even size', shape: [4, 8, 8, 4], p: { segs: [{ k: 3, dil: 2, count: 2 }], stride: 2, relu: true, xGroups: 2, groupOffset: 0 } },
    { name: 'SIMD lanes (C = 8): shared x, all four kinds, stride 1, odd width', shape: [3, 9, 7, 8], p: { segs: [{ k: 3, dil: 1, count: 2 }, { k: 5, dil: 1, count: 1 }, { k: 3, dil: 2, count: 1 }, { k: 5, dil: 2, count: 2 }], stride: 1, relu: true, xGroups: 1, groupOffset: 0 } },
    { name: 'SIMD lanes (C = 4): shared x, stride 2, odd size', shape: [2, 9, 11, 4], p: { segs: [{ k: 3, dil: 1, count: 1 }, { k: 5, dil: 1, count: 1 }, { k: 3, dil: 2, count: 1 }, { k: 5, dil: 2, count: 1 }], stride: 2, relu: true, xGroups: 1, groupOffset: 0 } },
    { name: 'SIMD lanes (C = 4): grouped x, offset, stride 1, unread groups', shape: [8, 6, 5, 4], p: { segs: [{ k: 5, dil: 1, count: 1 }, { k: 3, dil: 1, count: 1 }], stride: 1, relu: true, xGroups: 4, groupOffset: 1 } },
    { name: 'SIMD lanes (C = 12): grouped x, stride 2', shape: [6, 6, 6, 12], p: { segs: [{ k: 3, dil: 1, count: 3 }], stride: 2, relu: false, xGroups: 3, groupOffset: 0 } },
  ];
  it.each(dwCases)('depthwise: $name', async ({ shape, p }) => {
    const C = shape[3];
    const wSize = p.segs.reduce((a, s) => a + s.count * s.k * s.k * C, 0);
    await compare(backend, K.depthwise, (x, w) => groupedDepthwise(x as tf.Tensor4D, w as tf.Tensor1D, p), [shape, [wSize]]);
  });

  it.each([
    { name: 'shared x, 3 groups, relu', shape: [2, 3, 3, 4], groups: 3, cout: 5, xGroups: 1, relu: true },
    { name: 'grouped x, 2 groups', shape: [4, 3, 2, 3], groups: 2, cout: 3, xGroups: 2, relu: false },
    { name: 'one group (preprocessing ReLU-conv)', shape: [3, 5, 5, 6], groups: 1, cout: 4, xGroups: 1, relu: true },
    { name: 'SIMD lanes: shared x, 4 groups, 8 → 4, rows not a multiple of 4', shape: [3, 3, 3, 8], groups: 4, cout: 4, xGroups: 1, relu: false },
    { name: 'SIMD lanes: grouped x, 16 → 16', shape: [6, 5, 3, 16], groups: 3, cout: 16, xGroups: 3, relu: true },
    { name: 'SIMD lanes: 7 → 8 (odd input channels)', shape: [2, 4, 4, 7], groups: 2, cout: 8, xGroups: 2, relu: false },
  ])('grouped 1×1 conv: $name', async ({ shape, groups, cout, xGroups, relu }) => {
    await compare(backend, K.gmm, (x, w) => groupedPointwise(x as tf.Tensor4D, w as tf.Tensor1D, { groups, cout, xGroups, relu }), [shape, [groups * shape[3] * cout]]);
  });

  it.each([
    { shape: [6, 4, 4, 3], groups: 3 },
    { shape: [2, 5, 3, 2], groups: 1 },
    { shape: [8, 3, 5, 8], groups: 4 },
    { shape: [3, 7, 7, 12], groups: 1 },
  ])('batch norm over groups $groups, $shape', async ({ shape, groups }) => {
    await compare(backend, K.batchNorm, (x) => {
      const r = groupedBatchNorm(x as tf.Tensor4D, groups, 1e-5);
      return [r.y, r.mean, r.variance];
    }, [shape], { gradOutputs: 1 }); // the statistics feed the running averages only: no gradient
  });

  it.each([
    { max: true, stride: 1, shape: [2, 5, 5, 3] },
    { max: true, stride: 2, shape: [2, 7, 6, 2] },
    { max: false, stride: 1, shape: [2, 4, 5, 3] },
    { max: false, stride: 2, shape: [1, 5, 5, 2] },
    { max: true, stride: 1, shape: [2, 6, 5, 8] },
    { max: true, stride: 2, shape: [2, 7, 7, 4] },
    { max: false, stride: 1, shape: [1, 5, 6, 8] },
    { max: false, stride: 2, shape: [2, 8, 8, 4] },
  ] as const)('pool max=$max stride $stride on $shape', async ({ max, stride, shape }) => {
    await compare(backend, K.pool, (x) => pool3(x as tf.Tensor4D, max, stride), [[...shape]]);
  });

  // The fused units (attrs.ts ConvUnitAttrs): `segs` is flat (k, dilation, count) triples; an
  // empty `segs` is the 1×1-only unit (ReLUConvBN / the second half of nothing), kernel DartsPwUnit.
  const unitCases: { name: string; shape: number[]; a: ConvUnitAttrs }[] = [
    { name: 'sep3+sep5 first halves on a shared x, relu, stride 1', shape: [2, 5, 5, 4], a: { segs: [3, 1, 1, 5, 1, 1], stride: 1, relu: true, xGroups: 1, groupOffset: 0, groups: 2, cout: 4, eps: 1e-5, filterGrads: true } },
    { name: 'dil3+dil5 on a shared x, stride 2, odd size, C = 3', shape: [2, 7, 5, 3], a: { segs: [3, 2, 1, 5, 2, 1], stride: 2, relu: true, xGroups: 1, groupOffset: 0, groups: 2, cout: 3, eps: 1e-5, filterGrads: true } },
    { name: 'second halves on a grouped x with an offset, no weight gradients', shape: [6, 4, 6, 8], a: { segs: [3, 1, 2], stride: 1, relu: true, xGroups: 3, groupOffset: 1, groups: 2, cout: 8, eps: 1e-5, filterGrads: false } },
    { name: '1×1 only (ReLUConvBN preprocessing), 7 → 5', shape: [3, 4, 4, 7], a: { segs: [], stride: 1, relu: true, xGroups: 1, groupOffset: 0, groups: 1, cout: 5, eps: 1e-5, filterGrads: true } },
  ];
  it.each(unitCases)('fused conv unit: $name', async ({ shape, a }) => {
    const C = shape[3];
    let wdwSize = 0;
    for (let i = 0; i < a.segs.length; i += 3) wdwSize += a.segs[i + 2] * a.segs[i] * a.segs[i] * C;
    const kernel = a.segs.length ? K.convUnit : K.pwUnit;
    const shapes = [shape, [a.groups * C * a.cout], ...(wdwSize ? [[wdwSize]] : [])];
    await compare(backend, kernel, (x, wpw, wdw) => {
      const r = convUnit(x as tf.Tensor4D, wpw as tf.Tensor1D, (wdw ?? null) as tf.Tensor1D | null, a);
      return [r.y, r.mean, r.variance];
    }, shapes, { gradOutputs: 1, tol: 5e-5 });
  });

  it.each([
    { max: true, stride: 1, shape: [2, 5, 5, 3] },
    { max: false, stride: 2, shape: [2, 7, 6, 4] },
    { max: true, stride: 2, shape: [3, 9, 9, 8] },
  ] as const)('fused pool → BN max=$max stride $stride on $shape', async ({ max, stride, shape }) => {
    await compare(backend, K.poolBn, (x) => {
      const r = poolBn(x as tf.Tensor4D, max, stride, 1e-5);
      return [r.y, r.mean, r.variance];
    }, [[...shape]], { gradOutputs: 1, tol: 5e-5 });
  });

  it('mixing: shared and grouped terms, several outputs, rows reused', async () => {
    const plan: MixEntry[][] = [
      [{ term: 0, group: 0, row: 1, col: 0 }, { term: 1, group: 0, row: 1, col: 2 }, { term: 1, group: 1, row: 1, col: 3 }],
      [{ term: 0, group: 0, row: 4, col: 0 }, { term: 1, group: 2, row: 4, col: 2 }],
      [{ term: 2, group: 0, row: 0, col: 1 }],
    ];
    const g = [2, 3, 3, 2];
    await compare(backend, K.mix, (w, a, b, c) => {
      const terms: MixTerm[] = [{ tensor: a, groups: 1 }, { tensor: b, groups: 3 }, { tensor: c, groups: 1 }];
      return mix(w as tf.Tensor2D, terms, plan);
    }, [[5, 4], g, [3 * g[0], ...g.slice(1)], g]);
  });

  it('sum of squares of a long vector (gradient norms)', async () => {
    await compare(backend, K.sumSquares, (x) => sumOfSquares(x), [[100003]], { gradOutputs: 0, tol: 1e-6 });
  });

  it('splitting θ into blocks, and the gradient back', async () => {
    await compare(backend, K.split, (x) => splitFlat(x as tf.Tensor1D, [3, 1, 7, 50, 2]), [[63]]);
  });
});
