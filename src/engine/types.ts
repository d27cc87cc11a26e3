/**
 * Public types of the engine, shared by the worker, the CLI and tests.
 * The engine is DOM-free and runs unchanged in Node and in a web worker.
 */
import type { SearchConfig } from '../core/config';
import type { SavedSearchState } from '../core/runFile';

/** A batch in NHWC layout, pixel values already normalised; labels are class indices. */
export interface Batch {
  x: Float32Array;
  y: Int32Array;
  n: number;
}

/** Where the search gets its data from (src/data implements this). */
export interface DataSource {
  readonly name: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  /** Size of the weight half of the training split (spec §3.2). */
  readonly weightSetSize: number;
  /** Next weight batch: walks a fresh random permutation of the weight half every epoch. */
  nextWeightBatch(batchSize: number): Batch;
  /** A fresh, independent random batch from the architecture half (spec §3.2). */
  randomArchBatch(batchSize: number): Batch;
}

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export type StepKind = 'arch' | 'weights' | 'both';

/** Loss and top-1 accuracy of the weight (train) batch and of the architecture (val) batch. */
export interface StepMetrics {
  trainLoss?: number;
  trainAcc?: number;
  valLoss?: number;
  valAcc?: number;
}

/** What one step reports. Fields of a phase that did not run are undefined. */
export interface StepResult extends StepMetrics {
  /** Steps done after this call (a 'both' step and a 'weights' step each count one; 'arch' does not). */
  step: number;
  epoch: number;
  lr: number;
  /** Milliseconds spent in each phase of this call. */
  archMs?: number;
  weightMs?: number;
}

/**
 * The whole search state as plain arrays: moves a run between backends or saves it. One
 * definition, core's (the run file stores exactly this).
 */
export type EngineState = SavedSearchState;

/** Thrown by a step whose loss or gradient is NaN/Inf. The state is left as it was before the step. */
export class DivergenceError extends Error {
  constructor(
    public readonly phase: 'arch' | 'weights',
    public readonly value: number,
  ) {
    super(
      `The ${phase === 'arch' ? 'architecture (α)' : 'weight'} step diverged: the loss became ${value}. ` +
        'The run was paused with its last good state. Lower the learning rate' +
        (phase === 'arch' ? ' of α' : '') +
        ' or the batch size, or reset with another seed.',
    );
    this.name = 'DivergenceError';
  }
}
