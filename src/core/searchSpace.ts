/**
 * Pure bookkeeping of the DARTS supernet topology (spec §1.5, §1.6): edge order, α row indices,
 * reduction-cell positions, per-cell channels and spatial sizes. No tensors here: the engine,
 * the CLI `info` command, the memory estimate and the viz all derive their shapes from these.
 */

/** One edge of a cell's DAG: node `to` (0-based intermediate node) reads state `from`. */
export interface Edge {
  /** α row index = offset(to) + from (spec §1.5). */
  row: number;
  /** Intermediate node index 0..steps-1. */
  to: number;
  /** Input state index: 0 = c_{k-2}, 1 = c_{k-1}, j >= 2 = intermediate node j-2. */
  from: number;
}

/** Number of edges (α rows) in a cell with `steps` intermediate nodes: Σ_{i<steps} (2 + i). */
export function numEdges(steps: number): number {
  return (steps * (steps + 3)) / 2;
}

/** First α row of node i: offsets [0, 2, 5, 9, 14, 20] for i = 0..5. */
export function rowOffset(node: number): number {
  return (node * (node + 3)) / 2;
}

/** Edges created node-major, input-minor, exactly as the reference Cell constructor. */
export function cellEdges(steps: number): Edge[] {
  const edges: Edge[] = [];
  for (let i = 0; i < steps; i++) {
    for (let j = 0; j < i + 2; j++) edges.push({ row: rowOffset(i) + j, to: i, from: j });
  }
  return edges;
}

/** Edge stride: 2 iff the cell is a reduction cell and the edge leaves a cell input (j < 2). */
export function edgeStride(reduction: boolean, from: number): 1 | 2 {
  return reduction && from < 2 ? 2 : 1;
}

/** Cell indices that are reduction cells: layers//3 and 2*layers//3 (spec §1.6). */
export function reductionCells(layers: number): number[] {
  const a = Math.floor(layers / 3);
  const b = Math.floor((2 * layers) / 3);
  return a === b ? [a] : [a, b];
}

/** Name of a state index in the DARTS drawing convention (spec §4.5, check 16). */
export function stateName(j: number): string {
  if (j === 0) return 'c_{k-2}';
  if (j === 1) return 'c_{k-1}';
  return String(j - 2);
}

export interface CellPlan {
  index: number;
  reduction: boolean;
  reductionPrev: boolean;
  /** Channels of the two cell inputs (C_pp, C_p) and of each intermediate node (C). */
  cPrevPrev: number;
  cPrev: number;
  c: number;
  /** Spatial size of the inputs s0 and s1 (s0 can be twice s1 after a reduction). */
  inH0: number;
  inW0: number;
  inH: number;
  inW: number;
  /** Output: multiplier * C channels at outH × outW. */
  outC: number;
  outH: number;
  outW: number;
  /** Preprocessing of s0: FactorizedReduce after a reduction cell, else ReLU-conv1x1-BN. */
  pre0: 'fr' | 'rcb';
}

export interface NetworkPlanInput {
  C: number;
  layers: number;
  steps: number;
  multiplier: number;
  stemMultiplier: number;
  inChannels: number;
  height: number;
  width: number;
  numClasses: number;
}

export interface NetworkPlan {
  stemC: number;
  cells: CellPlan[];
  reductionCells: number[];
  /** Channels entering the classifier. */
  cLast: number;
}

const half = (n: number) => Math.ceil(n / 2);

/** Channel and shape bookkeeping of the search network (spec §1.6). */
export function networkPlan(p: NetworkPlanInput): NetworkPlan {
  const reds = reductionCells(p.layers);
  const stemC = p.stemMultiplier * p.C;
  let cPP = stemC;
  let cP = stemC;
  let cCurr = p.C;
  let h0 = p.height, w0 = p.width, h1 = p.height, w1 = p.width;
  let reductionPrev = false;
  const cells: CellPlan[] = [];
  for (let i = 0; i < p.layers; i++) {
    const reduction = reds.includes(i);
    if (reduction) cCurr *= 2;
    const outH = reduction ? half(h1) : h1;
    const outW = reduction ? half(w1) : w1;
    cells.push({
      index: i, reduction, reductionPrev, cPrevPrev: cPP, cPrev: cP, c: cCurr,
      inH0: h0, inW0: w0, inH: h1, inW: w1,
      outC: p.multiplier * cCurr, outH, outW, pre0: reductionPrev ? 'fr' : 'rcb',
    });
    reductionPrev = reduction;
    cPP = cP;
    cP = p.multiplier * cCurr;
    h0 = h1; w0 = w1; h1 = outH; w1 = outW;
  }
  return { stemC, cells, reductionCells: reds, cLast: cP };
}
