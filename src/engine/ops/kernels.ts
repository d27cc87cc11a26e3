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
const depthwiseSame = tf.customGrad((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.depthwiseConv2d(x as T4, w as T4, 1, 'same'),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
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
 * Full k×k conv (HWIO filter), stride 1, symmetric 'same' padding (odd k).
 * Backward with forward kernels only: dx = conv(dy, w rotated 180° with I/O swapped);
 * dw[kh,kw,i,o] = Σ_{n,y,x} xpad[n,y+kh,x+kw,i]·dy[n,y,x,o], a 'valid' conv that treats input
 * channels as the batch and the batch as the contracted channel axis.
 */
const conv2dSame = tf.customGrad((x: tf.Tensor, w: tf.Tensor, save: tf.GradSaveFunc) => {
  save([x, w]);
  return {
    value: tf.conv2d(x as T4, w as T4, 1, 'same'),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [T4, T4];
      const k = ws.shape[0];
      const p = (k - 1) / 2;
      const dx = tf.conv2d(dy as T4, tf.transpose(tf.reverse(ws, [0, 1]), [0, 1, 3, 2]) as T4, 1, 'same');
      const dw = tf.tidy(() => {
        const xp = tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]);
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

/** Pad H and W at the end to a multiple of `m`, run `f`, crop back. Exact for 'same' convs. */
function withEvenSize(x: T4, m: number, f: (x: T4) => T4): T4 {
  const [, H, W] = x.shape;
  const ph = (m - (H % m)) % m;
  const pw = (m - (W % m)) % m;
  if (!ph && !pw) return f(x);
  const y = f(tf.pad(x, [[0, 0], [0, ph], [0, pw], [0, 0]]));
  return tf.slice(y, [0, 0, 0, 0], [-1, H, W, -1]);
}

/**
 * Depthwise conv with dilation d ∈ {1, 2}, 'same' symmetric padding d·(k−1)/2, stride 1 or 2
 * (PyTorch semantics). Dilation uses spaceToBatchND: a dilated conv on x equals an undilated
 * conv on each of the d×d polyphase components (exact when H, W are multiples of d).
 */
export function depthwise(x: T4, w: T4, stride: 1 | 2, dilation: 1 | 2): T4 {
  let y: T4;
  if (dilation === 1) y = depthwiseSame(x, w) as T4;
  else {
    y = withEvenSize(x, dilation, (xe) => {
      const b = tf.spaceToBatchND(xe, [dilation, dilation], [[0, 0], [0, 0]]) as T4;
      return tf.batchToSpaceND(depthwiseSame(b, w) as T4, [dilation, dilation], [[0, 0], [0, 0]]) as T4;
    });
  }
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

/** The 9 shifted views of a 3×3 window over a map padded by 1 with `padValue`. */
function windows3x3(x: T4, padValue: number): T4[] {
  const [N, H, W, C] = x.shape;
  const xp = tf.pad(x, [[0, 0], [1, 1], [1, 1], [0, 0]], padValue);
  const out: T4[] = [];
  for (let dy = 0; dy < 3; dy++) for (let dx = 0; dx < 3; dx++) out.push(tf.slice(xp, [0, dy, dx, 0], [N, H, W, C]));
  return out;
}

/**
 * 3×3 max pool, padding 1 (padding never wins), stride 1 or 2. A chain of tf.maximum over the
 * window in row-major order routes the gradient of ties to the first maximum, like PyTorch.
 */
export function maxPool3(x: T4, stride: 1 | 2): T4 {
  const ws = windows3x3(x, -1e30);
  let m = ws[0];
  for (let i = 1; i < 9; i++) m = tf.maximum(m, ws[i]);
  return stride === 2 ? subsample2(m) : m;
}

const invCountCache = new Map<string, tf.Tensor>();
/** 1 / (number of in-bounds cells of each 3×3 window): count_include_pad=False (spec §1.1). */
function inverseWindowCount(H: number, W: number): tf.Tensor {
  const key = `${tf.getBackend()}:${H}x${W}`;
  let t = invCountCache.get(key);
  if (!t || t.isDisposed) {
    const v = new Float32Array(H * W);
    for (let y = 0; y < H; y++) {
      const ny = 3 - (y === 0 ? 1 : 0) - (y === H - 1 ? 1 : 0);
      for (let x = 0; x < W; x++) v[y * W + x] = 1 / (ny * (3 - (x === 0 ? 1 : 0) - (x === W - 1 ? 1 : 0)));
    }
    t = tf.keep(tf.tensor4d(v, [1, H, W, 1]));
    invCountCache.set(key, t);
  }
  return t;
}

/** Drop cached constants (call after switching backend or in tests that count tensors). */
export function disposeKernelCaches(): void {
  for (const t of invCountCache.values()) if (!t.isDisposed) t.dispose();
  invCountCache.clear();
}

/** 3×3 average pool, padding 1, count_include_pad=False, stride 1 or 2. */
export function avgPool3(x: T4, stride: 1 | 2): T4 {
  const [, H, W] = x.shape;
  const s = tf.mul(tf.addN(windows3x3(x, 0)), inverseWindowCount(H, W)) as T4;
  return stride === 2 ? subsample2(s) : s;
}

export interface BnStats {
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/**
 * Per-channel mean over N, H, W, summed in stages (rows, then images) instead of one long
 * float32 accumulation: backends that accumulate in float32 (wasm) then round like cpu's
 * double accumulator to well below the BN output scale.
 */
function meanNHW(x: tf.Tensor): tf.Tensor {
  return tf.mean(tf.mean(tf.mean(x, 2, true), 1, true), 0, true);
}

/** Batch mean and biased variance (two-pass: mean of squared deviations). */
export function momentsNHW(x: tf.Tensor): BnStats {
  const mean = meanNHW(x);
  const variance = meanNHW(tf.square(tf.sub(x, mean)));
  return { mean: tf.reshape(mean, [x.shape[3]]), variance: tf.reshape(variance, [x.shape[3]]) };
}

/**
 * Training-mode BatchNorm over N, H, W with the biased batch variance, eps 1e-5 (spec §1.7).
 * Returns the batch statistics so the caller can update running averages.
 */
export function batchNormTrain(x: T4, eps: number, gamma?: tf.Tensor, beta?: tf.Tensor): { y: T4; stats: BnStats } {
  const { mean, variance } = momentsNHW(x);
  let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))) as T4;
  if (gamma) y = tf.mul(y, gamma) as T4;
  if (beta) y = tf.add(y, beta) as T4;
  return { y, stats: { mean, variance } };
}

/** Eval-mode BatchNorm with running statistics. */
export function batchNormEval(x: T4, mean: tf.Tensor, variance: tf.Tensor, eps: number, gamma?: tf.Tensor, beta?: tf.Tensor): T4 {
  let y = tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, eps))) as T4;
  if (gamma) y = tf.mul(y, gamma) as T4;
  if (beta) y = tf.add(y, beta) as T4;
  return y;
}
