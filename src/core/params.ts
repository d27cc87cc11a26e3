/**
 * Closed-form parameter counts, for the search supernet (spec §1.6) and for the discrete
 * evaluation network built from a genotype (spec §4.4). Pure arithmetic: no tensors.
 *
 * Conventions (all convs have no bias, spec §1.1):
 * - A k×k conv C_in → C_out has k²·C_in·C_out weights; a depthwise k×k conv on C has k²·C.
 * - BatchNorm has 2·C parameters (γ, β) when affine, none otherwise. In the search every BN is
 *   non-affine except the stem BN (spec §1.7); in the evaluation network every BN is affine.
 * - The search adds a non-affine BN after each pool (spec §1.4): 0 parameters.
 */
import type { GenotypeOpName, OpName } from './primitives';
import type { Genotype } from './genotype';
import type { NetworkPlanInput } from './searchSpace';
import { cellEdges, edgeStride, networkPlan, reductionCells } from './searchSpace';

/** BatchNorm parameters: γ and β per channel when affine (spec §1.7). */
const bn = (c: number, affine: boolean) => (affine ? 2 * c : 0);

/** SepConv(c, c, k): two (depthwise k×k + pointwise 1×1 + BN) units (spec §1.2). */
const sepConv = (k: number, c: number, affine: boolean) => 2 * (k * k * c + c * c + bn(c, affine));
/** DilConv(c, c, k): depthwise k×k (dilation 2) + pointwise 1×1 + BN (spec §1.2). */
const dilConv = (k: number, c: number, affine: boolean) => k * k * c + c * c + bn(c, affine);
/** ReLU-conv k×k-BN, c → c. */
const reluConvBn = (k: number, c: number, affine: boolean) => k * k * c * c + bn(c, affine);
/** FactorizedReduce(c_in, c_out): two 1×1 convs c_in → c_out/2, then BN(c_out) (spec §1.2). */
const factorizedReduce = (cIn: number, cOut: number, affine: boolean) => cIn * cOut + bn(cOut, affine);

/**
 * Parameters of one candidate op on an edge with `c` channels.
 *
 * @param op     op name (search ops, plus `sep_conv_7x7` / `conv_7x1_1x7` for evaluation genotypes)
 * @param c      channels of the edge (C_in = C_out = c)
 * @param stride 2 on the input edges of a reduction cell, else 1
 * @param affine false in the search supernet, true in the evaluation network
 */
export function opParamCount(op: OpName | GenotypeOpName, c: number, stride: 1 | 2, affine: boolean): number {
  switch (op) {
    case 'none':
      return 0;
    case 'max_pool_3x3':
    case 'avg_pool_3x3':
      return 0; // search: + non-affine BN (0 params); evaluation: no BN after pools (spec §4.4)
    case 'skip_connect':
      return stride === 1 ? 0 : factorizedReduce(c, c, affine); // Identity, or FactorizedReduce(c, c)
    case 'sep_conv_3x3':
      return sepConv(3, c, affine);
    case 'sep_conv_5x5':
      return sepConv(5, c, affine);
    case 'sep_conv_7x7':
      return sepConv(7, c, affine);
    case 'dil_conv_3x3':
      return dilConv(3, c, affine);
    case 'dil_conv_5x5':
      return dilConv(5, c, affine);
    case 'conv_1x1':
      return reluConvBn(1, c, affine);
    case 'conv_3x3':
      return reluConvBn(3, c, affine);
    case 'conv_5x5':
      return reluConvBn(5, c, affine);
    case 'conv_7x1_1x7':
      // ReLU, 1×7 conv, 7×1 conv, BN (spec §1.1): 7c² + 7c² (+2c).
      return 7 * c * c + 7 * c * c + bn(c, affine);
  }
}

/**
 * Parameters of one search MixedOp (spec §1.4): the sum over the candidate ops, all non-affine.
 * With the 8 reference PRIMITIVES: 6C² + 102C at stride 1, 7C² + 102C at stride 2.
 */
export function mixedOpParamCount(ops: readonly OpName[], c: number, stride: 1 | 2): number {
  let n = 0;
  for (const op of ops) n += opParamCount(op, c, stride, false);
  return n;
}

/** Parameter breakdown of one cell. `pre0` is FactorizedReduce or ReLU-conv-BN (both C_in·C_out). */
export interface CellParams {
  index: number;
  reduction: boolean;
  pre0: number;
  pre1: number;
  /** Sum over the cell's ops (the MixedOps in the search, the genotype ops in evaluation). */
  ops: number;
  total: number;
}

export interface NetworkParams {
  stem: number;
  cells: CellParams[];
  /** Auxiliary head (evaluation network only, 0 when absent). */
  auxiliary: number;
  classifier: number;
  total: number;
}

/** Shape of the search supernet: the network fields of SearchConfig plus the op list. */
export type SupernetShape = NetworkPlanInput & { ops: readonly OpName[]; method?: string; pcK?: number };

/** Stem: conv 3×3 inChannels → stemC without bias, then BN(stemC) with affine=True (spec §1.6). */
function stemParams(inChannels: number, stemC: number): number {
  return inChannels * 9 * stemC + 2 * stemC;
}

/**
 * Per-part parameter counts of the search supernet (spec §1.6). Matches the reference
 * "param size" log, e.g. C=16, L=8, 3 channels, 10 classes → 1,930,618.
 */
export function supernetParams(cfg: SupernetShape): NetworkParams {
  const plan = networkPlan(cfg);
  const stem = stemParams(cfg.inChannels, plan.stemC);
  const edges = cellEdges(cfg.steps);
  const cells = plan.cells.map((cell): CellParams => {
    // Both preprocess kinds (ReLUConvBN 1×1 and FactorizedReduce) cost C_in·C (non-affine BN).
    const pre0 = cell.cPrevPrev * cell.c;
    const pre1 = cell.cPrev * cell.c;
    // PC-DARTS builds every MixedOp for C/K channels (spec §6); its β are architecture parameters.
    const opC = cfg.method === 'pc-darts' ? cell.c / (cfg.pcK ?? 4) : cell.c;
    let ops = 0;
    for (const e of edges) {
      const stride = edgeStride(cell.reduction, e.from);
      ops += mixedOpParamCount(cfg.ops, opC, stride);
      // DARTS-' auxiliary skip: its own FactorizedReduce (two 1×1 convs C → C/2) on stride-2 edges.
      if (cfg.method === 'darts-minus' && stride === 2) ops += opC * opC;
    }
    return { index: cell.index, reduction: cell.reduction, pre0, pre1, ops, total: pre0 + pre1 + ops };
  });
  const classifier = plan.cLast * cfg.numClasses + cfg.numClasses;
  const total = stem + cells.reduce((s, c) => s + c.total, 0) + classifier;
  return { stem, cells, auxiliary: 0, classifier, total };
}

/** Total trainable weights of the search supernet (α excluded, as in the reference, spec §2). */
export function supernetParamCount(cfg: SupernetShape): number {
  return supernetParams(cfg).total;
}

/** Shape of an evaluation network (NetworkCIFAR, spec §4.4). */
export interface EvalNetworkShape {
  C: number;
  layers: number;
  inChannels: number;
  numClasses: number;
  /** Include the auxiliary head after cell 2·layers//3 (the reference logs exclude it). */
  auxiliary?: boolean;
  /** Stem width multiplier; NetworkCIFAR uses 3. */
  stemMultiplier?: number;
}

/**
 * Auxiliary head of NetworkCIFAR (spec §4.4): ReLU, AvgPool, 1×1 conv → 128, BN, ReLU,
 * 2×2 conv → 768, BN, ReLU, Linear(768, classes). All BN affine.
 */
function auxHeadParams(cIn: number, numClasses: number): number {
  return cIn * 128 + 2 * 128 + 128 * 768 * 4 + 2 * 768 + 768 * numClasses + numClasses;
}

/**
 * Per-part parameter counts of the discrete evaluation network built from `genotype`
 * (NetworkCIFAR, spec §4.4): affine BN everywhere, no BN after pools, skip at stride 2 is an
 * affine FactorizedReduce, C_prev = len(concat)·C_curr of the previous cell.
 */
export function evalNetworkParams(genotype: Genotype, shape: EvalNetworkShape): NetworkParams {
  const stemC = (shape.stemMultiplier ?? 3) * shape.C;
  const stem = stemParams(shape.inChannels, stemC);
  const reds = reductionCells(shape.layers);
  const auxAt = Math.floor((2 * shape.layers) / 3);
  let cPP = stemC;
  let cP = stemC;
  let cCurr = shape.C;
  let auxiliary = 0;
  const cells: CellParams[] = [];
  for (let i = 0; i < shape.layers; i++) {
    const reduction = reds.includes(i);
    if (reduction) cCurr *= 2;
    const pairs = reduction ? genotype.reduce : genotype.normal;
    const concat = reduction ? genotype.reduce_concat : genotype.normal_concat;
    // pre0 is an affine FactorizedReduce after a reduction cell, else an affine ReLU-conv1×1-BN:
    // C_in·C + 2C either way, so the count does not depend on reduction_prev.
    const pre0 = cPP * cCurr + 2 * cCurr;
    const pre1 = cP * cCurr + 2 * cCurr;
    let ops = 0;
    pairs.forEach(([op, input]) => {
      ops += opParamCount(op, cCurr, edgeStride(reduction, input), true);
    });
    cells.push({ index: i, reduction, pre0, pre1, ops, total: pre0 + pre1 + ops });
    cPP = cP;
    cP = concat.length * cCurr;
    if (shape.auxiliary && i === auxAt) auxiliary = auxHeadParams(cP, shape.numClasses);
  }
  const classifier = cP * shape.numClasses + shape.numClasses;
  const total = stem + cells.reduce((s, c) => s + c.total, 0) + auxiliary + classifier;
  return { stem, cells, auxiliary, classifier, total };
}

/**
 * Trainable parameters of the evaluation network for `genotype` (spec §4.4, §9). E.g. DARTS_V2
 * at C=36, L=20, 3 channels, 10 classes, no auxiliary head → 3,349,342.
 */
export function evalNetworkParamCount(genotype: Genotype, shape: EvalNetworkShape): number {
  return evalNetworkParams(genotype, shape).total;
}
