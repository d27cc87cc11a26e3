import { describe, expect, it } from 'vitest';
import { edgeEntropies, edgeMargins, maxEntropy, meanEdgeEntropy, meanMargin, rowEntropy, rowMargin } from './entropy';

describe('entropy and margin', () => {
  it('is ln 8 = 2.0794 for a uniform row over 8 ops (DARTS at init) and 0 for one-hot', () => {
    expect(rowEntropy(Array(8).fill(1 / 8))).toBeCloseTo(2.0794, 4);
    expect(maxEntropy(8)).toBeCloseTo(2.0794, 4);
    expect(rowEntropy([0, 1, 0, 0])).toBe(0);
    expect(rowEntropy([0.5, 0.5])).toBeCloseTo(Math.LN2);
  });

  it('margin is top-1 minus top-2, including ties and single ops', () => {
    expect(rowMargin([0.1, 0.6, 0.3])).toBeCloseTo(0.3);
    expect(rowMargin([0.4, 0.4, 0.2])).toBe(0);
    expect(rowMargin([1])).toBe(0);
  });

  it('averages over edges, for nested rows and for flat Float32Arrays alike', () => {
    const rows = [
      [0.25, 0.25, 0.25, 0.25],
      [1, 0, 0, 0],
    ];
    const flat = Float32Array.from(rows.flat());
    expect(meanEdgeEntropy(rows)).toBeCloseTo(Math.log(4) / 2);
    expect(meanEdgeEntropy(flat, 4)).toBeCloseTo(Math.log(4) / 2, 6);
    expect(edgeEntropies(flat, 4)).toHaveLength(2);
    expect(edgeMargins(rows)).toEqual([0, 1]);
    expect(meanMargin(flat, 4)).toBeCloseTo(0.5);
    expect(() => meanEdgeEntropy(flat)).toThrow(RangeError);
    expect(() => meanEdgeEntropy(flat, 3)).toThrow(RangeError);
  });
});
