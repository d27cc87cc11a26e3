/**
 * The deterministic end-to-end fixture of spec §10.E (values from the reference PyTorch code):
 * hash-like weights, inputs and the sin/cos α, built for our tfjs layouts.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readFixture } from '../../testing/shared';
import { DEFAULT_CONFIG, type SearchConfig } from '../../core/config';
import { SupernetModel, type TensorBatch } from '../model';
import { specSize, torchFanIn, torchToTf, type ParamSpec } from '../params';


export interface SupernetFixture {
  expected: {
    weight_count: number;
    train_loss: number;
    val_loss: number;
    train_grad_global_norm: number;
    train_logits: number[][];
    first_order_grad_alpha_normal: number[][];
    first_order_grad_alpha_reduce: number[][];
    second_order_grad_alpha_normal: number[][];
    second_order_grad_alpha_reduce: number[][];
  };
  second_order_settings: { eta: number; weight_decay: number; momentum: number };
}

export function loadFixture(): SupernetFixture {
  return readFixture<SupernetFixture>('supernet-fixture.json');
}

export const FIXTURE_CONFIG: SearchConfig = {
  ...DEFAULT_CONFIG,
  C: 4,
  layers: 5,
  numClasses: 10,
  steps: 4,
  multiplier: 4,
  stemMultiplier: 3,
  inChannels: 3,
  height: 16,
  width: 16,
};

/** ((i·7919 mod 10007)/10007 − 0.5)·2/√fan_in on the PyTorch layout; BN γ = 1, β = 0, bias 0. */
export function fixtureWeights(s: ParamSpec): Float32Array {
  if (s.torchShape.length <= 1) return new Float32Array(specSize(s)).fill(s.init === 'ones' ? 1 : 0);
  const n = specSize(s);
  const fan = torchFanIn(s);
  const src = new Float32Array(n);
  for (let i = 0; i < n; i++) src[i] = ((((i * 7919) % 10007) / 10007 - 0.5) * 2) / Math.sqrt(fan);
  return torchToTf(s, src);
}

/** α[e][o] = round(sin|cos(1 + 8e + o), 4). */
export function fixtureAlphas(): { normal: Float32Array; reduce: Float32Array } {
  const normal = new Float32Array(14 * 8);
  const reduce = new Float32Array(14 * 8);
  for (let e = 0; e < 14; e++)
    for (let o = 0; o < 8; o++) {
      normal[e * 8 + o] = Math.round(Math.sin(1 + 8 * e + o) * 1e4) / 1e4;
      reduce[e * 8 + o] = Math.round(Math.cos(1 + 8 * e + o) * 1e4) / 1e4;
    }
  return { normal, reduce };
}

/** Input batch: NCHW index i → (((i + off)·4973 mod 2003)/2003 − 0.5)·2, transposed to NHWC. */
export function fixtureBatch(off: number, labels: number[]): TensorBatch {
  const [N, C, H, W] = [4, 3, 16, 16];
  const x = new Float32Array(N * C * H * W);
  for (let n = 0; n < N; n++)
    for (let c = 0; c < C; c++)
      for (let h = 0; h < H; h++)
        for (let w = 0; w < W; w++) {
          const i = ((n * C + c) * H + h) * W + w;
          x[((n * H + h) * W + w) * C + c] = ((((i + off) * 4973) % 2003) / 2003 - 0.5) * 2;
        }
  return tf.tidy(() => ({
    x: tf.tensor4d(x, [N, H, W, C]),
    y: tf.oneHot(tf.tensor1d(labels, 'int32'), 10).toFloat() as tf.Tensor2D,
  }));
}

export function fixtureModel(): SupernetModel {
  return new SupernetModel(FIXTURE_CONFIG, fixtureWeights, fixtureAlphas());
}
