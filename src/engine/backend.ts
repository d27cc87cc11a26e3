/**
 * Backend selection that never silently falls back (browser-notes §4.7: tf.setBackend can return
 * false, or succeed with another backend still active), plus a numeric self-check against cpu.
 * Backend registration itself (imports) is environment-specific: see node.ts and the worker.
 */
import * as tf from '@tensorflow/tfjs-core';
import { batchNormTrain, depthwise, maxPool3, avgPool3, pointwise, disposeKernelCaches } from './ops/kernels';
import { registerCustomKernels } from './kernels/backends';
import type { BackendName } from './types';

export async function setBackendChecked(name: BackendName): Promise<void> {
  let ok = false;
  let why = '';
  try {
    ok = await tf.setBackend(name);
    await tf.ready();
  } catch (e) {
    why = e instanceof Error ? e.message : String(e);
  }
  const active = tf.getBackend();
  if (!ok || active !== name) {
    throw new Error(
      `The ${name} backend could not be initialised${why ? `: ${why}` : ''}` + (active && active !== name ? ` (tfjs is on ${active} instead)` : '') + '.',
    );
  }
  disposeKernelCaches();
  await registerCustomKernels(name);
}

/** A tiny deterministic MixedOp-like computation: values and α/weight gradients as flat arrays. */
function mixedProbe(): tf.Tensor {
  return tf.tidy(() => {
    const n = 2, h = 8, c = 4;
    const ramp = (len: number, a: number, b: number) => Array.from({ length: len }, (_, i) => Math.sin(i * a + b));
    const x = tf.tensor4d(ramp(n * h * h * c, 0.37, 0.1), [n, h, h, c]);
    const dw3 = tf.tensor4d(ramp(9 * c, 0.91, 0.3), [3, 3, c, 1]);
    const dw5 = tf.tensor4d(ramp(25 * c, 0.53, 0.7), [5, 5, c, 1]);
    const pw = tf.tensor2d(ramp(c * c, 1.3, 0.2), [c, c]);
    const alpha = tf.tensor1d([0.1, -0.2, 0.3, 0.05, -0.1]);
    const f = (xv: tf.Tensor, a: tf.Tensor, w3: tf.Tensor, w5: tf.Tensor, p: tf.Tensor) => {
      const w = tf.softmax(a);
      const r = tf.relu(xv) as tf.Tensor4D;
      const outs = [
        batchNormTrain(maxPool3(xv as tf.Tensor4D, 2), 1e-5).y,
        batchNormTrain(avgPool3(xv as tf.Tensor4D, 2), 1e-5).y,
        batchNormTrain(pointwise(depthwise(r, w3 as tf.Tensor4D, 2, 1), p as tf.Tensor2D), 1e-5).y,
        batchNormTrain(pointwise(depthwise(r, w5 as tf.Tensor4D, 2, 2), p as tf.Tensor2D), 1e-5).y,
        batchNormTrain(pointwise(depthwise(r, w3 as tf.Tensor4D, 1, 2), p as tf.Tensor2D), 1e-5).y,
      ];
      const y = tf.addN(outs.map((o, k) => (k === 4 ? tf.slice(o, [0, 0, 0, 0], [n, h / 2, h / 2, c]) : o)).map((o, k) => tf.mul(o, tf.slice(w, k, 1))));
      return tf.sum(tf.mul(y, tf.sin(tf.range(0, y.size).reshape(y.shape))));
    };
    const g = tf.grads(f)([x, alpha, dw3, dw5, pw]);
    const val = f(x, alpha, dw3, dw5, pw);
    return tf.concat([val.reshape([1]), ...g.map((t) => t.flatten())]);
  });
}

/**
 * One mixed-op forward and backward on the active backend, compared with cpu (tolerance 1e-3,
 * relative to the magnitude of each value). WebGPU on SwiftShader was seen returning wrong numbers
 * for some formulations (browser-notes §4.4), so a backend is accepted only if this agrees.
 * Reads with async data(): dataSync() inside a worker on WebGPU/SwiftShader returned wrong
 * numbers and left the GPU process unusable for WebGL.
 */
export async function selfCheckAgainstCpu(tol = 1e-3): Promise<{ ok: boolean; maxAbsDiff: number }> {
  const active = tf.getBackend() as BackendName;
  const got = await readAndDispose(mixedProbe());
  if (active === 'cpu') return { ok: true, maxAbsDiff: 0 };
  await tf.setBackend('cpu');
  const ref = await readAndDispose(mixedProbe());
  await setBackendChecked(active);
  let maxAbsDiff = 0;
  let ok = got.length === ref.length;
  for (let i = 0; i < ref.length && ok; i++) {
    const d = Math.abs(got[i] - ref[i]);
    maxAbsDiff = Math.max(maxAbsDiff, d);
    if (!(d <= tol * Math.max(1, Math.abs(ref[i])))) ok = false;
  }
  return { ok, maxAbsDiff };
}

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  const v = (await t.data()) as Float32Array;
  t.dispose();
  return v;
}
