/**
 * The worker's datasets: where each `DatasetSpec` comes from, the `DataSource` the search reads
 * (spec §3.2 splits), the evaluation data for "Train this cell", and the dataset card the UI shows.
 *
 * Raw sets are kept in memory once loaded (MNIST is downloaded once and then also sits in the
 * Cache API, see builtinLoader.ts); a new seed or input size only re-splits / resizes them.
 */
import type { SearchConfig } from '../core/config';
import { loadBuiltin } from '../data/builtinLoader';
import { ImageDataset, imageDatasetForConfig } from '../data/imageDataset';
import { syntheticForConfig, SyntheticDataset } from '../data/synthetic';
import { generateTaskForConfig, TEACHING_TASKS, type TeachingTaskId } from '../data/tasks';
import type { LoadProgress, RawImageSet } from '../data/types';
import type { DataSource } from '../engine/types';
import type { DatasetCard, DatasetSpec } from './protocol';

/** Samples per class on the dataset card. */
export const CARD_SAMPLES_PER_CLASS = 4;

export class WorkerDatasets {
  /** The user's parsed files (`{ name: 'upload' }`), replaced by each successful load. */
  private upload: { set: RawImageSet; note?: string } | null = null;
  private readonly tasks = new Map<string, RawImageSet>();

  constructor(
    /** The app's base URL ending in '/', for `data/<id>.bin`. */
    private readonly baseUrl: string,
    private readonly fetchFn?: typeof fetch,
  ) {}

  setUpload(set: RawImageSet, note?: string): void {
    this.upload = { set, note };
  }

  /** The raw images of a non-synthetic dataset, at its native size. */
  async raw(spec: Exclude<DatasetSpec, { name: 'synthetic' }>, config: SearchConfig, onProgress: (p: LoadProgress) => void): Promise<{ set: RawImageSet; note?: string }> {
    switch (spec.name) {
      case 'mnist':
      case 'fashion-mnist':
        return { set: await loadBuiltin(spec.name, { baseUrl: this.baseUrl, onProgress, ...(this.fetchFn ? { fetch: this.fetchFn } : {}) }) };
      case 'task': {
        const task = TEACHING_TASKS.find((t) => t.id === spec.id);
        if (!task) throw new Error(`there is no teaching task '${spec.id}' (known: ${TEACHING_TASKS.map((t) => t.id).join(', ')})`);
        // Generated at the config's size and channels from the config's seed.
        const key = `${spec.id}:${config.height}x${config.width}x${config.inChannels}:${config.seed}`;
        let set = this.tasks.get(key);
        if (!set) {
          onProgress({ phase: 'generate', loaded: 0, total: 1 });
          set = generateTaskForConfig(task.id as TeachingTaskId, config);
          this.tasks.clear(); // keep one generated task in memory
          this.tasks.set(key, set);
          onProgress({ phase: 'generate', loaded: 1, total: 1 });
        }
        return { set, note: task.explanation };
      }
      case 'upload':
        if (!this.upload) throw new Error('no files are loaded yet; drop CIFAR-10 batches or an image folder first');
        return this.upload;
    }
  }

  /** The search's data source and the card for a config. */
  async create(config: SearchConfig, spec: DatasetSpec, onProgress: (p: LoadProgress) => void): Promise<{ source: DataSource; card: DatasetCard }> {
    const t0 = performance.now();
    if (spec.name === 'synthetic') {
      const source = syntheticForConfig(config);
      return { source, card: syntheticCard(source, performance.now() - t0) };
    }
    const { set, note } = await this.raw(spec, config, onProgress);
    // Optional augmentation of the training batches (spec §3.2): random crop with zero padding,
    // plus a horizontal flip where the data allows it (not for digits).
    const source = imageDatasetForConfig(set, config, { augment: spec.augment === true });
    return { source, card: rawCard(set, performance.now() - t0, note) };
  }

  /**
   * Data for training an evaluation network: the same dataset at the config's input size, the
   * whole training set (both halves, spec §4.4) or its first `trainSize` images.
   */
  async evalData(config: SearchConfig, spec: DatasetSpec, sizes: { trainSize?: number; testSize?: number }): Promise<ImageDataset | SyntheticDataset> {
    if (spec.name === 'synthetic') return syntheticForConfig(config);
    const { set } = await this.raw(spec, config, () => undefined);
    const clamp = (n: number | undefined, max: number) => (n === undefined ? undefined : Math.min(n, max));
    return imageDatasetForConfig(set, config, { trainSize: clamp(sizes.trainSize, set.train.n), testSize: clamp(sizes.testSize, set.test.n) });
  }
}

/**
 * The first `perClass` images of each class among `labels`, in label order; `pixels(i)` gives
 * image i as uint8 HWC.
 */
function firstPerClass(labels: ArrayLike<number>, numClasses: number, pixels: (i: number) => Uint8Array, perClass: number): DatasetCard['samples'] {
  const counts = new Array<number>(numClasses).fill(0);
  const out: DatasetCard['samples'] = [];
  for (let i = 0; i < labels.length && out.length < perClass * numClasses; i++) {
    const label = labels[i];
    if (counts[label] >= perClass) continue;
    counts[label]++;
    out.push({ label, pixels: pixels(i) });
  }
  return out.sort((a, b) => a.label - b.label);
}

/** Up to `perClass` training images of each class, at the native size. */
export function classSamples(set: RawImageSet, perClass = CARD_SAMPLES_PER_CLASS): DatasetCard['samples'] {
  const size = set.height * set.width * set.channels;
  return firstPerClass(set.train.y.subarray(0, set.train.n), set.numClasses, (i) => set.train.x.slice(i * size, (i + 1) * size), perClass);
}

export function rawCard(set: RawImageSet, loadMs: number, note?: string): DatasetCard {
  const { train, test, ...info } = set;
  return { ...info, trainCount: train.n, testCount: test.n, samples: classSamples(set), ...(note ? { note } : {}), loadMs };
}

/** The synthetic patterns' card: samples rescaled from normalised floats to bytes for display. */
function syntheticCard(d: SyntheticDataset, loadMs: number): DatasetCard {
  const batch = d.testBatches(Math.min(d.testSize, 50 * d.numClasses))[0];
  const size = d.height * d.width * d.channels;
  // ±2.5 std → 0..255
  const toBytes = (i: number) => Uint8Array.from(batch.x.subarray(i * size, (i + 1) * size), (v) => Math.max(0, Math.min(255, Math.round(127.5 + 51 * v))));
  const samples = firstPerClass(batch.y, d.numClasses, toBytes, CARD_SAMPLES_PER_CLASS);
  return {
    id: 'synthetic',
    name: 'Synthetic patterns',
    height: d.height,
    width: d.width,
    channels: d.channels,
    numClasses: d.numClasses,
    classNames: d.classNames,
    trainCount: d.weightSetSize + d.archSetSize,
    testCount: d.testSize,
    samples,
    source: 'Generated in your browser from the seed: stripes, checkers, blobs and rings (src/data/synthetic.ts)',
    license: 'Synthetic; no license needed',
    flipSafe: false,
    loadMs,
  };
}
