/**
 * The gradients of DARTS' bi-level problem (paper eq. 3–8, spec §3.3–3.5):
 *
 *   min_α L_val(w*(α), α)   s.t.   w*(α) = argmin_w L_train(w, α)
 *
 * First order (ξ = 0): ∇_α L_val(w, α).
 * Second order (ξ = η): ∇_α L_val(w', α) − η · ∇²_{α,w} L_train(w, α) · ∇_{w'} L_val(w', α),
 * with w' one virtual momentum-SGD step and the Hessian-vector product replaced by a central
 * finite difference (paper eq. 8). Everything needs first-order gradients only, which matters
 * because tfjs has no second-order autodiff for these kernels (spec §1.9 hazard 4).
 *
 * All functions return tensors the caller owns and must dispose.
 */
import * as tf from '@tensorflow/tfjs-core';
import { lossAndGradsCellwise } from './cellwise';
import { releaseGradLeftovers, sumOfSquares } from './kernels/ops';
import type { SupernetModel, TensorBatch } from './model';

export interface LossGrads {
  loss: tf.Scalar;
  acc: tf.Scalar;
  grads: tf.Tensor[];
}

/**
 * Loss, accuracy and gradients w.r.t. `vars`, in the order of `vars`.
 * BN running statistics are updated only when asked: the search uses batch statistics in every
 * pass, and running ones only for eval-mode evaluation, so we update them in the weight step only
 * (the reference also updates them in the α-step passes; the search itself is unaffected).
 */
export function lossAndGrads(model: SupernetModel, batch: TensorBatch, vars: tf.Variable[], updateStats = false): LossGrads {
  try {
    return model.cellwise ? lossAndGradsCellwise(model, batch, vars, updateStats) : wholeGraph(model, batch, vars, updateStats);
  } finally {
    releaseGradLeftovers();
  }
}

/** One tape over the whole network. */
function wholeGraph(model: SupernetModel, batch: TensorBatch, vars: tf.Variable[], updateStats: boolean): LossGrads {
  let acc: tf.Scalar | undefined;
  // Weight gradients are needed iff θ is asked for; the fused kernels then skip them (issue 9, item 4).
  const weightGrads = vars.includes(model.theta);
  const { value, grads } = tf.variableGrads(() => {
    const r = model.loss(batch, true, updateStats, weightGrads);
    acc = tf.keep(r.acc);
    return r.loss;
  }, vars);
  // A variable the loss does not reach (α_normal when every cell is a reduction cell, layers 1–2)
  // gets no entry from tfjs: its gradient is zero.
  return { loss: value, acc: acc!, grads: vars.map((v) => grads[v.name] ?? tf.zerosLike(v)) };
}

/** √(Σ_i ‖g_i‖²) over a list of tensors (a scalar tensor, no readback). */
export function globalNorm(ts: tf.Tensor[]): tf.Scalar {
  return tf.tidy(() => tf.sqrt(ts.length === 1 ? sumOfSquares(ts[0]) : tf.addN(ts.map(sumOfSquares))) as tf.Scalar);
}

export interface SecondOrderOptions {
  /** η: the current weight learning rate (the paper's ξ = η). */
  eta: number;
  momentum: number;
  weightDecay: number;
  /** The real SGD momentum buffers, or null before the first weight step (treated as 0). */
  momentumBuffers: tf.Tensor[] | null;
}

/** First-order α gradient on the validation batch (spec §3.4). */
export function archGradFirstOrder(model: SupernetModel, val: TensorBatch): LossGrads {
  return lossAndGrads(model, val, model.alphas);
}

/**
 * Second-order α gradient, exactly spec §3.5:
 *  1. g = ∇_w L_train(w) (not clipped)
 *  2. w' = w − η(μ·b + g + λ·w)
 *  3. v = ∇_{w'} L_val(w'), dα = ∇_α L_val(w')
 *  4. R = 0.01 / ‖v‖
 *  5. w± = w ± R·v (around the ORIGINAL w; computed in place like the reference)
 *  6. h = (∇_α L_train(w+) − ∇_α L_train(w−)) / 2R
 *  7. grad = dα − η·h
 * The original w is restored bit-exactly from a snapshot. Returned loss/acc are L_val at w'.
 */
export function archGradSecondOrder(model: SupernetModel, train: TensorBatch, val: TensorBatch, o: SecondOrderOptions): LossGrads {
  const W = model.weights;
  const A = model.alphas;
  const snapshot = W.map((v) => tf.keep(v.clone()));
  try {
    // 1–2: the virtual step. The real momentum buffer is not modified.
    const g = lossAndGrads(model, train, W);
    tf.dispose([g.loss, g.acc]);
    tf.tidy(() => {
      W.forEach((v, i) => {
        let d = tf.add(g.grads[i], tf.mul(snapshot[i], o.weightDecay));
        if (o.momentumBuffers) d = tf.add(d, tf.mul(o.momentumBuffers[i], o.momentum));
        v.assign(tf.sub(snapshot[i], tf.mul(d, o.eta)));
      });
    });
    tf.dispose(g.grads);

    // 3: validation loss at w' (the reference runs it on a copy of the model).
    const atUnrolled = lossAndGrads(model, val, [...W, ...A]);
    const v = atUnrolled.grads.slice(0, W.length);
    const dAlpha = atUnrolled.grads.slice(W.length);

    // 4–6: finite-difference Hessian-vector product around the original w.
    const R = tf.tidy(() => tf.div(0.01, globalNorm(v)) as tf.Scalar);
    const alphaGrads = (): tf.Tensor[] => {
      const r = lossAndGrads(model, train, A);
      tf.dispose([r.loss, r.acc]);
      return r.grads;
    };
    // The reference perturbs in place: w ← w + R·v, then w ← w − 2R·v. In float32 the second
    // point is fl(fl(w + Rv) − 2Rv), not fl(w − Rv); the difference is tiny, but h divides by 2R
    // and the loss has kinks (ReLU, max-pool), so we follow the same arithmetic to match it.
    tf.tidy(() => W.forEach((w, i) => w.assign(tf.add(snapshot[i], tf.mul(v[i], R)))));
    const plus = alphaGrads();
    tf.tidy(() => W.forEach((w, i) => w.assign(tf.sub(w, tf.mul(v[i], tf.mul(R, 2))))));
    const minus = alphaGrads();
    const grads = tf.tidy(() =>
      dAlpha.map((da, i) => {
        const h = tf.div(tf.sub(plus[i], minus[i]), tf.mul(R, 2));
        return tf.sub(da, tf.mul(h, o.eta)); // 7
      }),
    );
    tf.dispose([...v, ...dAlpha, ...plus, ...minus, R]);
    return { loss: atUnrolled.loss, acc: atUnrolled.acc, grads };
  } finally {
    W.forEach((w, i) => w.assign(snapshot[i]));
    tf.dispose(snapshot);
  }
}
