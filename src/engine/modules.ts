/**
 * Building blocks shared by the search supernet (supernet.ts, spec §1) and the discrete
 * evaluation network (evalNetwork.ts, spec §4.4): parameter declaration in reference module
 * order, BatchNorm with PyTorch semantics, the preprocessing modules and every candidate op.
 *
 * Modules are plain closures over parameter indices; a forward pass reads the tensors in ctx.p.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { GenotypeOpName, OpName } from '../core/primitives';
import { avgPool3, batchNormEval, batchNormTrain, conv, depthwise, maxPool3, pointwise, subsample2 } from './ops/kernels';
import { makeVariable, type Layout, type ParamSpec } from './params';

type T4 = tf.Tensor4D;

/** PyTorch BatchNorm defaults (spec §1.7). */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/** State of one forward pass: train mode uses batch statistics and (optionally) updates running ones. */
export interface ForwardCtx {
  training: boolean;
  updateStats: boolean;
  p: tf.Tensor[];
  running: RunningStats[];
  /** Batch statistics collected when `updateStats` is set (see SupernetModel.commitStats). */
  pending: PendingStats[];
}

export interface PendingStats {
  idx: number;
  n: number;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/** BN running statistics of one BatchNorm: PyTorch initialises mean 0, variance 1 (spec §1.7). */
export interface RunningStats {
  mean: tf.Variable;
  variance: tf.Variable;
}

export function makeRunningStats(bns: readonly BnSpec[]): RunningStats[] {
  return bns.map((b) => ({
    mean: makeVariable(() => tf.zeros([b.channels])),
    variance: makeVariable(() => tf.ones([b.channels])),
  }));
}

export function disposeRunningStats(running: readonly RunningStats[]): void {
  running.forEach((r) => (r.mean.dispose(), r.variance.dispose()));
}

/** Drop collected batch statistics without applying them (a failed or diverged step). */
export function discardBnStats(pending: PendingStats[]): void {
  for (const s of pending.splice(0)) tf.dispose([s.mean, s.variance]);
}

/**
 * Apply collected batch statistics to the running ones (PyTorch momentum 0.1, spec §1.7;
 * momentum 1/k for the k-th batch gives PyTorch's cumulative average, `momentum=None`):
 * running ← (1 − m)·running + m·batch, the running variance with the unbiased estimate.
 * Disposes and empties `pending`.
 */
export function commitBnStats(running: readonly RunningStats[], pending: PendingStats[], momentum = BN_MOMENTUM): void {
  tf.tidy(() => {
    for (const s of pending) {
      const r = running[s.idx];
      r.mean.assign(tf.add(tf.mul(r.mean, 1 - momentum), tf.mul(s.mean, momentum)));
      r.variance.assign(tf.add(tf.mul(r.variance, 1 - momentum), tf.mul(s.variance, (momentum * s.n) / Math.max(1, s.n - 1))));
    }
  });
  discardBnStats(pending);
}

export type Module = (x: T4, ctx: ForwardCtx) => T4;
/** An edge op gets its input and a memoised relu(input) shared by all ops on edges from that state. */
export type EdgeOp = (x: T4, relu: () => T4, ctx: ForwardCtx) => T4;

export interface BnSpec {
  name: string;
  channels: number;
}

/** Collects parameter and BN declarations in reference module order while modules are built. */
export class Builder {
  specs: ParamSpec[] = [];
  bns: BnSpec[] = [];
  param(name: string, layout: Layout, shape: number[], torchShape: number[], init: ParamSpec['init'] = 'fanIn'): number {
    this.specs.push({ name, layout, shape, torchShape, init });
    return this.specs.length - 1;
  }
  /** Depthwise k×k weight. */
  dw(name: string, c: number, k: number) {
    return this.param(`${name}.weight`, 'dw', [k, k, c, 1], [c, 1, k, k]);
  }
  /** 1×1 conv weight as a matMul matrix. */
  pw(name: string, cin: number, cout: number) {
    return this.param(`${name}.weight`, 'pw', [cin, cout], [cout, cin, 1, 1]);
  }
  /** BatchNorm; affine adds γ (ones) and β (zeros) parameters. */
  bn(name: string, c: number, affine: boolean): Module {
    const idx = this.bns.length;
    this.bns.push({ name, channels: c });
    const g = affine ? this.param(`${name}.weight`, 'vec', [c], [c], 'ones') : -1;
    const b = affine ? this.param(`${name}.bias`, 'vec', [c], [c], 'zeros') : -1;
    return (x, ctx) => {
      const gamma = g >= 0 ? ctx.p[g] : undefined;
      const beta = b >= 0 ? ctx.p[b] : undefined;
      const run = ctx.running[idx];
      if (!ctx.training) return batchNormEval(x, run.mean, run.variance, BN_EPS, gamma, beta);
      const { y, stats } = batchNormTrain(x, BN_EPS, gamma, beta);
      if (ctx.updateStats) {
        // Collected, not applied: the step commits them only once its loss is known to be finite.
        const c = run.mean.shape;
        ctx.pending.push({ idx, n: x.shape[0] * x.shape[1] * x.shape[2], mean: tf.keep(tf.reshape(stats.mean, c)), variance: tf.keep(tf.reshape(stats.variance, c)) });
      }
      return y;
    };
  }
}

/** ReLU → 1×1 conv → BN (spec §1.2 ReLUConvBN, used for preprocessing). */
export function reluConvBn(b: Builder, name: string, cin: number, cout: number, affine: boolean): Module {
  const w = b.pw(`${name}.op.1`, cin, cout);
  const bn = b.bn(`${name}.op.2`, cout, affine);
  return (x, ctx) => bn(pointwise(tf.relu(x) as T4, ctx.p[w] as tf.Tensor2D), ctx);
}

/**
 * FactorizedReduce (spec §1.2): ReLU, then two 1×1 stride-2 convs on the grids (0,0),(0,2),… and
 * (1,1),(1,3),…, concatenated [A, B] on channels, then BN. Needs even H and W.
 */
export function factorizedReduce(b: Builder, name: string, cin: number, cout: number, affine: boolean) {
  const wa = b.pw(`${name}.conv_1`, cin, cout / 2);
  const wb = b.pw(`${name}.conv_2`, cin, cout / 2);
  const bn = b.bn(`${name}.bn`, cout, affine);
  return (xr: T4, ctx: ForwardCtx): T4 => {
    const a = pointwise(subsample2(xr, 0, 0), ctx.p[wa] as tf.Tensor2D);
    const c = pointwise(subsample2(xr, 1, 1), ctx.p[wb] as tf.Tensor2D);
    return bn(tf.concat([a, c], 3) as T4, ctx);
  };
}

/**
 * How an op is built: the search supernet uses non-affine BN and adds a BN after each pool
 * (spec §1.4); the evaluation network uses affine BN and no BN after pools (spec §4.4).
 */
export interface OpStyle {
  affine: boolean;
  poolBn: boolean;
}
export const SEARCH_STYLE: OpStyle = { affine: false, poolBn: true };
export const EVAL_STYLE: OpStyle = { affine: true, poolBn: false };

/**
 * One candidate op on an edge with c channels (spec §1.1, §1.2): its parameters are declared on
 * `b` in reference module order, and the returned function applies it. `null` for `none`.
 */
export function buildOp(b: Builder, name: string, op: OpName | GenotypeOpName, c: number, stride: 1 | 2, style: OpStyle = SEARCH_STYLE): EdgeOp | null {
  const { affine } = style;
  switch (op) {
    case 'none':
      return null; // Zero: contributes 0·w; its α still enters the softmax.
    case 'max_pool_3x3': {
      if (!style.poolBn) return (x) => maxPool3(x, stride);
      const bn = b.bn(`${name}.1`, c, false); // search-only BN after pooling (spec §1.4)
      return (x, _r, ctx) => bn(maxPool3(x, stride), ctx);
    }
    case 'avg_pool_3x3': {
      if (!style.poolBn) return (x) => avgPool3(x, stride);
      const bn = b.bn(`${name}.1`, c, false);
      return (x, _r, ctx) => bn(avgPool3(x, stride), ctx);
    }
    case 'skip_connect': {
      if (stride === 1) return (x) => x;
      const fr = factorizedReduce(b, name, c, c, affine);
      return (_x, relu, ctx) => fr(relu(), ctx);
    }
    case 'sep_conv_3x3':
    case 'sep_conv_5x5':
    case 'sep_conv_7x7': {
      const k = op === 'sep_conv_3x3' ? 3 : op === 'sep_conv_5x5' ? 5 : 7;
      const dw1 = b.dw(`${name}.op.1`, c, k);
      const pw1 = b.pw(`${name}.op.2`, c, c);
      const bn1 = b.bn(`${name}.op.3`, c, affine);
      const dw2 = b.dw(`${name}.op.5`, c, k);
      const pw2 = b.pw(`${name}.op.6`, c, c);
      const bn2 = b.bn(`${name}.op.7`, c, affine);
      return (_x, relu, ctx) => {
        let y = depthwise(relu(), ctx.p[dw1] as T4, stride, 1);
        y = bn1(pointwise(y, ctx.p[pw1] as tf.Tensor2D), ctx);
        y = depthwise(tf.relu(y) as T4, ctx.p[dw2] as T4, 1, 1);
        return bn2(pointwise(y, ctx.p[pw2] as tf.Tensor2D), ctx);
      };
    }
    case 'dil_conv_3x3':
    case 'dil_conv_5x5': {
      const k = op === 'dil_conv_3x3' ? 3 : 5;
      const dw = b.dw(`${name}.op.1`, c, k);
      const pw = b.pw(`${name}.op.2`, c, c);
      const bn = b.bn(`${name}.op.3`, c, affine);
      return (_x, relu, ctx) => bn(pointwise(depthwise(relu(), ctx.p[dw] as T4, stride, 2), ctx.p[pw] as tf.Tensor2D), ctx);
    }
    case 'conv_1x1':
    case 'conv_3x3':
    case 'conv_5x5': {
      const k = op === 'conv_1x1' ? 1 : op === 'conv_3x3' ? 3 : 5;
      const w = b.param(`${name}.op.1.weight`, 'hwio', [k, k, c, c], [c, c, k, k]);
      const bn = b.bn(`${name}.op.2`, c, affine);
      return (_x, relu, ctx) => bn(conv(relu(), ctx.p[w] as T4, stride), ctx);
    }
    case 'conv_7x1_1x7': {
      // ReLU, conv (1,7) stride (1,s), conv (7,1) stride (s,1), BN (spec §1.1). Stride 2 on both
      // factors equals both at stride 1 followed by keeping the even grid (each mixes one axis only).
      const w1 = b.param(`${name}.op.1.weight`, 'hwio', [1, 7, c, c], [c, c, 1, 7]);
      const w2 = b.param(`${name}.op.2.weight`, 'hwio', [7, 1, c, c], [c, c, 7, 1]);
      const bn = b.bn(`${name}.op.3`, c, affine);
      return (_x, relu, ctx) => {
        const y = conv(conv(relu(), ctx.p[w1] as T4, 1), ctx.p[w2] as T4, 1);
        return bn(stride === 2 ? subsample2(y) : y, ctx);
      };
    }
  }
}

