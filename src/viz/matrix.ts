import type { AlphaMatrix } from './types';

/**
 * Uniform read access to an α matrix that may be nested rows or a flat row-major buffer.
 * Returns `get(row, col)`; a shape mismatch is a programming error (stale snapshot after a
 * search-space change) and throws, naming both shapes.
 */
export function matrixReader(m: AlphaMatrix, rows: number, cols: number): (row: number, col: number) => number {
  if (ArrayBuffer.isView(m)) {
    const flat = m as Float32Array | Float64Array;
    if (flat.length !== rows * cols) {
      throw new RangeError(`α buffer has ${flat.length} values, expected ${rows}×${cols} = ${rows * cols}`);
    }
    return (r, c) => flat[r * cols + c];
  }
  const nested = m as ReadonlyArray<ArrayLike<number>>;
  if (nested.length !== rows || nested.some((row) => row.length !== cols)) {
    throw new RangeError(`α matrix is not ${rows}×${cols} (got ${nested.length} rows)`);
  }
  return (r, c) => nested[r][c];
}

/** Rows of a softmax matrix; a flat buffer needs `numOps` (views, no copies). */
export function matrixRows(m: AlphaMatrix, numOps?: number): ArrayLike<number>[] {
  if (!ArrayBuffer.isView(m)) return [...(m as ReadonlyArray<ArrayLike<number>>)];
  const flat = m as Float32Array | Float64Array;
  if (!numOps || flat.length % numOps !== 0) {
    throw new RangeError(`matrixRows: a flat buffer of ${flat.length} values needs numOps dividing it`);
  }
  return Array.from({ length: flat.length / numOps }, (_, r) => flat.subarray(r * numOps, (r + 1) * numOps));
}
