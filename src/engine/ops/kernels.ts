/**
 * Low-level building blocks whose gradients exist and are right on every tfjs backend
 * (cpu, wasm, webgl, webgpu). tfjs 4.22 has no gradient for dilated depthwise/conv, wasm has no
 * depthwise or conv2d backprop kernels and its MaxPoolGrad is wrong (browser-notes §4), so:
 *  - depthwise and full convs are `tf.customGrad` functions whose backward uses forward kernels only;
 *  - dilation goes through spaceToBatchND (exact for 'same' padding on even sizes);
 *  - 1×1 convs are matMuls;
 *  - pools are maxima / sums of shifted slices;
 *  - stride 2 is "stride 1 with symmetric padding, then keep pixels (0,0),(0,2),…", which is exactly
 *    PyTorch's stride-2 output for odd k with pad (k−1)/2 (spec §1.9 hazards 1 and 2).
 * All tensors are NHWC.
 */
import * as tf from '@tensorflow/tfjs-core';

type T4 = tf.Tensor4D;

/**
 * Depthwise k×k conv, stride 1, symmetric 'same' padding (odd k), dilation 1.
 * Backward (browser-notes §8): dx = depthwise(dy, w rotated 180°); dw is a depthwise conv of the
 * padded input with dy as the filter after folding the batch into channels.
 */
const depthwiseSame = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [T4, T4, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.depthwiseConv2d(x, w, 1, 'same'),
    gradFunc: (dy: T4, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [T4, T4];
      const k = ws.shape[0];
      const [N, H, W, C] = xs.shape;
      const p = (k - 1) / 2;
      const dx = tf.depthwiseConv2d(dy as T4, tf.reverse(ws, [0, 1]) as T4, 1, 'same');
      const dw = tf.tidy(() => {
        const xp = tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]);
        const xr = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, H + 2 * p, W + 2 * p, N * C]) as T4;
        const f = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [H, W, N * C, 1]) as T4;
        const g = tf.depthwiseConv2d(xr, f, 1, 'valid'); // [1, k, k, N*C]
        return tf.reshape(tf.sum(tf.reshape(g, [k, k, N, C]), 2), [k, k, C, 1]);
      });
      return [dx, dw];
    },
  };
});

/**
 * Full kh×kw conv (HWIO filter), stride 1, symmetric 'same' padding (odd kh, kw).
 * Backward with forward kernels only: dx = conv(dy, w rotated 180° with I/O swapped);
 * dw[kh,kw,i,o] = Σ_{n,y,x} xpad[n,y+kh,x+kw,i]·dy[n,y,x,o], a 'valid' conv that treats input
 * channels as the batch and the batch as the contracted channel axis.
 */
const conv2dSame = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [T4, T4, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.conv2d(x, w, 1, 'same'),
    gradFunc: (dy: T4, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [T4, T4];
      // kh × kw, both odd (square for the k×k convs, 1×7 / 7×1 for conv_7x1_1x7)
      const ph = (ws.shape[0] - 1) / 2;
      const pw = (ws.shape[1] - 1) / 2;
      const dx = tf.conv2d(dy as T4, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as T4, 1, 'same');
      const dw = tf.tidy(() => {
        const xp = tf.pad(xs, [[0, 0], [ph, ph], [pw, pw], [0, 0]]);
        const xr = tf.transpose(xp, [3, 1, 2, 0]) as T4; // [I, Hp, Wp, N]
        const f = tf.transpose(dy, [1, 2, 0, 3]) as T4; // [H, W, N, O]
        return tf.transpose(tf.conv2d(xr, f, 1, 'valid'), [1, 2, 0, 3]); // [k, k, I, O]
      });
      return [dx, dw];
    },
  };
});

/** Keep pixels (r, s), (r, s+2), (r+2, s), … of an even-sized map: the stride-2 sampling grid. */
export function subsample2(x: tf.Tensor, r = 0, s = 0): T4 {
  const [N, H, W, C] = x.shape as [number, number, number, number];
  if (H % 2 || W % 2) {
    // Odd size: pad one zero row/column at the end; the kept grid (even offsets) is unchanged.
    const xp = tf.pad(x, [[0, 0], [0, H % 2], [0, W % 2], [0, 0]]);
    return subsample2(xp, r, s);
  }
  // [N,H,W,C] viewed as [N·H/2, 2, W/2, 2·C]: axis 1 is the row parity, the channel block the column parity.
  const v = tf.reshape(x, [N * (H / 2), 2, W / 2, 2 * C]);
  const picked = tf.slice(v, [0, r, 0, s * C], [N * (H / 2), 1, W / 2, C]);
  return tf.reshape(picked, [N, H / 2, W / 2, C]);
}

/**
 * Depthwise k×k conv with dilation 2, stride 1, symmetric padding k−1 (DilConv, spec §1.2).
 * tfjs has the dilated forward kernel on every backend but no gradient for it (browser-notes §4.1).
 * Backward: dx = dilated depthwise of dy with w rotated 180°; dw[kh,kw] = Σ xpad[·+2kh, ·+2kw]·dy is
 * the even-indexed part of an undilated 'valid' correlation of the padded input with dy.
 */
const depthwiseDilated2 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, save] = args as [T4, T4, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.depthwiseConv2d(x, w, 1, 'same', 'NHWC', 2),
    gradFunc: (dy: T4, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [T4, T4];
      const k = ws.shape[0];
      const [N, H, W, C] = xs.shape;
      const p = k - 1;
      const dx = tf.depthwiseConv2d(dy, tf.reverse(ws, [0, 1]) as T4, 1, 'same', 'NHWC', 2);
      const dw = tf.tidy(() => {
        const xp = tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]);
        const xr = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, H + 2 * p, W + 2 * p, N * C]) as T4;
        const f = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [H, W, N * C, 1]) as T4;
        const g = tf.depthwiseConv2d(xr, f, 1, 'valid'); // [1, 2k−1, 2k−1, N·C]
        const even = subsample2(g); // offsets 0, 2, …, 2k−2 → [1, k, k, N·C]
        return tf.reshape(tf.sum(tf.reshape(even, [k, k, N, C]), 2), [k, k, C, 1]);
      });
      return [dx, dw];
    },
  };
});

/**
 * Depthwise conv with dilation d ∈ {1, 2}, 'same' symmetric padding d·(k−1)/2, stride 1 or 2
 * (PyTorch semantics; stride 2 = stride 1 then keep the even grid).
 */
export function depthwise(x: T4, w: T4, stride: 1 | 2, dilation: 1 | 2): T4 {
  const y = (dilation === 1 ? depthwiseSame(x, w) : depthwiseDilated2(x, w)) as T4;
  return stride === 2 ? subsample2(y) : y;
}

/** Full k×k conv (HWIO), 'same' symmetric padding, stride 1 or 2. */
export function conv(x: T4, w: T4, stride: 1 | 2): T4 {
  const y = conv2dSame(x, w) as T4;
  return stride === 2 ? subsample2(y) : y;
}

/** 1×1 conv as a matMul on [N·H·W, C_in] × [C_in, C_out] (no conv backprop kernels needed). */
export function pointwise(x: T4, w: tf.Tensor2D): T4 {
  const [N, H, W, C] = x.shape;
  const y = tf.matMul(tf.reshape(x, [N * H * W, C]), w);
  return tf.reshape(y, [N, H, W, w.shape[1]]);
}

/**
 * 3×3 max pool, stride 1, padding 1, for wasm, whose MaxPoolGrad is wrong (browser-notes §4.3).
 * Forward: the native kernel (its forward is right). Backward, from x and y only: for each of the
 * 9 window offsets in row-major order, the positions where the shifted input equals the max and no
 * earlier offset has claimed them receive dy (ties go to the first maximum, like PyTorch); the
 * claimed dy is shifted back by padding. Only x and y are kept for backprop (memory: 2 maps).
 */
const maxPool3SameWasm = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, save] = args as [T4, tf.GradSaveFunc];
  const y = tf.maxPool(x, 3, 1, 1);
  save([x, y]);
  return {
    value: y,
    gradFunc: (dy: T4, saved: tf.Tensor[]) => {
      const [xs, ys] = saved as [T4, T4];
      const [N, H, W, C] = xs.shape;
      const xp = tf.pad(xs, [[0, 0], [1, 1], [1, 1], [0, 0]], -1e30);
      let free: tf.Tensor = tf.onesLike(ys);
      const parts: tf.Tensor[] = [];
      for (let oy = 0; oy < 3; oy++)
        for (let ox = 0; ox < 3; ox++) {
          const win = tf.slice(xp, [0, oy, ox, 0], [N, H, W, C]);
          const hit = tf.mul(tf.cast(tf.equal(win, ys), 'float32'), free);
          free = tf.sub(free, hit);
          parts.push(tf.pad(tf.mul(hit, dy), [[0, 0], [oy, 2 - oy], [ox, 2 - ox], [0, 0]]));
        }
      return [tf.slice(tf.addN(parts), [0, 1, 1, 0], [N, H, W, C])];
    },
  };
});

/**
 * 3×3 max pool, padding 1 (padding never wins), stride 1 or 2 (stride 2 = the even grid of the
 * stride-1 result, identical to PyTorch with pad 1). tfjs' native MaxPool with a numeric pad of 1
 * matches PyTorch (spec §1.9 hazard 3); on wasm its gradient is replaced (above).
 */
export function maxPool3(x: T4, stride: 1 | 2): T4 {
  if (tf.getBackend() !== 'wasm') return tf.maxPool(x, 3, stride, 1);
  const y = maxPool3SameWasm(x) as T4;
  return stride === 2 ? subsample2(y) : y;
}

const invCountCache = new Map<string, tf.Tensor>();
/** 1 / (number of in-bounds cells of each 3×3 window) as [1,H,W,1]: count_include_pad=False. */
function inverseWindowCount(H: number, W: number): tf.Tensor {
  const key = `${tf.getBackend()}:${H}x${W}`;
  let t = invCountCache.get(key);
  if (!t || t.isDisposed) {
    const v = new Float32Array(H * W);
    const n = (i: number, L: number) => 3 - (i === 0 ? 1 : 0) - (i === L - 1 ? 1 : 0);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) v[y * W + x] = 1 / (n(y, H) * n(x, W));
    t = tf.keep(tf.tensor4d(v, [1, H, W, 1]));
    invCountCache.set(key, t);
  }
  return t;
}

/** Drop cached constants (after switching backend, or in tests that count tensors). */
export function disposeKernelCaches(): void {
  for (const t of invCountCache.values()) if (!t.isDisposed) t.dispose();
  invCountCache.clear();
}

/**
 * 3×3 average pool, stride 1, padding 1, count_include_pad=False. tfjs' forward with a numeric pad
 * excludes padded cells from the divisor like PyTorch, but its AvgPoolGrad divides by 9 everywhere
 * (measured: the corner pixel gets 4/9 instead of 1/4 + 2·1/6 + 1/9). Backward here: scale dy by
 * 1/count of each window, then scatter it back with a 3×3 all-ones depthwise conv.
 */
const avgPool3Same = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x] = args as [T4];
  return {
    value: tf.avgPool(x, 3, 1, 1),
    gradFunc: (dy: T4) => {
      const [, H, W, C] = dy.shape;
      const z = tf.mul(dy, inverseWindowCount(H, W)) as T4;
      return [tf.depthwiseConv2d(z, tf.ones([3, 3, C, 1]) as T4, 1, 'same')];
    },
  };
});

/** 3×3 average pool, padding 1, count_include_pad=False, stride 1 or 2. */
export function avgPool3(x: T4, stride: 1 | 2): T4 {
  const y = avgPool3Same(x) as T4;
  return stride === 2 ? subsample2(y) : y;
}

export interface BnStats {
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/**
 * Per-channel mean over N, H, W, summed in two stages (each image, then the batch) instead of one
 * long float32 accumulation: wasm accumulates in float32, and the second-order fixture (spec
 * §10.E) sits close enough to a ReLU/max-pool kink that a 1e-6 error in a BN mean flips it.
 */
function meanNHW(x: tf.Tensor): tf.Tensor {
  return tf.mean(tf.mean(x, [1, 2], true), 0, true);
}

/** Batch mean and biased variance (two-pass: mean of squared deviations), shape [1,1,1,C]. */
export function momentsNHW(x: tf.Tensor): BnStats {
  const mean = meanNHW(x);
  return { mean, variance: meanNHW(tf.square(tf.sub(x, mean))) };
}

/**
 * Training-mode BatchNorm over N, H, W with the biased batch variance, eps 1e-5 (spec §1.7).
 * Returns the batch statistics so the caller can update running averages.
 */
export function batchNormTrain(x: T4, eps: number, gamma?: tf.Tensor, beta?: tf.Tensor): { y: T4; stats: BnStats } {
  const stats = momentsNHW(x);
  let y = tf.mul(tf.sub(x, stats.mean), tf.rsqrt(tf.add(stats.variance, eps))) as T4;
  if (gamma) y = tf.mul(y, gamma) as T4;
  if (beta) y = tf.add(y, beta) as T4;
  return { y, stats };
}

/** Eval-mode BatchNorm with running statistics. */
export function batchNormEval(x: T4, mean: tf.Tensor, variance: tf.Tensor, eps: number, gamma?: tf.Tensor, beta?: tf.Tensor): T4 {
  let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))) as T4;
  if (gamma) y = tf.mul(y, gamma) as T4;
  if (beta) y = tf.add(y, beta) as T4;
  return y;
}
