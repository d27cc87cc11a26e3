import type { Clock } from '../clock';

/** A manual clock for timer tests: `advance(ms)` fires every timer that falls due, in order. */
export class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; cb: () => void; id: number }[] = [];
  private nextId = 1;

  now(): number {
    return this.t;
  }

  setTimeout(cb: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + Math.max(0, ms), cb, id });
    return id;
  }

  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }

  /** Move time forward by `ms`, firing due timers at their own times. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at || a.id - b.id)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = Math.max(this.t, due.at);
      due.cb();
    }
    this.t = end;
  }

  /** Move time forward without firing anything (a blocked main thread), then fire what is due. */
  stall(ms: number): void {
    this.t += ms;
    this.advance(0);
  }

  get pending(): number {
    return this.timers.length;
  }
}
