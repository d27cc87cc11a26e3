/**
 * The batch-sampling machinery shared by every DataSource of the playground (SyntheticDataset,
 * ImageDataset), implementing the DARTS splits of spec §3.2 on a training set whose first
 * `weightSetSize` samples are the weight half and the rest the architecture half:
 *
 *  - `EpochWalker` walks a fresh seeded permutation of 0..size-1 every epoch, in batches (the
 *    last batch of an epoch may be smaller, as the reference's DataLoader);
 *  - `SplitSampler` = an EpochWalker over the weight half (stream 'weight-batches') plus
 *    independent uniform architecture batches, without replacement inside a batch (stream
 *    'arch-batches'), with the 10-number state [weight-epoch rng (4), cursor, epoch, arch rng (4)];
 *  - `gatherBatch`, `orderedBatches`: copy samples out of a normalised Float32 stack, test batches;
 *  - `channelStats`, `normalise`: per-channel mean/std normalisation (spec §3.2).
 */
import { Rng } from '../core/rng';
import type { Batch } from '../engine/types';

export function checkBatch(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`batch size must be a positive integer, got ${batchSize}`);
}

/** Copy the samples `indices` of an NHWC stack (`sampleSize` floats each) into a batch. */
export function gatherBatch(indices: ArrayLike<number>, xs: Float32Array, ys: Int32Array, sampleSize: number): Batch {
  const n = indices.length;
  const x = new Float32Array(n * sampleSize);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const j = indices[i];
    x.set(xs.subarray(j * sampleSize, (j + 1) * sampleSize), i * sampleSize);
    y[i] = ys[j];
  }
  return { x, y, n };
}

/** A held-out set of `size` samples in order, in batches of `batchSize` (the last may be smaller). */
export function orderedBatches(batchSize: number, size: number, gather: (indices: number[]) => Batch): Batch[] {
  checkBatch(batchSize);
  const out: Batch[] = [];
  for (let s = 0; s < size; s += batchSize) {
    out.push(gather(Array.from({ length: Math.min(batchSize, size - s) }, (_, k) => s + k)));
  }
  return out;
}

/** Per-channel mean and std of an HWC image stack. */
export function channelStats(x: Float32Array, channels: number): { mean: number[]; std: number[] } {
  const sum = new Array<number>(channels).fill(0);
  const sq = new Array<number>(channels).fill(0);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    sum[c] += x[i];
    sq[c] += x[i] * x[i];
  }
  const n = x.length / channels;
  const mean = sum.map((s) => s / n);
  const std = sq.map((q, c) => Math.sqrt(Math.max(q / n - mean[c] * mean[c], 1e-12)));
  return { mean, std };
}

/** In place: x ← (x − mean[c]) / std[c] per channel. */
export function normalise(x: Float32Array, channels: number, mean: number[], std: number[]): void {
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    x[i] = (x[i] - mean[c]) / std[c];
  }
}

/**
 * Walks a fresh random permutation of 0..size-1 every epoch. State: [rng at the start of the
 * current epoch (4), cursor, epoch] — the permutation is regenerated from it.
 */
export class EpochWalker {
  private epochStartState: number[];
  private perm: Int32Array;
  private cursor = 0;
  private epochCount = 0;

  constructor(
    private readonly rng: Rng,
    readonly size: number,
    /** Prefix of error messages, e.g. 'synthetic data'. */
    private readonly label: string,
    /** Name of the walked set in error messages, e.g. 'the weight half'. */
    private readonly what: string,
  ) {
    this.epochStartState = rng.getState();
    this.perm = rng.permutation(size);
  }

  /** Completed passes over the set. */
  get epoch(): number {
    return this.epochCount;
  }

  stepsPerEpoch(batchSize: number): number {
    return Math.ceil(this.size / batchSize);
  }

  private newEpoch(): void {
    this.epochCount++;
    this.cursor = 0;
    this.epochStartState = this.rng.getState();
    this.perm = this.rng.permutation(this.size);
  }

  /** Indices of the next batch of the current epoch's permutation (starting a new epoch when it is used up). */
  next(batchSize: number): Int32Array {
    checkBatch(batchSize);
    if (this.cursor >= this.size) this.newEpoch();
    const end = Math.min(this.cursor + batchSize, this.size);
    const idx = this.perm.subarray(this.cursor, end);
    this.cursor = end;
    return idx;
  }

  getState(): number[] {
    return [...this.epochStartState, this.cursor, this.epochCount];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 6) throw new RangeError(`${this.label}: epoch state must have 6 numbers, got ${state.length}`);
    const cursor = state[4];
    if (!Number.isInteger(cursor) || cursor < 0 || cursor > this.size) {
      throw new RangeError(`${this.label}: cursor ${cursor} is outside ${this.what} (0..${this.size})`);
    }
    this.rng.setState(state.slice(0, 4));
    this.epochStartState = state.slice(0, 4);
    this.perm = this.rng.permutation(this.size);
    this.cursor = cursor;
    this.epochCount = state[5];
  }
}

/** The weight/architecture sampler of spec §3.2 over indices 0..weightSetSize+archSetSize-1. */
export class SplitSampler {
  private readonly weights: EpochWalker;
  /** Stream for the architecture batches. */
  private readonly archRng: Rng;

  constructor(
    seed: number,
    readonly weightSetSize: number,
    readonly archSetSize: number,
    private readonly label: string,
  ) {
    this.weights = new EpochWalker(new Rng(seed, 'weight-batches'), weightSetSize, label, 'the weight half');
    this.archRng = new Rng(seed, 'arch-batches');
  }

  /** Completed passes over the weight half. */
  get epoch(): number {
    return this.weights.epoch;
  }

  stepsPerEpoch(batchSize: number): number {
    return this.weights.stepsPerEpoch(batchSize);
  }

  /** Indices (0..weightSetSize-1) of the next weight batch. */
  nextWeightIndices(batchSize: number): Int32Array {
    return this.weights.next(batchSize);
  }

  /** Indices (weightSetSize..weightSetSize+archSetSize-1) of a fresh uniform architecture batch. */
  randomArchIndices(batchSize: number): Int32Array {
    checkBatch(batchSize);
    const picks = this.archRng.sample(this.archSetSize, Math.min(batchSize, this.archSetSize));
    for (let i = 0; i < picks.length; i++) picks[i] += this.weightSetSize;
    return picks;
  }

  /** [weight-epoch rng (4), cursor, epoch, arch rng (4)]. */
  getState(): number[] {
    return [...this.weights.getState(), ...this.archRng.getState()];
  }

  setState(state: readonly number[]): void {
    if (state.length !== 10) throw new RangeError(`${this.label}: rng state must have 10 numbers, got ${state.length}`);
    this.weights.setState(state.slice(0, 6));
    this.archRng.setState(state.slice(6, 10));
  }
}
