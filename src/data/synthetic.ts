/**
 * A built-in, seeded, synthetic image-classification dataset: works offline, at any
 * height × width × channels and any number of classes, and is generated in a blink.
 *
 * Each class is one member of a procedural pattern family (class c → family c mod 4, variant
 * ⌊c/4⌋), so classes differ in *shape*, not in colour or brightness:
 *   0 stripes   oriented sine grating; the variant sets the angle (θ = π·v/n)
 *   1 checker   rotated checkerboard; the variant sets the cell size
 *   2 blob      a Gaussian spot; the variant sets its position on a ring around the centre
 *   3 rings     concentric rings around a jittered centre; the variant sets the ring frequency
 * Every sample draws its own phase, small orientation/position/scale jitter, contrast,
 * brightness, per-channel tint and pixel noise, plus a faint random "distractor" grating, so
 * the task is learnable by a small CNN but not trivial. Pixels are then normalised to mean 0 and
 * std 1 per channel with the training-set statistics (like the CIFAR-10 normalisation, spec §3.2).
 *
 * Splits (spec §3.2): the first floor(trainPortion·N) training samples are the weight half, the
 * rest the architecture half, with no shuffling before the split (labels are already in random
 * order). `nextWeightBatch` walks a fresh random permutation of the weight half every epoch
 * (the last batch of an epoch may be smaller, as in the reference's DataLoader); `randomArchBatch`
 * draws an independent uniform batch, without replacement inside the batch, at every call.
 * A separate held-out test set (`testBatches`) is never touched by the search.
 */
import type { Batch, DataSource } from '../engine/types';
import { Rng } from '../core/rng';
import { channelStats, EpochWalker, gatherBatch, normalise, orderedBatches, SplitSampler } from './splitSampler';

export interface SyntheticOptions {
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  seed: number;
  /** Training samples (both halves). Default 2048. */
  trainSize?: number;
  /** Held-out test samples. Default 512. */
  testSize?: number;
  /** Fraction of the training samples in the weight half (spec §3.2). Default 0.5. */
  trainPortion?: number;
  /** Std of the per-pixel Gaussian noise before normalisation (pattern amplitude ≈ 1). Default 0.35. */
  noise?: number;
}

const FAMILIES = ['stripes', 'checker', 'blob', 'rings'] as const;

/** Pattern family and variant of a class, and how many classes share that family. */
function classPattern(c: number, numClasses: number): { family: number; variant: number; count: number } {
  const family = c % FAMILIES.length;
  const variant = Math.floor(c / FAMILIES.length);
  const count = Math.ceil((numClasses - family) / FAMILIES.length);
  return { family, variant, count };
}

/** Human-readable class names, e.g. "stripes 45°", "blob at 90°", for the UI. */
export function syntheticClassNames(numClasses: number): string[] {
  return Array.from({ length: numClasses }, (_, c) => {
    const { family, variant, count } = classPattern(c, numClasses);
    switch (family) {
      case 0:
        return `stripes ${Math.round((180 * variant) / count)}°`;
      case 1:
        return `checker size ${variant + 1}`;
      case 2:
        return `blob at ${Math.round((360 * variant) / count)}°`;
      default:
        return `rings freq ${variant + 1}`;
    }
  });
}

/**
 * Render one sample of class `c` into `out` (HWC layout, un-normalised).
 * Coordinates u, v run over [-0.5, 0.5] so patterns scale with the image size.
 */
function renderSample(out: Float32Array, offset: number, c: number, o: Required<SyntheticOptions>, rng: Rng): void {
  const { height: H, width: W, channels: Ch, numClasses } = o;
  const { family, variant, count } = classPattern(c, numClasses);
  const phase = rng.uniform(0, 2 * Math.PI);
  const phase2 = rng.uniform(0, 2 * Math.PI);
  const contrast = rng.uniform(0.6, 1.2);
  const brightness = rng.uniform(-0.3, 0.3);
  const jitter = rng.uniform(-1, 1); // shared small perturbation of the class parameter
  const dx = rng.uniform(-0.08, 0.08);
  const dy = rng.uniform(-0.08, 0.08);
  const tint = Array.from({ length: Ch }, () => (Ch === 1 ? 1 : rng.uniform(0.5, 1.5)));
  // Faint distractor grating at a random angle: present in every class, carries no label signal.
  const dTheta = rng.uniform(0, Math.PI);
  const dFreq = rng.uniform(1, 3);
  const dAmp = rng.uniform(0, 0.3);

  // Class parameters (the variant) plus per-sample jitter.
  const theta = (Math.PI * variant) / count + 0.12 * jitter; // stripes; checker rotation
  const stripeFreq = 3 + 0.4 * jitter; // cycles per image
  const checkerFreq = (1.5 + 1.25 * variant) * (1 + 0.08 * jitter);
  const blobAngle = (2 * Math.PI * variant) / count + Math.PI / 4;
  const blobX = 0.25 * Math.cos(blobAngle) + dx;
  const blobY = 0.25 * Math.sin(blobAngle) + dy;
  const blobSigma = 0.11 * (1 + 0.15 * jitter);
  const ringFreq = (2 + 1.25 * variant) * (1 + 0.08 * jitter);

  const cos = Math.cos(theta);
  const sin = Math.sin(theta);
  for (let y = 0; y < H; y++) {
    const v = (y + 0.5) / H - 0.5;
    for (let x = 0; x < W; x++) {
      const u = (x + 0.5) / W - 0.5;
      let s: number;
      switch (family) {
        case 0:
          s = Math.sin(2 * Math.PI * stripeFreq * (u * cos + v * sin) + phase);
          break;
        case 1: {
          const ru = u * Math.cos(0.3 * jitter) - v * Math.sin(0.3 * jitter);
          const rv = u * Math.sin(0.3 * jitter) + v * Math.cos(0.3 * jitter);
          s = Math.tanh(4 * Math.sin(2 * Math.PI * checkerFreq * ru + phase) * Math.sin(2 * Math.PI * checkerFreq * rv + phase2));
          break;
        }
        case 2: {
          const r2 = (u - blobX) ** 2 + (v - blobY) ** 2;
          s = 2 * Math.exp(-r2 / (2 * blobSigma * blobSigma)) - 0.5;
          break;
        }
        default: {
          const r = Math.hypot(u - dx, v - dy);
          s = Math.sin(2 * Math.PI * ringFreq * r + phase);
        }
      }
      const d = dAmp * Math.sin(2 * Math.PI * dFreq * (u * Math.cos(dTheta) + v * Math.sin(dTheta)) + phase2);
      const base = offset + (y * W + x) * Ch;
      for (let ch = 0; ch < Ch; ch++) {
        out[base + ch] = contrast * s * tint[ch] + d + brightness + o.noise * rng.normal();
      }
    }
  }
}

/** Generate `n` samples with balanced, shuffled labels. */
function generate(n: number, o: Required<SyntheticOptions>, rng: Rng): { x: Float32Array; y: Int32Array } {
  const size = o.height * o.width * o.channels;
  const labels = Array.from({ length: n }, (_, i) => i % o.numClasses);
  rng.shuffle(labels);
  const x = new Float32Array(n * size);
  const y = Int32Array.from(labels);
  for (let i = 0; i < n; i++) renderSample(x, i * size, y[i], o, rng);
  return { x, y };
}

/** Seeded synthetic dataset implementing the engine's `DataSource` (spec §3.2 splits). */
export class SyntheticDataset implements DataSource {
  readonly name = 'synthetic';
  readonly height: number;
  readonly width: number;
  readonly channels: number;
  readonly numClasses: number;
  /** Size of the weight half: floor(trainPortion · trainSize). */
  readonly weightSetSize: number;
  /** Size of the architecture half: trainSize − weightSetSize. */
  readonly archSetSize: number;
  readonly testSize: number;
  /** Per-channel statistics used for normalisation (of the raw training pixels). */
  readonly mean: number[];
  readonly std: number[];
  /** Descriptions of the classes, e.g. "stripes 45°". */
  readonly classNames: string[];

  private readonly sampleSize: number;
  private readonly trainX: Float32Array;
  private readonly trainY: Int32Array;
  private readonly testX: Float32Array;
  private readonly testY: Int32Array;
  /** Weight-half permutations and architecture batches (streams 'weight-batches', 'arch-batches'). */
  private readonly sampler: SplitSampler;
  /** Walks all training samples (both halves) for training an evaluation network. */
  private readonly trainWalker: EpochWalker;
  /** All training samples (weight + architecture halves). */
  readonly trainSetSize: number;

  constructor(opts: SyntheticOptions) {
    const o: Required<SyntheticOptions> = { trainSize: 2048, testSize: 512, trainPortion: 0.5, noise: 0.35, ...opts };
    for (const k of ['height', 'width', 'channels', 'numClasses', 'trainSize', 'testSize'] as const) {
      if (!Number.isInteger(o[k]) || o[k] < 1) throw new RangeError(`synthetic data: ${k} must be a positive integer, got ${o[k]}`);
    }
    if (o.numClasses < 2) throw new RangeError(`synthetic data: numClasses must be >= 2, got ${o.numClasses}`);
    if (!(o.trainPortion > 0 && o.trainPortion < 1)) throw new RangeError(`synthetic data: trainPortion must be in (0, 1), got ${o.trainPortion}`);
    this.height = o.height;
    this.width = o.width;
    this.channels = o.channels;
    this.numClasses = o.numClasses;
    this.testSize = o.testSize;
    this.sampleSize = o.height * o.width * o.channels;
    this.weightSetSize = Math.floor(o.trainPortion * o.trainSize);
    this.archSetSize = o.trainSize - this.weightSetSize;
    if (this.weightSetSize < 1 || this.archSetSize < 1) {
      throw new RangeError(`synthetic data: trainSize ${o.trainSize} with trainPortion ${o.trainPortion} leaves an empty half`);
    }
    this.classNames = syntheticClassNames(o.numClasses);

    const train = generate(o.trainSize, o, new Rng(o.seed, 'synthetic-train'));
    const test = generate(o.testSize, o, new Rng(o.seed, 'synthetic-test'));
    const { mean, std } = channelStats(train.x, o.channels);
    normalise(train.x, o.channels, mean, std);
    normalise(test.x, o.channels, mean, std);
    this.mean = mean;
    this.std = std;
    this.trainX = train.x;
    this.trainY = train.y;
    this.testX = test.x;
    this.testY = test.y;

    this.sampler = new SplitSampler(o.seed, this.weightSetSize, this.archSetSize, 'synthetic data');
    this.trainSetSize = o.trainSize;
    this.trainWalker = new EpochWalker(new Rng(o.seed, 'train-batches'), o.trainSize, 'synthetic data', 'the training set');
  }

  /** Completed passes over the weight half. */
  get epoch(): number {
    return this.sampler.epoch;
  }

  /** Weight batches per epoch at this batch size (the last one may be smaller). */
  stepsPerEpoch(batchSize: number): number {
    return this.sampler.stepsPerEpoch(batchSize);
  }

  /** Next batch of the current epoch's permutation of the weight half (indices 0..weightSetSize-1). */
  nextWeightBatch(batchSize: number): Batch {
    return gatherBatch(this.sampler.nextWeightIndices(batchSize), this.trainX, this.trainY, this.sampleSize);
  }

  /** A fresh uniform batch from the architecture half (indices weightSetSize..trainSize-1). */
  randomArchBatch(batchSize: number): Batch {
    return gatherBatch(this.sampler.randomArchIndices(batchSize), this.trainX, this.trainY, this.sampleSize);
  }

  /** Next batch of a per-epoch permutation of the whole training set (evaluation training). */
  nextTrainBatch(batchSize: number): Batch {
    return gatherBatch(this.trainWalker.next(batchSize), this.trainX, this.trainY, this.sampleSize);
  }

  /** The held-out test set in order, in batches of `batchSize` (the last may be smaller). */
  testBatches(batchSize: number): Batch[] {
    return orderedBatches(batchSize, this.testSize, (idx) => gatherBatch(idx, this.testX, this.testY, this.sampleSize));
  }

  /**
   * The sampler state: [weight-epoch rng (4), cursor, epoch, arch rng (4)]. Restoring it on a
   * dataset built with the same options continues with exactly the same batches.
   */
  getRngState(): number[] {
    return this.sampler.getState();
  }

  setRngState(state: number[]): void {
    this.sampler.setState(state);
  }
}

/**
 * The synthetic dataset for a search config: its input shape, classes, seed and trainPortion.
 * `extra` can change the sample counts or the noise.
 */
export function syntheticForConfig(
  cfg: { height: number; width: number; inChannels: number; numClasses: number; seed: number; trainPortion: number },
  extra: Pick<SyntheticOptions, 'trainSize' | 'testSize' | 'noise'> = {},
): SyntheticDataset {
  return new SyntheticDataset({
    height: cfg.height,
    width: cfg.width,
    channels: cfg.inChannels,
    numClasses: cfg.numClasses,
    seed: cfg.seed,
    trainPortion: cfg.trainPortion,
    ...extra,
  });
}
