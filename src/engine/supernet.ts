/**
 * The DARTS search network (spec §1): stem → cells → global average pool → Linear.
 * Every cell edge is a MixedOp ō(x) = Σ_o softmax(α)_o · o(x) (paper eq. 2) over the configured ops.
 *
 * Modules are plain closures over parameter indices, built once per config (no graph rebuild per
 * step). A forward pass reads the current tf.Variables, so the bi-level optimiser can swap weights
 * (w', w±) in place for the second-order step.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchSpaceConfig } from '../core/config';
import type { OpName } from '../core/primitives';
import { cellEdges, edgeStride, networkPlan, type NetworkPlan } from '../core/searchSpace';
import { avgPool3, batchNormEval, batchNormTrain, conv, depthwise, maxPool3, pointwise, subsample2 } from './ops/kernels';
import type { Layout, ParamSpec } from './params';

type T4 = tf.Tensor4D;

/** PyTorch BatchNorm defaults (spec §1.7). */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/** State of one forward pass: train mode uses batch statistics and (optionally) updates running ones. */
export interface ForwardCtx {
  training: boolean;
  updateStats: boolean;
  p: tf.Tensor[];
  running: { mean: tf.Variable; variance: tf.Variable }[];
  /** Batch statistics collected when `updateStats` is set (see SupernetModel.commitStats). */
  pending: PendingStats[];
}

export interface PendingStats {
  idx: number;
  n: number;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

type Module = (x: T4, ctx: ForwardCtx) => T4;
/** An edge op gets its input and a memoised relu(input) shared by all ops on edges from that state. */
type EdgeOp = (x: T4, relu: () => T4, ctx: ForwardCtx) => T4;

export interface BnSpec {
  name: string;
  channels: number;
}

/** Collects parameter and BN declarations in reference module order while modules are built. */
class Builder {
  specs: ParamSpec[] = [];
  bns: BnSpec[] = [];
  param(name: string, layout: Layout, shape: number[], torchShape: number[], init: ParamSpec['init'] = 'fanIn'): number {
    this.specs.push({ name, layout, shape, torchShape, init });
    return this.specs.length - 1;
  }
  /** Depthwise k×k weight. */
  dw(name: string, c: number, k: number) {
    return this.param(name, 'dw', [k, k, c, 1], [c, 1, k, k]);
  }
  /** 1×1 conv weight as a matMul matrix. */
  pw(name: string, cin: number, cout: number) {
    return this.param(name, 'pw', [cin, cout], [cout, cin, 1, 1]);
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
function reluConvBn(b: Builder, name: string, cin: number, cout: number, affine: boolean): Module {
  const w = b.pw(`${name}.op.1`, cin, cout);
  const bn = b.bn(`${name}.op.2`, cout, affine);
  return (x, ctx) => bn(pointwise(tf.relu(x) as T4, ctx.p[w] as tf.Tensor2D), ctx);
}

/**
 * FactorizedReduce (spec §1.2): ReLU, then two 1×1 stride-2 convs on the grids (0,0),(0,2),… and
 * (1,1),(1,3),…, concatenated [A, B] on channels, then BN. Needs even H and W.
 */
function factorizedReduce(b: Builder, name: string, cin: number, cout: number, affine: boolean) {
  const wa = b.pw(`${name}.conv_1`, cin, cout / 2);
  const wb = b.pw(`${name}.conv_2`, cin, cout / 2);
  const bn = b.bn(`${name}.bn`, cout, affine);
  return (xr: T4, ctx: ForwardCtx): T4 => {
    const a = pointwise(subsample2(xr, 0, 0), ctx.p[wa] as tf.Tensor2D);
    const c = pointwise(subsample2(xr, 1, 1), ctx.p[wb] as tf.Tensor2D);
    return bn(tf.concat([a, c], 3) as T4, ctx);
  };
}

/** One candidate op of a MixedOp (spec §1.1, §1.2, §1.4), non-affine BN. */
function buildOp(b: Builder, name: string, op: OpName, c: number, stride: 1 | 2): EdgeOp | null {
  switch (op) {
    case 'none':
      return null; // Zero: contributes 0·w; its α still enters the softmax.
    case 'max_pool_3x3': {
      const bn = b.bn(`${name}.1`, c, false); // search-only BN after pooling (spec §1.4)
      return (x, _r, ctx) => bn(maxPool3(x, stride), ctx);
    }
    case 'avg_pool_3x3': {
      const bn = b.bn(`${name}.1`, c, false);
      return (x, _r, ctx) => bn(avgPool3(x, stride), ctx);
    }
    case 'skip_connect': {
      if (stride === 1) return (x) => x;
      const fr = factorizedReduce(b, name, c, c, false);
      return (_x, relu, ctx) => fr(relu(), ctx);
    }
    case 'sep_conv_3x3':
    case 'sep_conv_5x5': {
      const k = op === 'sep_conv_3x3' ? 3 : 5;
      const dw1 = b.dw(`${name}.op.1`, c, k);
      const pw1 = b.pw(`${name}.op.2`, c, c);
      const bn1 = b.bn(`${name}.op.3`, c, false);
      const dw2 = b.dw(`${name}.op.5`, c, k);
      const pw2 = b.pw(`${name}.op.6`, c, c);
      const bn2 = b.bn(`${name}.op.7`, c, false);
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
      const bn = b.bn(`${name}.op.3`, c, false);
      return (_x, relu, ctx) => bn(pointwise(depthwise(relu(), ctx.p[dw] as T4, stride, 2), ctx.p[pw] as tf.Tensor2D), ctx);
    }
    case 'conv_1x1':
    case 'conv_3x3':
    case 'conv_5x5': {
      const k = op === 'conv_1x1' ? 1 : op === 'conv_3x3' ? 3 : 5;
      const w = b.param(`${name}.op.1`, 'hwio', [k, k, c, c], [c, c, k, k]);
      const bn = b.bn(`${name}.op.2`, c, false);
      return (_x, relu, ctx) => bn(conv(relu(), ctx.p[w] as T4, stride), ctx);
    }
  }
}

/** One MixedOp edge of a cell with the indices of its parameters. */
export interface EdgeModule {
  row: number;
  from: number;
  to: number;
  params: number[];
  /** Σ_k w_k · op_k(x) over the non-`none` ops (spec §1.4); `relu` is a memoised relu(x). */
  forward(x: T4, w: tf.Scalar[], ctx: ForwardCtx, relu?: () => T4): T4;
}

export interface CellModule {
  reduction: boolean;
  steps: number;
  multiplier: number;
  pre0: { params: number[]; forward: Module };
  pre1: { params: number[]; forward: Module };
  edges: EdgeModule[];
  /** All states [pre0(s0), pre1(s1), node 0, …, node steps−1]. */
  states(s0: T4, s1: T4, weights: tf.Scalar[][], ctx: ForwardCtx): T4[];
  /** Output: channel concat of the last `multiplier` states, in node order (spec §1.5). */
  output(states: T4[]): T4;
  forward(s0: T4, s1: T4, weights: tf.Scalar[][], ctx: ForwardCtx): T4;
}

function buildCell(b: Builder, cfg: SearchSpaceConfig, plan: NetworkPlan['cells'][number]): CellModule {
  const name = `cells.${plan.index}`;
  const segment = <T>(f: () => T): { params: number[]; value: T } => {
    const from = b.specs.length;
    const value = f();
    return { params: range(from, b.specs.length), value };
  };
  const p0 = segment<Module>(() =>
    plan.pre0 === 'fr'
      ? ((fr) => (x: T4, ctx: ForwardCtx) => fr(tf.relu(x) as T4, ctx))(factorizedReduce(b, `${name}.preprocess0`, plan.cPrevPrev, plan.c, false))
      : reluConvBn(b, `${name}.preprocess0`, plan.cPrevPrev, plan.c, false),
  );
  const p1 = segment<Module>(() => reluConvBn(b, `${name}.preprocess1`, plan.cPrev, plan.c, false));
  const edges: EdgeModule[] = cellEdges(cfg.steps).map((e) => {
    const stride = edgeStride(plan.reduction, e.from);
    const { params, value: ops } = segment(() => cfg.ops.map((op, k) => buildOp(b, `${name}._ops.${e.row}._ops.${k}`, op, plan.c, stride)));
    return {
      ...e,
      params,
      forward(x, w, ctx, relu) {
        const r = relu ?? ((m?: T4) => () => (m ??= tf.relu(x) as T4))();
        const terms: T4[] = [];
        ops.forEach((op, k) => {
          // `none` adds exactly 0, so it is skipped (its α still enters the softmax).
          if (op) terms.push(tf.mul(op(x, r, ctx), w[k]) as T4);
        });
        return tf.addN(terms) as T4;
      },
    };
  });
  const cell: CellModule = {
    reduction: plan.reduction,
    steps: cfg.steps,
    multiplier: cfg.multiplier,
    pre0: { params: p0.params, forward: p0.value },
    pre1: { params: p1.params, forward: p1.value },
    edges,
    states(s0, s1, weights, ctx) {
      const states: T4[] = [p0.value(s0, ctx), p1.value(s1, ctx)];
      const relus: (T4 | undefined)[] = [];
      const reluOf = (j: number) => () => (relus[j] ??= tf.relu(states[j]) as T4);
      for (let i = 0; i < cfg.steps; i++) {
        // Node i = Σ_{j<i+2} MixedOp_{(i,j)}(state_j) (spec §1.5), weights = softmax(α) row (i,j).
        const terms = edges.filter((e) => e.to === i).map((e) => e.forward(states[e.from], weights[e.row], ctx, reluOf(e.from)));
        states.push(tf.addN(terms) as T4);
      }
      return states;
    },
    output(states) {
      return tf.concat(states.slice(2 + cfg.steps - cfg.multiplier), 3) as T4;
    },
    forward(s0, s1, weights, ctx) {
      return cell.output(cell.states(s0, s1, weights, ctx));
    },
  };
  return cell;
}

/** Parameter indices of one segment (stem, a cell, the head) of the network. */
function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Softmax(α) [E, K] as E×K scalar mixing weights, split by one Unpack kernel. */
function mixingScalars(w: tf.Tensor2D): tf.Scalar[][] {
  const [E, K] = w.shape;
  const flat = tf.unstack(tf.reshape(w, [E * K])) as tf.Scalar[];
  return Array.from({ length: E }, (_, e) => flat.slice(e * K, (e + 1) * K));
}

/**
 * The supernet structure: parameter specs, BN declarations and the forward function, also
 * available segment by segment (stem, each cell, head) for cell-wise backpropagation.
 */
export class Supernet {
  readonly specs: ParamSpec[];
  readonly bns: BnSpec[];
  readonly plan: NetworkPlan;
  /** Parameter indices used by the stem, by each cell, and by the classifier. */
  readonly stemParams: number[];
  readonly cellParams: number[][];
  readonly headParams: number[];
  private readonly stem: Module;
  private readonly cells: CellModule[];
  private readonly classifierW: number;
  private readonly classifierB: number;

  constructor(readonly cfg: SearchSpaceConfig) {
    const b = new Builder();
    this.plan = networkPlan(cfg);
    // Stem: 3×3 conv in → 3C (no bias) + affine BN, the only affine BN of the supernet (spec §1.6).
    const stemC = this.plan.stemC;
    const sw = b.param('stem.0.weight', 'hwio', [3, 3, cfg.inChannels, stemC], [stemC, cfg.inChannels, 3, 3]);
    const sbn = b.bn('stem.1', stemC, true);
    this.stem = (x, ctx) => sbn(conv(x, ctx.p[sw] as T4, 1), ctx);
    this.stemParams = range(0, b.specs.length);
    this.cellParams = [];
    this.cells = this.plan.cells.map((cp) => {
      const from = b.specs.length;
      const cell = buildCell(b, cfg, cp);
      this.cellParams.push(range(from, b.specs.length));
      return cell;
    });
    const headFrom = b.specs.length;
    this.classifierW = b.param('classifier.weight', 'linear', [this.plan.cLast, cfg.numClasses], [cfg.numClasses, this.plan.cLast]);
    this.classifierB = b.param('classifier.bias', 'vec', [cfg.numClasses], [cfg.numClasses], 'zeros');
    this.headParams = range(headFrom, b.specs.length);
    this.specs = b.specs;
    this.bns = b.bns;
  }

  get numCells(): number {
    return this.cells.length;
  }
  isReduction(i: number): boolean {
    return this.cells[i].reduction;
  }

  stemForward(x: T4, ctx: ForwardCtx): T4 {
    return this.stem(x, ctx);
  }

  cell(i: number): CellModule {
    return this.cells[i];
  }

  /** Cell i on inputs (s0, s1) with the softmax(α) matrix of its type. */
  cellForward(i: number, s0: T4, s1: T4, w: tf.Tensor2D, ctx: ForwardCtx): T4 {
    return this.cells[i].forward(s0, s1, mixingScalars(w), ctx);
  }

  /** Head: global average pool → Linear. */
  headForward(s: T4, ctx: ForwardCtx): tf.Tensor2D {
    const pooled = tf.mean(s, [1, 2]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, ctx.p[this.classifierW] as tf.Tensor2D), ctx.p[this.classifierB]) as tf.Tensor2D;
  }

  /**
   * Logits for a batch x (NHWC). `wNormal` / `wReduce` are softmax(α) matrices [edges, ops];
   * all normal cells share one, all reduction cells the other (spec §1.6).
   */
  forward(x: T4, wNormal: tf.Tensor2D, wReduce: tf.Tensor2D, ctx: ForwardCtx): tf.Tensor2D {
    let s0 = this.stemForward(x, ctx);
    let s1 = s0;
    for (let i = 0; i < this.cells.length; i++) {
      const out = this.cellForward(i, s0, s1, this.cells[i].reduction ? wReduce : wNormal, ctx);
      s0 = s1;
      s1 = out;
    }
    return this.headForward(s1, ctx);
  }
}
