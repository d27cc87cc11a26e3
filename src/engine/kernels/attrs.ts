/**
 * Kernel names and attribute encodings shared by the op wrappers (ops.ts), the backend
 * registrations (register.ts, webgpu.ts) and the tests. tfjs attributes are numbers, booleans,
 * strings or arrays of them, so structured parameters are flattened here and decoded once.
 */
import type { NamedAttrMap } from '@tensorflow/tfjs-core';
import type { DwParams, DwSeg } from './math';

export const K = {
  depthwise: 'DartsDepthwise',
  depthwiseBackpropInput: 'DartsDepthwiseBackpropInput',
  depthwiseBackpropFilter: 'DartsDepthwiseBackpropFilter',
  gmm: 'DartsGroupedMatMul',
  gmmBackpropInput: 'DartsGroupedMatMulBackpropInput',
  gmmBackpropFilter: 'DartsGroupedMatMulBackpropFilter',
  batchNorm: 'DartsBatchNorm',
  batchNormGrad: 'DartsBatchNormGrad',
  pool: 'DartsPool',
  poolGrad: 'DartsPoolGrad',
  mix: 'DartsMix',
  mixGradTerm: 'DartsMixGradTerm',
  mixGradWeight: 'DartsMixGradWeight',
  sumSquares: 'DartsSumSquares',
  split: 'DartsSplit',
  convUnit: 'DartsConvUnit',
  pwUnit: 'DartsPwUnit',
  convUnitGrad: 'DartsConvUnitGrad',
  poolBn: 'DartsPoolBn',
  poolBnGrad: 'DartsPoolBnGrad',
} as const;

export const ALL_KERNELS = Object.values(K);

export function dwAttrs(p: DwParams): NamedAttrMap {
  return {
    segs: p.segs.flatMap((s) => [s.k, s.dil, s.count]),
    stride: p.stride,
    relu: p.relu,
    xGroups: p.xGroups,
    groupOffset: p.groupOffset,
  };
}

export function dwParams(a: NamedAttrMap): DwParams {
  const flat = a.segs as number[];
  const segs: DwSeg[] = [];
  for (let i = 0; i < flat.length; i += 3) segs.push({ k: flat[i], dil: flat[i + 1], count: flat[i + 2] });
  return { segs, stride: a.stride as number, relu: a.relu as boolean, xGroups: a.xGroups as number, groupOffset: a.groupOffset as number };
}

/** Grouped 1×1 conv: `groups` weight matrices [cin, cout] in one flat tensor. */
export interface GmmAttrs {
  groups: number;
  cout: number;
  xGroups: number;
  relu: boolean;
}

export interface BnAttrs {
  groups: number;
  eps: number;
}

export interface PoolAttrs {
  max: boolean;
  stride: number;
}

/** Mixing: `termGroups[t]` groups stacked in term t, `plan` as encodeMixPlan, `cols` = columns of w. */
export interface MixAttrs {
  termGroups: number[];
  plan: number[];
  cols: number;
}

/**
 * One fused unit of SepConv/DilConv/ReLUConvBN (spec §1.2): [relu →] depthwise (skipped when `segs`
 * is empty) → grouped 1×1 conv → non-affine BN, for `groups` groups. Only the BN output is kept for
 * backprop; the depthwise and 1×1 outputs are recomputed by the gradient when needed.
 * `filterGrads`: the pass wants weight gradients (false in the first-order α step, which needs
 * ∂L/∂α only: the gradient kernel then computes ∂L/∂x alone).
 */
export interface ConvUnitAttrs {
  segs: number[];
  stride: number;
  relu: boolean;
  xGroups: number;
  groupOffset: number;
  groups: number;
  cout: number;
  eps: number;
  filterGrads: boolean;
}

export function unitDwAttrs(a: ConvUnitAttrs): NamedAttrMap {
  return { segs: a.segs, stride: a.stride, relu: a.relu, xGroups: a.xGroups, groupOffset: a.groupOffset };
}

/** The 1×1 conv of a unit: on the depthwise output (grouped, no relu) or directly on x. */
export function unitGmmAttrs(a: ConvUnitAttrs): GmmAttrs {
  return a.segs.length ? { groups: a.groups, cout: a.cout, xGroups: a.groups, relu: false } : { groups: a.groups, cout: a.cout, xGroups: a.xGroups, relu: a.relu };
}
