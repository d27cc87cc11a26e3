/**
 * The edge inspector's numbers and formulas, as pure functions (unit-tested in Node): one edge's
 * readings out of a snapshot, the mixed-op formula with the live weights (paper eq. 2), number
 * formatting for HTML and TeX, and the softmax-history sparkline.
 */
import { cellEdges } from '../core/searchSpace';
import { stateLabel } from '../viz/nodeLabel';
import { texOp, texState } from './tex';

export interface EdgeReading {
  op: string;
  /** Raw α_o. */
  alpha: number;
  /** softmax(α)_o. */
  p: number;
  /** ∂L_val/∂α_o of the last α step (spec §3.4/§3.5), or null before the first α step. */
  grad: number | null;
}

/** Row-major edges × ops arrays of one cell type, as a LiveSnapshot carries them. */
export interface CellArrays {
  raw: ArrayLike<number>;
  softmax: ArrayLike<number>;
  grad?: ArrayLike<number> | null;
}

export function edgeReadings(arrays: CellArrays, row: number, ops: readonly string[]): EdgeReading[] {
  const k = ops.length;
  return ops.map((op, c) => ({
    op,
    alpha: arrays.raw[row * k + c],
    p: arrays.softmax[row * k + c],
    grad: arrays.grad && arrays.grad.length >= (row + 1) * k ? arrays.grad[row * k + c] : null,
  }));
}

/** Below this magnitude numbers switch to scientific notation (gradients are often ~1e-5). */
const SMALL = 1e-3;

/** '0.1250', '-0.0031', '2.41e-5', '0', or '–' when there is no number. */
export function fmtNum(v: number | null | undefined, digits = 4): string {
  if (v === null || v === undefined) return '–';
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  if (Math.abs(v) < SMALL) return v.toExponential(2).replace('e-', 'e−').replace('-', '−');
  return v.toFixed(digits).replace('-', '−');
}

/** Like fmtNum with an explicit '+' on positive values (changes and gradients). */
export function fmtSigned(v: number | null | undefined, digits = 4): string {
  const s = fmtNum(v, digits);
  return v !== null && v !== undefined && v > 0 ? `+${s}` : s;
}

/** A number as TeX: '0.1250', '-2.41 \times 10^{-5}', '\text{NaN}'. */
export function texNum(v: number, digits = 4): string {
  if (Number.isNaN(v)) return '\\text{NaN}';
  if (!Number.isFinite(v)) return v > 0 ? '\\infty' : '-\\infty';
  if (v === 0) return '0';
  if (Math.abs(v) < SMALL) {
    const [m, e] = v.toExponential(2).split('e');
    return `${m} \\times 10^{${Number(e)}}`;
  }
  return v.toFixed(digits);
}

/** 'c_{k-1} → node 0' in words; the TeX superscript '(c_{k-1},\,0)' (source, target as in the paper). */
export function edgeNames(from: number, to: number): { words: string; texPair: string } {
  return { words: `${stateLabel(from)} → node ${to}`, texPair: `(${texState(from)},\\,${to})` };
}

/**
 * Eq. 2 with the live numbers, two terms per line:
 * ō^{(c_{k-1},0)}(x) = 0.1250·none(x) + 0.1250·max_pool_3x3(x) + …
 */
export function mixedOpTex(from: number, to: number, readings: readonly EdgeReading[], perLine = 2): string {
  const lhs = `\\bar{o}^{${edgeNames(from, to).texPair}}(x)`;
  const terms = readings.map((r) => `${texNum(r.p)}\\,${texOp(r.op)}(x)`);
  const lines: string[] = [];
  for (let i = 0; i < terms.length; i += perLine) lines.push(terms.slice(i, i + perLine).join(' + '));
  const body = lines.map((l, i) => (i === 0 ? `${lhs} &= ${l}` : `&\\quad + ${l}`)).join(' \\\\ ');
  return `\\begin{aligned} ${body} \\end{aligned}`;
}

/** softmax of the top op spelled out: p_o = e^{α_o} / Σ_o' e^{α_o'} = 0.1301. */
export function softmaxTex(readings: readonly EdgeReading[]): string {
  if (readings.length === 0) return '';
  let top = 0;
  readings.forEach((r, i) => {
    if (r.p > readings[top].p) top = i;
  });
  const r = readings[top];
  return (
    `p_{${texOp(r.op)}} = \\frac{e^{\\alpha_{${texOp(r.op)}}}}{\\sum_{o'} e^{\\alpha_{o'}}} = ` +
    `\\frac{e^{${texNum(r.alpha)}}}{${texNum(readings.reduce((s, x) => s + Math.exp(x.alpha), 0))}} = ${texNum(r.p)}`
  );
}

/** Σ_o ∂L/∂α_o: ~0 by softmax shift invariance (spec §2); null without a gradient. */
export function gradRowSum(readings: readonly EdgeReading[]): number | null {
  if (readings.some((r) => r.grad === null)) return null;
  return readings.reduce((s, r) => s + (r.grad as number), 0);
}

export interface EdgeOption {
  cell: 'normal' | 'reduce';
  row: number;
  from: number;
  to: number;
  label: string;
}

/** Every edge of both cells, for the inspector's select (keyboard access without the drawing). */
export function edgeOptions(steps: number): EdgeOption[] {
  return (['normal', 'reduce'] as const).flatMap((cell) =>
    cellEdges(steps).map((e) => ({
      cell,
      row: e.row,
      from: e.from,
      to: e.to,
      label: `${cell === 'normal' ? 'normal' : 'reduction'}: ${edgeNames(e.from, e.to).words}`,
    })),
  );
}

/**
 * Sparkline paths: one `d` per series over a w×h box. x is scaled over [xs[0], xs[last]]; y over
 * the data's range, widened to at least `minSpan` (α moves in the 4th decimal early on). At most
 * `maxPoints` points per series (evenly strided, always keeping the last one).
 */
export function sparkPaths(
  xs: readonly number[],
  series: readonly (readonly number[])[],
  w: number,
  h: number,
  { minSpan = 0.01, maxPoints = 160 }: { minSpan?: number; maxPoints?: number } = {},
): { paths: string[]; lo: number; hi: number } {
  const n = xs.length;
  if (n === 0 || series.length === 0) return { paths: series.map(() => ''), lo: 0, hi: 1 };
  const stride = Math.max(1, Math.ceil(n / maxPoints));
  const idx: number[] = [];
  for (let i = 0; i < n; i += stride) idx.push(i);
  if (idx[idx.length - 1] !== n - 1) idx.push(n - 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (const s of series) for (const i of idx) if (Number.isFinite(s[i])) (lo = Math.min(lo, s[i])), (hi = Math.max(hi, s[i]));
  if (!Number.isFinite(lo)) (lo = 0), (hi = 1);
  if (hi - lo < minSpan) {
    const mid = (lo + hi) / 2;
    lo = mid - minSpan / 2;
    hi = mid + minSpan / 2;
  }
  const x0 = xs[0];
  const dx = xs[n - 1] - x0;
  const X = (i: number) => (dx > 0 ? ((xs[i] - x0) / dx) * w : n === 1 ? w / 2 : (i / (n - 1)) * w);
  const Y = (v: number) => h - ((v - lo) / (hi - lo)) * h;
  const paths = series.map((s) =>
    idx
      .filter((i) => Number.isFinite(s[i]))
      .map((i, k) => `${k === 0 ? 'M' : 'L'}${X(i).toFixed(1)},${Y(s[i]).toFixed(1)}`)
      .join(''),
  );
  return { paths, lo, hi };
}
