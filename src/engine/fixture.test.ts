/**
 * Spec §10.E: the supernet reproduces the reference PyTorch numbers (logits, losses, gradient
 * norm, first- and second-order α gradients) within 1e-4 on cpu and on wasm.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { archGradFirstOrder, archGradSecondOrder, globalNorm, lossAndGrads } from './bilevel';
import { initNodeBackend } from './node';
import { fixtureBatch, fixtureModel, loadFixture } from './testing/fixture';
import type { SupernetModel, TensorBatch } from './model';

const fx = loadFixture();
const E = fx.expected;
const TOL = 1e-4;

function expectClose(actual: ArrayLike<number>, expected: number[], tol = TOL) {
  expect(actual.length).toBe(expected.length);
  let worst = 0;
  for (let i = 0; i < expected.length; i++) worst = Math.max(worst, Math.abs(actual[i] - expected[i]));
  expect(worst).toBeLessThanOrEqual(tol);
}

// Whole-network backprop on both backends, and cell-by-cell backprop (cellwise.ts) on both.
describe.each([
  ['cpu', false],
  ['wasm', false],
  ['cpu', true],
  ['wasm', true],
] as const)('supernet fixture on %s (cellwise %s)', (backend, cellwise) => {
  let model: SupernetModel;
  let train: TensorBatch;
  let val: TensorBatch;
  beforeAll(async () => {
    await initNodeBackend(backend);
    model = fixtureModel();
    model.cellwise = cellwise;
    train = fixtureBatch(0, [0, 1, 2, 3]);
    val = fixtureBatch(1000, [3, 4, 5, 6]);
  });
  afterAll(() => {
    model.dispose();
    tf.dispose([train.x, train.y, val.x, val.y]);
  });

  it('has the reference weight count', () => {
    expect(model.paramCount).toBe(E.weight_count);
  });

  it('matches logits and losses (train-mode BN)', async () => {
    const logits = tf.tidy(() => model.logits(train.x, true, false));
    expectClose(await logits.data(), E.train_logits.flat());
    logits.dispose();
    const t = tf.tidy(() => model.loss(train, true, false).loss);
    const v = tf.tidy(() => model.loss(val, true, false).loss);
    expect(Math.abs((await t.data())[0] - E.train_loss)).toBeLessThan(TOL);
    expect(Math.abs((await v.data())[0] - E.val_loss)).toBeLessThan(TOL);
    tf.dispose([t, v]);
  });

  it('matches the global norm of dL_train/dw', async () => {
    const r = lossAndGrads(model, train, model.weights, false);
    const n = globalNorm(r.grads);
    expect(Math.abs((await n.data())[0] - E.train_grad_global_norm)).toBeLessThan(TOL);
    tf.dispose([r.loss, r.acc, n, ...r.grads]);
  });

  it('matches the first-order α gradients', async () => {
    const r = archGradFirstOrder(model, val);
    expectClose(await r.grads[0].data(), E.first_order_grad_alpha_normal.flat());
    expectClose(await r.grads[1].data(), E.first_order_grad_alpha_reduce.flat());
    tf.dispose([r.loss, r.acc, ...r.grads]);
  });

  it('matches the second-order α gradients and restores w exactly', async () => {
    const before = await Promise.all(model.weights.map((w) => w.data()));
    const s = fx.second_order_settings;
    const r = archGradSecondOrder(model, train, val, { eta: s.eta, momentum: s.momentum, weightDecay: s.weight_decay, momentumBuffers: null });
    expectClose(await r.grads[0].data(), E.second_order_grad_alpha_normal.flat());
    expectClose(await r.grads[1].data(), E.second_order_grad_alpha_reduce.flat());
    tf.dispose([r.loss, r.acc, ...r.grads]);
    const after = await Promise.all(model.weights.map((w) => w.data()));
    after.forEach((a, i) => expect(Array.from(a)).toEqual(Array.from(before[i])));
  });
});
