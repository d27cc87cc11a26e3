/**
 * The search configuration: one typed object shared by the engine, the UI, the URL, the CLI and
 * the presets. Defaults follow the reference (spec §3.1). Validation lives in `validateConfig.ts`.
 */
import type { OpName } from './primitives';
import { PRIMITIVES } from './primitives';
import { DEFAULT_METHOD_CONFIG, type MethodConfig } from './methods';

export interface SearchSpaceConfig {
  /** Candidate ops, in canonical order (see primitives.ts). α has one column per op. */
  ops: OpName[];
  /** Intermediate nodes per cell (`steps` in the reference), 1..6. */
  steps: number;
  /** How many of the last states are concatenated into the cell output (≤ steps). */
  multiplier: number;
  /** Initial channels C (even: FactorizedReduce splits C_out in two halves). */
  C: number;
  /** Number of cells. Reductions sit at layers//3 and 2*layers//3. */
  layers: number;
  stemMultiplier: number;
  inChannels: 1 | 3;
  height: number;
  width: number;
  numClasses: number;
}

export interface OptimConfig {
  /** Batch size of both the weight and the architecture batch. */
  batchSize: number;
  /** Weight SGD: lr 0.025 cosine-annealed per epoch to lrMin over `epochs`. */
  lr: number;
  lrMin: number;
  momentum: number;
  weightDecay: number;
  gradClip: number;
  /** Epoch count used as T_max of the cosine schedule. */
  epochs: number;
  /** α Adam: lr 3e-4, betas (0.5, 0.999), eps 1e-8, L2 1e-3 added to the gradient. */
  archLr: number;
  archBeta1: number;
  archBeta2: number;
  archEps: number;
  archWeightDecay: number;
  /** 1 = first-order DARTS (ξ = 0), 2 = unrolled second-order (ξ = η). */
  order: 1 | 2;
  /** Split of the training set into weight and architecture halves (spec §3.2). */
  trainPortion: number;
}

export interface SearchConfig extends SearchSpaceConfig, OptimConfig, MethodConfig {
  seed: number;
  /** Budget for the estimated peak memory of one step, in bytes (validation only). */
  memoryBudgetBytes: number;
}

export const DEFAULT_CONFIG: SearchConfig = {
  ops: [...PRIMITIVES],
  steps: 4,
  multiplier: 4,
  C: 16,
  layers: 8,
  stemMultiplier: 3,
  inChannels: 3,
  height: 32,
  width: 32,
  numClasses: 10,
  batchSize: 64,
  lr: 0.025,
  lrMin: 0.001,
  momentum: 0.9,
  weightDecay: 3e-4,
  gradClip: 5,
  epochs: 50,
  archLr: 3e-4,
  archBeta1: 0.5,
  archBeta2: 0.999,
  archEps: 1e-8,
  archWeightDecay: 1e-3,
  order: 1,
  trainPortion: 0.5,
  seed: 2,
  memoryBudgetBytes: 2 * 1024 ** 3,
  ...DEFAULT_METHOD_CONFIG,
};
