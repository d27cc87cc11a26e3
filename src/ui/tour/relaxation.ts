/**
 * The maths behind the relaxation widget (paper eq. 2, spec §2): three toy operations on a 1-D
 * signal, blended by softmax(α). Pure, so the numbers the widget shows are unit-tested.
 */
import { texOp } from '../tex';

/** Numerically stable softmax: subtracting the max changes nothing (shift invariance, spec §2). */
export function softmax(alpha: readonly number[]): number[] {
  const m = Math.max(...alpha);
  const e = alpha.map((a) => Math.exp(a - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((v) => v / s);
}

export interface ToyOp {
  /** Named like the DARTS op it stands for, so the colours match the cells. */
  id: 'skip_connect' | 'avg_pool_3x3' | 'none';
  /** The name shown (the 1-D pool is not a 3×3 one). */
  short: string;
  label: string;
  apply(x: readonly number[]): number[];
}

/** Moving average over `width` samples; like count_include_pad=False, the border averages fewer. */
export function movingAverage(x: readonly number[], width: number): number[] {
  const r = Math.floor(width / 2);
  return x.map((_, t) => {
    let s = 0;
    let n = 0;
    for (let k = t - r; k <= t + r; k++) {
      if (k >= 0 && k < x.length) {
        s += x[k];
        n++;
      }
    }
    return s / n;
  });
}

export const TOY_OPS: readonly ToyOp[] = [
  { id: 'skip_connect', short: 'skip_connect', label: 'skip_connect: identity', apply: (x) => [...x] },
  { id: 'avg_pool_3x3', short: 'avg_pool', label: 'avg_pool (1-D, width 7): smooths', apply: (x) => movingAverage(x, 7) },
  { id: 'none', short: 'none', label: 'none: zero', apply: (x) => x.map(() => 0) },
];

/** A deterministic noisy signal: a step plus a wave plus hash noise (no RNG, same in every run). */
export function toySignal(n = 64): number[] {
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    const step = t >= n * 0.35 && t < n * 0.7 ? 1 : 0;
    const wave = 0.25 * Math.sin((2 * Math.PI * t) / 16);
    const h = Math.sin(t * 12.9898) * 43758.5453;
    const noise = 0.35 * (h - Math.floor(h) - 0.5);
    out.push(step + wave + noise);
  }
  return out;
}

/** ō(x) = Σ_o softmax(α)_o · o(x), and each op's own output. */
export function blend(alpha: readonly number[], x: readonly number[], ops: readonly ToyOp[] = TOY_OPS) {
  const p = softmax(alpha);
  const outputs = ops.map((op) => op.apply(x));
  const mixed = x.map((_, t) => outputs.reduce((s, o, k) => s + p[k] * o[t], 0));
  return { p, outputs, mixed };
}

/** SVG path of a series in a w×h box with y range [lo, hi] (y grows downwards). */
export function linePath(ys: readonly number[], w: number, h: number, lo: number, hi: number): string {
  const n = ys.length;
  const sx = n > 1 ? w / (n - 1) : 0;
  const sy = hi > lo ? h / (hi - lo) : 0;
  return ys
    .map((y, i) => `${i === 0 ? 'M' : 'L'}${(i * sx).toFixed(1)},${(h - (y - lo) * sy).toFixed(1)}`)
    .join('');
}

/** ō(x) = Σ_o p_o · o(x) with the weights filled in, broken after two terms so it fits the sheet. */
export function blendTex(p: readonly number[], ops: readonly ToyOp[] = TOY_OPS): string {
  const terms = ops.map((op, k) => `${p[k].toFixed(2)}\\,${texOp(op.short)}(x)`);
  const rest = terms.slice(2);
  return (
    `\\begin{aligned} \\bar{o}(x) &= ${terms.slice(0, 2).join(' + ')}` +
    (rest.length ? ` \\\\ &\\quad + ${rest.join(' + ')}` : '') +
    ' \\end{aligned}'
  );
}
