/**
 * Collapse diagnostics: the dominant eigenvalue λ_max of the Hessian ∇²_α L_val (spec §6
 * "RobustDARTS", §7 "Instability / sharp minima").
 *
 * Zela et al. (RobustDARTS, ICLR 2020) show that λ_max grows while a DARTS search degrades
 * (skip-connect collapse, sharp minima of L_val in α) and that it correlates with the test error
 * of the derived cell. Their code builds the full Hessian by double backprop; TF.js has no
 * second-order autodiff for our kernels (spec §1.9), so we follow spec §7's last bullet instead:
 *
 *   power iteration   u_{k+1} = H u_k / ‖H u_k‖,          λ_k = u_k · H u_k  (Rayleigh quotient)
 *   with the Hessian-vector product replaced by a central finite difference of the α gradient
 *                     H u ≈ (g(α + r u) − g(α − r u)) / (2r),   g = ∇_α L_val(w, ·),  ‖u‖ = 1
 *
 * (the same trick as DARTS' own second-order step, paper eq. 8; the error is O(r²)·‖∇³L‖ plus
 * float32 round-off of order ε·‖g‖/r, so r ≈ 1e-3 balances the two).
 *
 * Two honest caveats a student should know:
 *  - Power iteration converges to the eigenvalue of largest MAGNITUDE. Away from a minimum of
 *    L_val that can be a negative one; we report it with its sign (RobustDARTS plots the largest
 *    eigenvalue, which in their searches is the positive, dominant one).
 *  - softmax is shift invariant per row (softmax(a + c·1) = softmax(a)), so H has one exact zero
 *    eigenvalue per α row: 2 × 14 = 28 of the 224 dimensions of the default space (spec §7). A
 *    seeded random start has a component along the informative directions with probability 1,
 *    so these zero directions never stall the iteration.
 * RobustDARTS also includes the α weight decay (λ_wd/2)‖α‖² in the Hessian, which shifts every
 * eigenvalue by λ_wd = 1e-3; we report the Hessian of L_val alone (add `archWeightDecay` to
 * compare with their numbers).
 *
 * The pure part (powerIteration, finiteDifferenceHvp) works on any gradient function and is
 * tested on a quadratic with a known Hessian; `dominantEigenvalue` is the glue to a DartsSearch.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../core/rng';
import type { TensorBatch } from './model';
import type { DartsSearch } from './search';
import type { Batch } from './types';

/** A gradient oracle: x ↦ ∇f(x). May be asynchronous (tensor read-back). */
export type GradientFn = (x: Float64Array) => Float64Array | Promise<Float64Array>;
/** A Hessian-vector product oracle: u ↦ H u. */
export type HvpFn = (u: Float64Array) => Float64Array | Promise<Float64Array>;

export interface PowerIterationOptions {
  /** Maximum iterations (spec §7: 10–20). Each one costs one H·u, i.e. 2 gradient evaluations. */
  iterations?: number;
  /** Stop early once |λ_k − λ_{k−1}| ≤ tol·|λ_k| (0 = always run every iteration). */
  tol?: number;
  /** Seed of the random start vector (src/core/rng.ts, stream 'power-iteration'). */
  seed?: number;
  /** Start from this vector instead (e.g. the previous call's eigenvector: a warm start). */
  start?: Float64Array | null;
}

export interface PowerIterationResult {
  /** The Rayleigh quotient u·Hu of the last iteration: the estimate of the dominant eigenvalue. */
  lambda: number;
  /** The unit vector it was measured along (≈ the dominant eigenvector). */
  vector: Float64Array;
  /** H·u products computed. */
  iterations: number;
  /** λ after every iteration (for plots and convergence checks). */
  trace: number[];
}

export const DEFAULT_EIGEN_ITERATIONS = 20;
export const DEFAULT_FD_RADIUS = 1e-3;

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

function normalise(v: Float64Array): Float64Array | null {
  const n = Math.sqrt(dot(v, v));
  if (!(n > 0) || !Number.isFinite(n)) return null;
  const out = new Float64Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i] / n;
  return out;
}

/** A seeded N(0, 1) vector of length `dim`, unit length. */
export function randomUnitVector(dim: number, seed = 0): Float64Array {
  const rng = new Rng(seed, 'power-iteration');
  const v = Float64Array.from({ length: dim }, () => rng.normal());
  return normalise(v) ?? new Float64Array(dim).fill(1 / Math.sqrt(dim));
}

/**
 * Power iteration for the dominant eigenvalue of a symmetric operator given only as u ↦ Hu.
 * λ_k = u_k·Hu_k is the Rayleigh quotient; for symmetric H its error falls like (λ₂/λ₁)^{2k}.
 */
export async function powerIteration(hvp: HvpFn, dim: number, opts: PowerIterationOptions = {}): Promise<PowerIterationResult> {
  const iterations = opts.iterations ?? DEFAULT_EIGEN_ITERATIONS;
  const tol = opts.tol ?? 0;
  let u = (opts.start && opts.start.length === dim ? normalise(opts.start) : null) ?? randomUnitVector(dim, opts.seed ?? 0);
  const trace: number[] = [];
  let lambda = 0;
  let done = 0;
  for (let k = 0; k < iterations; k++) {
    const hu = await hvp(u);
    done++;
    lambda = dot(u, hu); // u is unit length
    trace.push(lambda);
    const next = normalise(hu);
    if (!next) break; // Hu = 0: u lies in the null space (e.g. a pure shift direction), λ = 0
    u = next;
    if (tol > 0 && k > 0 && Math.abs(lambda - trace[k - 1]) <= tol * Math.abs(lambda)) break;
  }
  return { lambda, vector: u, iterations: done, trace };
}

/**
 * Central finite-difference Hessian-vector product around x0 (spec §7):
 * Hu ≈ (g(x0 + r u) − g(x0 − r u)) / (2r). `u` must be unit length (power iteration's is).
 */
/**
 * The largest (algebraic) eigenvalue, as RobustDARTS reports it (max of the Hessian's spectrum).
 * Power iteration converges to the eigenvalue of largest magnitude; when that one is negative, a
 * second run on the shifted operator H − λ₁I (whose spectrum is ≥ 0 up to λ_max − λ₁) finds
 * μ = λ_max − λ₁, so λ_max = λ₁ + μ. Costs twice the products in that case only.
 */
export async function largestEigenvalue(hvp: HvpFn, dim: number, opts: PowerIterationOptions = {}): Promise<PowerIterationResult> {
  const first = await powerIteration(hvp, dim, opts);
  if (first.lambda >= 0) return first;
  const l1 = first.lambda;
  const shifted: HvpFn = async (u) => {
    const hu = await hvp(u);
    const out = new Float64Array(u.length);
    for (let i = 0; i < u.length; i++) out[i] = hu[i] - l1 * u[i];
    return out;
  };
  // Start away from the eigenvector of λ₁ (it is an eigenvector of μ = 0 of the shifted operator).
  const second = await powerIteration(shifted, dim, { ...opts, start: null, seed: (opts.seed ?? 0) + 1 });
  return {
    lambda: l1 + second.lambda,
    vector: second.vector,
    iterations: first.iterations + second.iterations,
    trace: [...first.trace, ...second.trace.map((m) => l1 + m)],
  };
}

export function finiteDifferenceHvp(grad: GradientFn, x0: Float64Array, r = DEFAULT_FD_RADIUS): HvpFn {
  return async (u) => {
    const plus = new Float64Array(x0.length);
    const minus = new Float64Array(x0.length);
    for (let i = 0; i < x0.length; i++) {
      plus[i] = x0[i] + r * u[i];
      minus[i] = x0[i] - r * u[i];
    }
    const gp = await grad(plus);
    const gm = await grad(minus);
    const out = new Float64Array(x0.length);
    for (let i = 0; i < x0.length; i++) out[i] = (gp[i] - gm[i]) / (2 * r);
    return out;
  };
}

// ---------------------------------------------------------------- engine glue

export interface EigenOptions extends PowerIterationOptions {
  /** Finite-difference radius r (spec §7: about 1e-3). */
  r?: number;
}

export interface EigenResult extends PowerIterationResult {
  /** Wall time of the whole computation (2 α-gradient evaluations per iteration). */
  ms: number;
}

/**
 * The concatenated α = [α_normal (row-major edges × ops), α_reduce] of a search, as float64.
 * 2 × 14 × 8 = 224 numbers for the default space.
 */
export async function readAlpha(search: DartsSearch): Promise<Float64Array> {
  const [n, r] = (await Promise.all([search.model.alphaNormal.data(), search.model.alphaReduce.data()])) as Float32Array[];
  const out = new Float64Array(n.length + r.length);
  out.set(n, 0);
  out.set(r, n.length);
  return out;
}

/**
 * ∇_α L_val as a function of α, on one fixed validation batch, at the search's current weights:
 * assigns α into the model's α variables, asks `search.valGradAlpha` (train-mode BN on the batch's
 * own statistics, running statistics untouched, no weight or optimiser update) and reads the
 * gradient back. The caller restores α (dominantEigenvalue does, bit-exactly).
 */
export function alphaGradientFn(search: DartsSearch, val: TensorBatch): GradientFn {
  const aN = search.model.alphaNormal;
  const aR = search.model.alphaReduce;
  const nN = aN.size;
  return async (x) => {
    tf.tidy(() => {
      aN.assign(tf.tensor(Float32Array.from(x.subarray(0, nN)), aN.shape));
      aR.assign(tf.tensor(Float32Array.from(x.subarray(nN)), aR.shape));
    });
    const g = search.valGradAlpha(val);
    try {
      const [dn, dr] = (await Promise.all([g.grads[0].data(), g.grads[1].data()])) as Float32Array[];
      const out = new Float64Array(nN + dr.length);
      out.set(dn, 0);
      out.set(dr, nN);
      return out;
    } finally {
      tf.dispose([g.loss, g.acc, ...g.grads]);
    }
  };
}

/**
 * λ_max of ∇²_α L_val(w, α) at the search's current w and α on the fixed batch `batch` (use
 * `search.lastArchBatch`, the batch of the last α step). α is perturbed in place and restored
 * bit-exactly from a copy afterwards, also when a gradient throws; nothing else in the search
 * changes, and no tensor outlives the call.
 */
export async function dominantEigenvalue(search: DartsSearch, batch: Batch, opts: EigenOptions = {}): Promise<EigenResult> {
  const t0 = now();
  const aN = search.model.alphaNormal;
  const aR = search.model.alphaReduce;
  const savedN = tf.keep(aN.clone());
  const savedR = tf.keep(aR.clone());
  const val = search.batchToTensors(batch);
  try {
    const alpha = await readAlpha(search);
    const hvp = finiteDifferenceHvp(alphaGradientFn(search, val), alpha, opts.r ?? DEFAULT_FD_RADIUS);
    const res = await largestEigenvalue(hvp, alpha.length, opts);
    return { ...res, ms: now() - t0 };
  } finally {
    // Variable.assign takes the saved tensor's storage, so α is restored bit for bit.
    aN.assign(savedN);
    aR.assign(savedR);
    tf.dispose([savedN, savedR, val.x, val.y]);
  }
}

/**
 * A λ_max tracker for the worker and the CLI: the fixed batch is the first measurement's last α
 * step batch (or `fallbackBatch` before any α step), kept for the whole run, and every call after the first warm-starts from the
 * previous eigenvector, so a few iterations suffice while α drifts slowly (the first call starts
 * from a seeded random vector, as spec §7 asks).
 */
export class EigenTracker {
  private vector: Float64Array | null = null;
  /**
   * The batch every measurement uses: the first one seen, kept. With a new batch each time, the
   * series would mostly show how the Hessian differs between batches of 16, not how it changes
   * as the search goes on.
   */
  private batch: Batch | null = null;
  constructor(private readonly opts: EigenOptions = {}) {}

  async measure(search: DartsSearch, fallbackBatch?: () => Batch): Promise<EigenResult | null> {
    if (!this.batch) {
      const b = search.lastArchBatch ?? fallbackBatch?.();
      if (!b) return null;
      this.batch = { x: b.x.slice(), y: b.y.slice(), n: b.n };
    }
    const batch = this.batch;
    const res = await dominantEigenvalue(search, batch, { ...this.opts, start: this.vector });
    this.vector = res.vector;
    return res;
  }

  /** Forget the warm start and the batch (a new run). */
  reset(): void {
    this.vector = null;
    this.batch = null;
  }
}

/** Iterations per λ_max in the worker: warm-started, so 10 suffice between measurements. */
export const DEFAULT_WORKER_EIGEN_ITERATIONS = 10;

/**
 * Give a search the `dominantEigenvalue()` method the worker's loop calls (runner.ts EngineLike):
 * a warm-started EigenTracker on the last α batch; null before the first α step.
 */
export function withDominantEigenvalue<T extends DartsSearch>(
  search: T,
  opts: EigenOptions = { iterations: DEFAULT_WORKER_EIGEN_ITERATIONS, tol: 1e-3 },
): T & { dominantEigenvalue(): Promise<EigenResult | null> } {
  const tracker = new EigenTracker({ seed: search.config.seed, ...opts });
  return Object.assign(search, { dominantEigenvalue: () => tracker.measure(search) });
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
