/**
 * Min/max decimation for long training curves. A chart cannot show more than about one point
 * per pixel column anyway; keeping each bucket's minimum and maximum (rather than averaging or
 * striding) preserves the spikes that matter in a loss curve, e.g. divergence or a bad batch.
 * All series share one set of kept indices, so they stay aligned on the same x values.
 */

export interface Decimated {
  xs: number[];
  /** One array per series; null where the series has no finite value (a gap). */
  ys: (number | null)[][];
}

type Series = ArrayLike<number | null | undefined>;

/**
 * Reduce `xs` (ascending) and the aligned `ys` to at most `maxPoints` points, as long as
 * maxPoints ≥ 2 + 2·series (first, last, and a min and a max per series in one bucket).
 * Buckets are equal ranges of x, i.e. equal widths on screen.
 */
export function decimate(xs: ArrayLike<number>, ys: readonly Series[], maxPoints: number): Decimated {
  const n = xs.length;
  for (const s of ys) if (s.length !== n) throw new RangeError(`decimate: series has ${s.length} values, xs has ${n}`);
  const value = (s: Series, i: number): number | null => {
    const v = s[i];
    return typeof v === 'number' && Number.isFinite(v) ? v : null;
  };
  const pick = (idx: ArrayLike<number>): Decimated => ({
    xs: Array.from(idx, (i) => xs[i]),
    ys: ys.map((s) => Array.from(idx, (i) => value(s, i))),
  });
  if (n <= maxPoints) return pick(Array.from({ length: n }, (_, i) => i));

  const perBucket = 2 * Math.max(1, ys.length);
  const buckets = Math.max(1, Math.floor((maxPoints - 2) / perBucket));
  const x0 = xs[0];
  const span = xs[n - 1] - x0 || 1;
  const keep = new Uint8Array(n);
  keep[0] = keep[n - 1] = 1;
  let start = 1;
  for (let b = 0; b < buckets; b++) {
    const limit = x0 + (span * (b + 1)) / buckets;
    let end = start;
    while (end < n - 1 && (xs[end] < limit || b === buckets - 1)) end++;
    for (const s of ys) {
      let lo = -1, hi = -1;
      for (let i = start; i < end; i++) {
        const v = value(s, i);
        if (v === null) continue;
        if (lo < 0 || v < (s[lo] as number)) lo = i;
        if (hi < 0 || v > (s[hi] as number)) hi = i;
      }
      if (lo >= 0) keep[lo] = keep[hi] = 1;
    }
    // A bucket without any finite value keeps one index, so the gap stays visible.
    if (end > start && !ys.some((s) => hasValue(s, start, end))) keep[start] = 1;
    start = end;
  }
  function hasValue(s: Series, from: number, to: number): boolean {
    for (let i = from; i < to; i++) if (value(s, i) !== null) return true;
    return false;
  }
  const idx: number[] = [];
  for (let i = 0; i < n; i++) if (keep[i]) idx.push(i);
  return pick(idx);
}
