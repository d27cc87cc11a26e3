/**
 * TEST ORACLE, not used by the app: the DARTS search network (spec §1) written the plain way, one
 * MixedOp per edge and one stock-tfjs op per layer, exactly as the reference model_search.py
 * reads. The fast supernet (../supernet.ts) must agree with it on every configuration
 * (supernet.test.ts); the spec §10.E fixture pins both to the reference PyTorch numbers.
 *
 * Every cell edge is a MixedOp ō(x) = Σ_o softmax(α)_o · o(x) (paper eq. 2) over the configured ops.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchSpaceConfig } from '../../core/config';
import { cellEdges, edgeStride, networkPlan, type NetworkPlan } from '../../core/searchSpace';
import { Builder, buildOp, factorizedReduce, reluConvBn, type BnSpec, type ForwardCtx, type Module } from '../modules';
import { conv } from '../ops/kernels';
import type { ParamSpec } from '../params';

export { BN_EPS, BN_MOMENTUM, type BnSpec, type ForwardCtx, type PendingStats } from '../modules';

type T4 = tf.Tensor4D;

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
