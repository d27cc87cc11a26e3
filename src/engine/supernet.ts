/**
 * The DARTS search network (spec §1): stem → cells → global average pool → Linear, where every
 * cell edge is a MixedOp ō(x) = Σ_o softmax(α)_o · o(x) (paper eq. 2) over the configured ops.
 *
 * It computes exactly what the reference model_search.py computes (the spec §10.E fixture and
 * testing/referenceSupernet.ts pin it), but organised for speed (supernetPlan.ts): all weights
 * are one flat vector θ, split into blocks once per forward; each state of a cell feeds every op
 * of every edge leaving it in a few grouped kernels (kernels/ops.ts); pools, skip and BN(pool),
 * identical on all edges out of one state, are computed once.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchSpaceConfig } from '../core/config';
import { convUnit, groupedBatchNorm, groupedDepthwise, groupedPointwise, mix, pool3, poolBn, splitFlat, type BnOut, type MixTerm } from './kernels/ops';
import type { DwSeg } from './kernels/math';
import { conv, subsample2 } from './ops/kernels';
import { supernetLayout, type BnSlot, type PreprocessPlan, type SourcePlan, type SupernetLayout } from './supernetPlan';

type T4 = tf.Tensor4D;
type T1 = tf.Tensor1D;

/** PyTorch BatchNorm defaults (spec §1.7). */
export const BN_EPS = 1e-5;
export const BN_MOMENTUM = 0.1;

/** Batch statistics of one BN call site, collected while a stats-updating pass runs. */
export interface PendingStats {
  offset: number;
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/** The flat BN running statistics (see supernetPlan.ts: one slot per BN call site). */
export interface RunningVectors {
  mean: tf.Tensor;
  variance: tf.Tensor;
}

/** State of one forward pass: train mode uses batch statistics and (optionally) collects them. */
export interface ForwardCtx {
  training: boolean;
  updateStats: boolean;
  /** Whether this pass's backward wants weight gradients (false: the first-order α step, ∂L/∂α only). */
  weightGrads: boolean;
  running: RunningVectors;
  pending: PendingStats[];
}

export class Supernet {
  readonly layout: SupernetLayout;
  constructor(readonly cfg: SearchSpaceConfig) {
    this.layout = supernetLayout(cfg);
  }

  get numCells(): number {
    return this.layout.cells.length;
  }
  isReduction(i: number): boolean {
    return this.layout.cells[i].plan.reduction;
  }

  /** θ → its blocks, in one kernel (its gradient is one Concat). */
  blocksOf(theta: tf.Tensor): T1[] {
    return splitFlat(theta as T1, this.layout.blocks.map((b) => b.size));
  }

  /** Eval-mode BN with the running statistics of a call site (reference infer(), spec §1.7). */
  private bnEval(x: T4, slot: BnSlot, ctx: ForwardCtx): T4 {
    const [B, H, W, C] = x.shape;
    const G = slot.groups;
    const size = G * C;
    const m = tf.reshape(tf.slice(ctx.running.mean, slot.offset, size), [G, 1, C]);
    const v = tf.reshape(tf.slice(ctx.running.variance, slot.offset, size), [G, 1, C]);
    const r = tf.reshape(x, [G, (B / G) * H * W, C]);
    return tf.reshape(tf.mul(tf.sub(r, m), tf.rsqrt(tf.add(v, BN_EPS))), x.shape) as T4;
  }

  /** Keep a train-mode BN call's batch statistics when the pass collects them; return its output. */
  private collect(r: BnOut, slot: BnSlot, ctx: ForwardCtx): T4 {
    // Collected, not applied: the step commits them once its loss is known to be finite.
    if (ctx.updateStats) ctx.pending.push({ offset: slot.offset, mean: tf.keep(r.mean), variance: tf.keep(r.variance) });
    return r.y;
  }

  /** BatchNorm (non-affine) at a call site: batch statistics in train mode, running ones in eval mode. */
  private bn(x: T4, slot: BnSlot, ctx: ForwardCtx): T4 {
    if (!ctx.training) return this.bnEval(x, slot, ctx);
    return this.collect(groupedBatchNorm(x, slot.groups, BN_EPS), slot, ctx);
  }

  /**
   * [ReLU →] grouped depthwise (none when `segs` is empty) → grouped 1×1 → BN: one fused kernel in
   * train mode (kernels/ops.ts convUnit), stock ops with running statistics in eval mode.
   */
  private unit(x: T4, wpw: T1, wdw: T1 | null, segs: DwSeg[], stride: 1 | 2, xGroups: number, cout: number, slot: BnSlot, ctx: ForwardCtx): T4 {
    const groups = slot.groups;
    if (!ctx.training) {
      const d = segs.length ? groupedDepthwise(x, wdw!, { segs, stride, relu: true, xGroups, groupOffset: 0 }) : x;
      const gm = segs.length ? { groups, cout, xGroups: groups, relu: false } : { groups, cout, xGroups, relu: true };
      return this.bnEval(groupedPointwise(d, wpw, gm), slot, ctx);
    }
    const segsFlat = segs.flatMap((q) => [q.k, q.dil, q.count]);
    const r = convUnit(x, wpw, wdw, { segs: segsFlat, stride, relu: true, xGroups, groupOffset: 0, groups, cout, eps: BN_EPS, filterGrads: ctx.weightGrads });
    return this.collect(r, slot, ctx);
  }

  /** BN(pool3(x)) for all edges out of a state (spec §1.4: the search adds a BN after pools). */
  private poolTerm(x: T4, max: boolean, stride: 1 | 2, slot: BnSlot, ctx: ForwardCtx): T4 {
    if (!ctx.training) return this.bnEval(pool3(x, max, stride), slot, ctx);
    return this.collect(poolBn(x, max, stride, BN_EPS), slot, ctx);
  }

  /** Stem: 3×3 conv → BN with γ, β (spec §1.6). */
  stemForward(x: T4, blocks: T1[], ctx: ForwardCtx): T4 {
    const s = this.layout.stem;
    const { inChannels } = this.cfg;
    const c = this.layout.net.stemC;
    const y = this.bn(conv(x, tf.reshape(blocks[s.w], [3, 3, inChannels, c]) as T4, 1), s.bn, ctx);
    return tf.add(tf.mul(y, blocks[s.gamma]), blocks[s.beta]) as T4;
  }

  /** ReLU-conv1×1-BN or FactorizedReduce (spec §1.2, §1.3); `groups` FR convs share x at stride 2. */
  private preprocess(x: T4, p: PreprocessPlan, blocks: T1[], ctx: ForwardCtx): T4 {
    if (p.kind === 'rcb') return this.unit(x, blocks[p.blocks[0]], null, [], 1, 1, p.cout, p.bn, ctx);
    return this.factorizedReduce(x, blocks[p.blocks[0]], blocks[p.blocks[1]], p.cout, p.bn, ctx);
  }

  /**
   * FactorizedReduce for `slot.groups` edges at once (spec §1.2): ReLU, two 1×1 stride-2 convs on
   * the pixel grids (0,0),(0,2),… and (1,1),(1,3),…, concatenated [A, B] on channels, BN.
   */
  private factorizedReduce(x: T4, wa: T1, wb: T1, cout: number, slot: BnSlot, ctx: ForwardCtx): T4 {
    const r = tf.relu(x) as T4;
    const p = { groups: slot.groups, cout: cout / 2, xGroups: 1, relu: false };
    const a = groupedPointwise(subsample2(r, 0, 0), wa, p);
    const b = groupedPointwise(subsample2(r, 1, 1), wb, p);
    return this.bn(tf.concat([a, b], 3) as T4, slot, ctx);
  }

  /** Every op on every edge leaving one state, mixed: one tensor per outgoing edge (= per target node). */
  private source(x: T4, s: SourcePlan, w: tf.Tensor2D, blocks: T1[], ctx: ForwardCtx): T4[] {
    const C = x.shape[3];
    const tensors = new Map<string, MixTerm>();
    if (s.maxPool) tensors.set('maxPool', { tensor: this.poolTerm(x, true, s.stride, s.maxPool, ctx), groups: 1 });
    if (s.avgPool) tensors.set('avgPool', { tensor: this.poolTerm(x, false, s.stride, s.avgPool, ctx), groups: 1 });
    if (s.skip === 'identity') tensors.set('skip', { tensor: x, groups: 1 });
    else if (s.skip) tensors.set('skip', { tensor: this.factorizedReduce(x, blocks[s.skip.a], blocks[s.skip.b], C, s.skip.bn, ctx), groups: s.skip.bn.groups });
    if (s.stage1) {
      // relu(h_j) → depthwise (sep_conv first halves and dil_convs) → 1×1 → BN, all groups at once.
      const st = s.stage1;
      const y1 = this.unit(x, blocks[st.pw], blocks[st.dw], st.segs, s.stride, 1, C, st.bn, ctx);
      tensors.set('stage1', { tensor: y1, groups: st.groups });
      if (s.stage2) {
        // Second half of each sep_conv: ReLU → depthwise → 1×1 → BN on stage-1 groups 0..G2−1.
        const s2 = s.stage2;
        const y2 = this.unit(y1, blocks[s2.pw], blocks[s2.dw], s2.segs, 1, st.groups, C, s2.bn, ctx);
        tensors.set('stage2', { tensor: y2, groups: s2.groups });
      }
    }
    let relu: T4 | null = null;
    s.convs.forEach((c, i) => {
      relu ??= tf.relu(x) as T4;
      const wk = tf.reshape(blocks[c.block], [c.k, c.k, C, C]) as T4;
      tensors.set(`conv${i}`, { tensor: this.bn(conv(relu, wk, s.stride), c.bn, ctx), groups: 1 });
    });
    const terms = s.terms.map((t) => tensors.get(typeof t === 'string' ? t : `conv${t.conv}`)!);
    return mix(w, terms, s.plan);
  }

  /** All states of cell i: [pre0(s0), pre1(s1), node 0, …] with the softmax(α) matrix of its type. */
  cellStates(i: number, s0: T4, s1: T4, w: tf.Tensor2D, blocks: T1[], ctx: ForwardCtx): T4[] {
    const cell = this.layout.cells[i];
    const steps = this.cfg.steps;
    const states: T4[] = [this.preprocess(s0, cell.pre0, blocks, ctx), this.preprocess(s1, cell.pre1, blocks, ctx)];
    const parts: T4[][] = Array.from({ length: steps }, () => []);
    const node = (k: number) => (parts[k].length === 1 ? parts[k][0] : (tf.addN(parts[k]) as T4));
    for (const s of cell.sources) {
      // State j is complete once every source before it has contributed (node j−2 = Σ_{i<j} …, spec §1.5).
      while (states.length <= s.from) states.push(node(states.length - 2));
      this.source(states[s.from], s, w, blocks, ctx).forEach((y, m) => parts[s.edges[m].to].push(y));
    }
    while (states.length < 2 + steps) states.push(node(states.length - 2));
    return states;
  }

  /** Cell output: channel concat of the last `multiplier` states, in node order (spec §1.5). */
  cellOutput(states: T4[]): T4 {
    const { steps, multiplier } = this.cfg;
    const outs = states.slice(2 + steps - multiplier);
    return (outs.length === 1 ? outs[0] : tf.concat(outs, 3)) as T4;
  }

  cellForward(i: number, s0: T4, s1: T4, w: tf.Tensor2D, blocks: T1[], ctx: ForwardCtx): T4 {
    return this.cellOutput(this.cellStates(i, s0, s1, w, blocks, ctx));
  }

  /** Head: global average pool → Linear. */
  headForward(s: T4, blocks: T1[]): tf.Tensor2D {
    const h = this.layout.head;
    const pooled = tf.mean(s, [1, 2]) as tf.Tensor2D;
    const w = tf.reshape(blocks[h.w], [this.layout.net.cLast, this.cfg.numClasses]) as tf.Tensor2D;
    return tf.add(tf.matMul(pooled, w), blocks[h.b]) as tf.Tensor2D;
  }

  /**
   * Logits for a batch x (NHWC). `wNormal` / `wReduce` are softmax(α) matrices [edges, ops]; all
   * normal cells share one, all reduction cells the other (spec §1.6).
   */
  forward(x: T4, theta: tf.Tensor, wNormal: tf.Tensor2D, wReduce: tf.Tensor2D, ctx: ForwardCtx): tf.Tensor2D {
    const blocks = this.blocksOf(theta);
    let s0 = this.stemForward(x, blocks, ctx);
    let s1 = s0;
    for (let i = 0; i < this.numCells; i++) {
      const out = this.cellForward(i, s0, s1, this.isReduction(i) ? wReduce : wNormal, blocks, ctx);
      s0 = s1;
      s1 = out;
    }
    return this.headForward(s1, blocks);
  }
}
