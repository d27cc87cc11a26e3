/**
 * Training a genotype's evaluation network from scratch (reference cnn/train.py, spec §4.4):
 * SGD with momentum 0.9 and weight decay 3e-4, lr 0.025 cosine-annealed to 0 over the epochs,
 * gradient clipping at global norm 5, cross-entropy plus 0.4 × the auxiliary loss, drop-path
 * probability 0.2·epoch/epochs. Only sizes (C, layers, epochs, batch) are scaled for the browser.
 *
 * The trainer is driven one batch at a time (`step`) so a worker can report progress, pause and
 * cancel between batches; `test()` scores the held-out test set with the running BN statistics.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Genotype } from '../core/genotype';
import { Rng } from '../core/rng';
import { globalNorm } from './bilevel';
import { EvalNetwork, type EvalNetConfig } from './evalNetwork';
import { accuracy, batchTensors, crossEntropy, type TensorBatch } from './model';
import { commitBnStats, discardBnStats, disposeRunningStats, makeRunningStats, type ForwardCtx, type PendingStats, type RunningStats } from './modules';
import { cosineLr, MomentumSGD } from './optim';
import { ParamSet, uniformFanInInit } from './params';
import { readScalars } from './search';
import { DivergenceError, type Batch } from './types';

/** What the trainer needs from a dataset (ImageDataset provides it). */
export interface EvalData {
  readonly trainSetSize: number;
  /** Next batch of a fresh per-epoch permutation of the whole training set (both halves). */
  nextTrainBatch(batchSize: number): Batch;
  /** The held-out test set in order. */
  testBatches(batchSize: number): Batch[];
}

export interface EvalTrainConfig {
  epochs: number;
  batchSize: number;
  /** Initial learning rate (0.025), annealed to 0 with a cosine (spec §4.4). */
  lr: number;
  momentum: number;
  weightDecay: number;
  gradClip: number;
  /** Maximum drop-path probability, reached at the last epoch (0.2 in the reference; 0 = off). */
  dropPath: number;
  /** Weight of the auxiliary loss (0.4). Used only when the network has an auxiliary head. */
  auxWeight: number;
  seed: number;
}

export const DEFAULT_EVAL_TRAIN: Omit<EvalTrainConfig, 'epochs' | 'batchSize' | 'seed'> = {
  lr: 0.025,
  momentum: 0.9,
  weightDecay: 3e-4,
  gradClip: 5,
  dropPath: 0,
  auxWeight: 0.4,
};

export interface EvalStepResult {
  /** Batches done so far, and in the whole run. */
  step: number;
  totalSteps: number;
  epoch: number;
  lr: number;
  loss: number;
  acc: number;
  /** True when this batch finished an epoch. */
  epochEnd: boolean;
}

export class EvalTrainer {
  readonly net: EvalNetwork;
  readonly params: ParamSet;
  private readonly running: RunningStats[];
  private readonly pending: PendingStats[] = [];
  private readonly sgd: MomentumSGD;
  private readonly dropRng: Rng;
  private steps = 0;
  readonly stepsPerEpoch: number;

  constructor(
    genotype: Genotype,
    netCfg: EvalNetConfig,
    readonly train: EvalTrainConfig,
    readonly data: EvalData,
  ) {
    this.net = new EvalNetwork(genotype, netCfg);
    const initRng = new Rng(train.seed, 'eval-init');
    this.params = new ParamSet(this.net.specs, uniformFanInInit(() => initRng.next()));
    this.running = makeRunningStats(this.net.bns);
    this.sgd = new MomentumSGD(train.momentum, train.weightDecay);
    this.dropRng = new Rng(train.seed, 'drop-path');
    this.stepsPerEpoch = Math.max(1, Math.ceil(data.trainSetSize / train.batchSize));
  }

  get totalSteps(): number {
    return this.stepsPerEpoch * this.train.epochs;
  }
  get done(): boolean {
    return this.steps >= this.totalSteps;
  }
  get epoch(): number {
    return Math.floor(this.steps / this.stepsPerEpoch);
  }
  /** lr of the current epoch: cosine from lr to 0 over the epochs. */
  get lr(): number {
    return cosineLr(this.epoch, this.train.lr, 0, this.train.epochs);
  }
  /** drop_path_prob = p_max · epoch / epochs (train.py). */
  get dropPathProb(): number {
    return (this.train.dropPath * this.epoch) / this.train.epochs;
  }
  get paramCount(): number {
    return this.net.paramCount - this.net.auxParamCount;
  }

  private ctx(training: boolean): ForwardCtx {
    return { training, updateStats: training, p: this.params.vars, running: this.running, pending: this.pending };
  }

  private tensors(b: Batch): TensorBatch {
    return batchTensors(b, this.net.cfg);
  }

  /** One SGD step on the next training batch. Throws DivergenceError (state unchanged) on NaN. */
  async step(): Promise<EvalStepResult> {
    if (this.done) throw new Error('evaluation training is already finished');
    const epoch = this.epoch;
    const lr = this.lr;
    const p = this.dropPathProb;
    const b = this.tensors(this.data.nextTrainBatch(this.train.batchSize));
    const keepMask = (n: number) => Float32Array.from({ length: n }, () => (this.dropRng.next() < 1 - p ? 1 : 0));
    let acc: tf.Scalar | undefined;
    let grads: tf.Tensor[] = [];
    let loss: tf.Scalar | undefined;
    let coef: tf.Scalar | undefined;
    try {
      const r = tf.variableGrads(() => {
        const out = this.net.forward(b.x, this.ctx(true), { dropPathProb: p, keepMask });
        acc = tf.keep(accuracy(out.logits, b.y));
        const main = crossEntropy(out.logits, b.y);
        // loss += auxiliary_weight · loss_aux (train.py)
        return out.aux ? (tf.add(main, tf.mul(crossEntropy(out.aux, b.y), this.train.auxWeight)) as tf.Scalar) : main;
      }, this.params.vars);
      loss = r.value;
      grads = this.params.vars.map((v) => r.grads[v.name] ?? tf.zerosLike(v));
      const norm = globalNorm(grads);
      const [l, a, n] = await readScalars([loss, acc!, norm]);
      if (!Number.isFinite(l) || !Number.isFinite(n)) {
        norm.dispose();
        throw new DivergenceError('weights', Number.isFinite(l) ? n : l);
      }
      commitBnStats(this.running, this.pending);
      coef = tf.tidy(() => tf.minimum(1, tf.div(this.train.gradClip, tf.add(norm, 1e-6))) as tf.Scalar);
      norm.dispose();
      this.sgd.apply(this.params.vars, grads, lr, coef);
      this.steps++;
      return { step: this.steps, totalSteps: this.totalSteps, epoch, lr, loss: l, acc: a, epochEnd: this.steps % this.stepsPerEpoch === 0 };
    } finally {
      discardBnStats(this.pending);
      tf.dispose([b.x, b.y, ...grads, ...(loss ? [loss] : []), ...(acc ? [acc] : []), ...(coef ? [coef] : [])]);
    }
  }

  /**
   * Re-estimate the BN running statistics with the final weights: reset them, then average the
   * batch statistics of `batches` training batches (PyTorch `momentum=None`, a cumulative mean),
   * without changing any weight. The reference trains 600 epochs, so its exponential running
   * average (momentum 0.1) has long caught up with the weights; after a few hundred browser steps
   * it still mixes in statistics of much earlier weights and the test accuracy suffers. This
   * standard recalibration removes that lag; it is a no-op on the learned parameters.
   */
  async recalibrateBn(batches: number): Promise<void> {
    if (batches <= 0) return;
    tf.tidy(() => {
      for (const r of this.running) {
        r.mean.assign(tf.zerosLike(r.mean));
        r.variance.assign(tf.onesLike(r.variance));
      }
    });
    for (let k = 0; k < batches; k++) {
      const b = this.tensors(this.data.nextTrainBatch(this.train.batchSize));
      tf.tidy(() => {
        this.net.forward(b.x, this.ctx(true), { dropPathProb: 0 });
      });
      commitBnStats(this.running, this.pending, 1 / (k + 1));
      tf.dispose([b.x, b.y]);
    }
  }

  /** Loss and top-1 accuracy on the held-out test set, in eval mode (running BN statistics). */
  async test(batchSize = 100): Promise<{ testLoss: number; testAcc: number; n: number }> {
    let lossSum = 0;
    let correct = 0;
    let n = 0;
    for (const batch of this.data.testBatches(batchSize)) {
      const b = this.tensors(batch);
      const ts = tf.tidy(() => {
        const { logits } = this.net.forward(b.x, this.ctx(false), { dropPathProb: 0 });
        return [crossEntropy(logits, b.y), accuracy(logits, b.y)];
      });
      const [l, a] = await readScalars(ts);
      tf.dispose(ts);
      tf.dispose([b.x, b.y]);
      lossSum += l * batch.n;
      correct += a * batch.n;
      n += batch.n;
    }
    return { testLoss: lossSum / n, testAcc: correct / n, n };
  }

  dispose(): void {
    discardBnStats(this.pending);
    this.params.dispose();
    disposeRunningStats(this.running);
    this.sgd.dispose();
  }
}
