/**
 * The genotype each method derives (spec §4.1 and §6), from raw α (and PC-DARTS' β):
 * - DARTS, DARTS-, GDAS, SDARTS-RS: the reference `_parse` on softmax(α).
 * - PC-DARTS: `_parse` on W[e, :] · softmax(β over node j's incoming edges)_e (PC-DARTS
 *   model_search.py genotype(): the edge weight scales every op of its row before ranking).
 * - FairDARTS: ranking by σ(α) (ops do not compete). Its "threshold_sparse" rule keeps a chosen
 *   op only when σ ≥ threshold (0.85); the genotype keeps the two choices per node so the
 *   reference evaluation code can train it, and lists the choices below the threshold.
 */
import type { MethodConfig } from './methods';
import type { SearchSpaceConfig } from './config';
import { deriveGenotype, rowsFromFlat, softmaxRows } from './derive';
import type { Genotype } from './genotype';
import { rowOffset } from './searchSpace';

export interface MethodAlphas {
  rawNormal: Float32Array;
  rawReduce: Float32Array;
  betaNormal?: Float32Array | null;
  betaReduce?: Float32Array | null;
}

export interface MethodGenotype {
  genotype: Genotype;
  /** The rows the derivation ranked (probabilities, β-scaled or sigmoids), row-major edges × ops. */
  rows: { normal: number[][]; reduce: number[][] };
  /** FairDARTS: the choices whose σ is below the threshold (dropped by threshold_sparse). */
  belowThreshold: { cell: 'normal' | 'reduce'; node: number; from: number; op: string; sigma: number }[];
}

type Cfg = Pick<SearchSpaceConfig, 'ops' | 'steps' | 'multiplier'> & Partial<Pick<MethodConfig, 'method' | 'fairThreshold'>>;

const sigmoid = (v: number) => Math.fround(1 / (1 + Math.exp(-v)));

/** softmax within each node's incoming edges (PC-DARTS weights2). */
export function edgeSoftmax(beta: ArrayLike<number>, steps: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const seg = Array.from({ length: i + 2 }, (_, j) => beta[rowOffset(i) + j]);
    out.push(...softmaxRows([seg])[0]);
  }
  return out;
}

/** The rows `_parse` ranks for the configured method. */
export function derivationRows(cfg: Cfg, raw: Float32Array, beta?: Float32Array | null): number[][] {
  const k = cfg.ops.length;
  const rows = rowsFromFlat(raw, k);
  if (cfg.method === 'fair-darts') return rows.map((r) => Array.from(r, sigmoid));
  const p = softmaxRows(rows);
  if (cfg.method !== 'pc-darts' || !beta) return p;
  const b = edgeSoftmax(beta, cfg.steps);
  return p.map((row, e) => row.map((v) => Math.fround(v * b[e])));
}

export function deriveForMethod(cfg: Cfg, a: MethodAlphas): MethodGenotype {
  const normal = derivationRows(cfg, a.rawNormal, a.betaNormal);
  const reduce = derivationRows(cfg, a.rawReduce, a.betaReduce);
  const genotype = deriveGenotype({ normal, reduce }, cfg.ops, cfg.steps, cfg.multiplier, 'softmax');
  const belowThreshold: MethodGenotype['belowThreshold'] = [];
  if (cfg.method === 'fair-darts') {
    const t = cfg.fairThreshold ?? 0.85;
    for (const cell of ['normal', 'reduce'] as const) {
      const rows = cell === 'normal' ? normal : reduce;
      genotype[cell].forEach(([op, from], i) => {
        const node = Math.floor(i / 2);
        const sigma = rows[rowOffset(node) + from][(cfg.ops as readonly string[]).indexOf(op)];
        if (sigma < t) belowThreshold.push({ cell, node, from, op, sigma });
      });
    }
  }
  return { genotype, rows: { normal, reduce }, belowThreshold };
}
