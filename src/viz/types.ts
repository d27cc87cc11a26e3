/**
 * Shapes shared by the viz modules.
 *
 * The genotype types are *structural* on purpose: `src/core/genotype.ts` owns the real
 * `Genotype`, and anything of the form `{normal: [op, input][], normal_concat: number[], …}`
 * is assignable to `GenotypeLike`, so viz never has to import (or wait for) core's module.
 */

/** Which of the two α matrices / cell types a drawing shows. */
export type CellKind = 'normal' | 'reduce';

/**
 * One cell of a genotype: 2 × steps `(op, input)` pairs, node-major (spec §4.1).
 * Pair p belongs to intermediate node ⌊p/2⌋; input 0 = c_{k-2}, 1 = c_{k-1}, j ≥ 2 = node j-2.
 */
export type CellPairs = ReadonlyArray<readonly [string, number]>;

/** The project's genotype JSON (design.md "Formats"), read-only and structural. */
export interface GenotypeLike {
  normal: CellPairs;
  normal_concat: readonly number[];
  reduce: CellPairs;
  reduce_concat: readonly number[];
}

/**
 * Softmax(α) or raw α of ONE cell type: either rows (edges × ops) or a flat row-major
 * Float32Array of length edges·ops (what the worker posts; use `subarray` to cut one cell out).
 */
export type AlphaMatrix = Float32Array | Float64Array | ReadonlyArray<ArrayLike<number>>;
