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
import { partialChannelK, supernetLayout, type BnSlot, type PreprocessPlan, type SourcePlan, type SupernetLayout } from './supernetPlan';
import type { MethodConfig } from '../core/methods';
import { edgeStride, rowOffset } from '../core/searchSpace';

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
  /** GDAS: the sampled op per edge [normal, reduce]; only those ops are computed (sparseCellStates). */
  select?: [Int32Array, Int32Array] | null;
}

export class Supernet {
  readonly layout: SupernetLayout;
  /** PC-DARTS' K: 1/K of each state's channels go through the ops (1 = DARTS, every channel). */
  readonly pcK: number;
  /** Where each reference parameter sits: its block and its range inside the block (sparse path). */
  private specAt: Map<string, { block: number; start: number; size: number }> | null = null;
  private bnAt: Map<string, BnSlot> | null = null;
  constructor(readonly cfg: SearchSpaceConfig & Partial<MethodConfig>) {
    this.layout = supernetLayout(cfg);
    this.pcK = partialChannelK(cfg);
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
    if (s.aux === 'identity') tensors.set('aux', { tensor: x, groups: 1 });
    else if (s.aux) tensors.set('aux', { tensor: this.factorizedReduce(x, blocks[s.aux.a], blocks[s.aux.b], C, s.aux.bn, ctx), groups: s.aux.bn.groups });
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

  /** All states of cell i: [pre0(s0), pre1(s1), node 0, …] with the mixing matrix of its type. */
  cellStates(i: number, s0: T4, s1: T4, w: tf.Tensor2D, blocks: T1[], ctx: ForwardCtx): T4[] {
    const cell = this.layout.cells[i];
    const steps = this.cfg.steps;
    const states: T4[] = [this.preprocess(s0, cell.pre0, blocks, ctx), this.preprocess(s1, cell.pre1, blocks, ctx)];
    const select = ctx.select?.[cell.plan.reduction ? 1 : 0];
    if (select) return this.sparseCellStates(i, states, w, select, blocks, ctx);
    const K = this.pcK;
    const parts: T4[][] = Array.from({ length: steps }, () => []);
    const bypass: T4[][] = Array.from({ length: steps }, () => []);
    const node = (k: number): T4 => {
      const sum = (p: T4[]) => (p.length === 1 ? p[0] : (tf.addN(p) as T4));
      if (K === 1) return sum(parts[k]);
      // PC-DARTS: [Σ_e β̃_e·MixedOp_e(x_e[:C/K]) , Σ_e β̃_e·bypass_e] then channel_shuffle(·, K);
      // the shuffle is linear, so shuffling the sum equals the reference's sum of shuffles.
      return channelShuffle(tf.concat([sum(parts[k]), sum(bypass[k])], 3) as T4, K);
    };
    for (const s of cell.sources) {
      // State j is complete once every source before it has contributed (node j−2 = Σ_{i<j} …, spec §1.5).
      while (states.length <= s.from) states.push(node(states.length - 2));
      const x = states[s.from];
      if (K === 1) {
        this.source(x, s, w, blocks, ctx).forEach((y, m) => parts[s.edges[m].to].push(y));
        continue;
      }
      // PC-DARTS MixedOp (spec §6): the first C/K channels go through the ops, the others bypass
      // them (2×2 max-pooled on stride-2 edges). w's last column holds β̃_e (methods.ts pcMix).
      const C = x.shape[3];
      const c = C / K;
      // One split (its gradient is one concat), not two slices (two pads).
      const [part, rest] = tf.split(x, [c, C - c], 3) as [T4, T4];
      const passed = s.stride === 2 ? (tf.maxPool(rest, 2, 2, 'valid') as T4) : rest;
      const cols = w.shape[1];
      // β̃_e · bypass for every edge out of this state in one mixing kernel.
      const weighted = mix(w, [{ tensor: passed, groups: 1 }], s.edges.map((e) => [{ term: 0, group: 0, row: e.row, col: cols - 1 }]));
      this.source(part, s, w, blocks, ctx).forEach((y, m) => {
        const e = s.edges[m];
        parts[e.to].push(y);
        bypass[e.to].push(weighted[m]);
      });
    }
    while (states.length < 2 + steps) states.push(node(states.length - 2));
    return states;
  }

  /**
   * GDAS' forward (methods.ts gumbelMix): on every edge only the sampled op k is computed,
   * node_j = Σ_i (h_ik · o_k(x_i) + Σ_{k'≠k} h_ik'), where the second sum is 0 in value and
   * carries the straight-through gradient to the other entries (AutoDL search_cells.forward_gdas).
   */
  private sparseCellStates(i: number, states: T4[], w: tf.Tensor2D, select: Int32Array, blocks: T1[], ctx: ForwardCtx): T4[] {
    const cell = this.layout.cells[i];
    const { steps, ops } = this.cfg;
    // h_e,k and Σ_{k'≠k} h_e,k' for every edge at once (one-hot mask of the sampled ops).
    const E = w.shape[0];
    const onehot = new Float32Array(E * ops.length);
    select.forEach((k, e) => (onehot[e * ops.length + k] = 1));
    const mask = tf.tensor2d(onehot, [E, ops.length]);
    const hk = tf.unstack(tf.sum(tf.mul(w, mask), 1)) as tf.Scalar[];
    const others = tf.unstack(tf.sum(tf.mul(w, tf.sub(1, mask)), 1)) as tf.Scalar[];
    for (let n = 0; n < steps; n++) {
      const terms: T4[] = [];
      for (let j = 0; j < n + 2; j++) {
        const row = rowOffset(n) + j;
        const stride = edgeStride(cell.plan.reduction, j) as 1 | 2;
        const y = this.singleOp(i, row, select[row], states[j], stride, blocks, ctx);
        terms.push(tf.add(tf.mul(y, hk[row]), others[row]) as T4);
      }
      states.push(tf.addN(terms) as T4);
    }
    return states;
  }

  /** One op of one edge on its own (the GDAS path), with the parameters the grouped plan stores for it. */
  private singleOp(cellIndex: number, row: number, k: number, x: T4, stride: 1 | 2, blocks: T1[], ctx: ForwardCtx): T4 {
    const op = this.cfg.ops[k];
    const base = `cells.${cellIndex}._ops.${row}._ops.${k}`;
    const p = (suffix: string) => this.param(blocks, `${base}.${suffix}`);
    const slot = (suffix: string) => this.bnSlot(`${base}.${suffix}`);
    const C = x.shape[3];
    switch (op) {
      case 'none':
        // Zero (spec §1.2): x[:, :, ::s, ::s]·0, so the gradient still reaches x (as zeros).
        return tf.mul(stride === 1 ? x : subsample2(x, 0, 0), 0) as T4;
      case 'skip_connect':
        return stride === 1 ? x : this.factorizedReduce(x, p('conv_1.weight'), p('conv_2.weight'), C, slot('bn'), ctx);
      case 'max_pool_3x3':
      case 'avg_pool_3x3':
        return this.poolTerm(x, op === 'max_pool_3x3', stride, slot('1'), ctx);
      case 'sep_conv_3x3':
      case 'sep_conv_5x5': {
        const kk = Number(op.slice(-1));
        const y = this.unit(x, p('op.2.weight'), p('op.1.weight'), [{ k: kk, dil: 1, count: 1 }], stride, 1, C, slot('op.3'), ctx);
        return this.unit(y, p('op.6.weight'), p('op.5.weight'), [{ k: kk, dil: 1, count: 1 }], 1, 1, C, slot('op.7'), ctx);
      }
      case 'dil_conv_3x3':
      case 'dil_conv_5x5': {
        const kk = Number(op.slice(-1));
        return this.unit(x, p('op.2.weight'), p('op.1.weight'), [{ k: kk, dil: 2, count: 1 }], stride, 1, C, slot('op.3'), ctx);
      }
      case 'conv_1x1':
      case 'conv_3x3':
      case 'conv_5x5': {
        const kk = Number(op.slice(-1));
        const wk = tf.reshape(p('op.1.weight'), [kk, kk, C, C]) as T4;
        return this.bn(conv(tf.relu(x) as T4, wk, stride), slot('op.2'), ctx);
      }
      default:
        throw new Error(`GDAS' single-op path has no ${op}; use the ops of the DARTS space`);
    }
  }

  /** A reference parameter's values as a slice of its block (so gradients reach the block). */
  private param(blocks: T1[], name: string): T1 {
    if (!this.specAt) {
      this.specAt = new Map();
      const starts = this.layout.blocks.map((b) => b.offset);
      for (const s of this.layout.specs) {
        let b = 0;
        while (b + 1 < starts.length && starts[b + 1] <= s.offset) b++;
        this.specAt.set(s.name, { block: b, start: s.offset - starts[b], size: s.shape.reduce((a, v) => a * v, 1) });
      }
    }
    const at = this.specAt.get(name);
    if (!at) throw new Error(`supernet: no parameter ${name}`);
    const blk = blocks[at.block];
    return at.start === 0 && at.size === blk.size ? blk : (tf.slice(blk, at.start, at.size) as T1);
  }

  private bnSlot(name: string): BnSlot {
    this.bnAt ??= new Map(this.layout.bns.map((b) => [b.name, { offset: b.offset, groups: 1, channels: b.channels }]));
    const s = this.bnAt.get(name);
    if (!s) throw new Error(`supernet: no BatchNorm ${name}`);
    return s;
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

/**
 * PC-DARTS channel_shuffle(x, groups): view (B, groups, C/groups, H, W), swap the two channel
 * axes, flatten back, in NHWC: channel g·(C/groups) + j moves to j·groups + g.
 */
export function channelShuffle(x: T4, groups: number): T4 {
  const [B, H, W, C] = x.shape;
  return tf.reshape(tf.transpose(tf.reshape(x, [B, H, W, groups, C / groups]), [0, 1, 2, 4, 3]), [B, H, W, C]) as T4;
}
