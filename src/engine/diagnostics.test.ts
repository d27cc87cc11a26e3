/**
 * λ_max by power iteration with finite-difference Hessian-vector products (spec §7):
 *  (a) on a quadratic f(x) = ½ xᵀAx + bᵀx with a known Hessian A;
 *  (b) on a tiny supernet, against the full Hessian ∇²_α L_val built column by column from the
 *      analytic α gradient (central differences along every basis vector, float64 accumulation),
 *      symmetrised and diagonalised by Jacobi (core/symEigen.ts).
 */
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { jacobiEigenvalues } from '../core/symEigen';
import { validateConfig } from '../core/validateConfig';
import { syntheticForConfig } from '../data/synthetic';
import {
  alphaGradientFn,
  dominantEigenvalue,
  EigenTracker,
  finiteDifferenceHvp,
  largestEigenvalue,
  powerIteration,
  randomUnitVector,
  readAlpha,
} from './diagnostics';
import { initNodeBackend } from './node';
import { DartsSearch } from './search';

describe('power iteration on a quadratic (known Hessian)', () => {
  // A = Q diag(d) Qᵀ with a Householder Q; dominant eigenvalue 4, a zero direction like softmax's.
  const v = [1, -2, 0.5, 1, 3, -1];
  const vv = v.reduce((s, x) => s + x * x, 0);
  const Q = v.map((vi, i) => v.map((vj, j) => (i === j ? 1 : 0) - (2 * vi * vj) / vv));
  const d = [4, 2.5, 1, 0, -0.5, 0.25];
  const A = Q.map((_, i) => Q.map((_, j) => d.reduce((s, dk, k) => s + Q[i][k] * dk * Q[j][k], 0)));
  const b = [0.3, -0.1, 0.2, 0, 1, -2];
  const grad = (x: Float64Array) => Float64Array.from(A, (row, i) => row.reduce((s, a, j) => s + a * x[j], 0) + b[i]);

  it('finds λ = 4 from a seeded random start, with central differences exact on a quadratic', async () => {
    const x0 = Float64Array.from([0.1, 0.2, -0.3, 0.4, 0, 1]);
    const res = await powerIteration(finiteDifferenceHvp(grad, x0, 1e-3), 6, { iterations: 60, seed: 3 });
    expect(res.lambda).toBeCloseTo(4, 8);
    // The vector is the first column of Q (up to sign).
    const q0 = Q.map((row) => row[0]);
    expect(Math.abs(q0.reduce((s, x, i) => s + x * res.vector[i], 0))).toBeCloseTo(1, 6);
    expect(res.trace).toHaveLength(res.iterations);
  });

  it('stops early at the tolerance, warm-starts, and is reproducible per seed', async () => {
    const hvp = finiteDifferenceHvp(grad, new Float64Array(6));
    const a = await powerIteration(hvp, 6, { iterations: 200, tol: 1e-10, seed: 1 });
    expect(a.iterations).toBeLessThan(200);
    const warm = await powerIteration(hvp, 6, { iterations: 200, tol: 1e-10, start: a.vector });
    expect(warm.iterations).toBeLessThanOrEqual(3);
    expect(warm.lambda).toBeCloseTo(4, 8);
    expect(randomUnitVector(6, 5)).toEqual(randomUnitVector(6, 5));
    expect(randomUnitVector(6, 5)).not.toEqual(randomUnitVector(6, 6));
  });

  it('largestEigenvalue: the largest algebraic eigenvalue when the largest in magnitude is negative', async () => {
    const dn = [4, 2.5, 1, 0, -6, 0.25]; // |−6| dominates; the largest is 4
    const An = Q.map((_, i) => Q.map((_, j) => dn.reduce((s, dk, k) => s + Q[i][k] * dk * Q[j][k], 0)));
    const hvp = (u: Float64Array) => Float64Array.from(An, (row) => row.reduce((s, a, j) => s + a * u[j], 0));
    expect((await powerIteration(hvp, 6, { iterations: 300, seed: 2 })).lambda).toBeCloseTo(-6, 6);
    expect((await largestEigenvalue(hvp, 6, { iterations: 300, seed: 2 })).lambda).toBeCloseTo(4, 6);
    // A positive dominant eigenvalue needs no second run.
    const pos = await largestEigenvalue(finiteDifferenceHvp(grad, new Float64Array(6), 1e-3), 6, { iterations: 60, seed: 3 });
    expect(pos.lambda).toBeCloseTo(4, 6);
    expect(pos.iterations).toBe(60);
  });

  it('reports 0 when the start lies in the null space', async () => {
    const zero = Float64Array.from(Q.map((row) => row[3])); // eigenvalue 0
    // One iteration: later ones would amplify the round-off component along the dominant vector.
    const res = await powerIteration(finiteDifferenceHvp(grad, new Float64Array(6)), 6, { start: zero, iterations: 1 });
    expect(Math.abs(res.lambda)).toBeLessThan(1e-9);
  });
});

describe('λ_max of ∇²_α L_val on a tiny supernet (cpu), against the exact Hessian', () => {
  // 3 cells N R R, 2-node cells (5 edges), ops {none, skip, avg pool}: α has 2 × 5 × 3 = 30 dims.
  // Why these ops: ReLU and max-pool make ∇_α L_val only piecewise smooth. On a batch this small
  // every ReLU/argmax switch inside ±r is a visible jump of the gradient (measured: with all 8
  // ops a 1e-5 step of one α entry jumps the gradient by 4e-4, and the finite-difference
  // "Hessian" is then far from symmetric at any r). The linear ops leave only the cells'
  // preprocessing ReLUs, which r = 1e-3 does not cross here, so the column-by-column Hessian is
  // symmetric to 1e-4 relative and a sharp reference for the power iteration.
  const OPS = ['none', 'skip_connect', 'avg_pool_3x3'];
  const K = OPS.length;
  const cfg = validateConfig({ C: 2, layers: 3, steps: 2, multiplier: 2, height: 8, width: 8, batchSize: 16, numClasses: 4, epochs: 5, seed: 11, archLr: 0.05, ops: OPS });

  it('matches the largest eigenvalue of the full Hessian; 10 zero directions; no leaks; α restored', async () => {
    await initNodeBackend('cpu');
    const s = DartsSearch.create(cfg, syntheticForConfig(cfg, { trainSize: 64, testSize: 8 }));
    for (let i = 0; i < 6; i++) await s.step('both'); // α and w away from their initial values
    const r = 1e-3;
    const batch = s.lastArchBatch!;
    expect(batch).not.toBeNull();
    const alphaBefore = await readAlpha(s);
    const before = tf.memory().numTensors;

    // Power iteration, as the worker runs it (plus enough iterations to converge tightly).
    const est = await dominantEigenvalue(s, batch, { iterations: 60, tol: 1e-6, seed: 1, r });
    expect(tf.memory().numTensors).toBe(before);
    expect(await readAlpha(s)).toEqual(alphaBefore); // bit-exact (Float64 copies of float32 values)

    // The full Hessian, column j = (g(α + r e_j) − g(α − r e_j)) / 2r, accumulated in float64.
    const val = s.batchToTensors(batch);
    const alpha = await readAlpha(s);
    const n = alpha.length;
    expect(n).toBe(2 * 5 * K);
    const g = alphaGradientFn(s, val);
    const H: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
    for (let j = 0; j < n; j++) {
      const plus = Float64Array.from(alpha);
      const minus = Float64Array.from(alpha);
      plus[j] += r;
      minus[j] -= r;
      const gp = await g(plus);
      const gm = await g(minus);
      for (let i = 0; i < n; i++) H[i][j] = (gp[i] - gm[i]) / (2 * r);
    }
    // Zero directions first (α is still perturbed in place; restored below).
    const hvp = finiteDifferenceHvp(g, alpha, r);
    const rowNorms: number[] = [];
    for (let row = 0; row < n / K; row++) {
      const u = new Float64Array(n);
      for (let k = 0; k < K; k++) u[row * K + k] = 1 / Math.sqrt(K);
      const hu = await hvp(u);
      rowNorms.push(Math.sqrt(hu.reduce((a, x) => a + x * x, 0)));
    }
    tf.tidy(() => {
      s.model.alphaNormal.assign(tf.tensor2d(Float32Array.from(alpha.subarray(0, n / 2)), [5, K]));
      s.model.alphaReduce.assign(tf.tensor2d(Float32Array.from(alpha.subarray(n / 2)), [5, K]));
    });
    tf.dispose([val.x, val.y]);

    const sym = H.map((row, i) => row.map((_, j) => (H[i][j] + H[j][i]) / 2));
    let asym = 0;
    let scale = 0;
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
      asym = Math.max(asym, Math.abs(H[i][j] - H[j][i]));
      scale = Math.max(scale, Math.abs(H[i][j]));
    }
    expect(asym).toBeLessThan(1e-3 * scale); // a Hessian: symmetric up to finite-difference noise
    const ev = jacobiEigenvalues(sym);
    // dominantEigenvalue reports the largest eigenvalue (RobustDARTS: max of the spectrum).
    const dominant = Math.max(...ev);
    expect(Math.abs(dominant)).toBeGreaterThan(0);
    expect(Math.abs(est.lambda - dominant)).toBeLessThan(1e-3 * Math.abs(dominant));
    // Softmax shift invariance: H·1_row = 0 for each of the 10 rows (spec §7 expects one per row).
    for (const nrm of rowNorms) expect(nrm).toBeLessThan(1e-2 * Math.abs(dominant));
    const nearZero = ev.filter((x) => Math.abs(x) < 1e-3 * Math.abs(dominant)).length;
    expect(nearZero).toBeGreaterThanOrEqual(10);
    // eslint-disable-next-line no-console
    console.info(`tiny supernet: power iteration λ = ${est.lambda.toExponential(5)} (${est.iterations} it), Jacobi λ_dom = ${dominant.toExponential(5)}, range [${ev[0].toExponential(3)}, ${ev[n - 1].toExponential(3)}], |H·1_row| max ${Math.max(...rowNorms).toExponential(2)}`);

    // The tracker warm-starts: a second measurement at the same point converges at once.
    const tracker = new EigenTracker({ iterations: 60, tol: 1e-4, seed: 1 });
    const first = await tracker.measure(s);
    const second = await tracker.measure(s);
    expect(second!.iterations).toBeLessThan(first!.iterations);
    expect(Math.abs(second!.lambda - dominant)).toBeLessThan(1e-3 * Math.abs(dominant));
    expect(tf.memory().numTensors).toBe(before);
    expect(await readAlpha(s)).toEqual(alphaBefore);
    s.dispose();
  }, 120_000);
});
