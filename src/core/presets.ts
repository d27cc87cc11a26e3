/**
 * Named starting points for a search. Each preset is a partial config (the rest comes from the
 * reference defaults, spec §3.1) plus a human label, a description and the dataset it is meant for.
 * `getPreset` returns the validated full SearchConfig, so a preset can never be invalid.
 *
 * Sizes follow spec §9 ("tiny settings"): the supernet parameter counts quoted below are exact
 * (params.ts); memory figures are the analytic estimate of memory.ts before calibration.
 */
import type { SearchConfig } from './config';
import { PRIMITIVES } from './primitives';
import { ConfigError, validateConfig } from './validateConfig';

/** Datasets a preset can ask for. `synthetic` is built in (src/data/synthetic.ts). */
export type DatasetId = 'synthetic' | 'mnist' | 'cifar10';

export interface Preset {
  /** The name shown in the UI's preset menu, e.g. "Lecture: quick MNIST". */
  label: string;
  /** One or two sentences for the UI's preset menu: what it is and what to watch for. */
  description: string;
  /** The dataset this preset is meant for. */
  dataset: DatasetId;
  config: Partial<SearchConfig>;
}

/** Menu order: the lecture presets first, the CLI-sized ones last. `lecture` is the app's default. */
export const PRESET_NAMES = [
  'lecture',
  'simple-convs',
  'skip-collapse',
  'first-vs-second',
  'paper',
  'tiny-mnist',
  'tiny-cifar',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];


/**
 * The lecture network (spec §9 "tiny settings"): the smallest network that still shows DARTS at
 * work. Cells N R R (spec §1.6, L=3 → reductions at 1 and 2), the paper's canonical 14-edge cell
 * with all 8 ops so the drawing matches the paper's figure. 72,854 supernet weights at 3 channels;
 * 1 channel saves 54·C = 216 (72,638). 16×16 → 8 → 4 is even before both reductions. Peak ≈ 580 MB
 * per step. Measured speed (2-core machine, no GPU, first order): 2.5 s per step on wasm in Node
 * (`npm run -s darts -- bench --preset lecture`), about 0.3 steps/s in the browser on wasm.
 * 1024 weight images / 16 = 64 steps per epoch. The α learning rate is 10× the paper's (3e-3
 * instead of 3e-4) so that edges visibly separate within a lecture's few minutes; everything else
 * is the reference setting (`paper` keeps 3e-4).
 */
const LECTURE_CONFIG: Partial<SearchConfig> = {
  ops: [...PRIMITIVES],
  steps: 4,
  multiplier: 4,
  C: 4,
  layers: 3,
  inChannels: 1,
  height: 16,
  width: 16,
  numClasses: 10,
  batchSize: 16,
  epochs: 10,
  archLr: 3e-3,
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  // The app default. MNIST digits (28×28) are resized to 16×16 by the data loader.
  lecture: {
    label: 'Lecture: quick MNIST',
    description:
      'The default: a tiny supernet (C=4, 3 cells N-R-R, 4-node cells, all 8 ops) on MNIST digits ' +
      'resized to 16×16, with a 10× α learning rate (3e-3) so the edges separate within minutes. ' +
      'About 0.3 steps/s on a 2-core laptop without a GPU.',
    dataset: 'mnist',
    config: LECTURE_CONFIG,
  },
  // The textbook example space O = {1×1, 3×3, 5×5 conv}: a 2-node cell (5 edges) is small enough
  // to read every α number on screen. It stays on the built-in synthetic patterns (no download),
  // which also makes it the browser tests' base configuration (e2e/fixtures.ts).
  'simple-convs': {
    label: 'The simple example: conv 1×1 / 3×3 / 5×5',
    description:
      'The op set of introductions to DARTS, O = {1×1, 3×3, 5×5 conv}: 2-node cells (5 edges, ' +
      'every α readable on screen), C=4, 3 cells, 16×16 grayscale synthetic patterns.',
    dataset: 'synthetic',
    config: {
      ops: ['conv_1x1', 'conv_3x3', 'conv_5x5'],
      steps: 2,
      multiplier: 2,
      C: 4,
      layers: 3,
      inChannels: 1,
      height: 16,
      width: 16,
      numClasses: 10,
      batchSize: 16,
      epochs: 10,
    },
  },
  // Skip-connect collapse (spec §7): parameter-free skip_connect gains α faster than the
  // convolutions, whose weights are still untrained (FairDARTS' "unfair advantage"); over long
  // searches the normal cell fills with skips (DARTS_V1 has 3; NAS-Bench-201 runs end all-skip).
  // RobustDARTS (Zela et al., ICLR 2020) isolates it in its reduced space S3 = {none, skip_connect,
  // sep_conv_3x3}, where DARTS returns skip-dominated cells; we use that op set on the lecture
  // network, with a 100× α learning rate (3e-2) so it shows within a lecture's minutes.
  // Checked with `npm run -s darts -- search --preset skip-collapse --steps 100` (MNIST, seed 2,
  // ~1 s/step on wasm in Node): mean softmax over edges, normal cell skip 0.362 / none 0.315 /
  // sep 0.323, reduction cell skip 0.455 / sep 0.418 / none 0.127 (all start at 0.333); skip is
  // the argmax on 6 of 14 edges in each cell, and the derived cells have 4/8 (normal) and 5/8
  // (reduction) skip_connect edges. Smoothly rising from step 10 on; an α lr of 0.1 was noisier.
  // With all 8 ops and the same α lr, max_pool grew instead (pooling is parameter-free too).
  'skip-collapse': {
    label: 'Skip-connect collapse',
    description:
      'A known failure of DARTS: in the op set {none, skip, sep conv 3×3} (RobustDARTS\' space S3) ' +
      'with a 100× α learning rate, the parameter-free skip_connect wins while the convolutions are ' +
      'still untrained. Watch the skip_connect curves rise above none and sep conv within the first ' +
      'minutes, and the derived cells fill with skip (about half their edges after 100 steps).',
    dataset: 'mnist',
    config: { ...LECTURE_CONFIG, ops: ['none', 'skip_connect', 'sep_conv_3x3'], archLr: 3e-2 },
  },
  // The lecture setting with the unrolled second-order α gradient (spec §3.5): a virtual SGD step
  // w' = w − ξ∇w L_train(w) (ξ = η), then ∇α L_val(w', α) − ξ·(finite-difference Hessian-vector
  // product, two more train passes at w ± R·v). Five forward/backward passes per iteration instead
  // of two: about 2.5× the time of a first-order step.
  'first-vs-second': {
    label: 'First vs second order',
    description:
      'The lecture setting with second-order (unrolled) α gradients: each α step looks one virtual ' +
      'weight step ahead (ξ = η) and corrects with a Hessian-vector product, so a step costs about ' +
      '2.5× a first-order one. Compare with "Lecture: quick MNIST" at the same seed: the α curves, ' +
      'the derived genotype and the steps per second.',
    dataset: 'mnist',
    config: { ...LECTURE_CONFIG, order: 2 },
  },
  // spec §9: C=8, L=5 (N R N R N, covers FactorizedReduce preprocessing), 393,778 weights with a
  // 1-channel stem. 28 → 14 → 7 is even before both reductions. Estimated ≈ 730 MB per step as
  // one tape (core/memory.ts; measured 721 MB on wasm).
  'tiny-mnist': {
    label: 'Tiny MNIST (CLI size)',
    description: 'Small search on MNIST: C=8, 5 cells, 4-node cells, all 8 ops, 28×28 grayscale, batch 32.',
    dataset: 'mnist',
    config: {
      ops: [...PRIMITIVES],
      steps: 4,
      multiplier: 4,
      C: 8,
      layers: 5,
      inChannels: 1,
      height: 28,
      width: 28,
      numClasses: 10,
      batchSize: 32,
      epochs: 20,
    },
  },
  // Same network on CIFAR-10: 394,210 weights (spec §9). Estimated ≈ 950 MB as one tape (measured 941 MB).
  'tiny-cifar': {
    label: 'Tiny CIFAR-10 (CLI size)',
    description: 'Small search on CIFAR-10: C=8, 5 cells, 4-node cells, all 8 ops, 32×32 RGB, batch 32.',
    dataset: 'cifar10',
    config: {
      ops: [...PRIMITIVES],
      steps: 4,
      multiplier: 4,
      C: 8,
      layers: 5,
      inChannels: 3,
      height: 32,
      width: 32,
      numClasses: 10,
      batchSize: 32,
      epochs: 20,
    },
  },
  // The paper's search setting (spec §3.1, §9): C=16, L=8, batch 64, 50 epochs, 1,930,618 weights.
  // Estimated ≈ 1.5 GB per step with cell-by-cell backprop (5.4 GB as one tape): slow, for the CLI.
  paper: {
    label: 'Paper configuration (slow)',
    description:
      'The paper\'s search: C=16, 8 cells, batch 64, 50 epochs on CIFAR-10 (1.93M weights). ' +
      'Needs a large GPU (CLI); far too big for a browser tab.',
    dataset: 'cifar10',
    config: {
      ops: [...PRIMITIVES],
      steps: 4,
      multiplier: 4,
      C: 16,
      layers: 8,
      inChannels: 3,
      height: 32,
      width: 32,
      numClasses: 10,
      batchSize: 64,
      epochs: 50,
    },
  },
};

export function isPresetName(s: string): s is PresetName {
  return (PRESET_NAMES as readonly string[]).includes(s);
}

function checkName(name: string): asserts name is PresetName {
  if (!isPresetName(name)) {
    throw new ConfigError([{ field: 'preset', message: `unknown preset "${name}"; valid presets: ${PRESET_NAMES.join(', ')}` }]);
  }
}

/** The preset's description, dataset and partial config. @throws ConfigError for an unknown name */
export function getPresetInfo(name: string): Preset {
  checkName(name);
  return PRESETS[name];
}

/**
 * The validated full SearchConfig of a preset (defaults from spec §3.1 fill the rest).
 * @throws ConfigError for an unknown name, listing the valid names
 */
export function getPreset(name: string): SearchConfig {
  checkName(name);
  return validateConfig(PRESETS[name].config);
}
