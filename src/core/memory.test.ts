import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import type { MemoryEstimateInput } from './memory';
import { estimateStepBytes, estimateStepMemory, formatBytes, largestBatchWithin, OP_INTERMEDIATES } from './memory';
import { supernetParamCount } from './params';
import { ALL_OPS } from './primitives';

const lecture: MemoryEstimateInput = { ...DEFAULT_CONFIG, C: 4, layers: 3, inChannels: 1, height: 16, width: 16, batchSize: 16 };
const GiB = 1024 ** 3;

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
    expect(m.totalBytes).toBe(5280);
    expect(estimateStepBytes(tiny)).toBe(5280);
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

  it('grows with C, layers and the input size', () => {
    const base = estimateStepBytes(lecture);
    expect(estimateStepBytes({ ...lecture, C: 8 })).toBeGreaterThan(base);
    expect(estimateStepBytes({ ...lecture, layers: 5 })).toBeGreaterThan(base);
    expect(estimateStepBytes({ ...lecture, height: 32, width: 32 })).toBeGreaterThan(base);
  });

  it('second order adds exactly one copy of the weights', () => {
    const first = estimateStepMemory(lecture);
    const second = estimateStepMemory({ ...lecture, order: 2 });
    expect(second.activationBytes).toBe(first.activationBytes);
    expect(second.weightBytes - first.weightBytes).toBe(4 * supernetParamCount(lecture));
  });

  it('is in a plausible range for the presets (uncalibrated)', () => {
    expect(estimateStepBytes(lecture)).toBeLessThan(256 * 1024 ** 2);
    const paper = estimateStepBytes({ ...DEFAULT_CONFIG });
    // The reference needed most of a 12 GB GPU at this size (spec §8, #18/#98).
    expect(paper).toBeGreaterThan(8 * GiB);
    expect(paper).toBeLessThan(32 * GiB);
  });

  it('largestBatchWithin finds the largest batch that fits', () => {
    const budget = estimateStepBytes({ ...lecture, batchSize: 10 });
    expect(largestBatchWithin(lecture, budget, 64)).toBe(10);
    expect(largestBatchWithin(lecture, budget - 1, 64)).toBe(9);
    expect(largestBatchWithin(lecture, 1000)).toBe(0);
  });

  it('formatBytes', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.50 KiB');
    expect(formatBytes(150 * 1024 ** 2)).toBe('150.0 MiB');
    expect(formatBytes(2 * GiB)).toBe('2.00 GiB');
  });
});
