/**
 * Slow motion, the pure part: which edges an α step changed most, and the one-line narrations of
 * the two phases of a DARTS iteration (spec §3.3: α step on a validation batch, then w step on a
 * training batch with the updated α).
 */
import { cellEdges } from '../core/searchSpace';
import { stateLabel } from '../viz/nodeLabel';
import { fmtNum, fmtSigned } from './inspectorFormat';

export interface EdgeChange {
  cell: 'normal' | 'reduce';
  row: number;
  from: number;
  to: number;
  /** Σ_o |Δ softmax_o| over the edge's ops. */
  total: number;
  /** The op whose weight moved most, and by how much (signed). */
  op: string;
  delta: number;
}

/** Edges of one cell type ranked by how much their softmax moved between two snapshots. */
export function edgeChanges(
  cell: 'normal' | 'reduce',
  before: ArrayLike<number>,
  after: ArrayLike<number>,
  ops: readonly string[],
  steps: number,
): EdgeChange[] {
  const k = ops.length;
  return cellEdges(steps).map((e) => {
    let total = 0;
    let best = 0;
    let delta = 0;
    for (let c = 0; c < k; c++) {
      const d = after[e.row * k + c] - before[e.row * k + c];
      total += Math.abs(d);
      if (Math.abs(d) > Math.abs(delta)) {
        delta = d;
        best = c;
      }
    }
    return { cell, row: e.row, from: e.from, to: e.to, total, op: ops[best], delta };
  });
}

/** The `n` edges of both cells whose softmax changed most (ties: normal first, lower row first). */
export function topChanges(changes: readonly EdgeChange[], n: number): EdgeChange[] {
  return changes
    .filter((c) => c.total > 0 && Number.isFinite(c.total))
    .slice()
    .sort((a, b) => b.total - a.total)
    .slice(0, n);
}

/** The drawing's edge id (renderCell: `g.edge[data-edge]`). */
export function edgeId(c: Pick<EdgeChange, 'cell' | 'from' | 'to'>): string {
  return `${c.cell}:${c.from}->${c.to}`;
}

export function archNarration(order: 1 | 2, valLoss: number | undefined, top: EdgeChange | undefined): string {
  const grad = order === 2 ? 'the second-order gradient (look-ahead w′)' : '∇α L_val at the current w';
  const loss = valLoss !== undefined && Number.isFinite(valLoss) ? ` (val loss ${fmtNum(valLoss, 3)})` : '';
  const change = top
    ? ` Biggest change: ${top.cell === 'normal' ? 'normal' : 'reduction'} edge ${stateLabel(top.from)} → node ${top.to}, ` +
      `${top.op} ${fmtSigned(top.delta)} (highlighted).`
    : ' No weight moved visibly.';
  return `Phase 1 done: Adam moved α against ${grad} of one validation batch${loss}; the weights w did not change.${change}`;
}

export function weightNarration(trainLoss: number | undefined): string {
  const loss = trainLoss !== undefined && Number.isFinite(trainLoss) ? ` (train loss ${fmtNum(trainLoss, 3)})` : '';
  return (
    `Phase 2 done: SGD with momentum moved w against ∇w L_train of one training batch${loss}, using the new α; ` +
    'α did not change, so the cells keep their widths. The loss chart (highlighted) has a new point.'
  );
}
