/**
 * Spec §10.D: the cosine schedule, the first Adam step, momentum SGD; plus multi-step Adam / SGD
 * against float64 recurrences written out from the PyTorch definitions (spec §1.9 hazard 7, §3.3).
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterEach, describe, expect, it } from 'vitest';
import { Rng } from '../core/rng';
import { initNodeBackend } from './node';
import { Adam, cosineLr, MomentumSGD } from './optim';
import { makeVariable } from './params';

describe('cosineLr (spec §3.1, T = 50, lr 0.025 → 0.001)', () => {
  it.each([
    [0, 0.025],
    [1, 0.024976321],
    [10, 0.022708204],
    [25, 0.013],
    [49, 0.0010236793],
    [50, 0.001],
  ])('epoch %i → %f', (e, want) => {
    expect(Math.abs(cosineLr(e, 0.025, 0.001, 50) - want)).toBeLessThan(1e-9); // the spec prints 8–9 significant digits
  });

  it('is monotone non-increasing and stays at lrMin past the last epoch', () => {
    let prev = Infinity;
    for (let e = 0; e <= 60; e++) {
      const lr = cosineLr(e, 0.025, 0.001, 50);
      expect(lr).toBeLessThanOrEqual(prev);
      expect(lr).toBeGreaterThanOrEqual(0.001 - 1e-15);
      prev = lr;
    }
    expect(cosineLr(60, 0.025, 0.001, 50)).toBeCloseTo(0.001, 15);
  });
});

describe.each(['cpu', 'wasm'] as const)('optimisers on %s', (backend) => {
  const live: { dispose(): void }[] = [];
  afterEach(() => {
    live.splice(0).forEach((d) => d.dispose());
  });
  const variable = (v: Float32Array, shape: number[]) => {
    const x = makeVariable(() => tf.tensor(v, shape), true);
    live.push(x);
    return x;
  };

  it('first Adam step from zero state moves every entry by ±3e-4, against the sign of g + λα (§10.D 12)', async () => {
    await initNodeBackend(backend);
    const rng = new Rng(3, 'adam');
    const n = 14 * 8;
    // α ~ 1e-3·N(0,1) like the init and gradients over several magnitudes (|g| ≥ 1e-4, so that
    // ε = 1e-8 is negligible); every 7th entry has g = 0 and α = ±0.5, so only the decay 1e-3·α
    // decides the direction.
    const a0 = Float32Array.from({ length: n }, (_, i) => (i % 7 === 0 ? (i % 2 ? 0.5 : -0.5) : 1e-3 * rng.normal()));
    const g0 = Float32Array.from({ length: n }, (_, i) =>
      i % 7 === 0 ? 0 : (rng.uniform(1, 3) * (rng.next() < 0.5 ? -1 : 1)) * 10 ** -(i % 4) * 1e-1,
    );
    const alpha = variable(a0, [14, 8]);
    const grad = tf.tensor2d(g0, [14, 8]);
    const adam = new Adam(3e-4, 0.5, 0.999, 1e-8, 1e-3);
    live.push(adam);
    const t0 = tf.memory().numTensors;
    adam.apply([alpha], [grad]);
    expect(adam.t).toBe(1);
    const a1 = (await alpha.data()) as Float32Array;
    for (let i = 0; i < n; i++) {
      const d = a1[i] - a0[i];
      const eff = g0[i] + 1e-3 * a0[i];
      expect(Math.abs(Math.abs(d) - 3e-4), `entry ${i}: Δ ${d}`).toBeLessThan(1e-6);
      expect(Math.sign(d)).toBe(-Math.sign(eff));
    }
    // Only the state variables m and v were added.
    expect(tf.memory().numTensors - t0).toBe(2);
    grad.dispose();
  });

  it('Adam matches the PyTorch recurrence over 5 steps (float64 reference)', async () => {
    await initNodeBackend(backend);
    const rng = new Rng(4, 'adam5');
    const n = 24;
    const [lr, b1, b2, eps, wd] = [3e-4, 0.5, 0.999, 1e-8, 1e-3];
    const p = Float64Array.from({ length: n }, () => rng.normal());
    const alpha = variable(Float32Array.from(p), [n]);
    const adam = new Adam(lr, b1, b2, eps, wd);
    live.push(adam);
    const m = new Float64Array(n);
    const v = new Float64Array(n);
    for (let t = 1; t <= 5; t++) {
      const g = Float32Array.from({ length: n }, () => rng.normal() * 0.1);
      const gt = tf.tensor1d(g);
      adam.apply([alpha], [gt]);
      gt.dispose();
      for (let i = 0; i < n; i++) {
        const gi = g[i] + wd * p[i];
        m[i] = b1 * m[i] + (1 - b1) * gi;
        v[i] = b2 * v[i] + (1 - b2) * gi * gi;
        const denom = Math.sqrt(v[i]) / Math.sqrt(1 - b2 ** t) + eps;
        p[i] -= (lr / (1 - b1 ** t)) * (m[i] / denom);
      }
    }
    const got = await alpha.data();
    for (let i = 0; i < n; i++) expect(Math.abs(got[i] - p[i])).toBeLessThan(1e-6);
  });

  it('MomentumSGD: lr 0.025, grad 2, wd 0, clip 1: 1.0 → 0.95 → 0.855 (§10.D 13)', async () => {
    await initNodeBackend(backend);
    const w = variable(Float32Array.of(1), [1]);
    const sgd = new MomentumSGD(0.9, 0);
    live.push(sgd);
    const g = tf.tensor1d([2]);
    const one = tf.scalar(1);
    sgd.apply([w], [g], 0.025, one);
    expect((await w.data())[0]).toBeCloseTo(0.95, 6);
    sgd.apply([w], [g], 0.025, one);
    expect((await w.data())[0]).toBeCloseTo(0.855, 6);
    // The buffer is the PyTorch one (no lr inside): 2, then 0.9·2 + 2.
    expect((await sgd.buffers![0].data())[0]).toBeCloseTo(3.8, 6);
    tf.dispose([g, one]);
  });

  it('MomentumSGD clips the gradient first, then adds the weight decay (spec §3.3)', async () => {
    await initNodeBackend(backend);
    const w = variable(Float32Array.of(1, -2), [2]);
    const sgd = new MomentumSGD(0.9, 0.1);
    live.push(sgd);
    const g = tf.tensor1d([2, 4]);
    const c = tf.scalar(0.5);
    // d = 0.5·g + 0.1·w = [1.1, 1.8]; b = d; w ← w − 0.1·b
    sgd.apply([w], [g], 0.1, c);
    const w1 = await w.data();
    expect(w1[0]).toBeCloseTo(1 - 0.11, 6);
    expect(w1[1]).toBeCloseTo(-2 - 0.18, 6);
    // Second step: d = 0.5·g + 0.1·w1, b = 0.9·b + d.
    sgd.apply([w], [g], 0.1, c);
    const b0 = [1.1, 1.8];
    const w2 = await w.data();
    [0, 1].forEach((i) => {
      const d = 0.5 * [2, 4][i] + 0.1 * w1[i];
      expect(w2[i]).toBeCloseTo(w1[i] - 0.1 * (0.9 * b0[i] + d), 6);
    });
    tf.dispose([g, c]);
  });

  it('neither optimiser leaks tensors per step', async () => {
    await initNodeBackend(backend);
    const w = variable(Float32Array.of(1, 2, 3), [3]);
    const a = variable(Float32Array.of(0.1, -0.1), [2]);
    const sgd = new MomentumSGD(0.9, 3e-4);
    const adam = new Adam(3e-4, 0.5, 0.999, 1e-8, 1e-3);
    live.push(sgd, adam);
    const gw = tf.tensor1d([0.1, 0.2, 0.3]);
    const ga = tf.tensor1d([0.01, -0.02]);
    const c = tf.scalar(1);
    sgd.apply([w], [gw], 0.025, c);
    adam.apply([a], [ga]);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      sgd.apply([w], [gw], 0.025, c);
      adam.apply([a], [ga]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([gw, ga, c]);
  });
});
