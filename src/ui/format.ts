/** Number formatting shared by the readouts and charts. */

/** A tick label with as many decimals as the tick step needs (0.25 → 2, 0.0005 → 4). */
export function formatTick(v: number, incr: number): string {
  if (!Number.isFinite(v)) return '';
  let d = 0;
  const step = Math.abs(incr) || 1;
  for (; d < 8; d++) {
    const x = step * 10 ** d;
    if (x >= 1 - 1e-9 && Math.abs(Math.round(x) - x) <= 1e-6 * x) break;
  }
  return v.toFixed(d);
}
