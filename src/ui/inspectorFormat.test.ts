import { describe, expect, it } from 'vitest';
import {
  edgeNames,
  edgeOptions,
  edgeReadings,
  fmtNum,
  fmtSigned,
  gradRowSum,
  mixedOpTex,
  softmaxTex,
  sparkPaths,
  texNum,
} from './inspectorFormat';
import { renderTex } from './texRender';

const OPS = ['none', 'max_pool_3x3', 'skip_connect'];
// 2 edges × 3 ops, row-major.
const raw = Float32Array.from([0, 0, 0, 1, 0, -1]);
const sm = (row: number[]) => {
  const e = row.map(Math.exp);
  const s = e.reduce((a, b) => a + b);
  return e.map((v) => v / s);
};
const softmax = Float32Array.from([...sm([0, 0, 0]), ...sm([1, 0, -1])]);
const grad = Float32Array.from([0.01, -0.004, -0.006, 2.5e-5, -1e-5, -1.5e-5]);

describe('edge readings', () => {
  it('picks the row of the edge, with the gradient when there is one', () => {
    const r = edgeReadings({ raw, softmax, grad }, 1, OPS);
    expect(r.map((x) => x.op)).toEqual(OPS);
    expect(r[0].alpha).toBe(1);
    expect(r[2].alpha).toBe(-1);
    expect(r[0].p).toBeCloseTo(Math.exp(1) / (Math.exp(1) + 1 + Math.exp(-1)), 6);
    expect(r[0].grad).toBeCloseTo(2.5e-5, 9);
    expect(gradRowSum(r)).toBeCloseTo(0, 9);
  });

  it('has no gradient before the first α step', () => {
    const r = edgeReadings({ raw, softmax }, 0, OPS);
    expect(r.every((x) => x.grad === null)).toBe(true);
    expect(gradRowSum(r)).toBeNull();
  });
});

describe('number formatting', () => {
  it('formats HTML numbers with fixed decimals, small ones in scientific notation', () => {
    expect(fmtNum(0.125)).toBe('0.1250');
    expect(fmtNum(-0.0031)).toBe('−0.0031');
    expect(fmtNum(2.41e-5)).toBe('2.41e−5');
    expect(fmtNum(-2.41e-5)).toBe('−2.41e−5');
    expect(fmtNum(0)).toBe('0');
    expect(fmtNum(null)).toBe('–');
    expect(fmtNum(undefined)).toBe('–');
    expect(fmtNum(NaN)).toBe('NaN');
    expect(fmtNum(1.23456, 2)).toBe('1.23');
    expect(fmtSigned(0.01)).toBe('+0.0100');
    expect(fmtSigned(-0.01)).toBe('−0.0100');
    expect(fmtSigned(null)).toBe('–');
  });

  it('formats TeX numbers, with ×10^k for small ones', () => {
    expect(texNum(0.125)).toBe('0.1250');
    expect(texNum(-2.41e-5)).toBe('-2.41 \\times 10^{-5}');
    expect(texNum(NaN)).toBe('\\text{NaN}');
    expect(texNum(0)).toBe('0');
    for (const v of [0.125, -2.41e-5, NaN, Infinity, 0]) expect(() => renderTex(texNum(v), false, true)).not.toThrow();
  });
});

describe('formulas', () => {
  it('fills eq. 2 with the live softmax weights and valid TeX', () => {
    const r = edgeReadings({ raw, softmax, grad }, 1, OPS);
    const tex = mixedOpTex(1, 0, r);
    expect(tex).toContain('\\bar{o}^{(c_{k-1},\\,0)}(x)');
    expect(tex).toContain(`${r[0].p.toFixed(4)}\\,\\text{none}(x)`);
    expect(tex).toContain('\\text{max\\_pool\\_3x3}(x)');
    // 3 terms, 2 per line → a line break
    expect(tex.split('\\\\')).toHaveLength(2);
    const html = renderTex(tex, true, true);
    expect(html).toContain(r[2].p.toFixed(4));
    expect(() => renderTex(softmaxTex(r), true, true)).not.toThrow();
    expect(softmaxTex(r)).toContain(`= ${r[0].p.toFixed(4)}`);
  });

  it('names edges like the drawing, source first as in the paper', () => {
    expect(edgeNames(0, 0).words).toBe('c_{k-2} → node 0');
    expect(edgeNames(3, 2)).toEqual({ words: 'node 1 → node 2', texPair: '(1,\\,2)' });
  });

  it('lists every edge of both cells, in α row order', () => {
    const opts = edgeOptions(2);
    expect(opts).toHaveLength(10);
    expect(opts[0]).toMatchObject({ cell: 'normal', row: 0, from: 0, to: 0 });
    expect(opts[4]).toMatchObject({ cell: 'normal', row: 4, from: 2, to: 1, label: 'normal: node 0 → node 1' });
    expect(opts[5].cell).toBe('reduce');
  });
});

describe('sparkPaths', () => {
  it('scales x over the steps and y over the data range', () => {
    const { paths, lo, hi } = sparkPaths([0, 5, 10], [[0.1, 0.2, 0.3], [0.3, 0.2, 0.1]], 100, 50);
    expect(lo).toBeCloseTo(0.1);
    expect(hi).toBeCloseTo(0.3);
    expect(paths[0]).toBe('M0.0,50.0L50.0,25.0L100.0,0.0');
    expect(paths[1]).toBe('M0.0,0.0L50.0,25.0L100.0,50.0');
  });

  it('widens a flat range to minSpan and strides long histories, keeping the last point', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const ys = xs.map(() => 0.125);
    const { paths, lo, hi } = sparkPaths(xs, [ys], 100, 50, { maxPoints: 10, minSpan: 0.01 });
    expect(hi - lo).toBeCloseTo(0.01);
    const points = paths[0].match(/[ML]/g) ?? [];
    expect(points.length).toBeLessThanOrEqual(11);
    expect(paths[0].endsWith('L100.0,25.0')).toBe(true);
  });

  it('returns empty paths without data', () => {
    expect(sparkPaths([], [[]], 10, 10).paths).toEqual(['']);
  });
});
