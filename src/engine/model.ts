/**
 * Supernet weights + architecture parameters α as tf.Variables (spec §1, §2), with the loss.
 *
 * All weights live in ONE flat variable θ (supernetPlan.ts gives every reference parameter its
 * range), so the optimiser, the gradient clipping and the second-order perturbations are a few
 * kernels over one vector instead of a few per parameter tensor. The BN running statistics are
 * two flat vectors as well.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchSpaceConfig } from '../core/config';
import type { MethodConfig } from '../core/methods';
import { softmaxMix, type MixFn } from './methods';
import { numEdges } from '../core/searchSpace';
import { makeVariable, specSize, type ParamSpec } from './params';
import type { Batch } from './types';
import { BN_MOMENTUM, Supernet, type ForwardCtx, type PendingStats, type RunningVectors } from './supernet';

/** A batch already on the backend: x NHWC, y one-hot [N, classes]. */
export interface TensorBatch {
  x: tf.Tensor4D;
  y: tf.Tensor2D;
}

/**
 * A data batch on the backend: x as NHWC [n, height, width, channels], y one-hot float
 * [n, classes]. Shared by the search and the evaluation trainer.
 */
export function batchTensors(b: Batch, shape: { height: number; width: number; inChannels: number; numClasses: number }): TensorBatch {
  return tf.tidy(() => ({
    x: tf.tensor4d(b.x, [b.n, shape.height, shape.width, shape.inChannels]),
    y: tf.oneHot(tf.tensor1d(b.y, 'int32'), shape.numClasses).toFloat() as tf.Tensor2D,
  }));
}

export class SupernetModel {
  readonly net: Supernet;
  /** θ: every weight of the supernet, [paramCount]. */
  readonly theta: tf.Variable;
  /** Flat BN running mean and variance (PyTorch initialises 0 and 1, spec §1.7). */
  readonly running: { mean: tf.Variable; variance: tf.Variable }[];
  /** α for normal and reduction cells, shape [edges, ops] (spec §2). */
  readonly alphaNormal: tf.Variable;
  readonly alphaReduce: tf.Variable;
  /** PC-DARTS edge-normalisation β, one per edge [edges], or null for the other methods. */
  readonly betaNormal: tf.Variable | null = null;
  readonly betaReduce: tf.Variable | null = null;
  /** How the architecture variables become mixing weights in the next passes (engine/methods.ts). */
  mixFn: MixFn = softmaxMix;
  /** A term the architecture objective adds to the cross-entropy (FairDARTS' zero-one loss), or null. */
  extraLoss: ((arch: tf.Tensor[]) => tf.Scalar) | null = null;
  /** GDAS: the sampled op of every edge [normal, reduce]; the forward then computes only those. */
  select: [Int32Array, Int32Array] | null = null;
  /**
   * Backpropagate cell by cell (one tape per cell, see cellwise.ts): less memory for one extra
   * forward pass. Off for small networks, where speed matters more.
   */
  cellwise = false;
  /** BN batch statistics of the last stats-updating pass, waiting for commitStats/discardStats. */
  readonly pending: PendingStats[] = [];
  /** n/(n−1) per running-stat entry, for the last batch size seen (one entry: no growth). */
  private unbiasCache: { batch: number; t: tf.Tensor } | null = null;

  constructor(
    readonly cfg: SearchSpaceConfig & Partial<MethodConfig>,
    weightValues: (spec: ParamSpec, index: number) => Float32Array,
    alphaValues: { normal: Float32Array; reduce: Float32Array; betaNormal?: Float32Array; betaReduce?: Float32Array },
  ) {
    this.net = new Supernet(cfg);
    const L = this.net.layout;
    const flat = new Float32Array(L.paramCount);
    // Reference order, so a seeded initialisation consumes its random stream as before.
    L.specs.forEach((s, i) => flat.set(weightValues(s, i), s.offset));
    this.theta = makeVariable(() => tf.tensor1d(flat), true, `darts${++instances}/theta`);
    this.running = [
      {
        mean: makeVariable(() => tf.zeros([L.runningSize])),
        variance: makeVariable(() => tf.ones([L.runningSize])),
      },
    ];
    const shape = [numEdges(cfg.steps), cfg.ops.length] as [number, number];
    this.alphaNormal = makeVariable(() => tf.tensor2d(alphaValues.normal, shape), true);
    this.alphaReduce = makeVariable(() => tf.tensor2d(alphaValues.reduce, shape), true);
    if (cfg.method === 'pc-darts') {
      const E = numEdges(cfg.steps);
      const bn = alphaValues.betaNormal ?? new Float32Array(E);
      const br = alphaValues.betaReduce ?? new Float32Array(E);
      this.betaNormal = makeVariable(() => tf.tensor1d(bn), true);
      this.betaReduce = makeVariable(() => tf.tensor1d(br), true);
    }
  }

  /** The trainable weights: [θ]. */
  get weights(): tf.Variable[] {
    return [this.theta];
  }
  /** The architecture variables: [α_normal, α_reduce] and, for PC-DARTS, [β_normal, β_reduce]. */
  get alphas(): tf.Variable[] {
    return this.betaNormal && this.betaReduce ? [this.alphaNormal, this.alphaReduce, this.betaNormal, this.betaReduce] : [this.alphaNormal, this.alphaReduce];
  }
  get paramCount(): number {
    return this.net.layout.paramCount;
  }
  get runningVectors(): RunningVectors {
    return this.running[0];
  }

  ctx(training: boolean, updateStats: boolean, weightGrads = true): ForwardCtx {
    return { training, updateStats: training && updateStats, weightGrads, running: this.running[0], pending: this.pending, select: this.select };
  }

  /** Logits. Train mode uses batch statistics (all search passes do, spec §1.7). */
  logits(x: tf.Tensor4D, training = true, updateStats = true, weightGrads = true): tf.Tensor2D {
    // softmax over the op axis for DARTS, recomputed at every forward (spec §1.6); the method's own
    // mixing for the others (engine/methods.ts).
    const [wn, wr] = this.mixFn(this.alphas);
    return this.net.forward(x, this.theta, wn, wr, this.ctx(training, updateStats, weightGrads));
  }

  /** Mean cross-entropy and top-1 accuracy (accuracy carries no gradient). */
  loss(b: TensorBatch, training = true, updateStats = true, weightGrads = true): { loss: tf.Scalar; acc: tf.Scalar } {
    const logits = this.logits(b.x, training, updateStats, weightGrads);
    const ce = crossEntropy(logits, b.y);
    return { loss: this.extraLoss ? (tf.add(ce, this.extraLoss(this.alphas)) as tf.Scalar) : ce, acc: accuracy(logits, b.y) };
  }

  /**
   * Apply the collected batch statistics to the running ones (PyTorch momentum 0.1, spec §1.7):
   * running ← 0.9·running + 0.1·batch, the variance with the unbiased estimate n/(n−1)·var,
   * n = batch·H·W. `batch` is the batch size of the pass that collected them.
   */
  commitStats(batch: number): void {
    const L = this.net.layout;
    const pend = this.pending.splice(0).sort((a, b) => a.offset - b.offset);
    if (!pend.length) return;
    const r = this.running[0];
    tf.tidy(() => {
      const m = BN_MOMENTUM;
      let covered = 0;
      for (const p of pend) {
        if (p.offset !== covered) break;
        covered += p.mean.size;
      }
      if (covered === L.runningSize && pend.reduce((a, p) => a + p.mean.size, 0) === L.runningSize) {
        // Every call site ran once: one vectorised update.
        const mean = tf.concat(pend.map((p) => p.mean));
        const variance = tf.mul(tf.concat(pend.map((p) => p.variance)), this.unbias(batch));
        r.mean.assign(tf.add(tf.mul(r.mean, 1 - m), tf.mul(mean, m)));
        r.variance.assign(tf.add(tf.mul(r.variance, 1 - m), tf.mul(variance, m)));
      } else {
        // Some call sites only (or twice): update piece by piece, leaving the rest bit-identical.
        for (const which of ['mean', 'variance'] as const) {
          const pieces: tf.Tensor[] = [];
          let at = 0;
          for (const p of pend) {
            if (p.offset < at) continue;
            if (p.offset > at) pieces.push(tf.slice(r[which], at, p.offset - at));
            const old = tf.slice(r[which], p.offset, p.mean.size);
            const batchStat = which === 'mean' ? p.mean : tf.mul(p.variance, tf.slice(this.unbias(batch), p.offset, p.mean.size));
            pieces.push(tf.add(tf.mul(old, 1 - m), tf.mul(batchStat, m)));
            at = p.offset + p.mean.size;
          }
          if (at < L.runningSize) pieces.push(tf.slice(r[which], at, L.runningSize - at));
          r[which].assign(tf.concat(pieces));
        }
      }
    });
    tf.dispose(pend.flatMap((p) => [p.mean, p.variance]));
  }

  /** n/(n−1) per running-stat entry for a batch size (n = batch·H·W of that entry's maps). */
  private unbias(batch: number): tf.Tensor {
    if (this.unbiasCache?.batch !== batch) {
      this.unbiasCache?.t.dispose();
      const hw = this.net.layout.runningSpatial;
      this.unbiasCache = { batch, t: tf.keep(tf.tensor1d(hw.map((s) => (s * batch) / Math.max(1, s * batch - 1)))) };
    }
    return this.unbiasCache.t;
  }

  discardStats(): void {
    for (const s of this.pending.splice(0)) tf.dispose([s.mean, s.variance]);
  }

  /** The weights of one reference parameter (by spec index) as a plain array, from a θ-sized array. */
  specValues(flat: Float32Array, i: number): Float32Array {
    const s = this.net.layout.specs[i];
    return flat.slice(s.offset, s.offset + specSize(s));
  }

  dispose(): void {
    this.discardStats();
    this.theta.dispose();
    this.running.forEach((r) => (r.mean.dispose(), r.variance.dispose()));
    this.alphaNormal.dispose();
    this.alphaReduce.dispose();
    this.betaNormal?.dispose();
    this.betaReduce?.dispose();
    this.unbiasCache?.t.dispose();
    this.unbiasCache = null;
  }
}

let instances = 0;

/** Mean softmax cross-entropy: −(1/N) Σ_n log softmax(logits_n)[y_n]. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

export function accuracy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(oneHot, 1)), 'float32'));
}
