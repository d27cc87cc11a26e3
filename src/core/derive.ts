/**
 * Genotype derivation: the reference `_parse` rule (spec §4.1), applied separately to the
 * normal and the reduction α.
 *
 * For every intermediate node i (incoming rows start..start+i+1, start = rowOffset(i)):
 *  1. W = softmax(α) per row (over ALL ops, `none` included: its mass still counts).
 *  2. Edge strength s(j) = max over the non-`none` columns of W[start+j].
 *  3. Stable sort of the edges by descending strength (ties keep ascending j), keep the first 2.
 *  4. For each kept edge, in that order: best op = argmax over non-`none` columns scanning in
 *     column order with a strict ">" (ties go to the lowest column).
 * Ranking uses probabilities, not raw α: that matters ACROSS edges (khanrc/pt.darts #16, #38;
 * fixture case "softmax-vs-raw").
 *
 * Float semantics: the reference computes softmax in float32. We compute in float64 (max-shifted,
 * so it never overflows) and round every probability to float32 with Math.fround, so values that
 * are equal in float32 tie exactly as they would in the reference, and the tie rules above apply.
 */
import type { GenotypeOpName, OpName } from './primitives';
import type { Genotype, GenotypePair } from './genotype';
import { numEdges, rowOffset } from './searchSpace';

/** α or softmax(α) as rows (edges × ops). Rows may be plain arrays or typed-array views. */
export type AlphaRows = ReadonlyArray<ArrayLike<number>>;

/** Split a flat row-major (edges × numOps) buffer, e.g. an engine snapshot, into row views. */
export function rowsFromFlat(flat: Float32Array | Float64Array | readonly number[], numOps: number): ArrayLike<number>[] {
  if (!Number.isInteger(numOps) || numOps < 1 || flat.length % numOps !== 0) {
    throw new RangeError(`a flat α of length ${flat.length} cannot be split into rows of ${numOps} ops`);
  }
  const rows: ArrayLike<number>[] = [];
  for (let r = 0; r < flat.length / numOps; r++) {
    const a = r * numOps;
    rows.push(Array.isArray(flat) ? flat.slice(a, a + numOps) : (flat as Float32Array | Float64Array).subarray(a, a + numOps));
  }
  return rows;
}

/**
 * Numerically stable softmax of every row, computed in float64 and rounded to float32
 * (see the file comment). Throws on NaN/Inf entries: a diverged α has no meaningful genotype.
 */
export function softmaxRows(rows: AlphaRows): number[][] {
  return rows.map((row, r) => {
    let max = -Infinity;
    for (let k = 0; k < row.length; k++) {
      if (!Number.isFinite(row[k])) throw new RangeError(`α row ${r} column ${k} is ${row[k]}; cannot derive a genotype`);
      if (row[k] > max) max = row[k];
    }
    const e = Array.from({ length: row.length }, (_, k) => Math.exp(row[k] - max));
    const sum = e.reduce((a, b) => a + b, 0);
    return e.map((v) => Math.fround(v / sum));
  });
}

/**
 * Derive one cell's pairs (spec §4.1) from probability rows `W` (edges × ops, column names `ops`).
 * `none` is excluded by NAME, whatever its column.
 */
export function deriveCell(W: AlphaRows, ops: readonly OpName[], steps: number): GenotypePair[] {
  const candidates: number[] = [];
  ops.forEach((op, k) => {
    if (op !== 'none') candidates.push(k);
  });
  if (candidates.length === 0) throw new RangeError('cannot derive a genotype: every column is "none"');
  const pairs: GenotypePair[] = [];
  for (let i = 0; i < steps; i++) {
    const start = rowOffset(i);
    const n = i + 2;
    const strength = (j: number) => {
      let s = -Infinity;
      for (const k of candidates) s = Math.max(s, W[start + j][k]);
      return s;
    };
    const s = Array.from({ length: n }, (_, j) => strength(j));
    // Array.prototype.sort is stable (ES2019): equal strengths keep ascending j.
    const order = Array.from({ length: n }, (_, j) => j).sort((a, b) => s[b] - s[a]);
    for (const j of order.slice(0, 2)) {
      let best = candidates[0];
      for (const k of candidates) if (W[start + j][k] > W[start + j][best]) best = k;
      pairs.push([ops[best] as GenotypeOpName, j]);
    }
  }
  return pairs;
}

/**
 * Derive the genotype from α (spec §4.1).
 *
 * @param alpha      `normal` and `reduce`, each numEdges(steps) rows × ops.length columns
 * @param ops        column names (the config's ops, canonical order)
 * @param steps      intermediate nodes per cell
 * @param multiplier states concatenated: concat = range(2 + steps - multiplier, steps + 2)
 * @param kind       'raw' = α (softmax is applied here), 'softmax' = rows already normalised
 */
export function deriveGenotype(
  alpha: { normal: AlphaRows; reduce: AlphaRows },
  ops: readonly OpName[],
  steps: number,
  multiplier: number,
  kind: 'raw' | 'softmax',
): Genotype {
  const rows = numEdges(steps);
  for (const name of ['normal', 'reduce'] as const) {
    const a = alpha[name];
    if (a.length !== rows) throw new RangeError(`α ${name} has ${a.length} rows; ${steps} nodes need ${rows} edges`);
    a.forEach((row, r) => {
      if (row.length !== ops.length) {
        throw new RangeError(`α ${name} row ${r} has ${row.length} columns; there are ${ops.length} ops`);
      }
    });
  }
  if (!Number.isInteger(multiplier) || multiplier < 1 || multiplier > steps) {
    throw new RangeError(`multiplier must be 1..${steps}, got ${multiplier}`);
  }
  // 'softmax' rows are used as given, rounded to float32 like the reference's tensors.
  const probs = (a: AlphaRows) => (kind === 'raw' ? softmaxRows(a) : a.map((row) => Array.from(row, (v) => Math.fround(v))));
  const concat = Array.from({ length: multiplier }, (_, m) => 2 + steps - multiplier + m);
  return {
    normal: deriveCell(probs(alpha.normal), ops, steps),
    normal_concat: concat,
    reduce: deriveCell(probs(alpha.reduce), ops, steps),
    reduce_concat: [...concat],
  };
}
