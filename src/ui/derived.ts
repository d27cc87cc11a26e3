/**
 * The genotype derived from a snapshot's softmax(α) (spec §4.1) — or from the rows its method
 * ranks (PC-DARTS' β-weighted, FairDARTS' sigmoids: core/methodDerive.ts) — computed once per snapshot and
 * shared by the cell overlays and the genotype panel.
 */
import type { SearchConfig } from '../core/config';
import { deriveGenotype, rowsFromFlat, type Genotype } from '../core/genotype';
import type { LiveSnapshot } from './store';

const cache = new WeakMap<LiveSnapshot, Genotype | null>();

export function derivedGenotype(snap: LiveSnapshot | null, config: SearchConfig | null): Genotype | null {
  if (!snap || !config) return null;
  if (cache.has(snap)) return cache.get(snap) ?? null;
  let g: Genotype | null = null;
  try {
    // The rows the method ranks (core/methodDerive.ts); softmax(α) for DARTS and most successors.
    g = genotypeFromSoftmax(snap.deriveNormal ?? snap.softmaxNormal, snap.deriveReduce ?? snap.softmaxReduce, config);
  } catch {
    g = null; // a diverged α (NaN) has no genotype; the error banner says why
  }
  cache.set(snap, g);
  return g;
}

export function genotypeFromSoftmax(normal: Float32Array, reduce: Float32Array, config: SearchConfig): Genotype {
  const k = config.ops.length;
  return deriveGenotype(
    { normal: rowsFromFlat(normal, k), reduce: rowsFromFlat(reduce, k) },
    config.ops,
    config.steps,
    config.multiplier,
    'softmax',
  );
}

/** Rows of a flat row-major matrix as plain arrays (for JSON). */
export function toRows(flat: Float32Array, cols: number, digits = 6): number[][] {
  const rows: number[][] = [];
  for (let r = 0; r < flat.length / cols; r++) {
    rows.push(Array.from(flat.subarray(r * cols, (r + 1) * cols), (v) => Number(v.toFixed(digits))));
  }
  return rows;
}
