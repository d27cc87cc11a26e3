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
import type { Genotype } from '../core/genotype';
import type { ImageSetSummary } from '../data/types';
import type { BackendName, StepKind, StepMetrics } from '../engine/types';
import type { RunHistory } from '../core/runFile';

export const PROTOCOL_VERSION = 1;

/** The order in which the worker probes backends when no override is given. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export function isBackendName(s: unknown): s is BackendName {
  return typeof s === 'string' && (BACKEND_ORDER as readonly string[]).includes(s);
}

/**
 * Which dataset the worker builds: the procedural patterns, a built-in real dataset (downloaded
 * once, then cached), a seeded teaching task, or the user's own files loaded with `loadUserData`.
 */
export type DatasetSpec =
  | { name: 'synthetic' }
  | { name: 'mnist'; augment?: boolean }
  | { name: 'fashion-mnist'; augment?: boolean }
  | { name: 'task'; id: string; augment?: boolean }
  | { name: 'upload'; augment?: boolean };

export type DatasetName = DatasetSpec['name'];

/** What a dataset card shows: counts, classes, a few samples per class, provenance. */
export interface DatasetCard extends ImageSetSummary {
  /** Up to 4 images per class as uint8 HWC at the native size. */
  samples: { label: number; pixels: Uint8Array }[];
  /** E.g. which subset is shipped, or how a held-out split was made. */
  note?: string;
  /** How long loading took in the worker (download or generation, decode, split). */
  loadMs: number;
}

/** Options of a "Train this cell" run (spec §4.4), sized for the browser. */
export interface EvalRequest {
  /** Label for the result list, e.g. "derived (step 120)" or "DARTS_V2". */
  label: string;
  genotype: Genotype;
  C: number;
  layers: number;
  epochs: number;
  batchSize: number;
  trainSize?: number;
  testSize?: number;
  auxiliary: boolean;
  dropPath: number;
  /** Also train this many random genotypes of the same space the same way (random baseline). */
  randomK: number;
  seed: number;
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

/**
 * Parse the user's files (CIFAR-10 binary batches, or a folder / ZIP of class folders) at the
 * config's input size. Does not touch the current run; the set is kept for `{ name: 'upload' }`.
 */
export interface LoadUserDataCmd extends Base {
  type: 'loadUserData';
  requestId: number;
  kind: 'cifar10' | 'images';
  files: { name: string; bytes: ArrayBuffer }[];
  target: { height: number; width: number; channels: number };
}
/** Train a genotype from scratch (pauses the search while it runs). */
export interface EvaluateCmd extends Base {
  type: 'evaluate';
  requestId: number;
  request: EvalRequest;
}
export interface CancelEvaluateCmd extends Base {
  type: 'cancelEvaluate';
  requestId: number;
}

export type Command =
  | LoadUserDataCmd
  | EvaluateCmd
  | CancelEvaluateCmd
  | ConfigureCmd
  | PlayCmd
  | PauseCmd
  | StepCmd
  | ResetCmd
  | SetSpeedCmd
  | SetBackendCmd
  | UpdateHyperCmd
  | ExportCmd
  | SaveRunCmd
  | OpenRunCmd
  | CrashForTestCmd
  | SetDiagnosticsCmd
  | MeasureEigenCmd;

/** How often the worker measures λ_max while playing (every `eigenEvery` steps; 0 = never). */
export interface SetDiagnosticsCmd extends Base {
  type: 'setDiagnostics';
  eigenEvery: number;
}
/** Measure λ_max now (between steps), whatever the run state; the next snapshot carries it. */
export interface MeasureEigenCmd extends Base {
  type: 'measureEigen';
}

/** Throws an uncaught error in the worker outside any step (tests of the crash recovery). */
export interface CrashForTestCmd extends Base {
  type: 'crashForTest';
}

/** Write the whole run as a run file (core/runFile.ts); the main thread adds its chart history. */
export interface SaveRunCmd extends Base {
  type: 'saveRun';
  requestId: number;
  history?: RunHistory;
}

/**
 * Replace the run with the one in a run file, which continues exactly where it was saved. The
 * bytes are checked whole first: a file that fails leaves the current run as it was.
 */
export interface OpenRunCmd extends Base {
  type: 'openRun';
  bytes: ArrayBuffer;
}

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
  /** The rows the method's derivation ranks when they are not softmax(α) (core/methodDerive.ts). */
  deriveNormal?: Float32Array;
  deriveReduce?: Float32Array;
  /**
   * ∇_α of the last architecture step (first or second order, spec §3.4–3.5), row-major
   * `edges × ops`; absent before the first α step. The edge inspector shows it.
   */
  archGradNormal?: Float32Array;
  archGradReduce?: Float32Array;
  /** The worker's tfjs memory when the snapshot was taken (the soak script reads it; flat = no leak). */
  memory?: MemoryStats;
  /** skip_connect / parameter-free edges of the cells derived from this snapshot's α (spec §7). */
  collapse?: CollapseSnapshot;
  /** λ_max measurements since the previous snapshot (engine/diagnostics.ts, spec §7). */
  eigen?: EigenPoint[];
}

/** Counts of the derived cells (core/collapse.ts). */
export interface CollapseSnapshot {
  edges: number;
  skipNormal: number;
  paramFreeNormal: number;
  skipReduce: number;
  paramFreeReduce: number;
  /** Whether the op set has an op with weights (else "parameter-free" says nothing). */
  hasParametricOps: boolean;
}

/** One λ_max of ∇²_α L_val by power iteration, measured after weight step `step`. */
export interface EigenPoint {
  step: number;
  lambda: number;
  iterations: number;
  /** Wall time of the measurement in the worker. */
  ms: number;
}

export interface MemoryStats {
  /** Live tfjs tensors. */
  numTensors: number;
  /** Bytes of live tensor buffers, as tfjs counts them. */
  numBytes: number;
  /** The wasm backend's heap (its high-water mark); 0 on other backends. */
  heapBytes: number;
}

export type ErrorKind = 'divergence' | 'exception' | 'backend' | 'config' | 'data' | 'evaluation';

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
  deriveNormal?: Float32Array;
  deriveReduce?: Float32Array;
}

/** Dataset loading progress (download bytes, or images generated / parsed). */
export interface DataProgressReply extends Base {
  type: 'dataProgress';
  dataset: string;
  phase: 'download' | 'decode' | 'generate' | 'parse';
  loaded: number;
  total: number;
  detail?: string;
}
/** The dataset of the run is loaded (sent before `ready`). */
export interface DatasetReply extends Base {
  type: 'dataset';
  card: DatasetCard;
}
/** Result of `loadUserData`: a card when something usable was found, and every file's problem. */
export interface UserDataReply extends Base {
  type: 'userData';
  requestId: number;
  card: DatasetCard | null;
  problems: { file: string; problem: string }[];
  /** Set when nothing could be used (the message names the files and problems). */
  error?: string;
}
/** One trained batch of a "Train this cell" run. */
export interface EvalProgress {
  step: number;
  totalSteps: number;
  epoch: number;
  loss: number;
  acc: number;
}
/** What training one genotype from scratch reports. */
export interface EvalOutcome {
  testAccuracy: number;
  /** Trainable parameters without the auxiliary head (as the reference logs them). */
  params: number;
  epochs: number;
  msPerEpoch: number;
  trainImages: number;
  testImages: number;
  /** Peak tensor bytes while it trained (tfjs' counter). */
  peakBytes: number;
}
/** Progress of a "Train this cell" run. `candidate` 0 is the requested genotype, 1..K random ones. */
export interface EvalProgressReply extends Base, EvalProgress {
  type: 'evalProgress';
  requestId: number;
  candidate: number;
  candidates: number;
}
export interface EvalResultReply extends Base, EvalOutcome {
  type: 'evalResult';
  requestId: number;
  candidate: number;
  candidates: number;
  label: string;
  genotype: Genotype;
}
/** The evaluation ended: finished, cancelled, or failed (then `error` says why). */
export interface EvalDoneReply extends Base {
  type: 'evalDone';
  requestId: number;
  cancelled: boolean;
  error?: string;
}

export type Reply =
  | ReadyReply
  | StatusReply
  | SnapshotReply
  | ErrorReply
  | ExportedReply
  | DataProgressReply
  | DatasetReply
  | UserDataReply
  | EvalProgressReply
  | EvalResultReply
  | EvalDoneReply
  | RunFileReply
  | RunOpenedReply;

/** The run file asked for by `saveRun`, transferred. */
export interface RunFileReply extends Base {
  type: 'runFile';
  requestId: number;
  bytes: ArrayBuffer;
  step: number;
}

/** A run file was opened: sent before its `ready`, with what the file says about itself. */
export interface RunOpenedReply extends Base {
  type: 'runOpened';
  step: number;
  savedAt: string;
  config: SearchConfig;
  dataset: DatasetSpec;
  history?: RunHistory;
}

/** Distributes Omit over a union, so `Omit<Command, 'v'>` keeps the discriminant. */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
export type CommandBody = DistributiveOmit<Command, 'v' | 'runId'>;
export type ReplyBody = DistributiveOmit<Reply, 'v' | 'runId'>;
