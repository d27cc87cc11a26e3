/**
 * Sizes for "Train this cell" (spec §4.4). The reference evaluates at C=36, 20 cells, 600 epochs
 * on 50,000 CIFAR images: about a GPU-day. The browser sizes keep the recipe (SGD 0.025 cosine,
 * momentum 0.9, wd 3e-4, clip 5) and shrink the network, the data and the epochs.
 */
export interface EvalSize {
  id: 'quick' | 'standard' | 'reference';
  label: string;
  description: string;
  C: number;
  layers: number;
  epochs: number;
  batchSize: number;
  /** Training images used (the first N of the training set); undefined = all. */
  trainSize?: number;
  /** Test images scored; undefined = all. */
  testSize?: number;
}

export const EVAL_SIZES: readonly EvalSize[] = [
  {
    // Measured in the browser (npm run -s bench:eval): 32 s per epoch, 67 s in all, 93.4 % on MNIST (DARTS_V2).
    id: 'quick',
    label: 'Quick (lecture, ~2 min)',
    description: 'C=8, 5 cells, 2 epochs over 2,000 training images, scored on 1,000 test images: fits a lecture on a 2-core laptop.',
    C: 8,
    layers: 5,
    epochs: 2,
    batchSize: 32,
    trainSize: 2000,
    testSize: 1000,
  },
  {
    // Measured: about 41 ms per training image on wasm (2 cores), peak ≈ 1.1 GB of tensors at batch 32.
    id: 'standard',
    label: 'Standard (~9 min)',
    description: 'C=12, 8 cells (the reduction placement of the paper), 3 epochs over 4,000 training images, scored on the whole test set: a fairer comparison of cells.',
    C: 12,
    layers: 8,
    epochs: 3,
    batchSize: 32,
    trainSize: 4000,
  },
  {
    id: 'reference',
    label: 'Reference shape (C=36, 20 cells; hours)',
    description: 'The paper\u2019s evaluation network shape (3.3M parameters for DARTS_V2), 10 epochs. Only sensible on a GPU.',
    C: 36,
    layers: 20,
    epochs: 10,
    batchSize: 96,
  },
];

export const DEFAULT_EVAL_SIZE: EvalSize = EVAL_SIZES[0];

export function evalSizeById(id: string): EvalSize | undefined {
  return EVAL_SIZES.find((s) => s.id === id);
}

/**
 * Rough peak tensor memory of training an evaluation network, in bytes: proportional to
 * C · layers · batch · H · W. The factor is fitted to measured peaks on wasm (tfjs' byte counter):
 * Quick (C=8, 5 cells, batch 32, 16×16) 538 MB, Standard (C=12, 8 cells, batch 32, 16×16) 1.08 GB.
 */
export function estimateEvalBytes(s: { C: number; layers: number; batchSize: number; height: number; width: number }): number {
  return EVAL_BYTES_FACTOR * s.C * s.layers * s.batchSize * s.height * s.width;
}
export const EVAL_BYTES_FACTOR = 1700;
/** wasm tops out at 4 GB of memory; leave room for the supernet of the paused search. */
export const EVAL_BYTES_LIMIT = 3e9;
