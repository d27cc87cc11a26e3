/**
 * Turns any RawImageSet (built-in MNIST / Fashion-MNIST, user uploads) into the engine's
 * DataSource with the DARTS splits of spec §3.2 — the same public API and split semantics as
 * SyntheticDataset:
 *
 *  - the images are resized / channel-converted to the search's input size (resizeStack, area
 *    averaging) when they differ from it;
 *  - pixels are normalised to mean 0 / std 1 per channel with the statistics of the used training
 *    images, computed on the 0..1 scale (`mean`, `std`; e.g. ≈ 0.13 / 0.31 for MNIST), as the
 *    CIFAR-10 normalisation of the reference;
 *  - the first floor(trainPortion · N) training images are the weight half, the rest the
 *    architecture half, with no shuffling before the split (the built-in files store labels in
 *    random order); `nextWeightBatch` walks a fresh permutation of the weight half every epoch,
 *    `randomArchBatch` draws a fresh uniform batch at every call, `testBatches` returns the
 *    held-out test set in order;
 *  - `nextTrainBatch` walks a per-epoch permutation of ALL used training images (its own rng
 *    stream), to train an evaluation network on the whole training set after the search;
 *  - with `augment`, training batches (weight, architecture, train — never test batches) get the
 *    reference's training transform (spec §3.2): a random crop with zero padding of
 *    round(size / 8) pixels (4 px at 32×32, min 1), then a random horizontal flip when the set is
 *    flip-safe (not for digits). "Zero" is a black pixel before normalisation, as in PyTorch,
 *    where RandomCrop runs before Normalize. The augmentation of a batch is drawn from an rng keyed
 *    by the sampler position, so `setRngState` reproduces augmented batches exactly as well.
 *
 * Pixels stay uint8 in memory (4× less than float; a CIFAR-10 upload is 150 MB, not 600 MB) and
 * are normalised through a per-channel lookup table when a batch is gathered.
 */
import { Rng } from '../core/rng';
import type { Batch, DataSource } from '../engine/types';
import { resizeStack } from './resize';
import { EpochWalker, orderedBatches, SplitSampler } from './splitSampler';
import type { RawImageSet } from './types';

export interface ImageDatasetOptions {
  /** Input size of the search (the images are resized / converted to it when needed). */
  height: number;
  width: number;
  channels: number;
  seed: number;
  /** Fraction of the training images in the weight half (spec §3.2). Default 0.5. */
  trainPortion?: number;
  /** Random crop (+ flip when flip-safe) on training batches. Default false. */
  augment?: boolean;
  /** Use only the first N training images (quick runs). Default: all. */
  trainSize?: number;
  /** Use only the first N test images. Default: all. */
  testSize?: number;
}

/** Per-channel statistics of uint8 HWC pixels on the 0..1 scale. */
function uint8ChannelStats(x: Uint8Array, channels: number): { mean: number[]; std: number[] } {
  const hist = Array.from({ length: channels }, () => new Float64Array(256));
  for (let i = 0; i < x.length; i++) hist[i % channels][x[i]]++;
  const mean: number[] = [];
  const std: number[] = [];
  for (const h of hist) {
    let n = 0;
    let s = 0;
    let q = 0;
    for (let v = 0; v < 256; v++) {
      const f = v / 255;
      n += h[v];
      s += h[v] * f;
      q += h[v] * f * f;
    }
    const m = s / n;
    mean.push(m);
    std.push(Math.sqrt(Math.max(q / n - m * m, 1e-12)));
  }
  return { mean, std };
}

/** Crop padding for an image side: round(size / 8), at least 1 (4 px at 32). */
export function cropPadding(size: number): number {
  return Math.max(1, Math.round(size / 8));
}

export class ImageDataset implements DataSource {
  /** The raw set's id, e.g. 'mnist'. */
  readonly name: string;
  /** Display name, e.g. "MNIST digits". */
  readonly displayName: string;
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  readonly classNames: string[];
  /** Training images used (both halves): min(trainSize, raw train count). */
  readonly trainSetSize: number;
  /** Size of the weight half: floor(trainPortion · trainSetSize). */
  readonly weightSetSize: number;
  /** Size of the architecture half: trainSetSize − weightSetSize. */
  readonly archSetSize: number;
  readonly testSize: number;
  /** Per-channel statistics used for normalisation (of the used training pixels, 0..1 scale). */
  readonly mean: number[];
  readonly std: number[];
  readonly augment: boolean;
  readonly flipSafe: boolean;
  readonly source: string;
  readonly license: string;

  private readonly seed: number;
  private readonly sampleSize: number;
  private readonly trainX: Uint8Array;
  private readonly trainY: Int32Array;
  private readonly testX: Uint8Array;
  private readonly testY: Int32Array;
  /** lut[c · 256 + v] = (v / 255 − mean[c]) / std[c]. */
  private readonly lut: Float32Array;
  private readonly sampler: SplitSampler;
  private readonly trainWalker: EpochWalker;

  constructor(raw: RawImageSet, opts: ImageDatasetOptions) {
    const label = raw.name || raw.id;
    const trainPortion = opts.trainPortion ?? 0.5;
    for (const k of ['height', 'width', 'channels'] as const) {
      if (!Number.isInteger(opts[k]) || opts[k] < 1) throw new RangeError(`${label}: ${k} must be a positive integer, got ${opts[k]}`);
    }
    if (!(trainPortion > 0 && trainPortion < 1)) throw new RangeError(`${label}: trainPortion must be in (0, 1), got ${trainPortion}`);
    const count = (k: 'trainSize' | 'testSize', available: number): number => {
      const v = opts[k];
      if (v === undefined) return available;
      if (!Number.isInteger(v) || v < 0) throw new RangeError(`${label}: ${k} must be a non-negative integer, got ${v}`);
      return Math.min(v, available);
    };
    this.name = raw.id;
    this.displayName = raw.name;
    this.height = opts.height;
    this.width = opts.width;
    this.channels = opts.channels;
    this.numClasses = raw.numClasses;
    this.classNames = [...raw.classNames];
    this.flipSafe = raw.flipSafe;
    this.source = raw.source;
    this.license = raw.license;
    this.augment = opts.augment === true;
    this.seed = opts.seed;
    this.trainSetSize = count('trainSize', raw.train.n);
    this.testSize = count('testSize', raw.test.n);
    this.weightSetSize = Math.floor(trainPortion * this.trainSetSize);
    this.archSetSize = this.trainSetSize - this.weightSetSize;
    if (this.weightSetSize < 1 || this.archSetSize < 1) {
      throw new RangeError(`${label}: ${this.trainSetSize} training images with trainPortion ${trainPortion} leave an empty half`);
    }

    const inSize = raw.height * raw.width * raw.channels;
    const prep = (x: Uint8Array, n: number) =>
      resizeStack(x.subarray(0, n * inSize), n, raw.height, raw.width, raw.channels, this.height, this.width, this.channels);
    this.sampleSize = this.height * this.width * this.channels;
    this.trainX = prep(raw.train.x, this.trainSetSize);
    this.testX = prep(raw.test.x, this.testSize);
    this.trainY = Int32Array.from(raw.train.y.subarray(0, this.trainSetSize));
    this.testY = Int32Array.from(raw.test.y.subarray(0, this.testSize));

    const { mean, std } = uint8ChannelStats(this.trainX, this.channels);
    this.mean = mean;
    this.std = std;
    this.lut = new Float32Array(this.channels * 256);
    for (let c = 0; c < this.channels; c++) for (let v = 0; v < 256; v++) this.lut[c * 256 + v] = (v / 255 - mean[c]) / std[c];

    this.sampler = new SplitSampler(opts.seed, this.weightSetSize, this.archSetSize, label);
    this.trainWalker = new EpochWalker(new Rng(opts.seed, 'train-batches'), this.trainSetSize, label, 'the training set');
  }

  /** Completed passes over the weight half. */
  get epoch(): number {
    return this.sampler.epoch;
  }

  /** Weight batches per epoch at this batch size (the last one may be smaller). */
  stepsPerEpoch(batchSize: number): number {
    return this.sampler.stepsPerEpoch(batchSize);
  }

  /** Completed passes of `nextTrainBatch` over the whole training set. */
  get trainEpoch(): number {
    return this.trainWalker.epoch;
  }

  /** `nextTrainBatch` batches per epoch at this batch size. */
  trainStepsPerEpoch(batchSize: number): number {
    return this.trainWalker.stepsPerEpoch(batchSize);
  }

  private gather(indices: ArrayLike<number>, xs: Uint8Array, ys: Int32Array): Batch {
    const n = indices.length;
    const size = this.sampleSize;
    const ch = this.channels;
    const x = new Float32Array(n * size);
    const y = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const src = indices[i] * size;
      const dst = i * size;
      for (let p = 0; p < size; p++) x[dst + p] = this.lut[(p % ch) * 256 + xs[src + p]];
      y[i] = ys[indices[i]];
    }
    return { x, y, n };
  }

  /** Random crop with (black) padding and, when flip-safe, a random horizontal flip, in place. */
  private augmentBatch(batch: Batch, key: string): Batch {
    if (!this.augment) return batch;
    const rng = new Rng(this.seed, `augment:${key}`);
    const { height: H, width: W, channels: C } = this;
    const padY = cropPadding(H);
    const padX = cropPadding(W);
    const fill = this.mean.map((m, c) => -m / this.std[c]); // a black pixel, normalised
    const img = new Float32Array(this.sampleSize);
    for (let i = 0; i < batch.n; i++) {
      const dy = rng.int(2 * padY + 1) - padY;
      const dx = rng.int(2 * padX + 1) - padX;
      const flip = this.flipSafe && rng.next() < 0.5;
      if (dy === 0 && dx === 0 && !flip) continue;
      const off = i * this.sampleSize;
      img.set(batch.x.subarray(off, off + this.sampleSize));
      for (let y = 0; y < H; y++) {
        const sy = y + dy;
        for (let x = 0; x < W; x++) {
          const sx = (flip ? W - 1 - x : x) + dx;
          const o = off + (y * W + x) * C;
          if (sy < 0 || sy >= H || sx < 0 || sx >= W) {
            for (let c = 0; c < C; c++) batch.x[o + c] = fill[c];
          } else {
            const s = (sy * W + sx) * C;
            for (let c = 0; c < C; c++) batch.x[o + c] = img[s + c];
          }
        }
      }
    }
    return batch;
  }

  /** Next batch of the current epoch's permutation of the weight half (indices 0..weightSetSize-1). */
  nextWeightBatch(batchSize: number): Batch {
    const key = this.augment ? `w:${this.sampler.getState().slice(0, 6).join(',')}` : '';
    return this.augmentBatch(this.gather(this.sampler.nextWeightIndices(batchSize), this.trainX, this.trainY), key);
  }

  /** A fresh uniform batch from the architecture half (indices weightSetSize..trainSetSize-1). */
  randomArchBatch(batchSize: number): Batch {
    const key = this.augment ? `a:${this.sampler.getState().slice(6).join(',')}` : '';
    return this.augmentBatch(this.gather(this.sampler.randomArchIndices(batchSize), this.trainX, this.trainY), key);
  }

  /** Next batch of a per-epoch permutation of the whole training set (both halves), for evaluation training. */
  nextTrainBatch(batchSize: number): Batch {
    const key = this.augment ? `t:${this.trainWalker.getState().join(',')}` : '';
    return this.augmentBatch(this.gather(this.trainWalker.next(batchSize), this.trainX, this.trainY), key);
  }

  /** The held-out test set in order, in batches of `batchSize` (the last may be smaller); never augmented. */
  testBatches(batchSize: number): Batch[] {
    return orderedBatches(batchSize, this.testSize, (idx) => this.gather(idx, this.testX, this.testY));
  }

  /**
   * The search sampler state: [weight-epoch rng (4), cursor, epoch, arch rng (4)], the layout of
   * SyntheticDataset. Restoring it on a dataset built with the same options continues with exactly
   * the same (augmented) batches.
   */
  getRngState(): number[] {
    return this.sampler.getState();
  }

  setRngState(state: number[]): void {
    this.sampler.setState(state);
  }

  /** State of the `nextTrainBatch` walker: [rng at epoch start (4), cursor, epoch]. */
  getTrainRngState(): number[] {
    return this.trainWalker.getState();
  }

  setTrainRngState(state: number[]): void {
    this.trainWalker.setState(state);
  }
}

/**
 * The ImageDataset for a search config: its input size (height, width, inChannels), seed and
 * trainPortion. Throws a RangeError when the config's numClasses differs from the data's.
 */
export function imageDatasetForConfig(
  raw: RawImageSet,
  cfg: { height: number; width: number; inChannels: number; numClasses: number; seed: number; trainPortion: number },
  extra: Pick<ImageDatasetOptions, 'augment' | 'trainSize' | 'testSize'> = {},
): ImageDataset {
  if (cfg.numClasses !== raw.numClasses) {
    throw new RangeError(`${raw.name} has ${raw.numClasses} classes, but the config has numClasses ${cfg.numClasses}`);
  }
  return new ImageDataset(raw, {
    height: cfg.height,
    width: cfg.width,
    channels: cfg.inChannels,
    seed: cfg.seed,
    trainPortion: cfg.trainPortion,
    ...extra,
  });
}
