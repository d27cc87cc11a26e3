/**
 * Spec §10.B (ops, NHWC, PyTorch semantics) and gradient checks of the hand-written kernels.
 *
 * Every kernel is checked against a direct float64 JavaScript implementation of the PyTorch op
 * (symmetric padding, count_include_pad=False, dilation, stride, odd sizes), forward and backward:
 * the backward of the random linear functional L = Σ R·op(x, w) is the exact adjoint, accumulated
 * in the same loops. On cpu the tfjs gradient is additionally checked against a central finite
 * difference along random directions and, for undilated convs, against tfjs' own native
 * depthwiseConv2d / conv2d gradients. wasm forward and backward are compared with cpu.
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../core/rng';
import { initNodeBackend } from '../node';
import { avgPool3, batchNormTrain, conv, depthwise, maxPool3, pointwise, subsample2 } from './kernels';

type T4 = tf.Tensor4D;
type Shape4 = [number, number, number, number];

const BACKENDS = ['cpu', 'wasm'] as const;

// ---------------------------------------------------------------------------------------------
// Helpers

const ramp = (n: number) => Float32Array.from({ length: n }, (_, i) => i);

async function read(t: tf.Tensor): Promise<Float32Array> {
  const v = (await t.data()) as Float32Array;
  return Float32Array.from(v);
}

/** Rows of a 1×H×W×1 map as nested arrays. */
function rows(v: ArrayLike<number>, H: number, W: number): number[][] {
  return Array.from({ length: H }, (_, y) => Array.from({ length: W }, (_, x) => v[y * W + x]));
}

/** max |a − b| / max(max |b|, floor): a scale-relative error that ignores tiny entries' digits. */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>, floor = 1e-12): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  let s = floor;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return d / s;
}

function uniform(rng: Rng, n: number, lo = -1, hi = 1): Float32Array {
  return Float32Array.from({ length: n }, () => rng.uniform(lo, hi));
}

/** n distinct values spaced by 0.1 in random order: no ties, and no argmax change under ±0.01. */
function distinct(rng: Rng, n: number): Float32Array {
  const p = rng.permutation(n);
  return Float32Array.from(p, (k) => (k - n / 2) * 0.1);
}

const outSize = (H: number, k: number, stride: number, dil: number) => {
  const p = (dil * (k - 1)) / 2;
  return Math.floor((H + 2 * p - dil * (k - 1) - 1) / stride) + 1;
};

// ---------------------------------------------------------------------------------------------
// float64 references (PyTorch semantics), forward and adjoint of L = Σ R·y

interface Ref {
  y: Float64Array;
  shape: Shape4;
  gx: Float64Array;
  gw?: Float64Array;
}

/**
 * Conv with symmetric padding dil·(k−1)/2. `depthwise`: w is [k,k,C,1] and channel c reads input c;
 * otherwise w is HWIO [k,k,Ci,Co].
 */
function refConv(
  x: ArrayLike<number>,
  [N, H, W, Ci]: Shape4,
  w: ArrayLike<number>,
  k: number,
  Co: number,
  stride: number,
  dil: number,
  dw: boolean,
  R?: ArrayLike<number>,
): Ref {
  const p = (dil * (k - 1)) / 2;
  const Ho = outSize(H, k, stride, dil);
  const Wo = outSize(W, k, stride, dil);
  const C = dw ? Ci : Co;
  const y = new Float64Array(N * Ho * Wo * C);
  const gx = new Float64Array(x.length);
  const gw = new Float64Array(w.length);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++)
        for (let co = 0; co < C; co++) {
          const oi = ((n * Ho + oy) * Wo + ox) * C + co;
          const r = R ? R[oi] : 0;
          let s = 0;
          for (let ky = 0; ky < k; ky++) {
            const iy = oy * stride - p + ky * dil;
            if (iy < 0 || iy >= H) continue;
            for (let kx = 0; kx < k; kx++) {
              const ix = ox * stride - p + kx * dil;
              if (ix < 0 || ix >= W) continue;
              const cis = dw ? [co] : Array.from({ length: Ci }, (_, i) => i);
              for (const ci of cis) {
                const xi = ((n * H + iy) * W + ix) * Ci + ci;
                const wi = dw ? (ky * k + kx) * Ci + ci : ((ky * k + kx) * Ci + ci) * Co + co;
                s += x[xi] * w[wi];
                gx[xi] += r * w[wi];
                gw[wi] += r * x[xi];
              }
            }
          }
          y[oi] = s;
        }
  return { y, shape: [N, Ho, Wo, C], gx, gw };
}

/** 3×3 pool, pad 1, stride s: max (padding never wins; ties → first in row-major order) or average without padding. */
function refPool(x: ArrayLike<number>, [N, H, W, C]: Shape4, kind: 'max' | 'avg', stride: number, R?: ArrayLike<number>): Ref {
  const Ho = outSize(H, 3, stride, 1);
  const Wo = outSize(W, 3, stride, 1);
  const y = new Float64Array(N * Ho * Wo * C);
  const gx = new Float64Array(x.length);
  for (let n = 0; n < N; n++)
    for (let oy = 0; oy < Ho; oy++)
      for (let ox = 0; ox < Wo; ox++)
        for (let c = 0; c < C; c++) {
          const oi = ((n * Ho + oy) * Wo + ox) * C + c;
          const cells: number[] = [];
          for (let ky = 0; ky < 3; ky++)
            for (let kx = 0; kx < 3; kx++) {
              const iy = oy * stride - 1 + ky;
              const ix = ox * stride - 1 + kx;
              if (iy >= 0 && iy < H && ix >= 0 && ix < W) cells.push(((n * H + iy) * W + ix) * C + c);
            }
          const r = R ? R[oi] : 0;
          if (kind === 'max') {
            let best = cells[0];
            for (const i of cells) if (x[i] > x[best]) best = i;
            y[oi] = x[best];
            gx[best] += r;
          } else {
            let s = 0;
            for (const i of cells) s += x[i];
            y[oi] = s / cells.length;
            for (const i of cells) gx[i] += r / cells.length;
          }
        }
  return { y, shape: [N, Ho, Wo, C], gx };
}

/** Training BN (biased variance), optional affine; adjoints for x, γ, β. */
function refBn(x: ArrayLike<number>, [N, H, W, C]: Shape4, eps: number, gamma?: ArrayLike<number>, beta?: ArrayLike<number>, R?: ArrayLike<number>) {
  const M = N * H * W;
  const y = new Float64Array(x.length);
  const gx = new Float64Array(x.length);
  const gg = new Float64Array(C);
  const gb = new Float64Array(C);
  for (let c = 0; c < C; c++) {
    let mu = 0;
    for (let m = 0; m < M; m++) mu += x[m * C + c];
    mu /= M;
    let v = 0;
    for (let m = 0; m < M; m++) v += (x[m * C + c] - mu) ** 2;
    v /= M;
    const inv = 1 / Math.sqrt(v + eps);
    const g = gamma ? gamma[c] : 1;
    const b = beta ? beta[c] : 0;
    // dL/dŷ = R·γ; dL/dx = inv·(dŷ − mean(dŷ) − ŷ·mean(dŷ·ŷ))
    let mR = 0;
    let mRy = 0;
    for (let m = 0; m < M; m++) {
      const i = m * C + c;
      const yh = (x[i] - mu) * inv;
      y[i] = yh * g + b;
      const r = R ? R[i] : 0;
      mR += r * g;
      mRy += r * g * yh;
      gg[c] += r * yh;
      gb[c] += r;
    }
    mR /= M;
    mRy /= M;
    for (let m = 0; m < M; m++) {
      const i = m * C + c;
      const yh = (x[i] - mu) * inv;
      gx[i] = inv * ((R ? R[i] : 0) * g - mR - yh * mRy);
    }
  }
  return { y, gx, gg, gb };
}

// ---------------------------------------------------------------------------------------------
// Gradient-check machinery

/** One kernel under test: forward on tensors, its reference, and how inputs are drawn. */
interface Case {
  name: string;
  /** Input arrays and shapes (the first is x). */
  inputs: { data: Float32Array; shape: number[] }[];
  f: (...xs: tf.Tensor[]) => tf.Tensor;
  /** float64 forward and adjoints of Σ R·y, in the order of `inputs`. */
  ref: (R: Float64Array | Float32Array) => { y: ArrayLike<number>; shape: number[]; grads: ArrayLike<number>[] };
  /** The same op built from tfjs' native kernels (exact gradient on cpu), when one exists. */
  native?: (...xs: tf.Tensor[]) => tf.Tensor;
}

interface Eval {
  y: Float32Array;
  shape: number[];
  grads: Float32Array[];
}

/** Forward and gradients of Σ R·f(inputs) on the active backend. */
async function evaluate(f: Case['f'], inputs: Case['inputs'], R: Float32Array | null): Promise<Eval> {
  const ts = inputs.map((i) => tf.tensor(i.data, i.shape));
  const y = f(...ts);
  const Rt = R ? tf.tensor(R, y.shape) : tf.onesLike(y);
  const gs = tf.grads((...a: tf.Tensor[]) => tf.sum(tf.mul(f(...a), Rt)))(ts);
  const out = { y: await read(y), shape: y.shape, grads: await Promise.all(gs.map(read)) };
  tf.dispose([...ts, y, Rt, ...gs]);
  return out;
}

/** Σ R·f(inputs + t·dir) for the central difference (dir per input). */
async function functional(f: Case['f'], inputs: Case['inputs'], R: Float32Array, dir: Float32Array[], t: number): Promise<number> {
  const v = tf.tidy(() => {
    const ts = inputs.map((inp, i) => tf.add(tf.tensor(inp.data, inp.shape), tf.mul(tf.tensor(dir[i], inp.shape), t)));
    const y = f(...ts);
    return tf.sum(tf.mul(y, tf.tensor(R, y.shape)));
  });
  const r = (await v.data())[0];
  v.dispose();
  return r;
}

function outShapeOf(c: Case): number[] {
  return c.ref(new Float64Array(0)).shape;
}

function sizeOf(shape: number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

// ---------------------------------------------------------------------------------------------
// The cases

function depthwiseCase(k: 3 | 5, dil: 1 | 2, stride: 1 | 2, shape: Shape4, seed: number): Case {
  const rng = new Rng(seed, 'dw');
  const [, , , C] = shape;
  const x = uniform(rng, sizeOf(shape));
  const w = uniform(rng, k * k * C, -0.5, 0.5);
  const p = (dil * (k - 1)) / 2;
  return {
    name: `depthwise k=${k} d=${dil} s=${stride} on ${shape.join('×')}`,
    inputs: [
      { data: x, shape },
      { data: w, shape: [k, k, C, 1] },
    ],
    f: (a, b) => depthwise(a as T4, b as T4, stride, dil),
    ref: (R) => {
      const r = refConv(x, shape, w, k, C, stride, dil, true, R);
      return { y: r.y, shape: r.shape, grads: [r.gx, r.gw!] };
    },
    native: dil === 1 ? (a, b) => tf.depthwiseConv2d(a as T4, b as T4, stride, p) : undefined,
  };
}

function convCase(k: 1 | 3 | 5, stride: 1 | 2, shape: Shape4, Co: number, seed: number): Case {
  const rng = new Rng(seed, 'conv');
  const [, , , Ci] = shape;
  const x = uniform(rng, sizeOf(shape));
  const w = uniform(rng, k * k * Ci * Co, -0.5, 0.5);
  return {
    name: `conv k=${k} s=${stride} on ${shape.join('×')} → ${Co}`,
    inputs: [
      { data: x, shape },
      { data: w, shape: [k, k, Ci, Co] },
    ],
    f: (a, b) => conv(a as T4, b as T4, stride),
    ref: (R) => {
      const r = refConv(x, shape, w, k, Co, stride, 1, false, R);
      return { y: r.y, shape: r.shape, grads: [r.gx, r.gw!] };
    },
    native: (a, b) => tf.conv2d(a as T4, b as T4, stride, (k - 1) / 2),
  };
}

function poolCase(kind: 'max' | 'avg', stride: 1 | 2, shape: Shape4, seed: number): Case {
  const rng = new Rng(seed, 'pool');
  const x = kind === 'max' ? distinct(rng, sizeOf(shape)) : uniform(rng, sizeOf(shape));
  return {
    name: `${kind}Pool3 s=${stride} on ${shape.join('×')}`,
    inputs: [{ data: x, shape }],
    f: (a) => (kind === 'max' ? maxPool3(a as T4, stride) : avgPool3(a as T4, stride)),
    ref: (R) => {
      const r = refPool(x, shape, kind, stride, R);
      return { y: r.y, shape: r.shape, grads: [r.gx] };
    },
    // tfjs' max pool with numeric padding 1 is PyTorch's (spec §1.9 hazard 1); its avg-pool
    // gradient is not used as a reference (the divisor at the borders is the point of the test).
    native: kind === 'max' ? (a) => tf.maxPool(a as T4, 3, stride, 1) : undefined,
  };
}

function pointwiseCase(shape: Shape4, Co: number, seed: number): Case {
  const rng = new Rng(seed, 'pw');
  const [, , , Ci] = shape;
  const x = uniform(rng, sizeOf(shape));
  const w = uniform(rng, Ci * Co, -0.5, 0.5);
  return {
    name: `pointwise on ${shape.join('×')} → ${Co}`,
    inputs: [
      { data: x, shape },
      { data: w, shape: [Ci, Co] },
    ],
    f: (a, b) => pointwise(a as T4, b as tf.Tensor2D),
    ref: (R) => {
      const r = refConv(x, shape, w, 1, Co, 1, 1, false, R);
      return { y: r.y, shape: r.shape, grads: [r.gx, r.gw!] };
    },
    native: (a, b) => tf.conv2d(a as T4, tf.reshape(b, [1, 1, Ci, Co]) as T4, 1, 0),
  };
}

function bnCase(shape: Shape4, affine: boolean, seed: number): Case {
  const rng = new Rng(seed, 'bn');
  const C = shape[3];
  // Per-channel offsets and scales so that the statistics matter.
  const x = Float32Array.from({ length: sizeOf(shape) }, (_, i) => 2 * (i % C) - 1 + (0.5 + (i % C)) * rng.normal());
  const gamma = uniform(rng, C, 0.5, 1.5);
  const beta = uniform(rng, C, -0.5, 0.5);
  const eps = 1e-5;
  return {
    name: `batchNormTrain${affine ? ' (affine)' : ''} on ${shape.join('×')}`,
    inputs: affine
      ? [
          { data: x, shape },
          { data: gamma, shape: [C] },
          { data: beta, shape: [C] },
        ]
      : [{ data: x, shape }],
    f: (a, g, b) => batchNormTrain(a as T4, eps, g, b).y,
    ref: (R) => {
      const r = refBn(x, shape, eps, affine ? gamma : undefined, affine ? beta : undefined, R);
      return { y: r.y, shape, grads: affine ? [r.gx, r.gg, r.gb] : [r.gx] };
    },
  };
}

const S_EVEN: Shape4 = [2, 6, 6, 3];
const S_ODD: Shape4 = [1, 7, 5, 2];

function gradCases(): Case[] {
  const cases: Case[] = [];
  let seed = 1;
  for (const shape of [S_EVEN, S_ODD]) {
    for (const k of [3, 5] as const)
      for (const dil of [1, 2] as const) for (const s of [1, 2] as const) cases.push(depthwiseCase(k, dil, s, shape, seed++));
    for (const k of [1, 3, 5] as const) for (const s of [1, 2] as const) cases.push(convCase(k, s, shape, 2, seed++));
    for (const kind of ['max', 'avg'] as const) for (const s of [1, 2] as const) cases.push(poolCase(kind, s, shape, seed++));
    cases.push(pointwiseCase(shape, 4, seed++));
    cases.push(bnCase(shape, false, seed++));
    cases.push(bnCase(shape, true, seed++));
  }
  return cases;
}

// ---------------------------------------------------------------------------------------------
// §10.B values, on every backend

describe.each(BACKENDS)('spec §10.B op values on %s', (backend) => {
  it('(5) 3×3 max / avg pool stride 2 on the 4×4 ramp', async () => {
    await initNodeBackend(backend);
    const x = tf.tensor4d(ramp(16), [1, 4, 4, 1]);
    const mp = maxPool3(x, 2);
    const ap = avgPool3(x, 2);
    expect(mp.shape).toEqual([1, 2, 2, 1]);
    expect(rows(await read(mp), 2, 2)).toEqual([
      [5, 7],
      [13, 15],
    ]);
    expect(rows(await read(ap), 2, 2)).toEqual([
      [2.5, 4],
      [8.5, 10],
    ]);
    tf.dispose([x, mp, ap]);
  });

  it('(6) padding: avg pool of ones is exactly 1, max pool of −1 is −1 (borders included)', async () => {
    await initNodeBackend(backend);
    for (const [H, W] of [
      [4, 4],
      [5, 7],
      [1, 1],
      [2, 3],
    ]) {
      const ones = tf.ones([2, H, W, 3]) as T4;
      const neg = tf.fill([2, H, W, 3], -1) as T4;
      for (const s of [1, 2] as const) {
        const a = avgPool3(ones, s);
        const m = maxPool3(neg, s);
        expect(Array.from(await read(a)).every((v) => v === 1)).toBe(true);
        expect(Array.from(await read(m)).every((v) => v === -1)).toBe(true);
        tf.dispose([a, m]);
      }
      tf.dispose([ones, neg]);
    }
  });

  it('(7) 3×3 all-ones conv stride 2 pad 1 on the 8×8 ramp (conv and depthwise)', async () => {
    await initNodeBackend(backend);
    const x = tf.tensor4d(ramp(64), [1, 8, 8, 1]);
    const w = tf.ones([3, 3, 1, 1]) as T4;
    for (const y of [conv(x, w, 2), depthwise(x, w, 2, 1)]) {
      expect(y.shape).toEqual([1, 4, 4, 1]);
      const r = rows(await read(y), 4, 4);
      expect(r[0]).toEqual([18, 36, 48, 60]);
      expect(r[3]).toEqual([291, 450, 468, 486]);
      y.dispose();
    }
    tf.dispose([x, w]);
  });

  it('(7) dilated (d=2, pad 2) all-ones 3×3 depthwise stride 2 on the 8×8 ramp', async () => {
    await initNodeBackend(backend);
    const x = tf.tensor4d(ramp(64), [1, 8, 8, 1]);
    const w = tf.ones([3, 3, 1, 1]) as T4;
    const y = depthwise(x, w, 2, 2);
    expect(y.shape).toEqual([1, 4, 4, 1]);
    expect(rows(await read(y), 4, 4)).toEqual([
      [36, 60, 72, 52],
      [102, 162, 180, 126],
      [198, 306, 324, 222],
      [164, 252, 264, 180],
    ]);
    tf.dispose([x, w, y]);
  });

  it('(8) subsample2 keeps (even, even) pixels, and (odd, odd) with offsets (1, 1)', async () => {
    await initNodeBackend(backend);
    const x = tf.tensor4d(
      Float32Array.from({ length: 2 * 6 * 4 * 3 }, (_, i) => i),
      [2, 6, 4, 3],
    );
    const data = await read(x);
    const at = (n: number, y: number, xx: number, c: number) => data[((n * 6 + y) * 4 + xx) * 3 + c];
    for (const [r, s] of [
      [0, 0],
      [1, 1],
      [0, 1],
      [1, 0],
    ]) {
      const sub = subsample2(x, r, s);
      expect(sub.shape).toEqual([2, 3, 2, 3]);
      const got = await read(sub);
      const want: number[] = [];
      for (let n = 0; n < 2; n++)
        for (let y = 0; y < 3; y++) for (let xx = 0; xx < 2; xx++) for (let c = 0; c < 3; c++) want.push(at(n, 2 * y + r, 2 * xx + s, c));
      expect(Array.from(got)).toEqual(want);
      sub.dispose();
    }
    // Odd sizes: ceil(H/2) × ceil(W/2), still the (even, even) grid.
    const odd = tf.tensor4d(ramp(35), [1, 5, 7, 1]);
    const so = subsample2(odd);
    expect(so.shape).toEqual([1, 3, 4, 1]);
    expect(rows(await read(so), 3, 4)).toEqual([
      [0, 2, 4, 6],
      [14, 16, 18, 20],
      [28, 30, 32, 34],
    ]);
    tf.dispose([x, odd, so]);
  });

  it('stride-2 outputs are ceil(H/2) × ceil(W/2) and equal PyTorch on odd and even sizes', async () => {
    await initNodeBackend(backend);
    const rng = new Rng(7, 'shapes');
    for (const [H, W] of [
      [5, 5],
      [4, 6],
      [7, 3],
      [3, 3],
      [2, 2],
    ]) {
      const shape: Shape4 = [2, H, W, 2];
      const xa = uniform(rng, sizeOf(shape));
      const x = tf.tensor4d(xa, shape);
      const want: [number, number, number, number] = [2, Math.ceil(H / 2), Math.ceil(W / 2), 2];
      const checks: [string, T4, Ref][] = [];
      for (const kind of ['max', 'avg'] as const) {
        checks.push([`${kind} pool`, kind === 'max' ? maxPool3(x, 2) : avgPool3(x, 2), refPool(xa, shape, kind, 2)]);
      }
      for (const k of [3, 5] as const)
        for (const d of [1, 2] as const) {
          const w = uniform(rng, k * k * 2);
          const wt = tf.tensor4d(w, [k, k, 2, 1]);
          checks.push([`dw k${k} d${d}`, depthwise(x, wt, 2, d), refConv(xa, shape, w, k, 2, 2, d, true)]);
          wt.dispose();
        }
      for (const k of [1, 3, 5] as const) {
        const w = uniform(rng, k * k * 4);
        const wt = tf.tensor4d(w, [k, k, 2, 2]);
        checks.push([`conv k${k}`, conv(x, wt, 2), refConv(xa, shape, w, k, 2, 2, 1, false)]);
        wt.dispose();
      }
      for (const [name, y, ref] of checks) {
        expect(y.shape, `${name} on ${H}×${W}`).toEqual(want);
        expect(ref.shape).toEqual(want);
        expect(relErr(await read(y), ref.y), `${name} on ${H}×${W}`).toBeLessThan(1e-5);
        y.dispose();
      }
      x.dispose();
    }
  });

  it('dilated convs at stride 1 keep odd sizes (7×7) and equal a direct computation', async () => {
    await initNodeBackend(backend);
    const rng = new Rng(8, 'dil');
    for (const shape of [
      [1, 7, 7, 2],
      [2, 5, 3, 1],
    ] as Shape4[]) {
      const xa = uniform(rng, sizeOf(shape));
      const x = tf.tensor4d(xa, shape);
      for (const k of [3, 5] as const) {
        const w = uniform(rng, k * k * shape[3]);
        const wt = tf.tensor4d(w, [k, k, shape[3], 1]);
        const y = depthwise(x, wt, 1, 2);
        const ref = refConv(xa, shape, w, k, shape[3], 1, 2, true);
        expect(y.shape).toEqual(shape);
        expect(relErr(await read(y), ref.y)).toBeLessThan(1e-5);
        // The 7×7 ones filter on a ramp, checked by hand at the centre: dilation 2 reads ±2, ±4.
        tf.dispose([y, wt]);
      }
      x.dispose();
    }
    const ones = tf.ones([3, 3, 1, 1]) as T4;
    const r7 = tf.tensor4d(ramp(49), [1, 7, 7, 1]);
    const y = depthwise(r7, ones, 1, 2);
    const v = await read(y);
    // centre (3,3): rows 1,3,5 × cols 1,3,5 of the ramp = 9 · 24
    expect(v[3 * 7 + 3]).toBe(9 * 24);
    // corner (0,0): rows 0,2 × cols 0,2 → 0 + 2 + 14 + 16
    expect(v[0]).toBe(32);
    tf.dispose([ones, r7, y]);
  });
});

// ---------------------------------------------------------------------------------------------
// Gradient checks

describe('kernel gradients (cpu exact/finite-difference/native references, wasm vs cpu)', () => {
  const cases = gradCases();

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const rng = new Rng(c.name.length * 131 + c.inputs[0].data.length, 'R');
    const outShape = outShapeOf(c);
    const R = uniform(rng, sizeOf(outShape));
    const ref = c.ref(R);

    // cpu: forward and gradient against the float64 PyTorch reference.
    await initNodeBackend('cpu');
    const cpu = await evaluate(c.f, c.inputs, R);
    expect(cpu.shape).toEqual(outShape);
    expect(relErr(cpu.y, ref.y), 'cpu forward').toBeLessThan(1e-5);
    cpu.grads.forEach((g, i) => expect(relErr(g, ref.grads[i]), `cpu grad ${i} vs float64 adjoint`).toBeLessThan(1e-4));

    // cpu: central finite difference along random directions (float32, eps 1e-2).
    for (let trial = 0; trial < 2; trial++) {
      const dir = c.inputs.map((inp) => uniform(rng, inp.data.length));
      const eps = 1e-2;
      const fd = ((await functional(c.f, c.inputs, R, dir, eps)) - (await functional(c.f, c.inputs, R, dir, -eps))) / (2 * eps);
      let dot = 0;
      let gn = 0;
      let dn = 0;
      cpu.grads.forEach((g, i) =>
        g.forEach((gv, j) => {
          dot += gv * dir[i][j];
          gn += gv * gv;
          dn += dir[i][j] ** 2;
        }),
      );
      expect(Math.abs(fd - dot), `finite difference ${fd} vs ⟨g, d⟩ ${dot}`).toBeLessThanOrEqual(2e-2 * Math.sqrt(gn * dn));
    }

    // cpu: tfjs' native kernels (exact gradients; undilated convs and max pool only).
    if (c.native) {
      const nat = await evaluate(c.native, c.inputs, R);
      expect(nat.shape).toEqual(outShape);
      expect(relErr(cpu.y, nat.y), 'forward vs native').toBeLessThan(1e-5);
      cpu.grads.forEach((g, i) => expect(relErr(g, nat.grads[i]), `grad ${i} vs native`).toBeLessThan(1e-5));
    }

    // wasm against cpu.
    await initNodeBackend('wasm');
    const wasm = await evaluate(c.f, c.inputs, R);
    expect(wasm.shape).toEqual(outShape);
    expect(relErr(wasm.y, cpu.y), 'wasm forward vs cpu').toBeLessThan(1e-4);
    wasm.grads.forEach((g, i) => expect(relErr(g, cpu.grads[i]), `wasm grad ${i} vs cpu`).toBeLessThan(1e-4));
  });

  it('max pool routes the gradient of ties to the first maximum in row-major order (like PyTorch)', async () => {
    for (const backend of BACKENDS) {
      await initNodeBackend(backend);
      const shape: Shape4 = [1, 4, 4, 1];
      const xa = new Float32Array(16).fill(1); // every window is a tie
      const R = Float32Array.from({ length: 4 }, (_, i) => i + 1);
      const got = await evaluate((a) => maxPool3(a as T4, 2), [{ data: xa, shape }], R);
      const ref = refPool(xa, shape, 'max', 2, R);
      expect(Array.from(got.grads[0]), backend).toEqual(Array.from(ref.gx));
    }
  });
});
