/**
 * Analytic estimate of the peak memory of one search step (forward + backward, float32), used by
 * `validateConfig` to refuse settings that would exhaust a browser tab, by `darts info`, and by
 * the engine to choose between one tape and cell-by-cell backprop.
 *
 * It counts what the engine (engine/supernet.ts, grouped by source state) keeps for backprop, in
 * activation maps ("maps": batch × H × W × C floats at a cell's output resolution):
 *
 * | per source state with M outgoing edges                 | maps kept            |
 * |--------------------------------------------------------|----------------------|
 * | BN(max pool), BN(avg pool): one each, shared by all edges | 1 per pool op     |
 * | skip_connect: identity (stride 1)                       | 0                    |
 * | skip_connect: FactorizedReduce (stride 2)               | 6 + 3M               |
 * | stage 1 (sep_conv first halves, dil_convs): BN outputs  | M per conv kind      |
 * | stage 2 (sep_conv second halves): BN outputs            | M per sep_conv kind  |
 * | conv_kxk: ReLU, conv, (subsample), BN per edge          | 1 + 2M (stride 1), 4 + 6M (stride 2) |
 * | the mixing: one output per edge                         | M                    |
 *
 * plus per cell the two preprocessings (1 map each, FactorizedReduce ≈ 3 + the ReLU and crops of
 * its input), the node sums (1 each) and the output concat (multiplier maps); the stem keeps 4
 * maps of 3C channels. The fused kernels keep only their BN output (kernels/ops.ts).
 *
 *   whole graph:  peak = MEMORY_CALIBRATION × 4 B × (A + G + copies × P)
 *   cell by cell: peak = CELLWISE_CALIBRATION × 4 B × (outputs + one cell's A + G + copies × P)
 *
 * A = every map above; G = the backward pass's workspace, about one cell's worth (its largest
 * source's stage-1 maps twice more, for the kernels' scratch); P = supernet parameters; copies =
 * 4 (weights, gradient, momentum, one temporary), 5 at second order (the snapshot of w, spec §3.5).
 * The calibrations are fitted to measured peaks (scripts/calibrate-memory.ts; `darts bench`
 * reports the same figure, each tensor buffer counted once): see the constants.
 */
import type { OpName } from './primitives';
import type { SupernetShape } from './params';
import { supernetParamCount } from './params';
import { cellEdges, edgeStride, networkPlan, numEdges, type CellPlan } from './searchSpace';

/**
 * Measured peak / analytic estimate, one tape (scripts/calibrate-memory.ts, wasm, peak of live
 * buffers): 1.47–1.78 over lecture (44 MB), simple-convs, skip-collapse, tiny-mnist (721 MB),
 * tiny-cifar (941 MB) and lecture at C=8, batch 32; the tape keeps more than the table counts
 * (the gradient accumulation of states read by several kernels).
 */
export const MEMORY_CALIBRATION = 1.8;
/** The same for cell-by-cell backprop: 0.97–1.21 over the same configs (tiny-mnist 263 MB). */
export const CELLWISE_CALIBRATION = 1.25;

/**
 * Above this whole-graph estimate the engine backpropagates cell by cell (engine/cellwise.ts):
 * about 40 % slower, but its peak is the cell outputs plus one cell's tape. The wasm heap fails
 * past about 2 GB (browser-notes §5), so the switch sits well below that.
 */
export const CELLWISE_THRESHOLD_BYTES = 1e9;

/** Copies of the weights alive during a step: weights, gradients, momentum, one temporary. */
export const WEIGHT_COPIES_FIRST_ORDER = 4;
/** Second order keeps one more copy (the snapshot of w, spec §3.5). */
export const WEIGHT_COPIES_SECOND_ORDER = 5;

const BYTES_PER_FLOAT = 4;

const SEP_KINDS: readonly OpName[] = ['sep_conv_3x3', 'sep_conv_5x5'];
const DIL_KINDS: readonly OpName[] = ['dil_conv_3x3', 'dil_conv_5x5'];
const FULL_CONVS: readonly OpName[] = ['conv_1x1', 'conv_3x3', 'conv_5x5'];

/** What the estimate needs: the network shape, the op list, the batch size and the order. */
export type MemoryEstimateInput = SupernetShape & { batchSize: number; order: 1 | 2 };

export interface MemoryEstimate {
  /** Forward activations kept for backprop (A), bytes. */
  activationBytes: number;
  /** Backward workspace (G ≈ the largest cell), bytes. */
  workspaceBytes: number;
  /** Weight-sized buffers (copies × P + α), bytes. */
  weightBytes: number;
  /** Activation bytes of each cell (before calibration), for the UI's breakdown. */
  perCellBytes: number[];
  /** Calibrated total: MEMORY_CALIBRATION × (activation + workspace + weight). */
  totalBytes: number;
}

/** Maps (in units of one output-resolution map of the cell) kept by one cell, and its largest source's stage-1 groups. */
export function cellMaps(cfg: SupernetShape, cell: CellPlan): { maps: number; stage1: number } {
  const has = (op: OpName) => cfg.ops.includes(op);
  const count = (ops: readonly OpName[]) => ops.filter(has).length;
  const pools = count(['max_pool_3x3', 'avg_pool_3x3']);
  const sep = count(SEP_KINDS);
  const conv = sep + count(DIL_KINDS);
  const full = count(FULL_CONVS);
  const edges = cellEdges(cfg.steps);
  // Input resolution relative to the output (4 for a reduction cell's inputs).
  const inRatio = (cell.inH * cell.inW) / (cell.outH * cell.outW);
  const in0Ratio = (cell.inH0 * cell.inW0) / (cell.outH * cell.outW);
  let maps = 0;
  let stage1 = 0;
  // Preprocessing: ReLU-conv-BN keeps its BN output; FactorizedReduce its ReLU, crops, halves, concat, BN.
  maps += inRatio;
  maps += cell.pre0 === 'fr' ? in0Ratio * (cell.cPrevPrev / cell.c) * 1.5 + 3 * inRatio : inRatio;
  for (let j = 0; j <= cfg.steps; j++) {
    const M = edges.filter((e) => e.from === j).length;
    if (!M) continue;
    const stride = edgeStride(cell.reduction, j);
    maps += pools + M * (conv + sep) + M;
    if (has('skip_connect') && stride === 2) maps += 6 + 3 * M;
    if (full) maps += stride === 1 ? 1 + 2 * M * full : 4 + 6 * M * full;
    stage1 = Math.max(stage1, M * conv);
  }
  maps += cfg.steps + cfg.multiplier;
  return { maps, stage1 };
}

/** Detailed peak-memory estimate of one search step on one tape (see the file comment). */
export function estimateStepMemory(cfg: MemoryEstimateInput): MemoryEstimate {
  const B = cfg.batchSize;
  const plan = networkPlan(cfg);
  // Input batch + stem: conv output, BN output, ·γ, +β.
  let floats = B * cfg.height * cfg.width * (cfg.inChannels + 4 * plan.stemC);
  const perCell: number[] = [];
  let workspace = 0;
  for (const cell of plan.cells) {
    const map = B * cell.outH * cell.outW * cell.c;
    const { maps, stage1 } = cellMaps(cfg, cell);
    perCell.push(maps * map * BYTES_PER_FLOAT);
    floats += maps * map;
    workspace = Math.max(workspace, (maps + 2 * stage1) * map);
  }
  // Global average pool + logits + softmax/CE (tiny).
  floats += B * (plan.cLast + 2 * cfg.numClasses);
  const activationBytes = floats * BYTES_PER_FLOAT;
  const workspaceBytes = workspace * BYTES_PER_FLOAT;
  const weightBytes = weightFloats(cfg) * BYTES_PER_FLOAT;
  const totalBytes = MEMORY_CALIBRATION * (activationBytes + workspaceBytes + weightBytes);
  return { activationBytes, workspaceBytes, weightBytes, perCellBytes: perCell, totalBytes };
}

function weightFloats(cfg: MemoryEstimateInput): number {
  const copies = cfg.order === 2 ? WEIGHT_COPIES_SECOND_ORDER : WEIGHT_COPIES_FIRST_ORDER;
  const alphaFloats = 2 * numEdges(cfg.steps) * cfg.ops.length * 4; // α, grad, Adam m and v
  return copies * supernetParamCount(cfg) + alphaFloats;
}

/** Whether the engine should backpropagate cell by cell for this config (memory over speed). */
export function useCellwiseBackprop(cfg: MemoryEstimateInput): boolean {
  return estimateStepMemory(cfg).totalBytes > CELLWISE_THRESHOLD_BYTES;
}

/** Peak of cell-by-cell backprop: weights, the cell outputs, and one cell's tape and workspace. */
export function estimateCellwiseBytes(cfg: MemoryEstimateInput): number {
  const m = estimateStepMemory(cfg);
  const plan = networkPlan(cfg);
  const B = cfg.batchSize;
  let outputs = B * cfg.height * cfg.width * plan.stemC;
  for (const c of plan.cells) outputs += B * c.outH * c.outW * c.c * cfg.multiplier;
  const cell = Math.max(...m.perCellBytes);
  return CELLWISE_CALIBRATION * (m.weightBytes + outputs * BYTES_PER_FLOAT + cell + m.workspaceBytes);
}

/** Estimated peak bytes of one search step (forward + backward, float32), for the strategy the engine uses. */
export function estimateStepBytes(cfg: MemoryEstimateInput): number {
  return useCellwiseBackprop(cfg) ? estimateCellwiseBytes(cfg) : estimateStepMemory(cfg).totalBytes;
}

/**
 * The largest batch size (≥ 2, ≤ `upTo`) whose estimate fits in `budgetBytes`, or 0 if none does.
 * Used to make the "over budget" message concrete.
 *
 * `estimateStepBytes` is not monotone in the batch: it grows within each strategy, but drops where
 * the whole-graph estimate crosses CELLWISE_THRESHOLD_BYTES and the engine switches to cell-by-cell
 * backprop. The switch happens once (the whole-graph estimate grows with the batch), so each side
 * is searched on its own, the cell-by-cell side (larger batches) first.
 */
export function largestBatchWithin(cfg: MemoryEstimateInput, budgetBytes: number, upTo = cfg.batchSize): number {
  if (upTo < 2) return 0;
  const at = (batchSize: number) => ({ ...cfg, batchSize });
  const fits = (b: number) => estimateStepBytes(at(b)) <= budgetBytes;
  const lastWholeGraph = lastTrue(2, upTo, (b) => !useCellwiseBackprop(at(b)));
  if (lastWholeGraph < upTo) {
    const cellwise = lastTrue(Math.max(2, lastWholeGraph + 1), upTo, fits);
    if (cellwise) return cellwise;
  }
  return lastWholeGraph ? lastTrue(2, lastWholeGraph, fits) : 0;
}

/** The largest b in [lo, hi] with `pred(b)`, for a `pred` that is true up to some b and false after; 0 if `pred(lo)` is false. */
function lastTrue(lo: number, hi: number, pred: (b: number) => boolean): number {
  if (!pred(lo)) return 0;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (pred(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Human-readable byte count: "512 B", "3.4 MiB", "1.25 GiB". */
export function formatBytes(n: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return u === 0 ? `${Math.round(v)} B` : `${v < 10 ? v.toFixed(2) : v.toFixed(1)} ${units[u]}`;
}
