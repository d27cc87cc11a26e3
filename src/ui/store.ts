/**
 * The three stores of the app, split by how often they change:
 *
 * - `live`: the high-frequency stream from the worker (softmax α, losses, step; 10–30 Hz). The
 *   latest snapshot wins and is applied on the next animation frame; the history (every step's
 *   metrics, every snapshot's α) is appended on arrival so no point is lost when frames are
 *   skipped. D3 views and charts subscribe to it directly; React reads only small slices.
 * - `run`: what changes a few times per run (backend, param count, state, errors, config).
 * - `settings`: UI choices (speed, overlay, selected edge, imported genotype).
 *
 * Keeping them apart means the control panel never re-renders 30 times a second.
 */
import type { SearchConfig } from '../core/config';
import type { Genotype } from '../core/genotype';
import type { BackendName, StepKind } from '../engine/types';
import type { ErrorKind, RunState, SnapshotReply, StepPoint } from '../worker/protocol';
import { meanEdgeEntropy } from '../viz/entropy';
import { createStore } from './createStore';
import type { RunHistory } from '../core/runFile';

// ------------------------------------------------------------------ live (high frequency)

/** The latest snapshot as the views read it: the worker's reply without its envelope and points. */
export type LiveSnapshot = Omit<SnapshotReply, 'v' | 'type' | 'points'>;

/** Column-major history for the charts: uPlot reads these arrays directly (charts decimate). */
export interface History {
  /** One entry per weight step (an α-only step merges into the entry of its step). */
  step: number[];
  trainLoss: (number | null)[];
  trainAcc: (number | null)[];
  valLoss: (number | null)[];
  valAcc: (number | null)[];
  /** One entry per snapshot. */
  alphaStep: number[];
  softmaxNormal: Float32Array[];
  softmaxReduce: Float32Array[];
  /** Mean over edges of the entropy (nats) of each edge's softmax(α). */
  entropyNormal: number[];
  entropyReduce: number[];
  /** One entry per snapshot: the snapshot itself, so the history slider can show any of them. */
  frames: LiveSnapshot[];
  /** Aligned with alphaStep: skip_connect / parameter-free edges of the derived cells (spec §7; null = unknown). */
  skipNormal: (number | null)[];
  paramFreeNormal: (number | null)[];
  paramFreeReduce: (number | null)[];
  /** λ_max of ∇²_α L_val (engine/diagnostics.ts), one entry per measurement, with its step. */
  eigenStep: number[];
  eigenLambda: number[];
}

function emptyHistory(): History {
  return {
    step: [],
    trainLoss: [],
    trainAcc: [],
    valLoss: [],
    valAcc: [],
    alphaStep: [],
    softmaxNormal: [],
    softmaxReduce: [],
    entropyNormal: [],
    entropyReduce: [],
    frames: [],
    skipNormal: [],
    paramFreeNormal: [],
    paramFreeReduce: [],
    eigenStep: [],
    eigenLambda: [],
  };
}

type Scheduler = (cb: () => void) => void;

/**
 * Snapshots are drawn at most every SNAPSHOT_PAINT_GAP_MS (on the next animation frame after
 * that). The search now runs at 5–7 steps/s on wasm; painting both cells, the charts and the
 * tables for every snapshot cost 1–2 dropped frames each on a 2-core machine (51 fps measured by
 * `npm run bench`), so the view keeps ≥ 55 fps by showing the latest snapshot 4 times a second.
 * Every snapshot still enters the history (the history slider and the charts keep them all).
 */
export const SNAPSHOT_PAINT_GAP_MS = 250;

function pacedScheduler(gapMs: number): Scheduler {
  let last = -Infinity;
  return (cb) => {
    const now = typeof performance !== 'undefined' ? performance.now() : Date.now();
    const run = () => {
      last = typeof performance !== 'undefined' ? performance.now() : Date.now();
      cb();
    };
    const frame = () => (typeof requestAnimationFrame === 'function' ? requestAnimationFrame(run) : run());
    const wait = last + gapMs - now;
    if (wait > 0) setTimeout(frame, wait);
    else frame();
  };
}

const defaultScheduler: Scheduler = pacedScheduler(SNAPSHOT_PAINT_GAP_MS);

export class LiveStore {
  private snapshot: LiveSnapshot | null = null;
  private pending: LiveSnapshot | null = null;
  private frameRequested = false;
  private readonly listeners = new Set<() => void>();
  /** Bumps on every applied change; charts compare it to skip redundant redraws. */
  version = 0;
  history: History = emptyHistory();
  /** The history entry on screen (history slider), or null to follow the latest snapshot. */
  private cursor: number | null = null;
  /** While a replay holds the view, the live run's snapshots collect here (see beginReplay). */
  private liveRun: LiveStore | null = null;

  constructor(private readonly schedule: Scheduler = defaultScheduler) {}

  /** The snapshot the views draw: the latest one, or the history entry the slider chose. */
  get(): LiveSnapshot | null {
    return this.cursor !== null ? (this.history.frames[this.cursor] ?? this.snapshot) : this.snapshot;
  }

  /** The live run's latest applied snapshot, whatever the view shows (replay, history slider). */
  latest(): LiveSnapshot | null {
    return this.liveRun ? this.liveRun.latest() : this.snapshot;
  }

  /** Show history entry `i` (clamped), or follow the latest snapshot again with null. */
  setCursor(i: number | null): void {
    const n = this.history.frames.length;
    const next = i === null || n === 0 ? null : Math.max(0, Math.min(n - 1, Math.round(i)));
    if (next === this.cursor) return;
    this.cursor = next;
    this.notify();
  }

  getCursor(): number | null {
    return this.cursor;
  }

  /** True while a replay holds the view (beginReplay … endReplay). */
  get replaying(): boolean {
    return this.liveRun !== null;
  }

  /**
   * Hand the view to a replay: from now on `get()` and `history` show the frames given to
   * `applyReplayFrame`, while the live run's snapshots (`receive`) are kept aside, complete, for
   * `endReplay` to bring back. Listeners still hear about live snapshots (via `latest()`), so the
   * run state and the app's data-step stay correct.
   */
  beginReplay(): void {
    if (this.liveRun) return;
    const shadow = new LiveStore((cb) => cb());
    shadow.history = this.history;
    shadow.snapshot = this.pending ?? this.snapshot;
    shadow.subscribe(() => this.notify());
    this.liveRun = shadow;
    this.history = emptyHistory();
    this.snapshot = null;
    this.pending = null;
    this.cursor = null;
    this.notify();
  }

  /** One recorded frame of the replay, drawn like a live snapshot (ignored when no replay holds the view). */
  applyReplayFrame(s: SnapshotReply, opsPerEdge: number): void {
    if (this.liveRun) this.ingest(s, opsPerEdge);
  }

  /** Give the view back to the live run, with everything it produced meanwhile. */
  endReplay(): void {
    const shadow = this.liveRun;
    if (!shadow) return;
    this.liveRun = null;
    this.history = shadow.history;
    this.snapshot = shadow.snapshot;
    this.pending = null;
    this.cursor = null;
    this.notify();
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Forget the previous run (a reset or a new configuration). */
  clear(): void {
    this.history = emptyHistory();
    this.snapshot = null;
    this.pending = null;
    this.cursor = null;
    this.liveRun = null;
    this.notify();
  }

  receive(s: SnapshotReply, opsPerEdge: number): void {
    if (this.liveRun) this.liveRun.receive(s, opsPerEdge);
    else this.ingest(s, opsPerEdge);
  }

  private ingest(s: SnapshotReply, opsPerEdge: number): void {
    this.appendPoints(s.points);
    const h = this.history;
    const last = h.alphaStep.length - 1;
    const sameAsLast =
      last >= 0 && h.alphaStep[last] === s.step && h.softmaxNormal[last].every((v, i) => v === s.softmaxNormal[i]);
    const { type: _t, v: _v, points: _p, ...rest } = s;
    if (!sameAsLast) {
      h.frames.push(rest);
      h.alphaStep.push(s.step);
      h.softmaxNormal.push(s.softmaxNormal);
      h.softmaxReduce.push(s.softmaxReduce);
      h.entropyNormal.push(meanEdgeEntropy(s.softmaxNormal, opsPerEdge));
      h.entropyReduce.push(meanEdgeEntropy(s.softmaxReduce, opsPerEdge));
      h.skipNormal.push(s.collapse?.skipNormal ?? null);
      h.paramFreeNormal.push(s.collapse?.paramFreeNormal ?? null);
      h.paramFreeReduce.push(s.collapse?.paramFreeReduce ?? null);
    }
    for (const e of s.eigen ?? []) {
      h.eigenStep.push(e.step);
      h.eigenLambda.push(e.lambda);
    }
    this.pending = rest;
    if (!this.frameRequested) {
      this.frameRequested = true;
      this.schedule(() => this.apply());
    }
  }

  /** The chart history as a run file stores it (core/runFile.ts). */
  runHistory(): RunHistory {
    const h = this.liveRun ? this.liveRun.history : this.history;
    return { step: [...h.step], trainLoss: [...h.trainLoss], trainAcc: [...h.trainAcc], valLoss: [...h.valLoss], valAcc: [...h.valAcc] };
  }

  /** Put a reopened run's chart history back (its α frames are not in the file; the α charts start again). */
  seedHistory(r: RunHistory): void {
    const num = (x: number | null) => (x === null ? undefined : x);
    this.appendPoints(
      r.step.map((step, i) => ({ step, archStep: step, epoch: 0, kind: 'both', trainLoss: num(r.trainLoss[i]), trainAcc: num(r.trainAcc[i]), valLoss: num(r.valLoss[i]), valAcc: num(r.valAcc[i]) }) as StepPoint),
    );
    this.notify();
  }

  private appendPoints(points: StepPoint[]): void {
    const h = this.history;
    for (const p of points) {
      const n = h.step.length;
      if (n > 0 && h.step[n - 1] === p.step) {
        // An α-only step does not advance the step counter: merge its validation numbers.
        if (p.trainLoss !== undefined) h.trainLoss[n - 1] = p.trainLoss;
        if (p.trainAcc !== undefined) h.trainAcc[n - 1] = p.trainAcc;
        if (p.valLoss !== undefined) h.valLoss[n - 1] = p.valLoss;
        if (p.valAcc !== undefined) h.valAcc[n - 1] = p.valAcc;
        continue;
      }
      h.step.push(p.step);
      h.trainLoss.push(p.trainLoss ?? null);
      h.trainAcc.push(p.trainAcc ?? null);
      h.valLoss.push(p.valLoss ?? null);
      h.valAcc.push(p.valAcc ?? null);
    }
  }

  private apply(): void {
    this.frameRequested = false;
    if (!this.pending) return;
    this.snapshot = this.pending;
    this.pending = null;
    this.notify();
  }

  private notify(): void {
    this.version += 1;
    for (const l of [...this.listeners]) l();
  }
}

export const live = new LiveStore();

// ------------------------------------------------------------------ run (low frequency)

export interface RunError {
  kind: ErrorKind;
  message: string;
  hint: string;
}

export interface RunInfo {
  /** True once the worker reported a built supernet for the current run. */
  ready: boolean;
  /** What the worker is busy with (probing, building), or null. */
  status: string | null;
  backend: BackendName | null;
  fallbackReasons: string[];
  paramCount: number | null;
  config: SearchConfig | null;
  alphaShape: { edges: number; ops: number } | null;
  state: RunState;
  error: RunError | null;
  /**
   * Commands given before the supernet was ready (Play, steps), in order; they run as soon as it
   * is (controller.ts). The buttons show that they wait, so nothing is dropped without a trace.
   */
  queued: QueuedCommand[];
}

export type QueuedCommand = 'play' | StepKind;

export const run = createStore<RunInfo>({
  ready: false,
  status: 'Starting the search worker…',
  backend: null,
  fallbackReasons: [],
  paramCount: null,
  config: null,
  alphaShape: null,
  state: 'idle',
  error: null,
  queued: [],
});

// ------------------------------------------------------------------ settings (user driven)


export interface Settings {
  /** Steps per second cap while playing; 0 = as fast as possible. */
  speed: number;
  /** Overlay the derived genotype (top-2 incoming edges per node) on the live cells. */
  showDerived: boolean;
  /** The edge whose α trajectories the chart shows. */
  selectedEdge: { cell: 'normal' | 'reduce'; row: number };
  /** The edge inspector (EdgeInspector.tsx) shows `selectedEdge`; opened by clicking an edge. */
  inspectorOpen: boolean;
  /** Pause the search while the tab is hidden (saves laptop batteries). */
  pauseWhenHidden: boolean;
  /** The genotype that was imported, drawn as a discrete cell. */
  imported: Genotype | null;
  /** Which cells are drawn: the live search or the imported genotype. */
  view: 'search' | 'imported';
  /** Colour theme; 'system' follows prefers-color-scheme (src/ui/appearance.ts applies it). */
  theme: 'system' | 'light' | 'dark';
  /** Larger UI text, for projectors. */
  largeFont: boolean;
  /** Edge width encoding of the cells (src/viz/scales.ts); relative reads best on a projector. */
  widths: 'relative' | 'absolute';
}

export const settings = createStore<Settings>({
  speed: 0,
  showDerived: false,
  selectedEdge: { cell: 'normal', row: 0 },
  inspectorOpen: false,
  pauseWhenHidden: true,
  imported: null,
  view: 'search',
  theme: 'system',
  largeFont: false,
  widths: 'relative',
});
