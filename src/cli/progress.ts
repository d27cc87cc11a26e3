/**
 * A progress bar on stderr. On a terminal it redraws one line in place; otherwise (CI logs,
 * redirected stderr) it prints a plain line at the first step, every 10 % and at the end.
 */
import type { CommandIO } from './io';

const WIDTH = 24;

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export class ProgressBar {
  private readonly start = Date.now();
  private lastDecile = -1;
  private drawn = false;

  constructor(
    private readonly io: CommandIO,
    private readonly total: number,
    private readonly label: string,
  ) {}

  /** Report `done` of `total` units, with a short status such as the current losses. */
  update(done: number, status = ''): void {
    const elapsed = Date.now() - this.start;
    const frac = this.total > 0 ? Math.min(1, done / this.total) : 1;
    const filled = Math.round(frac * WIDTH);
    const perUnit = done > 0 ? elapsed / done : NaN;
    const eta = done < this.total ? `ETA ${formatDuration(perUnit * (this.total - done))}` : `in ${formatDuration(elapsed)}`;
    const rate = done > 0 ? `${(perUnit / 1000).toFixed(2)} s/step` : '';
    const bar = `[${'#'.repeat(filled)}${'.'.repeat(WIDTH - filled)}]`;
    const pct = `${String(Math.floor(frac * 100)).padStart(3)}%`;
    const line = [`${this.label} ${bar} ${done}/${this.total} ${pct}`, status, rate, eta].filter(Boolean).join('  ');
    if (this.io.errIsTTY) {
      this.io.err(`\r\x1b[K${line}`);
      this.drawn = true;
    } else {
      const decile = Math.floor(frac * 10);
      if (done === 1 || done === this.total || decile > this.lastDecile) this.io.err(line + '\n');
      this.lastDecile = decile;
    }
  }

  /** End the bar's line (terminal only). */
  finish(): void {
    if (this.io.errIsTTY && this.drawn) this.io.err('\n');
    this.drawn = false;
  }
}
