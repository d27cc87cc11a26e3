/**
 * The grouped ops of the fast supernet, each in two forms with the same semantics:
 *
 * - a custom tfjs kernel (register.ts for cpu/wasm, webgpu.ts for WebGPU) with a registered
 *   gradient, used when the active backend has it;
 * - a composite of stock tfjs ops (autodiff by tfjs), used on backends without the kernel (webgl)
 *   and by the tests as the reference the kernels are checked against.
 *
 * `useCustomKernels(false)` forces the composites everywhere (tests, comparisons).
 */
import * as tf from '@tensorflow/tfjs-core';
import { dwAttrs, dwParams, K, type BnAttrs, type ConvUnitAttrs, type GmmAttrs, type MixAttrs, type PoolAttrs } from './attrs';
import { decodeMixPlan, encodeMixPlan, type DwParams, type MixEntry } from './math';
import { avgPool3, depthwise as depthwiseOne, maxPool3 } from '../ops/kernels';

type T4 = tf.Tensor4D;

let customEnabled = true;
/** Turn the custom kernels on or off (off: every op runs as its stock-tfjs composite). */
export function useCustomKernels(on: boolean): void {
  customEnabled = on;
}
export function customKernelsEnabled(): boolean {
  return customEnabled;
}

/** Whether the active backend runs `kernel` as one of ours. */
export function hasCustom(kernel: string): boolean {
  return customEnabled && tf.getKernel(kernel, tf.getBackend()) !== undefined;
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: object) =>
  tf.engine().runKernel(name, inputs, attrs as tf.NamedAttrMap) as tf.Tensor | tf.Tensor[];

/** Group g (of `groups`) of a grouped tensor, as a slice of the batch axis. */
function groupOf(x: tf.Tensor, groups: number, g: number): T4 {
  if (groups === 1) return x as T4;
  const n = x.shape[0] / groups;
  return tf.slice(x, [g * n, 0, 0, 0], [n, ...x.shape.slice(1)]) as T4;
}

// ---------------------------------------------------------------------------------------------
// Grouped depthwise conv (math.ts dwForward)

/**
 * Depthwise k×k convs of several groups at once: w is the flat concatenation of each group's
 * [k, k, C] filter (segments of equal k and dilation), x is shared (xGroups 1) or grouped.
 * Output [G·N, ceil(H/s), ceil(W/s), C].
 */
export function groupedDepthwise(x: T4, w: tf.Tensor1D, p: DwParams): T4 {
  if (hasCustom(K.depthwise)) return run(K.depthwise, { x, w }, dwAttrs(p)) as T4;
  const C = x.shape[3];
  const outs: T4[] = [];
  let off = 0;
  let g = 0;
  for (const s of p.segs)
    for (let i = 0; i < s.count; i++, g++) {
      let xg = groupOf(x, p.xGroups, p.xGroups === 1 ? 0 : p.groupOffset + g);
      if (p.relu) xg = tf.relu(xg) as T4;
      const wg = tf.reshape(tf.slice(w, off, s.k * s.k * C), [s.k, s.k, C, 1]) as T4;
      off += s.k * s.k * C;
      outs.push(depthwiseOne(xg, wg, p.stride as 1 | 2, s.dil as 1 | 2));
    }
  return (outs.length === 1 ? outs[0] : tf.concat(outs, 0)) as T4;
}

tf.registerGradient({
  kernelName: K.depthwise,
  inputsToSave: ['x', 'w'],
  gradFunc: (dy, saved, attrs) => {
    const [x, w] = saved;
    return {
      x: () => run(K.depthwiseBackpropInput, { dy: dy as tf.Tensor, w, x }, attrs) as tf.Tensor,
      w: () => run(K.depthwiseBackpropFilter, { x, dy: dy as tf.Tensor }, attrs) as tf.Tensor,
    };
  },
});

// ---------------------------------------------------------------------------------------------
// Grouped 1×1 conv (math.ts gmmForward)

/** `groups` 1×1 convs [cin → cout]: x [Gx·N, H, W, cin] (Gx = 1 shared or = groups), w flat. */
export function groupedPointwise(x: T4, w: tf.Tensor1D, p: GmmAttrs): T4 {
  if (hasCustom(K.gmm)) return run(K.gmm, { x, w }, p) as T4;
  const [B, H, W, I] = x.shape;
  const n = B / p.xGroups;
  const outs: tf.Tensor[] = [];
  for (let g = 0; g < p.groups; g++) {
    let xg = groupOf(x, p.xGroups, p.xGroups === 1 ? 0 : g);
    if (p.relu) xg = tf.relu(xg) as T4;
    const wg = tf.reshape(tf.slice(w, g * I * p.cout, I * p.cout), [I, p.cout]) as tf.Tensor2D;
    outs.push(tf.reshape(tf.matMul(tf.reshape(xg, [n * H * W, I]) as tf.Tensor2D, wg), [n, H, W, p.cout]));
  }
  return (outs.length === 1 ? outs[0] : tf.concat(outs, 0)) as T4;
}

tf.registerGradient({
  kernelName: K.gmm,
  inputsToSave: ['x', 'w'],
  gradFunc: (dy, saved, attrs) => {
    const [x, w] = saved;
    return {
      x: () => run(K.gmmBackpropInput, { dy: dy as tf.Tensor, w, x }, attrs) as tf.Tensor,
      w: () => run(K.gmmBackpropFilter, { x, dy: dy as tf.Tensor }, attrs) as tf.Tensor,
    };
  },
});

// ---------------------------------------------------------------------------------------------
// Grouped training-mode BatchNorm (math.ts bnForward)

export interface BnOut {
  y: T4;
  /** Batch mean and biased variance per group and channel, [G·C] (no gradient flows through them). */
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

/** Non-affine BN with batch statistics per group (spec §1.7), eps from the caller (1e-5). */
export function groupedBatchNorm(x: T4, groups: number, eps: number): BnOut {
  const attrs: BnAttrs = { groups, eps };
  if (hasCustom(K.batchNorm)) {
    const [y, mean, variance] = run(K.batchNorm, { x }, attrs) as tf.Tensor[];
    return { y: y as T4, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  const [B, H, W, C] = x.shape;
  const r = tf.reshape(x, [groups, (B / groups) * H * W, C]);
  const mean = tf.mean(r, 1, true);
  const variance = tf.mean(tf.square(tf.sub(r, mean)), 1, true);
  const y = tf.reshape(tf.mul(tf.sub(r, mean), tf.rsqrt(tf.add(variance, eps))), x.shape) as T4;
  return { y, mean: tf.reshape(mean, [groups * C]) as tf.Tensor1D, variance: tf.reshape(variance, [groups * C]) as tf.Tensor1D };
}

tf.registerGradient({
  kernelName: K.batchNorm,
  outputsToSave: [true, false, true],
  gradFunc: (dys, saved, attrs) => {
    const [y, variance] = saved;
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    return { x: () => run(K.batchNormGrad, { dy, y, variance }, attrs) as tf.Tensor };
  },
});

// ---------------------------------------------------------------------------------------------
// 3×3 pools (math.ts poolForward)

/** 3×3 max or average pool, pad 1 (count_include_pad=False), stride 1 or 2 (spec §1.1). */
export function pool3(x: T4, max: boolean, stride: 1 | 2): T4 {
  const attrs: PoolAttrs = { max, stride };
  if (hasCustom(K.pool)) return run(K.pool, { x }, attrs) as T4;
  return max ? maxPool3(x, stride) : avgPool3(x, stride);
}

tf.registerGradient({
  kernelName: K.pool,
  inputsToSave: ['x'],
  gradFunc: (dy, [x], attrs) => ({ x: () => run(K.poolGrad, { dy: dy as tf.Tensor, x }, attrs) as tf.Tensor }),
});

// ---------------------------------------------------------------------------------------------
// The MixedOp weighting (math.ts mixForward)

export interface MixTerm {
  /** A shared [N, H, W, C] tensor (groups 1) or a grouped [G·N, H, W, C] one. */
  tensor: tf.Tensor;
  groups: number;
}

/**
 * For each output m: Σ over its entries of w[row, col] · term[group] (paper eq. 2 for every edge
 * that leaves one state). `w` is the whole softmax(α) matrix [E, K]; its gradient is zero outside
 * the rows the plan reads.
 */
export function mix(w: tf.Tensor2D, terms: MixTerm[], plan: MixEntry[][]): T4[] {
  const attrs: MixAttrs = { termGroups: terms.map((t) => t.groups), plan: encodeMixPlan(plan), cols: w.shape[1] };
  if (hasCustom(K.mix)) {
    // An array of inputs (names '0', '1', …), as tfjs' own variadic kernels take them: saveAllInputs needs it.
    const inputs = [w, ...terms.map((t) => t.tensor)] as unknown as tf.NamedTensorMap;
    const out = run(K.mix, inputs, attrs);
    return (Array.isArray(out) ? out : [out]) as T4[];
  }
  const flat = tf.unstack(tf.reshape(w, [w.size])) as tf.Scalar[];
  const K_ = w.shape[1];
  return plan.map((list) => {
    const parts = list.map((e) => tf.mul(groupOf(terms[e.term].tensor, terms[e.term].groups, e.group), flat[e.row * K_ + e.col]));
    return (parts.length === 1 ? parts[0] : tf.addN(parts)) as T4;
  });
}

tf.registerGradient({
  kernelName: K.mix,
  saveAllInputs: true,
  gradFunc: (dys, saved, attrs) => {
    const [w, ...terms] = saved;
    const dyList = (Array.isArray(dys) ? dys : [dys]) as tf.Tensor[];
    const dyInputs: tf.NamedTensorMap = {};
    dyList.forEach((d, i) => (dyInputs[`dy${i}`] = d));
    const grads: Record<string, () => tf.Tensor> = {
      0: () => {
        const inputs: tf.NamedTensorMap = { w, ...dyInputs };
        terms.forEach((t, i) => (inputs[`t${i}`] = t));
        return run(K.mixGradWeight, inputs, attrs) as tf.Tensor;
      },
    };
    terms.forEach((_, i) => (grads[i + 1] = () => run(K.mixGradTerm, { w, ...dyInputs }, { ...attrs, term: i }) as tf.Tensor));
    return grads;
  },
});

// ---------------------------------------------------------------------------------------------
// Σ x² (for global gradient norms; no gradient)

/** Σ x² as a scalar, accumulated in float64 by the custom kernel (pairwise in float32 otherwise). */
export function sumOfSquares(x: tf.Tensor): tf.Scalar {
  if (hasCustom(K.sumSquares)) return run(K.sumSquares, { x }, {}) as tf.Scalar;
  const n = x.size;
  const rows = Math.max(1, Math.floor(Math.sqrt(n)));
  const head = Math.floor(n / rows) * rows;
  const flat = tf.reshape(x, [n]);
  // Two-stage sum: √n partial sums of √n terms each keep the float32 error near √n·ε.
  const main = tf.sum(tf.sum(tf.reshape(tf.square(tf.slice(flat, 0, head)), [rows, head / rows]), 1));
  return (head === n ? main : tf.add(main, tf.sum(tf.square(tf.slice(flat, head))))) as tf.Scalar;
}

// ---------------------------------------------------------------------------------------------
// Fused units: [relu →] depthwise → 1×1 → BN, and pool → BN

/**
 * Gradients computed together by one kernel but handed to tfjs one input at a time: those not
 * yet taken wait here (kept). `releaseGradLeftovers()` disposes what a backward pass did not take
 * (lossAndGrads calls it after every gradient computation).
 */
const leftovers = new Set<tf.Tensor>();
export function releaseGradLeftovers(): void {
  for (const t of leftovers) t.dispose();
  leftovers.clear();
}

/**
 * One SepConv/DilConv half or ReLUConvBN for `groups` groups at once (attrs.ts ConvUnitAttrs),
 * returning the BN output and its batch statistics. Only y (and the inputs) are kept for backprop.
 */
export function convUnit(x: T4, wpw: tf.Tensor1D, wdw: tf.Tensor1D | null, a: ConvUnitAttrs): BnOut {
  const name = a.segs.length ? K.convUnit : K.pwUnit;
  if (hasCustom(name)) {
    const inputs: tf.NamedTensorMap = a.segs.length && wdw ? { x, wpw, wdw } : { x, wpw };
    const [y, mean, variance] = run(name, inputs, a) as tf.Tensor[];
    return { y: y as T4, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  const d = a.segs.length && wdw ? groupedDepthwise(x, wdw, dwParams(a as unknown as tf.NamedAttrMap)) : x;
  const gm: GmmAttrs = a.segs.length ? { groups: a.groups, cout: a.cout, xGroups: a.groups, relu: false } : { groups: a.groups, cout: a.cout, xGroups: a.xGroups, relu: a.relu };
  return groupedBatchNorm(groupedPointwise(d, wpw, gm), a.groups, a.eps);
}

const convUnitGrad: tf.GradFunc = (dys, saved, attrs) => {
    const a = attrs as unknown as ConvUnitAttrs;
    const hasDw = a.segs.length > 0;
    // saved = [x, wpw, (wdw), y, variance]; wdw is absent for a unit without depthwise conv.
    const [x, wpw] = saved;
    const wdw = hasDw ? saved[2] : null;
    const [y, variance] = saved.slice(hasDw ? 3 : 2);
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    const names = hasDw ? ['x', 'wpw', 'wdw'] : ['x', 'wpw'];
    const got = new Map<string, tf.Tensor>();
    const take = (name: string): tf.Tensor => {
      const ready = got.get(name);
      if (ready) {
        // Hand over a clone made in this closure's scope (tfjs disposes it with the backward pass;
        // a kept tensor would outlive it), and release the kept original.
        const c = ready.clone();
        leftovers.delete(ready);
        got.delete(name);
        ready.dispose();
        return c;
      }
      // First request: compute this gradient, plus the weight gradients if the pass wants them.
      const want = names.map((n) => n === name || (a.filterGrads && n !== 'x'));
      while (want.length < 3) want.push(false);
      const inputs: tf.NamedTensorMap = { dy, x, wpw, y, variance };
      if (wdw) inputs.wdw = wdw;
      const res = run(K.convUnitGrad, inputs, { ...attrs, want });
      const list = Array.isArray(res) ? res : [res];
      let mine: tf.Tensor | undefined;
      let i = 0;
      names.forEach((n, k) => {
        if (!want[k]) return;
        const t = list[i++];
        if (n === name) mine = t;
        else {
          got.set(n, tf.keep(t));
          leftovers.add(t);
        }
      });
      return mine!;
    };
    const out: Record<string, () => tf.Tensor> = { x: () => take('x'), wpw: () => take('wpw') };
    if (hasDw) out.wdw = () => take('wdw');
    return out;
};
tf.registerGradient({ kernelName: K.convUnit, inputsToSave: ['x', 'wpw', 'wdw'], outputsToSave: [true, false, true], gradFunc: convUnitGrad });
tf.registerGradient({ kernelName: K.pwUnit, inputsToSave: ['x', 'wpw'], outputsToSave: [true, false, true], gradFunc: convUnitGrad });

/** BN(pool3(x)) with the search-only non-affine BN (spec §1.4): the pool term of every edge out of a state. */
export function poolBn(x: T4, max: boolean, stride: 1 | 2, eps: number): BnOut {
  if (hasCustom(K.poolBn)) {
    const [y, mean, variance] = run(K.poolBn, { x }, { max, stride, eps }) as tf.Tensor[];
    return { y: y as T4, mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  return groupedBatchNorm(pool3(x, max, stride), 1, eps);
}

tf.registerGradient({
  kernelName: K.poolBn,
  inputsToSave: ['x'],
  outputsToSave: [true, false, true],
  gradFunc: (dys, [x, y, variance], attrs) => {
    const dy = (Array.isArray(dys) ? dys[0] : dys) as tf.Tensor;
    return { x: () => run(K.poolBnGrad, { dy, x, y, variance }, attrs) as tf.Tensor };
  },
});

// ---------------------------------------------------------------------------------------------
// Splitting θ into its blocks

/** A 1-D tensor cut into consecutive pieces of the given sizes (gradient: their concatenation). */
export function splitFlat(x: tf.Tensor1D, sizes: number[]): tf.Tensor1D[] {
  if (hasCustom(K.split)) {
    const out = run(K.split, { x }, { sizes });
    return (Array.isArray(out) ? out : [out]) as tf.Tensor1D[];
  }
  return tf.split(x, sizes) as tf.Tensor1D[];
}

tf.registerGradient({
  kernelName: K.split,
  gradFunc: (dys) => ({ x: () => tf.concat(Array.isArray(dys) ? dys : [dys]) }),
});

export { decodeMixPlan, dwParams };
