/**
 * Time for the playback timers (the replay player, the history playback), injectable so unit
 * tests drive them with a fake clock instead of sleeping.
 */
export interface Clock {
  now(): number;
  setTimeout(cb: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => (typeof performance !== 'undefined' ? performance.now() : Date.now()),
  setTimeout: (cb, ms) => setTimeout(cb, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

/** Frames per second of every playback at 1× (the replay and the history slider's ▶). */
export const BASE_FPS = 4;

/** The speeds offered for playback. */
export const PLAYBACK_SPEEDS = [0.5, 1, 2, 4] as const;

/**
 * Fires `onFrame(k)` for frame k = 0, 1, 2, … at `fps` frames per second, measured from start()
 * rather than chained: a late timer (a busy main thread, a throttled tab) delivers every frame
 * that fell due at once, so a consumer that appends to a history never loses one.
 * `onFrame` returns false to stop.
 */
export class FrameTicker {
  private handle: unknown = null;
  private active = false;
  /** Bumped by stop(): a tick that outlives its start() must not reschedule. */
  private generation = 0;
  private t0 = 0;
  /** The frame delivered at t0, and the next frame to deliver. */
  private base = 0;
  private next = 0;
  private fps = BASE_FPS;

  constructor(
    private readonly onFrame: (k: number) => boolean,
    private readonly clock: Clock = realClock,
  ) {}

  /** True between start() and stop() (or the last frame). */
  get running(): boolean {
    return this.active;
  }

  /**
   * Deliver frame `from` after `delayMs` (at once by default), then one frame every 1/fps s.
   */
  start(fps: number, from = 0, delayMs = 0): void {
    this.stop();
    this.fps = fps;
    this.t0 = this.clock.now() + delayMs;
    this.next = from;
    this.base = from;
    this.active = true;
    if (delayMs > 0) this.handle = this.clock.setTimeout(this.tick, delayMs);
    else this.tick();
  }

  /** Change the rate without skipping or repeating a frame: the next one comes one new interval from now. */
  setFps(fps: number): void {
    if (!this.running) {
      this.fps = fps;
      return;
    }
    this.start(fps, this.next, 1000 / fps);
  }

  stop(): void {
    this.active = false;
    this.generation++;
    if (this.handle !== null) this.clock.clearTimeout(this.handle);
    this.handle = null;
  }

  private tick = (): void => {
    this.handle = null;
    const gen = this.generation;
    const interval = 1000 / this.fps;
    const due = this.base + Math.floor((this.clock.now() - this.t0) / interval + 1e-9);
    while (this.next <= due) {
      const k = this.next++;
      if (gen !== this.generation) return; // stopped or restarted from inside onFrame
      if (!this.onFrame(k)) {
        if (gen === this.generation) this.active = false;
        return;
      }
      if (gen !== this.generation) return;
    }
    const at = this.t0 + (this.next - this.base) * interval;
    this.handle = this.clock.setTimeout(this.tick, Math.max(0, at - this.clock.now()));
  };
}
