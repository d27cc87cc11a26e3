import { describe, expect, it } from 'vitest';
import { decimate } from './decimate';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('decimate', () => {
  it('returns short series unchanged (as plain arrays, NaN turned into gaps)', () => {
    const d = decimate([0, 1, 2], [Float32Array.from([1, NaN, 3])], 10);
    expect(d).toEqual({ xs: [0, 1, 2], ys: [[1, null, 3]] });
  });

  it('keeps at most maxPoints over 10,000+ steps, with first, last, and every extreme', () => {
    const n = 12_345;
    const xs = range(n);
    const loss = xs.map((i) => 2.3 * Math.exp(-i / 3000) + 0.05 * Math.sin(i / 7));
    loss[7777] = 9; // a spike must survive
    loss[4321] = -1; // and so must a dip
    const acc = xs.map((i) => (i % 500 === 0 ? i / n : null)); // sparse: logged every 500 steps
    const d = decimate(xs, [loss, acc], 800);
    expect(d.xs.length).toBeLessThanOrEqual(800);
    expect(d.xs.length).toBeGreaterThan(400);
    expect(d.xs[0]).toBe(0);
    expect(d.xs.at(-1)).toBe(n - 1);
    expect(d.xs).toContain(7777);
    expect(d.xs).toContain(4321);
    expect(Math.max(...(d.ys[0] as number[]))).toBe(9);
    expect(Math.min(...(d.ys[0] as number[]))).toBe(-1);
    for (let i = 1; i < d.xs.length; i++) expect(d.xs[i]).toBeGreaterThan(d.xs[i - 1]);
    // Series stay aligned: every kept value is the original value at that x.
    d.xs.forEach((x, k) => expect(d.ys[0][k]).toBe(loss[x]));
    // The sparse series keeps its points (one per bucket at least where it has any).
    expect(d.ys[1].filter((v) => v !== null).length).toBeGreaterThan(10);
  });

  it('buckets by x value, so irregular steps still get even screen coverage', () => {
    const xs = [...range(1000), ...range(10).map((i) => 10_000 + i * 1000)];
    const d = decimate(xs, [xs.map((x) => Math.sin(x))], 50);
    expect(d.xs.length).toBeLessThanOrEqual(50);
    expect(d.xs.filter((x) => x >= 10_000).length).toBeGreaterThanOrEqual(5);
  });

  it('rejects misaligned series', () => {
    expect(() => decimate([0, 1], [[1]], 10)).toThrow(RangeError);
  });
});
