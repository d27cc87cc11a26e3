/**
 * Eigenvalues of a small real symmetric matrix by the cyclic Jacobi method, in float64.
 *
 * Each rotation J(p, q, θ) zeroes A[p][q] (tan 2θ = 2A_pq / (A_qq − A_pp)); a sweep visits every
 * off-diagonal pair, and the off-diagonal mass falls quadratically once it is small (Golub & Van
 * Loan, "Matrix Computations", §8.5). Slow (O(n³) per sweep) but simple and very accurate: it is
 * the reference the power-iteration λ_max of the collapse diagnostics (engine/diagnostics.ts,
 * spec §7) is tested against, on the 2 × edges × ops dimensional α of a tiny supernet.
 */
export function jacobiEigenvalues(matrix: ArrayLike<number>[], maxSweeps = 100): number[] {
  const n = matrix.length;
  const a = matrix.map((row) => Float64Array.from(row));
  for (const row of a) if (row.length !== n) throw new RangeError('jacobiEigenvalues needs a square matrix');
  for (let sweep = 0; sweep < maxSweeps; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p][q] * a[p][q];
    let diag = 0;
    for (let p = 0; p < n; p++) diag += a[p][p] * a[p][p];
    if (off <= 1e-30 * Math.max(diag, 1e-300)) break;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p][q];
        if (apq === 0) continue;
        // Numerically stable rotation (Numerical Recipes §11.1): t = tan θ, the smaller root.
        const theta = (a[q][q] - a[p][p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          // A ← Jᵀ A J, columns then rows.
          const akp = a[k][p];
          const akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p][k];
          const aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
      }
    }
  }
  return a.map((row, i) => row[i]).sort((x, y) => x - y);
}
