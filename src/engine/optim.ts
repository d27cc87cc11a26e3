/**
 * The two optimisers of DARTS, written out so that their state can be read (the second-order step
 * needs the SGD momentum buffer, spec §3.5) and moved between backends.
 */
import * as tf from '@tensorflow/tfjs-core';
import { makeVariable } from './params';

/**
 * PyTorch SGD with momentum μ and L2 weight decay λ (no dampening, no Nesterov):
 *   d = c·g + λ·w   (c = gradient-clipping coefficient; decay is added AFTER clipping, spec §3.3)
 *   b ← d on the first step, else b ← μ·b + d
 *   w ← w − lr·b
 */
export class MomentumSGD {
  buffers: tf.Variable[] | null = null;
  constructor(
    public momentum: number,
    public weightDecay: number,
  ) {}

  apply(vars: tf.Variable[], grads: tf.Tensor[], lr: number, clipCoef: tf.Scalar): void {
    const first = this.buffers === null;
    if (first) this.buffers = vars.map((v) => makeVariable(() => tf.zerosLike(v)));
    tf.tidy(() => {
      vars.forEach((v, i) => {
        const d = tf.add(tf.mul(grads[i], clipCoef), tf.mul(v, this.weightDecay));
        const buf = this.buffers![i];
        const nb = first ? d : tf.add(tf.mul(buf, this.momentum), d);
        buf.assign(nb);
        v.assign(tf.sub(v, tf.mul(nb, lr)));
      });
    });
  }

  dispose(): void {
    this.buffers?.forEach((b) => b.dispose());
    this.buffers = null;
  }
}

/**
 * PyTorch Adam (amsgrad off) with L2 weight decay added to the gradient (spec §3.1, §1.9 hazard 7):
 *   g ← g + λ·α; m ← β1·m + (1−β1)·g; v ← β2·v + (1−β2)·g²
 *   α ← α − (lr / (1−β1^t)) · m / (√v / √(1−β2^t) + ε)
 */
export class Adam {
  t = 0;
  m: tf.Variable[] = [];
  v: tf.Variable[] = [];
  constructor(
    public lr: number,
    public beta1: number,
    public beta2: number,
    public eps: number,
    public weightDecay: number,
  ) {}

  apply(vars: tf.Variable[], grads: tf.Tensor[]): void {
    if (this.m.length === 0) {
      this.m = vars.map((x) => makeVariable(() => tf.zerosLike(x)));
      this.v = vars.map((x) => makeVariable(() => tf.zerosLike(x)));
    }
    this.t += 1;
    const bc1 = 1 - Math.pow(this.beta1, this.t);
    const bc2 = 1 - Math.pow(this.beta2, this.t);
    tf.tidy(() => {
      vars.forEach((p, i) => {
        const g = tf.add(grads[i], tf.mul(p, this.weightDecay));
        const m = tf.add(tf.mul(this.m[i], this.beta1), tf.mul(g, 1 - this.beta1));
        const v = tf.add(tf.mul(this.v[i], this.beta2), tf.mul(tf.square(g), 1 - this.beta2));
        this.m[i].assign(m);
        this.v[i].assign(v);
        const denom = tf.add(tf.div(tf.sqrt(v), Math.sqrt(bc2)), this.eps);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), this.lr / bc1)));
      });
    });
  }

  dispose(): void {
    [...this.m, ...this.v].forEach((x) => x.dispose());
    this.m = [];
    this.v = [];
  }
}

/** Cosine annealing per epoch (spec §3.1): lr(e) = lr_min + (lr − lr_min)·(1 + cos(πe/T))/2. */
export function cosineLr(epoch: number, lr: number, lrMin: number, epochs: number): number {
  const e = Math.min(epoch, epochs);
  return lrMin + ((lr - lrMin) * (1 + Math.cos((Math.PI * e) / epochs))) / 2;
}
