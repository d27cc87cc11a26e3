import { describe, expect, it } from 'vitest';
import { jacobiEigenvalues } from './symEigen';

describe('jacobiEigenvalues', () => {
  it('diagonalises a matrix with known eigenvalues (Q diag Qᵀ)', () => {
    // Q: a Householder reflection I − 2vvᵀ/‖v‖², orthogonal and symmetric.
    const v = [1, 2, -1, 0.5];
    const vv = v.reduce((s, x) => s + x * x, 0);
    const Q = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
    const d = [3, -1, 0, 7.5];
    const A = Q.map((_, i) => Q.map((_, j) => d.reduce((s, dk, k) => s + Q[i][k] * dk * Q[j][k], 0)));
    const ev = jacobiEigenvalues(A);
    [-1, 0, 3, 7.5].forEach((x, i) => expect(ev[i]).toBeCloseTo(x, 12));
  });

  it('handles 2×2 and diagonal input', () => {
    expect(jacobiEigenvalues([[2, 1], [1, 2]])).toEqual([expect.closeTo(1, 14), expect.closeTo(3, 14)]);
    expect(jacobiEigenvalues([[5, 0], [0, -2]])).toEqual([-2, 5]);
  });
});
