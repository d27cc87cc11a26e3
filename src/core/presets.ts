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

/**
 * Datasets a preset can ask for. `synthetic` is built in (src/data/synthetic.ts); the `task-*`
 * ids are the generated teaching tasks of src/data/tasks.ts (4 classes each).
 */
export type DatasetId = 'synthetic' | 'mnist' | 'cifar10' | 'task-texture' | 'task-long-range' | 'task-pool';

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
  'pc-darts',
  'darts-minus',
  'fair-darts',
  'gdas',
  'sdarts-rs',
  'paper',
  'tiny-mnist',
  'tiny-cifar',
] as const;
export type PresetName = (typeof PRESET_NAMES)[number];


/**
 * The lecture network (spec §9 "tiny settings"): the smallest network that still shows DARTS at
 * work. Cells N R R (spec §1.6, L=3 → reductions at 1 and 2), the paper's canonical 14-edge cell
 * with all 8 ops so the drawing matches the paper's figure. 16×16 → 8 → 4 is even before both
 * reductions. Measured (2-core machine, no GPU, wasm, first order): 170 ms per step in Node
 * (`npm run -s darts -- bench --preset lecture`), 135 ms (7 steps/s) in the browser.
 *
 * Two visible changes from the reference DARTS, both for a lecture's attention span (issue 10):
 *  - the task is `task-long-range` (src/data/tasks.ts): whether halves of a noise image are copies
 *    can only be seen with a large receptive field, so the search has a known right answer (dilated
 *    and 5×5 convs). On MNIST every op set solves the task within ~200 steps and α never separates
 *    (0/14 edges at 2× uniform after 600 steps at archLr 3e-3 or 1e-2: scripts/decision-bench.ts);
 *  - the α learning rate is 5e-2 instead of 3e-4: Adam moves α by about archLr per step, and the
 *    task is solved after ~200 steps (after which ∂L_val/∂α is noise), so α has to move within those
 *    steps. With it, 11 of 14 normal edges reach ≥ 2× the uniform weight by step 100–200 and the
 *    strongest op on most edges is a dilated conv; 3e-2 reaches 6/14, 1e-2 2/14.
 * Everything else is the reference setting; `paper` changes nothing.
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
  numClasses: 4,
  batchSize: 16,
  epochs: 10,
  archLr: 5e-2,
};

export const PRESETS: Readonly<Record<PresetName, Preset>> = {
  // The app default. MNIST digits (28×28) are resized to 16×16 by the data loader.
  lecture: {
    label: 'Lecture: DARTS picks a large receptive field',
    description:
      'The default: a tiny supernet (C=4, 3 cells N-R-R, 4-node cells, all 8 ops) on the "copied halves" ' +
      'teaching task, where only a large receptive field helps, so dilated and 5×5 convs should win. ' +
      'Changed from the paper: this task instead of CIFAR-10, and an α learning rate of 0.05 instead of ' +
      '3e-4, so that α decides within a minute (the task is learnt in ~200 steps). About 7 steps/s on a ' +
      '2-core laptop without a GPU. "Paper configuration" keeps the reference values.',
    dataset: 'task-long-range',
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
    config: { ...LECTURE_CONFIG, numClasses: 10, ops: ['none', 'skip_connect', 'sep_conv_3x3'], archLr: 3e-2 },
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
      '2.5× a first-order one. Compare with the default lecture preset at the same seed: the α curves, ' +
      'the derived genotype and the steps per second.',
    dataset: 'task-long-range',
    config: { ...LECTURE_CONFIG, order: 2 },
  },
  // ---- The successors of DARTS (spec §6), each on the lecture task so a run can be compared with
  // the default lecture replay (Compare runs), with its paper's method settings. All keep the
  // lecture's α learning rate (0.05) so α decides within minutes; that is the one change from the
  // papers' defaults besides the task and the size, and the descriptions say so.
  //
  // PC-DARTS (yuhuixu1993/PC-DARTS): K = 4 as in its code, so C = 8 (ops see C/K = 2 channels,
  // the rest bypass them). Its code freezes α for 15 of 50 epochs; the lecture keeps α moving from
  // step 1 (archWarmupEpochs 0) so the warm-up does not eat the lecture.
  'pc-darts': {
    label: 'PC-DARTS: partial channels + edge normalisation',
    description:
      'PC-DARTS (Xu et al., ICLR 2020) on the lecture task: only 1/K = 1/4 of each state\'s channels go ' +
      'through the 8 ops, the rest bypass them and are shuffled back in, and a per-edge β weights the ' +
      'edges into each node (the derivation ranks β·softmax(α)). C=8 so that C/K = 2. Changed from the ' +
      'paper: the task, the size, α lr 0.05 and no 15-epoch α warm-up.',
    dataset: 'task-long-range',
    config: { ...LECTURE_CONFIG, method: 'pc-darts', C: 8, pcK: 4 },
  },
  // DARTS- (Meituan-AutoML/DARTS-): β·x outside the softmax, β = 1 → 0 linearly over the epochs.
  'darts-minus': {
    label: 'DARTS-: an auxiliary skip that fades out',
    description:
      'DARTS- (Chu et al., ICLR 2021) on the lecture task: every edge adds β·skip(x) outside the softmax, ' +
      'with β decaying linearly from 1 to 0 over the epochs, so skip_connect no longer wins just for being ' +
      'an easy path for the gradient. Changed from the paper: the task, the size and α lr 0.05.',
    dataset: 'task-long-range',
    config: { ...LECTURE_CONFIG, method: 'darts-minus' },
  },
  // FairDARTS (xiaomi-automl/FairDARTS): sigmoid, 7 ops (no `none`), zero-one loss w = 10, threshold 0.85.
  'fair-darts': {
    label: 'FairDARTS: sigmoids + zero-one loss',
    description:
      'FairDARTS (Chu et al., ECCV 2020) on the lecture task: each op gets an independent sigmoid σ(α) ' +
      'instead of a share of a softmax (7 ops, no "none"), and a zero-one loss (w = 10) pushes every σ ' +
      'to 0 or 1. Its derivation keeps a choice only if σ ≥ 0.85. Changed from the paper: the task, the ' +
      'size and α lr 0.05.',
    dataset: 'task-long-range',
    config: { ...LECTURE_CONFIG, method: 'fair-darts', ops: PRIMITIVES.filter((o) => o !== 'none') },
  },
  // GDAS (D-X-Y/AutoDL-Projects): hard Gumbel-softmax, one op per edge computed, τ 10 → 0.1.
  gdas: {
    label: 'GDAS: one sampled op per edge',
    description:
      'GDAS (Dong & Yang, CVPR 2019) on the lecture task: every step samples one op per edge from a ' +
      'Gumbel-softmax (temperature annealed from 10 to 0.1) and computes only that op, with a straight-' +
      'through gradient for α; weights are updated before α, as in its code. Watch the accuracy: each ' +
      'step trains a different sampled sub-network, so on this task the weights stay near chance for ' +
      'hundreds of steps (GDAS searches for hundreds of epochs), while on MNIST (skip-collapse with ' +
      'method GDAS) they learn within 300 steps. Steps are cheaper than DARTS\'. Changed from the ' +
      'paper: the task, the size and α lr 0.05.',
    dataset: 'task-long-range',
    config: { ...LECTURE_CONFIG, method: 'gdas' },
  },
  // SDARTS-RS (xiangning-chen/SmoothDARTS): weight step under softmax(α) + U(−ε, ε), ε 0.03 → 0.3.
  'sdarts-rs': {
    label: 'SDARTS-RS: random smoothing',
    description:
      'SDARTS-RS (Chen & Hsieh, ICML 2020) on the lecture task: the weight step trains under randomly ' +
      'perturbed mixing weights softmax(α) + U(−ε, ε) (ε ramping from 0.03 to 0.3), so α settles where the ' +
      'loss is flat rather than sharp. Changed from the paper: the task, the size and α lr 0.05.',
    dataset: 'task-long-range',
    config: { ...LECTURE_CONFIG, method: 'sdarts-rs' },
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
