/**
 * Instant replays (issue 5 item 3): when a preset opens, its recorded run
 * (public/replays/<preset>.json, written by `darts record`, format in src/core/replay.ts) plays
 * at once into the same `live` store the cells, charts and genotype panel read, while the worker
 * builds the live supernet and then waits, idle. A weak laptop shows α moving within seconds.
 *
 * Decisions:
 * - The replay plays only when the page opens a preset unchanged (no URL overrides): a replay of
 *   another configuration would show a run that is not the one on the page. `autoplay=1` skips
 *   it (the live run starts at once).
 * - The replay holds the view until the user goes live: "Go live", Play, a Step button, Reset or
 *   a new configuration (controller.ts calls stopReplay()). Live snapshots that arrive meanwhile
 *   (the built supernet's first snapshot) are kept aside by the store, complete, and shown when
 *   the view returns to the live run; the run state (ready, idle, backend) stays correct.
 * - A replay that cannot be fetched or is malformed is skipped: the app opens on the live run as
 *   before, and the reason goes to the console (the file is optional, e.g. a custom deployment).
 */
import type { SearchConfig } from '../core/config';
import { getPreset, isPresetName } from '../core/presets';
import { parseReplayJson, sameConfig, type Replay, type ReplayFrame } from '../core/replay';
import type { BackendName } from '../engine/types';
import { isBackendName, PROTOCOL_VERSION, type SnapshotReply } from '../worker/protocol';
import { BASE_FPS, FrameTicker, realClock, type Clock } from './clock';
import { createStore } from './createStore';
import { HistoryPlayback } from './historyPlayback';
import { live, run } from './store';

// ------------------------------------------------------------------ state

export type ReplayStatus = 'off' | 'loading' | 'playing' | 'paused' | 'ended';

export interface ReplayState {
  /** `data-replay` on the app root. */
  status: ReplayStatus;
  preset: string | null;
  note: string;
  /** Index of the frame on screen, and how many frames the replay has. */
  index: number;
  total: number;
  /** The recorded step of the frame on screen, and of the last frame. */
  step: number;
  lastStep: number;
}

const OFF: ReplayState = { status: 'off', preset: null, note: '', index: 0, total: 0, step: 0, lastStep: 0 };

export const replayState = createStore<ReplayState>(OFF);

/** Playback speed (0.5×, 1×, 2×, 4×) shared by the replay and the history slider's ▶. */
export const playback = createStore<{ speed: number }>({ speed: 1 });

// ------------------------------------------------------------------ the player

/** Where the frames go: the live store in the app, a recorder in tests. */
export interface ReplaySink {
  begin(replay: Replay): void;
  frame(frame: ReplayFrame, index: number, replay: Replay): void;
  end(): void;
}

/**
 * Plays a replay's frames at BASE_FPS × speed frames per second, from the first; holds the last
 * frame at the end. Frames that fall due while the main thread is busy are all delivered (the
 * history keeps every one), see FrameTicker.
 */
export class ReplayPlayer {
  private replay: Replay | null = null;
  /** The next frame to deliver. */
  private nextIndex = 0;
  private readonly ticker: FrameTicker;
  private speed = 1;

  constructor(
    private readonly sink: ReplaySink,
    private readonly onState: (s: ReplayState) => void = () => {},
    clock: Clock = realClock,
  ) {
    this.ticker = new FrameTicker((k) => this.deliver(k), clock);
  }

  get current(): Replay | null {
    return this.replay;
  }

  /** Hand the view to `replay` and play it from its first frame. */
  start(replay: Replay, speed = this.speed): void {
    this.stop();
    this.replay = replay;
    this.speed = speed;
    this.nextIndex = 0;
    this.sink.begin(replay);
    this.play();
  }

  /** Play on from the next frame (after a pause), or from the start once it has ended. */
  play(): void {
    const r = this.replay;
    if (!r) return;
    if (this.nextIndex >= r.frames.length) {
      // Play again: a fresh view of the same run.
      this.sink.end();
      this.sink.begin(r);
      this.nextIndex = 0;
    }
    this.emit('playing');
    this.ticker.start(BASE_FPS * this.speed, this.nextIndex);
  }

  pause(): void {
    if (!this.replay || !this.ticker.running) return;
    this.ticker.stop();
    this.emit('paused');
  }

  setSpeed(speed: number): void {
    this.speed = speed;
    this.ticker.setFps(BASE_FPS * speed);
  }

  /** Give the view back to the live run. */
  stop(): void {
    this.ticker.stop();
    if (!this.replay) return;
    this.replay = null;
    this.nextIndex = 0;
    this.sink.end();
    this.onState(OFF);
  }

  private deliver(k: number): boolean {
    const r = this.replay;
    if (!r || k >= r.frames.length) return false;
    this.sink.frame(r.frames[k], k, r);
    this.nextIndex = k + 1;
    const ended = this.nextIndex >= r.frames.length;
    this.emit(ended ? 'ended' : 'playing');
    return !ended;
  }

  private emit(status: ReplayStatus): void {
    const r = this.replay;
    if (!r) return;
    const shown = Math.max(0, this.nextIndex - 1);
    this.onState({
      status,
      preset: r.preset,
      note: r.note,
      index: shown,
      total: r.frames.length,
      step: r.frames[shown]?.step ?? 0,
      lastStep: r.frames[r.frames.length - 1].step,
    });
  }
}

// ------------------------------------------------------------------ into the live store

/** A replay frame as the worker's snapshot message, so the store and every view treat it alike. */
export function frameToSnapshot(f: ReplayFrame, prev: ReplayFrame | null, replay: Replay): SnapshotReply {
  const metric = (x: number | null) => x ?? undefined;
  // softmax(log p) = p: without raw α in the file, log-softmax is a faithful representative.
  const logOf = (a: Float32Array) => Float32Array.from(a, (v) => Math.log(Math.max(v, 1e-12)));
  const backend: BackendName = isBackendName(replay.backend) ? replay.backend : 'wasm';
  return {
    type: 'snapshot',
    v: PROTOCOL_VERSION,
    runId: -1, // never the live run's id: the controller ignores it
    state: 'running',
    backend,
    step: f.step,
    archStep: f.archStep,
    epoch: f.epoch,
    lr: f.lr,
    stepsPerSec: 0,
    trainLoss: metric(f.trainLoss),
    trainAcc: metric(f.trainAcc),
    valLoss: metric(f.valLoss),
    valAcc: metric(f.valAcc),
    // One chart point per recorded step (none for step 0, before any step ran).
    points:
      f.step > (prev?.step ?? 0)
        ? [
            {
              step: f.step,
              archStep: f.archStep,
              epoch: f.epoch,
              kind: 'both',
              trainLoss: metric(f.trainLoss),
              trainAcc: metric(f.trainAcc),
              valLoss: metric(f.valLoss),
              valAcc: metric(f.valAcc),
            },
          ]
        : [],
    softmaxNormal: f.softmaxNormal,
    softmaxReduce: f.softmaxReduce,
    rawNormal: f.rawNormal ?? logOf(f.softmaxNormal),
    rawReduce: f.rawReduce ?? logOf(f.softmaxReduce),
    ...(f.deriveNormal && f.deriveReduce ? { deriveNormal: f.deriveNormal, deriveReduce: f.deriveReduce } : {}),
  };
}

/** Bumped by every start and stop: a fetch that finishes after the user went live is dropped. */
let loadToken = 0;

const liveSink: ReplaySink = {
  begin: () => live.beginReplay(),
  frame: (f, i, r) => live.applyReplayFrame(frameToSnapshot(f, i > 0 ? r.frames[i - 1] : null, r), r.alphaShape.ops),
  end: () => live.endReplay(),
};

export const replayPlayer = new ReplayPlayer(liveSink, (s) => replayState.set(s));

playback.subscribe(() => replayPlayer.setSpeed(playback.get().speed));

/** The history slider's playback (HistorySlider.tsx); here so that goLive() can stop it. */
export const historyPlayback = new HistoryPlayback(live, {
  status: () => replayState.get().status,
  pause: () => replayPlayer.pause(),
  play: () => replayPlayer.play(),
});
playback.subscribe(() => historyPlayback.setSpeed(playback.get().speed));

/**
 * Show the live run, following its newest snapshot: stops a replay and the history playback.
 * controller.ts calls it from every action that computes (play, step, reset, a new config).
 */
export function goLive(): void {
  historyPlayback.pause();
  live.setCursor(null);
  stopReplay();
}

/** Stop the replay (if any, or one still loading) and give the view back to the live run. */
export function stopReplay(): void {
  loadToken++;
  replayPlayer.stop();
  if (replayState.get().status !== 'off') replayState.set(OFF);
}

/**
 * Play a replay the user opened by hand: a replay file, or a quark0/darts train_search log
 * converted by core/trainSearchLog.ts (src/ui/interop.ts reads the file). The cells are laid out
 * from the page's config, so the replay's α must have the same shape (ops and nodes); the number
 * of cells, C and the rest may differ (one α is shared by all cells of a type, spec §1.6).
 * @returns null when it plays, else why not (shown next to the button)
 */
export function playReplayFile(replay: Replay): string | null {
  const cfg = run.get().config;
  if (cfg && (cfg.ops.join(',') !== replay.ops.join(',') || cfg.steps !== replay.config.steps)) {
    return (
      `its α is ${replay.alphaShape.edges}×${replay.alphaShape.ops} (${replay.config.steps} nodes; ops ${replay.ops.join(', ')}), ` +
      `the page's cells have ${cfg.steps} nodes and ops ${cfg.ops.join(', ')}. Open a preset with the same ops and nodes first ` +
      '("lecture" or "paper" have the reference\'s 8 ops and 4 nodes).'
    );
  }
  loadToken++; // a preset replay still loading must not take over afterwards
  historyPlayback.pause();
  live.setCursor(null);
  if (!cfg) run.set((r) => ({ ...r, config: replay.config }));
  replayPlayer.start(replay, playback.get().speed);
  return null;
}

/** The URL of a preset's replay, under the app's base path. */
export function replayUrl(preset: string): string {
  return `${import.meta.env.BASE_URL}replays/${preset}.json`;
}

/**
 * Fetch and play the replay of `preset` when the page opened that preset unchanged. Resolves to
 * true when the replay started. Any problem (no file, malformed file, another config) leaves the
 * live run on screen.
 */
export async function startReplayFor(
  preset: string,
  config: SearchConfig,
  dataset: string,
  fetchImpl: typeof fetch = (...a) => fetch(...a),
): Promise<boolean> {
  if (!isPresetName(preset) || !sameConfig(config, getPreset(preset))) return false;
  const token = ++loadToken;
  replayState.set({ ...OFF, status: 'loading', preset });
  let replay: Replay;
  try {
    const res = await fetchImpl(replayUrl(preset));
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    const text = await res.text();
    mark('replay-fetched');
    replay = parseReplayJson(text);
    mark('replay-decoded');
    if (replay.ops.join(',') !== config.ops.join(',') || replay.config.steps !== config.steps) {
      throw new Error(`its α shape (${replay.alphaShape.edges}×${replay.alphaShape.ops}) is not this preset's`);
    }
    if (replay.dataset !== dataset) throw new Error(`it was recorded on ${replay.dataset}, the page searches ${dataset}`);
  } catch (e) {
    if (token === loadToken) replayState.set(OFF);
    console.warn(`No replay for preset "${preset}": ${(e as Error).message}`);
    return false;
  }
  if (token !== loadToken) return false; // the user went live while it loaded
  // Let the cells lay out now, before the worker reports the built supernet (same config).
  run.set((r) => (r.config ? r : { ...r, config }));
  replayPlayer.start(replay, playback.get().speed);
  mark('replay-playing');
  return true;
}

/** Performance marks for the "α moving within 5 s" budget (read them in DevTools or a test). */
function mark(name: string): void {
  if (typeof performance !== 'undefined' && typeof performance.mark === 'function') performance.mark(name);
}
