import { describe, expect, it } from 'vitest';
import { renderTex } from '../texRender';
import { blend, blendTex, linePath, movingAverage, softmax, TOY_OPS, toySignal } from './relaxation';

describe('relaxation maths', () => {
  it('softmax is positive, sums to 1, is uniform for equal α and shift invariant', () => {
    expect(softmax([0, 0, 0])).toEqual([1 / 3, 1 / 3, 1 / 3]);
    const p = softmax([2, 0, -1]);
    expect(p.reduce((a, b) => a + b)).toBeCloseTo(1, 12);
    expect(p[0]).toBeCloseTo(Math.exp(2) / (Math.exp(2) + 1 + Math.exp(-1)), 12);
    const q = softmax([102, 100, 99]);
    q.forEach((v, i) => expect(v).toBeCloseTo(p[i], 12));
    expect(softmax([1000, 0])[0]).toBe(1); // no overflow
  });

  it('moving average keeps constants and averages fewer samples at the border', () => {
    expect(movingAverage([2, 2, 2, 2], 3)).toEqual([2, 2, 2, 2]);
    expect(movingAverage([0, 3, 6], 3)).toEqual([1.5, 3, 4.5]);
  });

  it('the blend is the softmax-weighted sum of the op outputs', () => {
    const x = toySignal(32);
    const { p, outputs, mixed } = blend([1, 0, -1], x);
    expect(outputs).toHaveLength(TOY_OPS.length);
    for (const t of [0, 10, 31]) {
      expect(mixed[t]).toBeCloseTo(p[0] * x[t] + p[1] * outputs[1][t] + p[2] * 0, 12);
    }
    // All weight on skip_connect gives the input back; all on none gives zero.
    expect(blend([50, -50, -50], x).mixed[5]).toBeCloseTo(x[5], 10);
    expect(blend([-50, -50, 50], x).mixed[5]).toBeCloseTo(0, 10);
  });

  it('the toy signal is deterministic and linePath maps the range onto the box', () => {
    expect(toySignal(16)).toEqual(toySignal(16));
    expect(linePath([0, 1], 10, 20, 0, 1)).toBe('M0.0,20.0L10.0,0.0');
  });

  it('typesets the blend with the live weights (valid KaTeX)', () => {
    const tex = blendTex(softmax([0, 2, 0]));
    expect(tex).toContain('0.79\\,\\text{avg\\_pool}(x)');
    expect(tex).toContain('0.11\\,\\text{none}(x)');
    expect(() => renderTex(tex, true, true)).not.toThrow();
  });
});
