/**
 * Discretisation-gap diagnostics of spec §7: how undecided is each edge?
 * - entropy H = −Σ p ln p of its softmax row: ln(|ops|) when uniform (ln 8 = 2.0794 at init),
 *   0 when one op has all the weight;
 * - margin = top-1 minus top-2 weight: how safely the argmax wins (near 0 = a coin toss).
 */
import { matrixRows } from './matrix';
import type { AlphaMatrix } from './types';

/** ln(numOps): the entropy of a uniform row, the top of the entropy chart's y axis. */
export function maxEntropy(numOps: number): number {
  return Math.log(numOps);
}

/** −Σ p ln p, with 0 · ln 0 = 0. */
export function rowEntropy(p: ArrayLike<number>): number {
  let h = 0;
  for (let i = 0; i < p.length; i++) if (p[i] > 0) h -= p[i] * Math.log(p[i]);
  return h;
}

/** Largest minus second largest value (0 for a single op). */
export function rowMargin(p: ArrayLike<number>): number {
  let a = -Infinity, b = -Infinity;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (v > a) [a, b] = [v, a];
    else if (v > b) b = v;
  }
  return p.length < 2 ? 0 : a - b;
}

export function edgeEntropies(softmax: AlphaMatrix, numOps?: number): number[] {
  return matrixRows(softmax, numOps).map(rowEntropy);
}

export function edgeMargins(softmax: AlphaMatrix, numOps?: number): number[] {
  return matrixRows(softmax, numOps).map(rowMargin);
}

/** Mean per-edge entropy (the number plotted over the search). */
export function meanEdgeEntropy(softmax: AlphaMatrix, numOps?: number): number {
  return mean(edgeEntropies(softmax, numOps));
}

/** Mean top-1 − top-2 margin over edges. */
export function meanMargin(softmax: AlphaMatrix, numOps?: number): number {
  return mean(edgeMargins(softmax, numOps));
}

function mean(v: number[]): number {
  return v.length ? v.reduce((s, x) => s + x, 0) / v.length : NaN;
}
