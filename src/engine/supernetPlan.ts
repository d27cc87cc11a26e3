/**
 * The layout of the fast supernet (no tensors here): every parameter of the reference network in
 * reference order with its PyTorch name (spec §1.6), where it lives in the one flat weight vector
 * θ, and how each cell is computed "by source state" (issue 9):
 *
 * When a state h_j of a cell is ready, every op of every edge (i, j) that leaves it is computed in
 * a few grouped kernels (kernels/ops.ts):
 * - stage 1: the first depthwise conv of every sep_conv and the depthwise conv of every dil_conv
 *   on every outgoing edge, all reading relu(h_j) → one grouped 1×1 conv → one grouped BN;
 * - stage 2 (sep_conv only): ReLU → depthwise → 1×1 → BN, grouped again;
 * - the pools and their BN once per source: BN is non-affine with batch statistics (spec §1.4,
 *   §1.7), so BN(pool(h_j)) is the same tensor for every edge; likewise the identity skip;
 * - skip_connect at stride 2 (FactorizedReduce) for every edge in two grouped 1×1 convs;
 * - one mixing kernel: the contribution Σ_k softmax(α)_{(i,j),k}·o_k(h_j) of h_j to every node i.
 *
 * θ holds each reference parameter contiguously in its tfjs layout (params.ts), ordered so that
 * each grouped kernel reads one contiguous block. The BN running statistics live in two flat
 * vectors; BNs that always see the same input (the pool BNs of one source) share one slot.
 */
import type { SearchSpaceConfig } from '../core/config';
import type { MethodConfig } from '../core/methods';
import type { OpName } from '../core/primitives';
import { cellEdges, edgeStride, networkPlan, type CellPlan, type Edge, type NetworkPlan } from '../core/searchSpace';
import type { DwSeg, MixEntry } from './kernels/math';
import { specSize, type InitKind, type Layout, type ParamSpec } from './params';

/** A parameter of the reference network and its place in θ. */
export interface PlacedSpec extends ParamSpec {
  offset: number;
}

/** A BatchNorm of the reference network (PyTorch name) and its slot in the running statistics. */
export interface PlacedBn {
  name: string;
  channels: number;
  offset: number;
}

/** A contiguous range of θ read by one kernel. */
export interface Block {
  offset: number;
  size: number;
}

/** A BN call site: groups × channels of running statistics starting at `offset`; n = samples per statistic. */
export interface BnSlot {
  offset: number;
  groups: number;
  channels: number;
}

/** Depthwise-conv op kinds of the search space, in the order their groups are stacked. */
interface ConvKind {
  op: OpName;
  k: number;
  dil: number;
  twoStage: boolean;
}
const CONV_KINDS: ConvKind[] = [
  { op: 'sep_conv_3x3', k: 3, dil: 1, twoStage: true },
  { op: 'sep_conv_5x5', k: 5, dil: 1, twoStage: true },
  { op: 'dil_conv_3x3', k: 3, dil: 2, twoStage: false },
  { op: 'dil_conv_5x5', k: 5, dil: 2, twoStage: false },
];
const FULL_CONVS: Partial<Record<OpName, number>> = { conv_1x1: 1, conv_3x3: 3, conv_5x5: 5 };

export interface StagePlan {
  segs: DwSeg[];
  groups: number;
  dw: number; // block index
  pw: number; // block index
  bn: BnSlot;
}

/** Everything computed from one state of a cell. */
export interface SourcePlan {
  from: number;
  stride: 1 | 2;
  edges: Edge[];
  maxPool: BnSlot | null;
  avgPool: BnSlot | null;
  /** 'identity' at stride 1; FactorizedReduce at stride 2 with the blocks of its two convs. */
  skip: null | 'identity' | { a: number; b: number; bn: BnSlot };
  /** DARTS-' auxiliary skip (same shapes as `skip`), read from the mixing matrix's extra column. */
  aux: null | 'identity' | { a: number; b: number; bn: BnSlot };
  stage1: StagePlan | null;
  stage2: StagePlan | null;
  /** Full k×k convs (conv_1x1/3x3/5x5), one per (edge, op). */
  convs: { edge: number; k: number; block: number; bn: BnSlot }[];
  /** Index of each mixing term (see `terms`), then one output per edge. */
  terms: MixTermKind[];
  plan: MixEntry[][];
}

export type MixTermKind = 'maxPool' | 'avgPool' | 'skip' | 'aux' | 'stage1' | 'stage2' | { conv: number };

export interface PreprocessPlan {
  kind: 'rcb' | 'fr';
  /** rcb: [w]; fr: [conv_1, conv_2] (block indices). */
  blocks: number[];
  cout: number;
  bn: BnSlot;
}

export interface CellLayout {
  plan: CellPlan;
  pre0: PreprocessPlan;
  pre1: PreprocessPlan;
  sources: SourcePlan[];
  /** Block indices this cell reads (for cell-by-cell backprop). */
  blocks: number[];
}

export interface SupernetLayout {
  cfg: SearchSpaceConfig;
  net: NetworkPlan;
  /** Reference order (PyTorch `named_parameters()` order). */
  specs: PlacedSpec[];
  /** Reference order (PyTorch module order). */
  bns: PlacedBn[];
  blocks: Block[];
  paramCount: number;
  runningSize: number;
  /** Pixels per map (H·W) behind each running-stat entry: n = batch·H·W samples (unbiased variance). */
  runningSpatial: Float32Array;
  stem: { w: number; gamma: number; beta: number; bn: BnSlot };
  cells: CellLayout[];
  head: { w: number; b: number };
}

/**
 * Builds the layout. Parameters are declared in reference order (which fixes the initialisation
 * order of the RNG and the export order); their θ offsets are assigned block by block afterwards.
 */
export function supernetLayout(cfg: SearchSpaceConfig & Partial<Pick<MethodConfig, 'method' | 'pcK'>>): SupernetLayout {
  // PC-DARTS builds every MixedOp's ops for C/K channels (spec §6: partial channel connections).
  const pcK = partialChannelK(cfg);
  const auxSkip = cfg.method === 'darts-minus';
  const net = networkPlan(cfg);
  const specs: PlacedSpec[] = [];
  const bns: PlacedBn[] = [];
  const blockSpecs: number[][] = []; // spec indices of each block, in θ order
  let runningSize = 0;
  const spatial: number[] = [];

  const param = (name: string, layout: Layout, shape: number[], torchShape: number[], init: InitKind = 'fanIn') => {
    specs.push({ name, layout, shape, torchShape, init, offset: -1 });
    return specs.length - 1;
  };
  const block = (specIdx: number[]) => {
    blockSpecs.push(specIdx);
    return blockSpecs.length - 1;
  };
  /** A BN call site for `groups` × `channels` statistics over maps of `hw` pixels. */
  const bnSlot = (groups: number, channels: number, hw: number): BnSlot => {
    const s = { offset: runningSize, groups, channels };
    runningSize += groups * channels;
    for (let i = 0; i < groups * channels; i++) spatial.push(hw);
    return s;
  };
  const declareBn = (name: string, channels: number, slot: BnSlot, group = 0) => {
    bns.push({ name, channels, offset: slot.offset + group * channels });
  };

  // Stem: 3×3 conv in → 3C (no bias) + affine BN (spec §1.6), the only affine BN of the supernet.
  const stemW = param('stem.0.weight', 'hwio', [3, 3, cfg.inChannels, net.stemC], [net.stemC, cfg.inChannels, 3, 3]);
  const gamma = param('stem.1.weight', 'vec', [net.stemC], [net.stemC], 'ones');
  const beta = param('stem.1.bias', 'vec', [net.stemC], [net.stemC], 'zeros');
  const stemBn = bnSlot(1, net.stemC, cfg.height * cfg.width);
  declareBn('stem.1', net.stemC, stemBn);
  const stem = { w: block([stemW]), gamma: block([gamma]), beta: block([beta]), bn: stemBn };

  const edges = cellEdges(cfg.steps);
  const cells: CellLayout[] = net.cells.map((cp) => {
    const name = `cells.${cp.index}`;
    const first = blockSpecs.length;
    const C = cp.c;
    const outHW = cp.outH * cp.outW;
    // Preprocessing (spec §1.3).
    let pre0: PreprocessPlan;
    if (cp.pre0 === 'fr') {
      const a = param(`${name}.preprocess0.conv_1.weight`, 'pw', [cp.cPrevPrev, C / 2], [C / 2, cp.cPrevPrev, 1, 1]);
      const b = param(`${name}.preprocess0.conv_2.weight`, 'pw', [cp.cPrevPrev, C / 2], [C / 2, cp.cPrevPrev, 1, 1]);
      const slot = bnSlot(1, C, cp.inH * cp.inW);
      declareBn(`${name}.preprocess0.bn`, C, slot);
      pre0 = { kind: 'fr', blocks: [block([a]), block([b])], cout: C, bn: slot };
    } else {
      const w = param(`${name}.preprocess0.op.1.weight`, 'pw', [cp.cPrevPrev, C], [C, cp.cPrevPrev, 1, 1]);
      const slot = bnSlot(1, C, cp.inH * cp.inW);
      declareBn(`${name}.preprocess0.op.2`, C, slot);
      pre0 = { kind: 'rcb', blocks: [block([w])], cout: C, bn: slot };
    }
    const w1 = param(`${name}.preprocess1.op.1.weight`, 'pw', [cp.cPrev, C], [C, cp.cPrev, 1, 1]);
    const slot1 = bnSlot(1, C, cp.inH * cp.inW);
    declareBn(`${name}.preprocess1.op.2`, C, slot1);
    const pre1: PreprocessPlan = { kind: 'rcb', blocks: [block([w1])], cout: C, bn: slot1 };

    const Cop = C / pcK; // channels the ops see (C unless PC-DARTS)
    // Declare every edge's op parameters and BNs in reference order; remember them per (row, op).
    type OpDecl = { specs: Record<string, number>; bns: { name: string; channels: number }[] };
    const decl = new Map<string, OpDecl>();
    for (const e of edges) {
      const stride = edgeStride(cp.reduction, e.from);
      cfg.ops.forEach((op, k) => {
        const base = `${name}._ops.${e.row}._ops.${k}`;
        const d: OpDecl = { specs: {}, bns: [] };
        const dw = (key: string, suffix: string, kk: number) => (d.specs[key] = param(`${base}.${suffix}.weight`, 'dw', [kk, kk, Cop, 1], [Cop, 1, kk, kk]));
        const pw = (key: string, suffix: string) => (d.specs[key] = param(`${base}.${suffix}.weight`, 'pw', [Cop, Cop], [Cop, Cop, 1, 1]));
        const kind = CONV_KINDS.find((c) => c.op === op);
        if (op === 'max_pool_3x3' || op === 'avg_pool_3x3') d.bns.push({ name: `${base}.1`, channels: Cop });
        else if (op === 'skip_connect' && stride === 2) {
          d.specs.a = param(`${base}.conv_1.weight`, 'pw', [Cop, Cop / 2], [Cop / 2, Cop, 1, 1]);
          d.specs.b = param(`${base}.conv_2.weight`, 'pw', [Cop, Cop / 2], [Cop / 2, Cop, 1, 1]);
          d.bns.push({ name: `${base}.bn`, channels: Cop });
        } else if (kind?.twoStage) {
          dw('dw1', 'op.1', kind.k);
          pw('pw1', 'op.2');
          d.bns.push({ name: `${base}.op.3`, channels: Cop });
          dw('dw2', 'op.5', kind.k);
          pw('pw2', 'op.6');
          d.bns.push({ name: `${base}.op.7`, channels: Cop });
        } else if (kind) {
          dw('dw1', 'op.1', kind.k);
          pw('pw1', 'op.2');
          d.bns.push({ name: `${base}.op.3`, channels: Cop });
        } else if (FULL_CONVS[op] !== undefined) {
          const kk = FULL_CONVS[op]!;
          d.specs.w = param(`${base}.op.1.weight`, 'hwio', [kk, kk, Cop, Cop], [Cop, Cop, kk, kk]);
          d.bns.push({ name: `${base}.op.2`, channels: Cop });
        }
        decl.set(`${e.row}:${op}`, d);
      });
      // DARTS-' auxiliary skip (MixedOp.auxiliary_op, declared after the edge's ops): Identity at
      // stride 1, its own FactorizedReduce(C, C, affine=False) at stride 2.
      if (auxSkip && stride === 2) {
        const base = `${name}._ops.${e.row}.auxiliary_op`;
        const d: OpDecl = { specs: {}, bns: [{ name: `${base}.bn`, channels: Cop }] };
        d.specs.a = param(`${base}.conv_1.weight`, 'pw', [Cop, Cop / 2], [Cop / 2, Cop, 1, 1]);
        d.specs.b = param(`${base}.conv_2.weight`, 'pw', [Cop, Cop / 2], [Cop / 2, Cop, 1, 1]);
        decl.set(`${e.row}:aux`, d);
      }
    }

    // Group by source state and assign blocks and BN slots in computation order.
    const sources: SourcePlan[] = [];
    const has = (op: OpName) => cfg.ops.includes(op);
    const col = (op: OpName) => cfg.ops.indexOf(op);
    for (let j = 0; j <= cfg.steps; j++) {
      const out = edges.filter((e) => e.from === j);
      if (!out.length) continue;
      const stride = edgeStride(cp.reduction, j);
      const M = out.length;
      const terms: MixTermKind[] = [];
      const plan: MixEntry[][] = out.map(() => []);
      /** Every edge m reads `op`'s output from group groupOf(m) of term t (one term per distinct tensor). */
      const addTerm = (t: MixTermKind, op: OpName, groupOf: (m: number) => number) => {
        let ti = terms.indexOf(t);
        if (ti < 0 || typeof t !== 'string') ti = terms.push(t) - 1;
        out.forEach((e, m) => plan[m].push({ term: ti, group: groupOf(m), row: e.row, col: col(op) }));
      };
      const bnsOf = (e: Edge, op: OpName) => decl.get(`${e.row}:${op}`)!.bns;
      const specOf = (e: Edge, op: OpName, key: string) => decl.get(`${e.row}:${op}`)!.specs[key];

      let maxPool: BnSlot | null = null;
      let avgPool: BnSlot | null = null;
      for (const [op, set] of [['max_pool_3x3', (s: BnSlot) => (maxPool = s)], ['avg_pool_3x3', (s: BnSlot) => (avgPool = s)]] as const) {
        if (!has(op)) continue;
        const s = bnSlot(1, Cop, outHW);
        set(s);
        out.forEach((e) => declareBn(bnsOf(e, op)[0].name, Cop, s)); // one slot for all edges' pool BNs
        addTerm(op === 'max_pool_3x3' ? 'maxPool' : 'avgPool', op, () => 0);
      }
      let skip: SourcePlan['skip'] = null;
      if (has('skip_connect')) {
        if (stride === 1) {
          skip = 'identity';
          addTerm('skip', 'skip_connect', () => 0);
        } else {
          const a = block(out.map((e) => specOf(e, 'skip_connect', 'a')));
          const b = block(out.map((e) => specOf(e, 'skip_connect', 'b')));
          const s = bnSlot(M, Cop, outHW);
          out.forEach((e, m) => declareBn(bnsOf(e, 'skip_connect')[0].name, Cop, s, m));
          skip = { a, b, bn: s };
          addTerm('skip', 'skip_connect', (m) => m);
        }
      }
      // DARTS-: the auxiliary skip is weighted by β, the extra last column of the mixing matrix.
      let aux: SourcePlan['aux'] = null;
      if (auxSkip) {
        if (stride === 1) aux = 'identity';
        else {
          const auxOf = (e: Edge) => decl.get(`${e.row}:aux`)!;
          const a = block(out.map((e) => auxOf(e).specs.a));
          const b = block(out.map((e) => auxOf(e).specs.b));
          const s = bnSlot(M, Cop, outHW);
          out.forEach((e, m) => declareBn(auxOf(e).bns[0].name, Cop, s, m));
          aux = { a, b, bn: s };
        }
        const ti = terms.push('aux') - 1;
        out.forEach((e, m) => plan[m].push({ term: ti, group: stride === 1 ? 0 : m, row: e.row, col: cfg.ops.length }));
      }
      const kinds = CONV_KINDS.filter((k) => has(k.op));
      let stage1: StagePlan | null = null;
      let stage2: StagePlan | null = null;
      if (kinds.length) {
        // Stage-1 groups: two-stage kinds first (their stage 2 reads groups 0..G2−1), edge-minor.
        const segs1 = kinds.map((k) => ({ k: k.k, dil: k.dil, count: M }));
        const order1 = kinds.flatMap((k) => out.map((e) => ({ k, e })));
        const G1 = order1.length;
        const dw1 = block(order1.map(({ k, e }) => specOf(e, k.op, 'dw1')));
        const pw1 = block(order1.map(({ k, e }) => specOf(e, k.op, 'pw1')));
        const s1 = bnSlot(G1, Cop, outHW);
        order1.forEach(({ k, e }, g) => declareBn(bnsOf(e, k.op)[0].name, Cop, s1, g));
        stage1 = { segs: segs1, groups: G1, dw: dw1, pw: pw1, bn: s1 };
        const two = kinds.filter((k) => k.twoStage);
        if (two.length) {
          const order2 = two.flatMap((k) => out.map((e) => ({ k, e })));
          const G2 = order2.length;
          const dw2 = block(order2.map(({ k, e }) => specOf(e, k.op, 'dw2')));
          const pw2 = block(order2.map(({ k, e }) => specOf(e, k.op, 'pw2')));
          const s2 = bnSlot(G2, Cop, outHW);
          order2.forEach(({ k, e }, g) => declareBn(bnsOf(e, k.op)[1].name, Cop, s2, g));
          stage2 = { segs: two.map((k) => ({ k: k.k, dil: k.dil, count: M })), groups: G2, dw: dw2, pw: pw2, bn: s2 };
          two.forEach((k, ki) => addTerm('stage2', k.op, (m) => ki * M + m));
        }
        kinds.forEach((k, ki) => !k.twoStage && addTerm('stage1', k.op, (m) => ki * M + m));
      }
      const convs: SourcePlan['convs'] = [];
      for (const [op, kk] of Object.entries(FULL_CONVS) as [OpName, number][]) {
        if (!has(op)) continue;
        out.forEach((e, m) => {
          const s = bnSlot(1, Cop, outHW);
          declareBn(bnsOf(e, op)[0].name, Cop, s);
          const ci = convs.length;
          convs.push({ edge: m, k: kk, block: block([specOf(e, op, 'w')]), bn: s });
          const ti = terms.length;
          terms.push({ conv: ci });
          plan[m].push({ term: ti, group: 0, row: e.row, col: col(op) });
        });
      }
      sources.push({ from: j, stride, edges: out, maxPool, avgPool, skip, aux, stage1, stage2, convs, terms, plan });
    }
    return { plan: cp, pre0, pre1, sources, blocks: range(first, blockSpecs.length) };
  });

  const cw = param('classifier.weight', 'linear', [net.cLast, cfg.numClasses], [cfg.numClasses, net.cLast]);
  const cb = param('classifier.bias', 'vec', [cfg.numClasses], [cfg.numClasses], 'zeros');
  const head = { w: block([cw]), b: block([cb]) };

  // θ offsets, block by block.
  let offset = 0;
  const blocks: Block[] = blockSpecs.map((ids) => {
    const start = offset;
    for (const id of ids) {
      specs[id].offset = offset;
      offset += specSize(specs[id]);
    }
    return { offset: start, size: offset - start };
  });
  const missing = specs.find((s) => s.offset < 0);
  if (missing) throw new Error(`supernet layout: ${missing.name} has no block`);
  return {
    cfg,
    net,
    specs,
    bns: sortBnsByReferenceOrder(bns),
    blocks,
    paramCount: offset,
    runningSize,
    runningSpatial: Float32Array.from(spatial),
    stem,
    cells,
    head,
  };
}

/**
 * PyTorch's module order: stem, then per cell preprocess0, preprocess1, then per edge row, per op
 * column the op's BNs in module order. Our BN declarations happened in compute order; sort them by
 * the position of their module among the parameters (a BN module sits right after its op's last
 * parameter), using the name's (cell, row, op, sub-index) path.
 */
function sortBnsByReferenceOrder(bns: PlacedBn[]): PlacedBn[] {
  const key = (name: string): number[] => {
    if (name === 'stem.1') return [-1];
    const parts = name.split('.');
    const cell = Number(parts[1]);
    if (parts[2] === 'preprocess0') return [cell, -2];
    if (parts[2] === 'preprocess1') return [cell, -1];
    // cells.c._ops.row._ops.k.(1 | bn | op.3 | op.7 | op.2); DARTS-' cells.c._ops.row.auxiliary_op.bn
    const row = Number(parts[3]);
    if (parts[4] === 'auxiliary_op') return [cell, row, 1e9, 9];
    const k = Number(parts[5]);
    const sub = parts[6] === 'op' ? Number(parts[7]) : parts[6] === 'bn' ? 9 : Number(parts[6]);
    return [cell, row, k, sub];
  };
  const cmp = (a: number[], b: number[]) => {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const d = (a[i] ?? -99) - (b[i] ?? -99);
      if (d) return d;
    }
    return 0;
  };
  return [...bns].sort((x, y) => cmp(key(x.name), key(y.name)));
}

/** K of PC-DARTS' partial channels (1: every channel goes through the ops, plain DARTS). */
export function partialChannelK(cfg: Partial<Pick<MethodConfig, 'method' | 'pcK'>>): number {
  return cfg.method === 'pc-darts' ? (cfg.pcK ?? 4) : 1;
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}
