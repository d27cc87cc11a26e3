/**
 * History (issue 5 item 7): the time slider's model. The live store keeps every snapshot of the
 * current run (live or replay) in `history.frames`; the slider sets the store's cursor to show
 * one of them, and ▶ walks the cursor forward at BASE_FPS × speed. Reaching the newest entry
 * hands the view back to "follow the latest" and resumes a replay the scrubbing had paused.
 */
import { BASE_FPS, FrameTicker, realClock, type Clock } from './clock';
import { createStore } from './createStore';
import type { LiveStore } from './store';

/** The few things history playback needs from the replay player. */
export interface ReplayControl {
  status(): 'off' | 'loading' | 'playing' | 'paused' | 'ended';
  pause(): void;
  play(): void;
}

export class HistoryPlayback {
  /** True while ▶ walks the history (React reads it for the button's label). */
  readonly playing = createStore(false);
  private readonly ticker: FrameTicker;
  private from = 0;
  private speed = 1;

  constructor(
    private readonly store: LiveStore,
    private readonly replay: ReplayControl,
    clock: Clock = realClock,
  ) {
    this.ticker = new FrameTicker((k) => this.advance(k), clock);
  }

  /** Show entry `i` (the slider moved): stops ▶ and pauses a playing replay so the view holds still. */
  scrub(i: number): void {
    this.stopPlaying();
    if (this.replay.status() === 'playing') this.replay.pause();
    this.store.setCursor(i);
  }

  /** Follow the newest snapshot again, and let a paused replay go on. */
  latest(): void {
    this.stopPlaying();
    this.store.setCursor(null);
    if (this.replay.status() === 'paused') this.replay.play();
  }

  /** ▶: walk from the entry on screen (from the start when following the latest) to the newest. */
  play(): void {
    const n = this.store.history.frames.length;
    if (n === 0) return;
    if (this.replay.status() === 'playing') this.replay.pause();
    const c = this.store.getCursor();
    this.from = c === null || c >= n - 1 ? 0 : c;
    this.store.setCursor(this.from);
    this.playing.set(true);
    const fps = BASE_FPS * this.speed;
    this.ticker.start(fps, 1, 1000 / fps); // entry `from` is on screen now; the next one after an interval
  }

  pause(): void {
    this.stopPlaying();
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.ticker.setFps(BASE_FPS * speed);
  }

  private stopPlaying(): void {
    this.ticker.stop();
    this.playing.set(false);
  }

  private advance(k: number): boolean {
    const i = this.from + k;
    if (i >= this.store.history.frames.length - 1) {
      this.playing.set(false);
      this.latest();
      return false;
    }
    this.store.setCursor(i);
    return true;
  }
}
