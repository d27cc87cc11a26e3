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
import type { BackendName } from '../engine/types';
import type { ErrorKind, RunState, SnapshotReply, StepPoint } from '../worker/protocol';
import { meanEdgeEntropy } from '../viz/entropy';
import { createStore } from './createStore';

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
  };
}

type Scheduler = (cb: () => void) => void;

const defaultScheduler: Scheduler = (cb) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => cb());
  else setTimeout(cb, 0);
};

export class LiveStore {
  private snapshot: LiveSnapshot | null = null;
  private pending: LiveSnapshot | null = null;
  private frameRequested = false;
  private readonly listeners = new Set<() => void>();
  /** Bumps on every applied change; charts compare it to skip redundant redraws. */
  version = 0;
  history: History = emptyHistory();

  constructor(private readonly schedule: Scheduler = defaultScheduler) {}

  get(): LiveSnapshot | null {
    return this.snapshot;
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
    this.notify();
  }

  receive(s: SnapshotReply, opsPerEdge: number): void {
    this.appendPoints(s.points);
    const h = this.history;
    const last = h.alphaStep.length - 1;
    const sameAsLast =
      last >= 0 && h.alphaStep[last] === s.step && h.softmaxNormal[last].every((v, i) => v === s.softmaxNormal[i]);
    if (!sameAsLast) {
      h.alphaStep.push(s.step);
      h.softmaxNormal.push(s.softmaxNormal);
      h.softmaxReduce.push(s.softmaxReduce);
      h.entropyNormal.push(meanEdgeEntropy(s.softmaxNormal, opsPerEdge));
      h.entropyReduce.push(meanEdgeEntropy(s.softmaxReduce, opsPerEdge));
    }
    const { type: _t, v: _v, points: _p, ...rest } = s;
    this.pending = rest;
    if (!this.frameRequested) {
      this.frameRequested = true;
      this.schedule(() => this.apply());
    }
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
}

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
});

// ------------------------------------------------------------------ settings (user driven)


export interface Settings {
  /** Steps per second cap while playing; 0 = as fast as possible. */
  speed: number;
  /** Overlay the derived genotype (top-2 incoming edges per node) on the live cells. */
  showDerived: boolean;
  /** The edge whose α trajectories the chart shows. */
  selectedEdge: { cell: 'normal' | 'reduce'; row: number };
  /** Pause the search while the tab is hidden (saves laptop batteries). */
  pauseWhenHidden: boolean;
  /** The genotype that was imported, drawn as a discrete cell. */
  imported: Genotype | null;
  /** Which cells are drawn: the live search or the imported genotype. */
  view: 'search' | 'imported';
}

export const settings = createStore<Settings>({
  speed: 0,
  showDerived: false,
  selectedEdge: { cell: 'normal', row: 0 },
  pauseWhenHidden: true,
  imported: null,
  view: 'search',
});
