/**
 * Supernet weights + architecture parameters α as tf.Variables (spec §1, §2), with the loss.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchSpaceConfig } from '../core/config';
import { numEdges } from '../core/searchSpace';
import { makeVariable, ParamSet, type ParamSpec } from './params';
import type { Batch } from './types';
import { commitBnStats, discardBnStats, disposeRunningStats, makeRunningStats, type RunningStats } from './modules';
import { Supernet, type ForwardCtx, type PendingStats } from './supernet';

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
  readonly params: ParamSet;
  readonly running: RunningStats[];
  /** α for normal and reduction cells, shape [edges, ops] (spec §2). */
  readonly alphaNormal: tf.Variable;
  readonly alphaReduce: tf.Variable;
  /**
   * Backpropagate cell by cell (one tape per cell, see cellwise.ts): far less memory for an extra
   * forward pass. Off by default for tiny networks, where speed matters more.
   */
  cellwise = false;
  /** BN batch statistics of the last stats-updating pass, waiting for commitStats/discardStats. */
  readonly pending: PendingStats[] = [];

  /** Apply the collected batch statistics to the running ones (PyTorch momentum 0.1, spec §1.7). */
  commitStats(): void {
    commitBnStats(this.running, this.pending);
  }

  discardStats(): void {
    discardBnStats(this.pending);
  }

  constructor(
    readonly cfg: SearchSpaceConfig,
    weightValues: (spec: ParamSpec, index: number) => Float32Array,
    alphaValues: { normal: Float32Array; reduce: Float32Array },
  ) {
    this.net = new Supernet(cfg);
    this.params = new ParamSet(this.net.specs, weightValues);
    this.running = makeRunningStats(this.net.bns);
    const shape = [numEdges(cfg.steps), cfg.ops.length];
    this.alphaNormal = makeVariable(() => tf.tensor2d(alphaValues.normal, shape as [number, number]), true);
    this.alphaReduce = makeVariable(() => tf.tensor2d(alphaValues.reduce, shape as [number, number]), true);
  }

  get weights(): tf.Variable[] {
    return this.params.vars;
  }
  get alphas(): tf.Variable[] {
    return [this.alphaNormal, this.alphaReduce];
  }
  get paramCount(): number {
    return this.params.size;
  }

  /** Logits. Train mode uses batch statistics (all search passes do, spec §1.7). */
  logits(x: tf.Tensor4D, training = true, updateStats = true): tf.Tensor2D {
    const ctx: ForwardCtx = { training, updateStats: training && updateStats, p: this.params.vars, running: this.running, pending: this.pending };
    // softmax over the op axis, recomputed at every forward (spec §1.6)
    return this.net.forward(x, tf.softmax(this.alphaNormal) as tf.Tensor2D, tf.softmax(this.alphaReduce) as tf.Tensor2D, ctx);
  }

  /** Mean cross-entropy and top-1 accuracy (accuracy carries no gradient). */
  loss(b: TensorBatch, training = true, updateStats = true): { loss: tf.Scalar; acc: tf.Scalar } {
    const logits = this.logits(b.x, training, updateStats);
    return { loss: crossEntropy(logits, b.y), acc: accuracy(logits, b.y) };
  }

  dispose(): void {
    this.discardStats();
    this.params.dispose();
    disposeRunningStats(this.running);
    this.alphaNormal.dispose();
    this.alphaReduce.dispose();
  }
}

/** Mean softmax cross-entropy: −(1/N) Σ_n log softmax(logits_n)[y_n]. */
export function crossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.neg(tf.mean(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1))) as tf.Scalar;
}

export function accuracy(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(oneHot, 1)), 'float32'));
}
