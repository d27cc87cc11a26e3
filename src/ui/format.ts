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

export interface ProgressLike {
  phase: 'download' | 'decode' | 'generate' | 'parse';
  loaded: number;
  total: number;
}

/**
 * What the page is waiting for while a dataset loads, for the status line ("Downloading mnist:
 * 0.6 of 1.6 MB (38 %)…"). Whole percents, so the text (and React) changes at most 100 times.
 */
export function dataProgressText(dataset: string, p: ProgressLike): string {
  const known = p.total > 0 && Number.isFinite(p.total);
  const pct = known ? ` (${Math.floor((100 * Math.min(p.loaded, p.total)) / p.total)} %)` : '';
  switch (p.phase) {
    case 'download': {
      const mb = (b: number) => (b / 1e6).toFixed(1);
      return `Downloading ${dataset}: ${mb(p.loaded)}${known ? ` of ${mb(p.total)}` : ''} MB${pct}…`;
    }
    case 'decode':
      return `Unpacking ${dataset}${pct}…`;
    case 'generate':
      return `Generating the ${dataset} images${pct}…`;
    case 'parse':
      return `Reading your files${pct}…`;
  }
}
