/**
 * The cell graph as rows of text (the accessible alternative to the drawing, issue 5 item 10):
 * one row per edge of the cell's DAG, in α row order (spec §1.5: node-major, input-minor), with
 * every op's softmax(α) weight, the strongest op, and the op that derivation keeps on it.
 * Pure, so the table's words are unit-testable and the component only lays them out.
 */
import { cellEdges } from '../core/searchSpace';
import { stateLabel } from '../viz/nodeLabel';
import type { CellPairs } from '../viz/types';

export interface EdgeRow {
  /** α row index. */
  row: number;
  from: number;
  to: number;
  /** 'c_{k-1} → node 0' */
  edge: string;
  /** softmax(α) of each op, in the config's op order. */
  weights: number[];
  /** The op with the largest weight, `none` included (what the drawing shows thickest). */
  strongest: string;
  /** The op the derived genotype keeps on this edge (never `none`), or null when the edge is dropped. */
  kept: string | null;
}

/**
 * Rows of one cell. `softmax` is edges × ops, row-major; `pairs` is the derived genotype of this
 * cell type (pair p feeds node p >> 1, spec §4.1), or null before there is one.
 */
export function edgeRows(
  softmax: ArrayLike<number>,
  ops: readonly string[],
  steps: number,
  pairs: CellPairs | null,
): EdgeRow[] {
  const k = ops.length;
  return cellEdges(steps).map(({ row, from, to }) => {
    const weights = Array.from({ length: k }, (_, o) => softmax[row * k + o]);
    let best = 0;
    for (let o = 1; o < k; o++) if (weights[o] > weights[best]) best = o;
    const keptPair = pairs?.find(([, f], p) => p >> 1 === to && f === from);
    return {
      row,
      from,
      to,
      edge: `${stateLabel(from)} \u2192 node ${to}`,
      weights,
      strongest: ops[best],
      kept: keptPair ? keptPair[0] : null,
    };
  });
}

/** Rows of a discrete (imported) genotype: one per (op, input) pair, no weights. */
export function genotypeRows(pairs: CellPairs): { edge: string; op: string }[] {
  return pairs.map(([op, from], p) => ({ edge: `${stateLabel(from)} \u2192 node ${p >> 1}`, op }));
}

/** A weight as the table prints it: 3 decimals, or the raw text of NaN / Infinity. */
export function fmtWeight(v: number): string {
  return Number.isFinite(v) ? v.toFixed(3) : String(v);
}
