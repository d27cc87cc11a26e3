/**
 * The common currency of every image dataset in the playground: the built-in MNIST and
 * Fashion-MNIST binaries, the seeded synthetic teaching tasks, and user data (CIFAR-10 binary
 * batches, image folders/ZIPs). All are uint8 pixels in NHWC order with uint8 labels, so one
 * `ImageDataset` (imageDataset.ts) turns any of them into the engine's `DataSource` with the
 * DARTS splits of spec §3.2.
 */

/** One split (train or test): n images of height × width × channels uint8 pixels, NHWC. */
export interface ImageSplit {
  n: number;
  /** n · height · width · channels bytes, NHWC, 0 = black, 255 = white. */
  x: Uint8Array;
  /** n labels in 0..numClasses−1. */
  y: Uint8Array;
}

/** A whole dataset as raw bytes, before resizing, normalisation and splitting. */
export interface RawImageSet {
  /** Stable id, e.g. 'mnist', 'fashion-mnist', 'task-texture', 'cifar10-upload'. */
  id: string;
  /** Display name, e.g. "MNIST digits". */
  name: string;
  height: number;
  width: number;
  channels: number;
  numClasses: number;
  classNames: string[];
  train: ImageSplit;
  /** Held out: never seen by the search (spec §3.2). */
  test: ImageSplit;
  /** Where the data comes from and under which license (shown on the dataset card). */
  source: string;
  license: string;
  /** Whether a horizontal flip keeps the label (true for CIFAR/Fashion, false for digits). */
  flipSafe: boolean;
}

/** Everything about a dataset but its pixels, with the size of each split. */
export interface ImageSetSummary extends Omit<RawImageSet, 'train' | 'test'> {
  trainCount: number;
  testCount: number;
}

/** Load progress reported to the UI (bytes may be unknown for generated data). */
export interface LoadProgress {
  phase: 'download' | 'decode' | 'generate' | 'parse';
  loaded: number;
  total: number;
  /** Optional human-readable detail, e.g. the file being parsed. */
  detail?: string;
}
