/**
 * What each search method (core/methods.ts, spec §6) changes in a forward pass: how the
 * architecture variables become the mixing weights of every edge, and what the architecture
 * objective adds to the cross-entropy. The supernet, the optimisers and the bi-level loop are
 * shared (search.ts); this file holds only the method-specific equations.
 *
 * A MixFn maps the architecture variables [α_normal, α_reduce, (β_normal, β_reduce)] to the
 * [edges, ops] matrices the cells multiply their op outputs with (paper eq. 2 for DARTS). All of
 * them are differentiable tfjs functions, so the tape (or cellwise.ts) gives ∂L/∂α through them.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchConfig } from '../core/config';
import { auxSkipBeta, gdasTau, sdartsEpsilon } from '../core/methods';
import { Rng } from '../core/rng';
import { rowOffset } from '../core/searchSpace';

type T2 = tf.Tensor2D;
export type MixFn = (arch: tf.Tensor[]) => [T2, T2];

/** DARTS (paper eq. 2): softmax over the ops of every edge. */
export const softmaxMix: MixFn = ([an, ar]) => [tf.softmax(an) as T2, tf.softmax(ar) as T2];

/**
 * PC-DARTS edge normalisation: node j's input is Σ_i softmax(β over j's incoming edges)_i ·
 * MixedOp_i (PC-DARTS model_search.py, weights2). Returns the normalised β̃ as a column [E, 1].
 */
export function edgeNormalised(beta: tf.Tensor, steps: number): T2 {
  const parts: tf.Tensor[] = [];
  for (let i = 0; i < steps; i++) parts.push(tf.softmax(tf.slice(beta, rowOffset(i), i + 2)));
  return tf.reshape(tf.concat(parts), [-1, 1]) as T2;
}

/**
 * PC-DARTS mixing matrix [E, ops + 1]: columns 0..ops−1 are β̃_e·softmax(α_e) (the partial-channel
 * MixedOp scaled by its edge weight), the extra last column is β̃_e itself, which weights the
 * bypassed channels of that edge (supernet.ts reads it).
 */
export function pcMix(steps: number): MixFn {
  return ([an, ar, bn, br]) => {
    const one = (a: tf.Tensor, b: tf.Tensor): T2 => {
      const bt = edgeNormalised(b, steps);
      return tf.concat([tf.mul(tf.softmax(a), bt), bt], 1) as T2;
    };
    return [one(an, bn), one(ar, br)];
  };
}

/** FairDARTS: independent sigmoids, so the ops of an edge no longer compete (spec §6). */
export const sigmoidMix: MixFn = ([an, ar]) => [tf.sigmoid(an) as T2, tf.sigmoid(ar) as T2];

/**
 * FairDARTS zero-one loss, added to the architecture objective: −w · mean((σ(α) − 0.5)²) over
 * every entry of both α (FairDARTS model_search.py; w = 10). Its minimum pushes each σ to 0 or 1.
 */
export function zeroOneLoss(weight: number): (arch: tf.Tensor[]) => tf.Scalar {
  return ([an, ar]) => {
    const d = tf.concat([tf.reshape(tf.sigmoid(an), [-1]), tf.reshape(tf.sigmoid(ar), [-1])]);
    return tf.mul(-weight, tf.mean(tf.square(tf.sub(d, 0.5)))) as tf.Scalar;
  };
}

/**
 * DARTS-: y = Σ_k softmax(α)_k·o_k(x) + β·aux(x) (spec §6), aux = Identity on stride-1 edges and
 * its own FactorizedReduce on stride-2 edges (DARTS- MixedOp.auxiliary_op). The auxiliary skip is
 * outside the softmax: the mixing matrix gets an extra last column, β on every edge, that the
 * supernet plan reads for the 'aux' term (supernetPlan.ts).
 */
export function auxSkipMix(beta: number): MixFn {
  return ([an, ar]) => {
    const one = (a: tf.Tensor): T2 => tf.concat([tf.softmax(a), tf.fill([a.shape[0], 1], beta)], 1) as T2;
    return [one(an), one(ar)];
  };
}

/** SDARTS-RS' weight step: fixed (perturbed) mixing weights; α gets no gradient from it. */
export function constantMix(normal: Float32Array, reduce: Float32Array, shape: [number, number]): MixFn {
  return () => [tf.tensor2d(normal, shape), tf.tensor2d(reduce, shape)];
}

/**
 * SDARTS-RS (random smoothing, spec §6): the weight step sees softmax(α) + U(−ε, ε), clipped to
 * [0, 1] and renormalised per edge (SmoothDARTS utils.clip: a row clipped to all zeros keeps 1 at
 * its argmax). The noise is drawn here from a seeded stream; α gets no gradient in this step.
 */
export function perturbedSoftmax(softmax: Float32Array, numOps: number, eps: number, rng: Rng): Float32Array {
  const out = new Float32Array(softmax.length);
  for (let r = 0; r < softmax.length / numOps; r++) {
    // utils.clip takes the argmax of the perturbed row before clamping it.
    let argmax = 0;
    let best = -Infinity;
    let sum = 0;
    for (let k = 0; k < numOps; k++) {
      const noisy = softmax[r * numOps + k] + rng.uniform(-eps, eps);
      if (noisy > best) [best, argmax] = [noisy, k];
      const v = Math.min(1, Math.max(0, noisy));
      out[r * numOps + k] = v;
      sum += v;
    }
    if (sum === 0) {
      out[r * numOps + argmax] = 1;
      sum = 1;
    }
    for (let k = 0; k < numOps; k++) out[r * numOps + k] = Math.fround(out[r * numOps + k] / sum);
  }
  return out;
}

/**
 * GDAS (Dong & Yang 2019; AutoDL get_gumbel_prob): per edge p = softmax((log_softmax(α) + g)/τ)
 * with Gumbel noise g = −log(−log U); the forward uses the one-hot of argmax p and the gradient is
 * straight through: h = one_hot − p.detach() + p. Only the sampled op of each edge is computed
 * (supernet.ts sparse path), and Σ_{i≠k} h_i (value 0) is added so every h_i gets its gradient,
 * as in AutoDL's `weights[i] * edge(x) if i == argmax else weights[i]`.
 *
 * The Gumbel draws come from a seeded stream on the CPU; the selection is argmax(α + g), the same
 * argmax as p's (the log-softmax shift and the division by τ > 0 do not move it).
 */
export interface GumbelDraw {
  gumbel: [Float32Array, Float32Array];
  select: [Int32Array, Int32Array];
}

export function drawGumbel(alpha: [Float32Array, Float32Array], numOps: number, rng: Rng): GumbelDraw {
  const one = (a: Float32Array): [Float32Array, Int32Array] => {
    const g = new Float32Array(a.length);
    const sel = new Int32Array(a.length / numOps);
    for (let r = 0; r < sel.length; r++) {
      let best = 0;
      for (let k = 0; k < numOps; k++) {
        // U in (0, 1): rng.next() can return 0, which would give an infinite draw (AutoDL resamples).
        let u = rng.next();
        while (u <= 0) u = rng.next();
        g[r * numOps + k] = -Math.log(-Math.log(u));
        if (a[r * numOps + k] + g[r * numOps + k] > a[r * numOps + best] + g[r * numOps + best]) best = k;
      }
      sel[r] = best;
    }
    return [g, sel];
  };
  const [gn, sn] = one(alpha[0]);
  const [gr, sr] = one(alpha[1]);
  return { gumbel: [gn, gr], select: [sn, sr] };
}

/** Straight-through: the value of `hard`, the gradient of `soft` (h = hard − soft.detach() + soft). */
const straightThrough = tf.customGrad(((soft: tf.Tensor, hard: tf.Tensor) => ({
  value: tf.add(tf.sub(hard, soft), soft),
  gradFunc: (dy: tf.Tensor) => [dy, tf.zerosLike(hard)],
})) as unknown as Parameters<typeof tf.customGrad>[0]) as unknown as (soft: tf.Tensor, hard: tf.Tensor) => tf.Tensor;

export function gumbelMix(draw: GumbelDraw, tau: number, numOps: number): MixFn {
  return ([an, ar]) => {
    const one = (a: tf.Tensor, g: Float32Array, sel: Int32Array): T2 => {
      const p = tf.softmax(tf.div(tf.add(tf.logSoftmax(a), tf.tensor2d(g, a.shape as [number, number])), tau));
      // (tf.oneHot needs depth ≥ 2; with one op the sample is always that op.)
      const hard = numOps > 1 ? tf.oneHot(tf.tensor1d(sel, 'int32'), numOps).toFloat() : tf.onesLike(p);
      return straightThrough(p, hard) as T2;
    };
    return [one(an, draw.gumbel[0], draw.select[0]), one(ar, draw.gumbel[1], draw.select[1])];
  };
}

/** The schedules of the current epoch, for the step and for the UI. */
export function methodSchedule(cfg: SearchConfig, epoch: number): { beta?: number; tau?: number; eps?: number } {
  switch (cfg.method) {
    case 'darts-minus':
      return { beta: auxSkipBeta(cfg, epoch, cfg.epochs) };
    case 'gdas':
      return { tau: gdasTau(cfg, epoch, cfg.epochs) };
    case 'sdarts-rs':
      return { eps: sdartsEpsilon(cfg, epoch, cfg.epochs) };
    default:
      return {};
  }
}
