/**
 * The typed message protocol between the main thread (client.ts) and the search worker.
 *
 * Every message carries the protocol version `v` and a `runId`. The client starts a new run id on
 * every configure and reset, and drops replies whose run id is not the current one, so snapshots
 * that were already in flight from a reset run never reach the views (TF Playground's `timerIndex`
 * token, generalised).
 *
 * This module is type-only plus a few constants: it must not import tfjs, because the main thread
 * imports it too.
 */
import type { SearchConfig } from '../core/config';
import type { BackendName, StepKind, StepMetrics } from '../engine/types';

export const PROTOCOL_VERSION = 1;

/** The order in which the worker probes backends when no override is given. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(s: unknown): s is BackendName {
  return typeof s === 'string' && (BACKEND_ORDER as readonly string[]).includes(s);
}

/** Which dataset the worker builds. Only the synthetic one needs no files. */
export interface DatasetSpec {
  name: 'synthetic';
}

/** What the run is doing, as shown on the app root's `data-state`. */
export type RunState = 'idle' | 'running' | 'paused' | 'error';

interface Base {
  v: typeof PROTOCOL_VERSION;
  runId: number;
}

// ---------------------------------------------------------------- commands (main → worker)

/** Build a new run: backend (probe or override), dataset and a freshly seeded supernet. */
export interface ConfigureCmd extends Base {
  type: 'configure';
  config: SearchConfig;
  dataset: DatasetSpec;
  /** `?backend=` override; undefined probes webgpu → webgl → wasm → cpu. */
  backend?: BackendName;
}
export interface PlayCmd extends Base {
  type: 'play';
}
export interface PauseCmd extends Base {
  type: 'pause';
}
export interface StepCmd extends Base {
  type: 'step';
  kind: StepKind;
}
/** Rebuild the supernet from the config's seed, or from `seed` when a new seed was drawn. */
export interface ResetCmd extends Base {
  type: 'reset';
  newSeed: boolean;
  /** The seed to use when `newSeed` is true (the client draws it so the UI can show it). */
  seed?: number;
}
/** Cap the step rate while playing; 0 means as fast as possible. */
export interface SetSpeedCmd extends Base {
  type: 'setSpeed';
  stepsPerSecond: number;
}
/** Move the run to another backend: weights, α and optimiser state come along. */
export interface SetBackendCmd extends Base {
  type: 'setBackend';
  backend: BackendName;
}
/** Change non-structural hyperparameters (learning rates, batch, order) without a reset. */
export interface UpdateHyperCmd extends Base {
  type: 'updateHyper';
  config: SearchConfig;
}
/** Ask for the exact current α and step, for a genotype export. */
export interface ExportCmd extends Base {
  type: 'export';
  requestId: number;
}

export type Command =
  | ConfigureCmd
  | PlayCmd
  | PauseCmd
  | StepCmd
  | ResetCmd
  | SetSpeedCmd
  | SetBackendCmd
  | UpdateHyperCmd
  | ExportCmd;

// ---------------------------------------------------------------- replies (worker → main)

/** The supernet of this run exists on `backend`. */
export interface ReadyReply extends Base {
  type: 'ready';
  backend: BackendName;
  /** One line per backend that was tried before `backend` and why it was not used. */
  fallbackReasons: string[];
  paramCount: number;
  /** α is `edges × ops` per cell type, row-major. */
  alphaShape: { edges: number; ops: number };
  config: SearchConfig;
}

/** Progress while the worker is busy with something slow (backend probe, building the net). */
export interface StatusReply extends Base {
  type: 'status';
  message: string;
}

/** Metrics of one step. Fields of a phase that did not run are absent. */
export interface StepPoint extends StepMetrics {
  step: number;
  /** Architecture steps done so far (an 'arch' step does not advance `step`). */
  archStep: number;
  epoch: number;
  kind: StepKind;
}

/** Last known losses and accuracies (carried over from earlier steps when a phase did not run). */
export interface SnapshotReply extends Base, StepMetrics {
  type: 'snapshot';
  state: RunState;
  backend: BackendName;
  step: number;
  archStep: number;
  epoch: number;
  lr: number;
  /** Smoothed step rate while playing; after a manual step, that step's rate (0 before any step). */
  stepsPerSec: number;
  /** Every step since the previous snapshot, so charts miss no point at any snapshot rate. */
  points: StepPoint[];
  /** Row-major `edges × ops`, transferred (not copied). */
  softmaxNormal: Float32Array;
  softmaxReduce: Float32Array;
  rawNormal: Float32Array;
  rawReduce: Float32Array;
}

export type ErrorKind = 'divergence' | 'exception' | 'backend' | 'config';

export interface ErrorReply extends Base {
  type: 'error';
  kind: ErrorKind;
  /** What happened, in a sentence. */
  message: string;
  /** What to do about it, in a sentence. */
  hint: string;
}

export interface ExportedReply extends Base {
  type: 'exported';
  requestId: number;
  step: number;
  archStep: number;
  epoch: number;
  backend: BackendName;
  config: SearchConfig;
  softmaxNormal: Float32Array;
  softmaxReduce: Float32Array;
  rawNormal: Float32Array;
  rawReduce: Float32Array;
}

export type Reply = ReadyReply | StatusReply | SnapshotReply | ErrorReply | ExportedReply;

/** Distributes Omit over a union, so `Omit<Command, 'v'>` keeps the discriminant. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type CommandBody = DistributiveOmit<Command, 'v' | 'runId'>;
export type ReplyBody = DistributiveOmit<Reply, 'v' | 'runId'>;
