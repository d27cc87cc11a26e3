import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import type { MemoryEstimateInput } from './memory';
import {
  CELLWISE_THRESHOLD_BYTES,
  estimateCellwiseBytes,
  estimateStepBytes,
  estimateStepMemory,
  formatBytes,
  largestBatchWithin,
  MEMORY_CALIBRATION,
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
    // C=2, 1 reduction cell (C doubles to 4) with 1 node (2 stride-2 edges), skip only, batch 2,
    // 2×2 input → 1×1 output: one map = 2·1·1·4 = 8 floats.
    // Cell maps: preprocessings 2×4 (they sit at the 2×2 input resolution), per source 1 mixing
    // output + FactorizedReduce 6 + 3 = 10, two sources, + 1 node + 1 concat = 30 maps = 240 floats.
    // Activations: input+stem 2·4·(1 + 4·2) = 72, the cell 240, head 2·(4 + 2·2) = 16 → 328 floats.
    // Workspace: the cell's 240 floats. Weights: 4×80 params + α (2 × 2 edges × 1 op × 4) 16 floats = 336.
    const tiny: MemoryEstimateInput = {
      ops: ['skip_connect'], steps: 1, multiplier: 1, C: 2, layers: 1, stemMultiplier: 1, inChannels: 1,
      height: 2, width: 2, numClasses: 2, batchSize: 2, order: 1,
    };
    expect(supernetParamCount(tiny)).toBe(80);
    const m = estimateStepMemory(tiny);
    expect(m.activationBytes).toBe(328 * 4);
    expect(m.workspaceBytes).toBe(240 * 4);
    expect(m.weightBytes).toBe(336 * 4);
    expect(m.totalBytes).toBeCloseTo(MEMORY_CALIBRATION * (328 + 240 + 336) * 4, 6);
    expect(MEMORY_CALIBRATION).toBeGreaterThan(1);
    // Far below the threshold: the engine keeps one tape, so the step estimate is the whole-graph one.
    expect(useCellwiseBackprop(tiny)).toBe(false);
    expect(estimateStepBytes(tiny)).toBe(m.totalBytes);
  });

  it('activations grow linearly with the batch; weights do not', () => {
    const m16 = estimateStepMemory(lecture);
    const m32 = estimateStepMemory({ ...lecture, batchSize: 32 });
    expect(m32.weightBytes).toBe(m16.weightBytes);
    expect(m32.workspaceBytes).toBeCloseTo(2 * m16.workspaceBytes, 6);
    // Activations are linear in B up to the tiny logits term (2·classes floats per sample are included too).
    expect(m32.activationBytes).toBeCloseTo(2 * m16.activationBytes, 6);
  });

  it('the whole-graph estimate grows with C, layers, the input size and with every op kind', () => {
    const base = estimateStepMemory(lecture).totalBytes;
    expect(estimateStepMemory({ ...lecture, C: 8 }).totalBytes).toBeGreaterThan(base);
    expect(estimateStepMemory({ ...lecture, layers: 5 }).totalBytes).toBeGreaterThan(base);
    expect(estimateStepMemory({ ...lecture, height: 32, width: 32 }).totalBytes).toBeGreaterThan(base);
    expect(estimateStepMemory({ ...lecture, batchSize: 32 }).totalBytes).toBeGreaterThan(base);
    const one = (ops: typeof ALL_OPS[number][]) => estimateStepMemory({ ...lecture, ops }).activationBytes;
    for (const op of ALL_OPS.filter((o) => o !== 'none')) expect(one(['none', op]), op).toBeGreaterThan(one(['none']));
  });

  it('estimateStepBytes grows with C, layers, input size and batch within one strategy', () => {
    // One tape: a small lecture network stays far below the threshold.
    const small: MemoryEstimateInput = { ...lecture, batchSize: 4 };
    expectGrowingWithin(false, [small, { ...small, C: 6 }]);
    expectGrowingWithin(false, [small, { ...small, layers: 4 }]);
    expectGrowingWithin(false, [small, { ...small, height: 20, width: 20 }]);
    expectGrowingWithin(false, [small, { ...small, batchSize: 8 }]);
    // Cell by cell: the paper's network is above the threshold already.
    expectGrowingWithin(true, [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, C: 18 }]);
    expectGrowingWithin(true, [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, layers: 9 }]);
    expectGrowingWithin(true, [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, height: 40, width: 40 }]);
    expectGrowingWithin(true, [DEFAULT_CONFIG, { ...DEFAULT_CONFIG, batchSize: 96 }]);
  });

  it('uses the estimate of the strategy the engine picks, switching at the threshold', () => {
    // The lecture network crosses CELLWISE_THRESHOLD_BYTES between batch 16 and batch 1024.
    let lastWhole = 16;
    while (lastWhole < 1024 && !useCellwiseBackprop({ ...lecture, batchSize: lastWhole + 1 })) lastWhole++;
    expect(lastWhole).toBeLessThan(1024);
    const below = { ...lecture, batchSize: lastWhole };
    const above = { ...lecture, batchSize: lastWhole + 1 };
    expect(estimateStepMemory(below).totalBytes).toBeLessThanOrEqual(CELLWISE_THRESHOLD_BYTES);
    expect(estimateStepMemory(above).totalBytes).toBeGreaterThan(CELLWISE_THRESHOLD_BYTES);
    expect(estimateStepBytes(below)).toBe(estimateStepMemory(below).totalBytes);
    expect(estimateStepBytes(above)).toBe(estimateCellwiseBytes(above));
    // Cell by cell is much smaller, so the estimate drops at the switch.
    expect(estimateCellwiseBytes(above)).toBeLessThan(estimateStepMemory(above).totalBytes / 1.5);
    expect(estimateStepBytes(above)).toBeLessThan(estimateStepBytes(below));
  });

  it('second order adds exactly one copy of the weights', () => {
    const first = estimateStepMemory(lecture);
    const second = estimateStepMemory({ ...lecture, order: 2 });
    expect(second.activationBytes).toBe(first.activationBytes);
    expect(second.weightBytes - first.weightBytes).toBe(4 * supernetParamCount(lecture));
  });

  it('is in a plausible range for the presets (calibrated against measured peaks)', () => {
    // lecture: one tape, measured 44 MB (scripts/calibrate-memory.ts).
    const lec = getPreset('lecture');
    expect(useCellwiseBackprop(lec)).toBe(false);
    expect(estimateStepBytes(lec)).toBeGreaterThan(44 * MB);
    expect(estimateStepBytes(lec)).toBeLessThan(80 * MB);
    // tiny-mnist: one tape (measured 721 MB), under the threshold (issue 9: ≤ 1 GB).
    const mnist = getPreset('tiny-mnist');
    expect(useCellwiseBackprop(mnist)).toBe(false);
    expect(estimateStepBytes(mnist)).toBeGreaterThan(721 * MB);
    expect(estimateStepBytes(mnist)).toBeLessThan(1e9);
    // Cell by cell, tiny-mnist measured 263 MB.
    expect(estimateCellwiseBytes(mnist)).toBeGreaterThan(263 * MB);
    expect(estimateCellwiseBytes(mnist)).toBeLessThan(400 * MB);
    // The reference defaults (C=16, L=8, batch 64, 32×32): cell by cell, within 2 GiB.
    const paper = estimateStepBytes(DEFAULT_CONFIG);
    expect(useCellwiseBackprop(DEFAULT_CONFIG)).toBe(true);
    expect(paper).toBeGreaterThan(1e9);
    expect(paper).toBeLessThan(2 * GiB);
  });

  it('largestBatchWithin finds the largest batch that fits', () => {
    expect(useCellwiseBackprop({ ...lecture, batchSize: 20 })).toBe(false);
    const budget = estimateStepBytes({ ...lecture, batchSize: 10 });
    expect(largestBatchWithin(lecture, budget, 20)).toBe(10);
    expect(largestBatchWithin(lecture, budget - 1, 20)).toBe(9);
    expect(largestBatchWithin(lecture, 1000)).toBe(0);
    expect(largestBatchWithin(lecture, budget, 1)).toBe(0);
  });

  it('largestBatchWithin is exact across the switch to cell-by-cell backprop', () => {
    // The estimate drops where the engine switches strategy, so compare with a linear scan.
    const scan = (cfg: MemoryEstimateInput, budget: number, upTo: number) => {
      for (let b = upTo; b >= 2; b--) if (estimateStepBytes({ ...cfg, batchSize: b }) <= budget) return b;
      return 0;
    };
    for (const budget of [5, 30, 60, 300, 600, 1000].map((m) => m * MB)) {
      for (const upTo of [16, 64, 400, 800]) expect(largestBatchWithin(lecture, budget, upTo)).toBe(scan(lecture, budget, upTo));
    }
    // Just above the switch, a budget below the last one-tape batch's estimate fits a cell-by-cell batch.
    let lastWhole = 16;
    while (!useCellwiseBackprop({ ...lecture, batchSize: lastWhole + 1 })) lastWhole++;
    const budget = estimateStepBytes({ ...lecture, batchSize: lastWhole }) - 1;
    const fit = largestBatchWithin(lecture, budget, lastWhole + 40);
    expect(fit).toBeGreaterThan(lastWhole);
    expect(useCellwiseBackprop({ ...lecture, batchSize: fit })).toBe(true);
  });

  it('formatBytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(150 * 1024 ** 2)).toBe('150.0 MiB');
    expect(formatBytes(2 * GiB)).toBe('2.00 GiB');
  });
});
