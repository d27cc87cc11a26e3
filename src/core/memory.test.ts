import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import type { MemoryEstimateInput } from './memory';
import {
  CELLWISE_THRESHOLD_BYTES,
  estimateEdgewiseBytes,
  estimateStepBytes,
  estimateStepMemory,
  formatBytes,
  largestBatchWithin,
  MEMORY_CALIBRATION,
  OP_INTERMEDIATES,
  useCellwiseBackprop,
} from './memory';
import { supernetParamCount } from './params';
import { getPreset } from './presets';
import { ALL_OPS } from './primitives';

const lecture: MemoryEstimateInput = { ...DEFAULT_CONFIG, C: 4, layers: 3, inChannels: 1, height: 16, width: 16, batchSize: 16 };
const GiB = 1024 ** 3;
const MB = 1e6;

/** Asserts that every config uses the given strategy and that estimateStepBytes grows along the list. */
function expectGrowingWithin(cellwise: boolean, configs: MemoryEstimateInput[]) {
  for (const c of configs) expect(useCellwiseBackprop(c)).toBe(cellwise);
  for (let i = 1; i < configs.length; i++) expect(estimateStepBytes(configs[i])).toBeGreaterThan(estimateStepBytes(configs[i - 1]));
}

describe('estimateStepBytes', () => {
  it('follows the documented formula on a hand-computed tiny network', () => {
    // C=2, 1 reduction cell with 1 node (2 stride-2 edges), skip only, batch 2, 2×2 input.
    // Activations: input+stem 56, preprocess 2×112, edges 2×(12+2)×8, concat 8, head 16 = 528 floats.
    // Workspace: the cell's 456 floats. Weights: 4×80 params + α 16 floats = 336 floats.
    const tiny: MemoryEstimateInput = {
      ops: ['skip_connect'], steps: 1, multiplier: 1, C: 2, layers: 1, stemMultiplier: 1, inChannels: 1,
      height: 2, width: 2, numClasses: 2, batchSize: 2, order: 1,
    };
    expect(supernetParamCount(tiny)).toBe(80);
    const m = estimateStepMemory(tiny);
    expect(m.activationBytes).toBe(528 * 4);
    expect(m.workspaceBytes).toBe(456 * 4);
    expect(m.weightBytes).toBe(336 * 4);
    // (528 + 456 + 336) floats × 4 bytes = 5280 bytes before calibration.
    expect(m.totalBytes).toBeCloseTo(MEMORY_CALIBRATION * 5280, 6);
    expect(MEMORY_CALIBRATION).toBeGreaterThan(1);
    // Far below the threshold: the engine keeps one tape, so the step estimate is the whole-graph one.
    expect(useCellwiseBackprop(tiny)).toBe(false);
    expect(estimateStepBytes(tiny)).toBe(m.totalBytes);
  });

  it('has an intermediate count for every op', () => {
    for (const op of ALL_OPS) {
      expect(OP_INTERMEDIATES[op].stride1).toBeGreaterThanOrEqual(0);
      expect(OP_INTERMEDIATES[op].stride2).toBeGreaterThanOrEqual(OP_INTERMEDIATES[op].stride1);
    }
  });

  it('activations grow linearly with the batch; weights do not', () => {
    const m16 = estimateStepMemory(lecture);
    const m32 = estimateStepMemory({ ...lecture, batchSize: 32 });
    expect(m32.weightBytes).toBe(m16.weightBytes);
    expect(m32.workspaceBytes).toBeCloseTo(2 * m16.workspaceBytes, 6);
    // Activations are linear in B up to the tiny logits term (2·classes floats per sample are included too).
    expect(m32.activationBytes).toBeCloseTo(2 * m16.activationBytes, 6);
  });

  it('the whole-graph estimate grows with C, layers and the input size', () => {
    const base = estimateStepMemory(lecture).totalBytes;
    expect(estimateStepMemory({ ...lecture, C: 8 }).totalBytes).toBeGreaterThan(base);
    expect(estimateStepMemory({ ...lecture, layers: 5 }).totalBytes).toBeGreaterThan(base);
    expect(estimateStepMemory({ ...lecture, height: 32, width: 32 }).totalBytes).toBeGreaterThan(base);
    expect(estimateStepMemory({ ...lecture, batchSize: 32 }).totalBytes).toBeGreaterThan(base);
  });

  it('estimateStepBytes grows with C, layers, input size and batch within one strategy', () => {
    // Whole graph: a small lecture network stays far below the threshold.
    const small: MemoryEstimateInput = { ...lecture, batchSize: 4 };
    expectGrowingWithin(false, [small, { ...small, C: 6 }]);
    expectGrowingWithin(false, [small, { ...small, layers: 4 }]);
    expectGrowingWithin(false, [small, { ...small, height: 20, width: 20 }]);
    expectGrowingWithin(false, [small, { ...small, batchSize: 8 }]);
    // Edge by edge: the tiny-mnist network is above the threshold already.
    const mnist = getPreset('tiny-mnist');
    expectGrowingWithin(true, [mnist, { ...mnist, C: 10 }]);
    expectGrowingWithin(true, [mnist, { ...mnist, layers: 6 }]);
    expectGrowingWithin(true, [mnist, { ...mnist, height: 32, width: 32 }]);
    expectGrowingWithin(true, [mnist, { ...mnist, batchSize: 64 }]);
  });

  it('uses the estimate of the strategy the engine picks, switching at the threshold', () => {
    // The lecture network crosses CELLWISE_THRESHOLD_BYTES between batch 16 and batch 64.
    let lastWhole = 16;
    while (lastWhole < 64 && !useCellwiseBackprop({ ...lecture, batchSize: lastWhole + 1 })) lastWhole++;
    expect(lastWhole).toBeLessThan(64);
    const below = { ...lecture, batchSize: lastWhole };
    const above = { ...lecture, batchSize: lastWhole + 1 };
    expect(estimateStepMemory(below).totalBytes).toBeLessThanOrEqual(CELLWISE_THRESHOLD_BYTES);
    expect(estimateStepMemory(above).totalBytes).toBeGreaterThan(CELLWISE_THRESHOLD_BYTES);
    expect(estimateStepBytes(below)).toBe(estimateStepMemory(below).totalBytes);
    expect(estimateStepBytes(above)).toBe(estimateEdgewiseBytes(above));
    // Edge by edge is much smaller, so the estimate drops at the switch.
    expect(estimateEdgewiseBytes(above)).toBeLessThan(estimateStepMemory(above).totalBytes / 10);
    expect(estimateStepBytes(above)).toBeLessThan(estimateStepBytes(below));
  });

  it('second order adds exactly one copy of the weights', () => {
    const first = estimateStepMemory(lecture);
    const second = estimateStepMemory({ ...lecture, order: 2 });
    expect(second.activationBytes).toBe(first.activationBytes);
    expect(second.weightBytes - first.weightBytes).toBe(4 * supernetParamCount(lecture));
  });

  it('is in a plausible range for the presets (calibrated)', () => {
    // lecture: one tape, calibrated against a measured tf.profile peak of 577 MB.
    const lec = getPreset('lecture');
    expect(useCellwiseBackprop(lec)).toBe(false);
    expect(estimateStepMemory(lec).totalBytes).toBeGreaterThan(570 * MB);
    expect(estimateStepMemory(lec).totalBytes).toBeLessThan(595 * MB);
    expect(estimateStepBytes(lec)).toBe(estimateStepMemory(lec).totalBytes);
    // tiny-mnist: edge by edge (measured 290 MB), far below its one-tape estimate.
    const mnist = getPreset('tiny-mnist');
    expect(useCellwiseBackprop(mnist)).toBe(true);
    expect(estimateStepBytes(mnist)).toBe(estimateEdgewiseBytes(mnist));
    expect(estimateStepBytes(mnist)).toBeGreaterThan(150 * MB);
    expect(estimateStepBytes(mnist)).toBeLessThan(1.5 * 1e9);
    expect(estimateStepMemory(mnist).totalBytes).toBeGreaterThan(CELLWISE_THRESHOLD_BYTES);
    // The reference defaults (C=16, L=8, batch 64, 32×32): edge by edge, ≈ 1.64 GB, within 2 GiB.
    const paper = estimateStepBytes(DEFAULT_CONFIG);
    expect(useCellwiseBackprop(DEFAULT_CONFIG)).toBe(true);
    expect(paper).toBeGreaterThan(1.5 * 1e9);
    expect(paper).toBeLessThan(2 * GiB);
  });

  it('largestBatchWithin finds the largest batch that fits', () => {
    // Within the whole-graph range of the lecture network (batches up to 20 keep one tape).
    expect(useCellwiseBackprop({ ...lecture, batchSize: 20 })).toBe(false);
    const budget = estimateStepBytes({ ...lecture, batchSize: 10 });
    expect(largestBatchWithin(lecture, budget, 20)).toBe(10);
    expect(largestBatchWithin(lecture, budget - 1, 20)).toBe(9);
    expect(largestBatchWithin(lecture, 1000)).toBe(0);
    expect(largestBatchWithin(lecture, budget, 1)).toBe(0);
  });

  it('largestBatchWithin is exact across the switch to edge-by-edge backprop', () => {
    // The estimate drops where the engine switches strategy, so compare with a linear scan.
    const scan = (cfg: MemoryEstimateInput, budget: number, upTo: number) => {
      for (let b = upTo; b >= 2; b--) if (estimateStepBytes({ ...cfg, batchSize: b }) <= budget) return b;
      return 0;
    };
    for (const budget of [30, 45, 60, 100, 300, 600].map((m) => m * MB)) {
      for (const upTo of [16, 40, 64, 128]) expect(largestBatchWithin(lecture, budget, upTo)).toBe(scan(lecture, budget, upTo));
    }
    // Batch 2 (one tape) is over 45 MB, but the first edge-by-edge batches fit.
    expect(estimateStepBytes({ ...lecture, batchSize: 2 })).toBeGreaterThan(45 * MB);
    const fit = largestBatchWithin(lecture, 45 * MB, 64);
    expect(fit).toBeGreaterThan(16);
    expect(useCellwiseBackprop({ ...lecture, batchSize: fit })).toBe(true);
  });

  it('formatBytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(150 * 1024 ** 2)).toBe('150.0 MiB');
    expect(formatBytes(2 * GiB)).toBe('2.00 GiB');
  });
});
