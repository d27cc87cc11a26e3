/**
 * The search methods: DARTS and the successors of spec §6, as options of the same engine.
 *
 * Each method changes one or two pieces of the DARTS step; everything else (the supernet, the
 * bi-level loop of spec §3.3, the optimisers) is shared. Defaults are those of each paper's
 * published code (spec §6), kept in the config so they travel with exports and run files.
 */
export const METHODS = ['darts', 'pc-darts', 'darts-minus', 'fair-darts', 'gdas', 'sdarts-rs'] as const;
export type MethodName = (typeof METHODS)[number];

export function isMethodName(s: unknown): s is MethodName {
  return typeof s === 'string' && (METHODS as readonly string[]).includes(s);
}

/** The per-method settings (flat in SearchConfig; only the selected method reads its own). */
export interface MethodConfig {
  /** Which search method runs (spec §6). */
  method: MethodName;
  /** PC-DARTS: 1/K of each edge's channels go through the ops; K = 4 in the paper's code. */
  pcK: number;
  /** DARTS-: β of the auxiliary skip at epoch 0, decayed linearly to 0 at the last epoch. */
  auxSkipBeta: number;
  /** FairDARTS: weight w of the zero-one loss −w·mean((σ(α) − 0.5)²) (10 in the code). */
  fairZeroOneWeight: number;
  /** FairDARTS "threshold_sparse" derivation: keep an edge's best op only if σ ≥ this (0.85). */
  fairThreshold: number;
  /** GDAS: Gumbel-softmax temperature, annealed linearly from tauMax to tauMin over the epochs. */
  gdasTauMax: number;
  gdasTauMin: number;
  /** SDARTS-RS: uniform noise U(−ε, ε) on the mixing weights, ε ramping epsMin → epsMax. */
  sdartsEpsMin: number;
  sdartsEpsMax: number;
  /** Epochs of weight steps before α starts to move (PC-DARTS' code: 15; 0 elsewhere). */
  archWarmupEpochs: number;
}

export const DEFAULT_METHOD_CONFIG: MethodConfig = {
  method: 'darts',
  pcK: 4,
  auxSkipBeta: 1,
  fairZeroOneWeight: 10,
  fairThreshold: 0.85,
  gdasTauMax: 10,
  gdasTauMin: 0.1,
  sdartsEpsMin: 0.03,
  sdartsEpsMax: 0.3,
  archWarmupEpochs: 0,
};

export interface MethodInfo {
  name: MethodName;
  label: string;
  /** The paper, short. */
  paper: string;
  /** The published code the engine follows. */
  code: string;
  /** What it changes, in one sentence, for the UI and the CLI's help. */
  summary: string;
}

export const METHOD_INFO: Record<MethodName, MethodInfo> = {
  darts: {
    name: 'darts',
    label: 'DARTS',
    paper: 'Liu, Simonyan, Yang, ICLR 2019',
    code: 'quark0/darts',
    summary: 'Softmax-mixed ops on every edge, α and the weights optimised alternately (paper eq. 2–8).',
  },
  'pc-darts': {
    name: 'pc-darts',
    label: 'PC-DARTS',
    paper: 'Xu et al., ICLR 2020',
    code: 'yuhuixu1993/PC-DARTS',
    summary: 'Only 1/K of the channels go through the ops (the rest bypass, then a channel shuffle); a per-edge β normalises the edges into each node and weights them in the derivation.',
  },
  'darts-minus': {
    name: 'darts-minus',
    label: 'DARTS-',
    paper: 'Chu et al., ICLR 2021',
    code: 'Meituan-AutoML/DARTS-',
    summary: 'An auxiliary skip β·x outside the softmax on every edge, β decaying from 1 to 0, so skip_connect loses its unfair advantage.',
  },
  'fair-darts': {
    name: 'fair-darts',
    label: 'FairDARTS',
    paper: 'Chu et al., ECCV 2020',
    code: 'xiaomi-automl/FairDARTS',
    summary: 'Sigmoid instead of softmax (ops stop competing), a zero-one loss pushing σ(α) to 0 or 1, and a threshold derivation.',
  },
  gdas: {
    name: 'gdas',
    label: 'GDAS',
    paper: 'Dong & Yang, CVPR 2019',
    code: 'D-X-Y/AutoDL-Projects',
    summary: 'One op per edge sampled by a hard Gumbel-softmax (straight-through gradient), temperature annealed 10 → 0.1; only the sampled ops are computed.',
  },
  'sdarts-rs': {
    name: 'sdarts-rs',
    label: 'SDARTS-RS',
    paper: 'Chen & Hsieh, ICML 2020',
    code: 'xiangning-chen/SmoothDARTS',
    summary: 'The weight step trains under randomly perturbed mixing weights softmax(α) + U(−ε, ε), smoothing the landscape α sees.',
  },
};

/** Fraction t ∈ [0, 1] of the search done at `epoch` (the linear schedules of spec §6). */
export function scheduleFraction(epoch: number, epochs: number): number {
  return epochs <= 1 ? 0 : Math.min(1, Math.max(0, epoch / (epochs - 1)));
}

/** DARTS-: β_e = β0·(1 − e/E) (the provided script: (50 − e)/50 with E = 50). */
export function auxSkipBeta(c: Pick<MethodConfig, 'auxSkipBeta'>, epoch: number, epochs: number): number {
  return c.auxSkipBeta * Math.max(0, 1 - epoch / epochs);
}

/** GDAS: τ = τmax − (τmax − τmin)·e/(E − 1) (AutoDL search-cifar: set_tau per epoch). */
export function gdasTau(c: Pick<MethodConfig, 'gdasTauMax' | 'gdasTauMin'>, epoch: number, epochs: number): number {
  return c.gdasTauMax - (c.gdasTauMax - c.gdasTauMin) * scheduleFraction(epoch, epochs);
}

/** SDARTS-RS: ε = εmin + (εmax − εmin)·e/E (train_search.py: epsilon_alpha ramp). */
export function sdartsEpsilon(c: Pick<MethodConfig, 'sdartsEpsMin' | 'sdartsEpsMax'>, epoch: number, epochs: number): number {
  return c.sdartsEpsMin + (c.sdartsEpsMax - c.sdartsEpsMin) * Math.min(1, epoch / epochs);
}
