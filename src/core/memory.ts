/**
 * Analytic estimate of the peak memory of one search step (forward + backward, float32), used by
 * `validateConfig` to refuse settings that would exhaust a browser GPU.
 *
 * Model (deliberately simple, documented so it can be calibrated):
 *
 *   peak = MEMORY_CALIBRATION × 4 bytes × ( A + G + copies × P )
 *
 * - A: every activation-sized tensor that the forward pass keeps for backprop. tfjs gradient
 *   tapes keep the output of every op until the backward pass ends, so we count op outputs:
 *   the input batch, the stem, each cell's two preprocessing branches, every candidate op on
 *   every edge (table `OP_INTERMEDIATES`), the softmax-weighting of each candidate
 *   (`MIXED_OP_WEIGHTING`), the node sums and the cell concat.
 * - G: gradient workspace of the backward pass. Gradients flow cell by cell, so at any moment
 *   roughly one cell's worth of activation gradients is alive: we add the largest cell's A.
 * - P: supernet parameters (params.ts); `copies` = 4 (weights, gradients, momentum buffer and one
 *   temporary for weight decay / clipping), +1 for second order (the snapshot of w kept while
 *   w' and w± are evaluated, spec §3.5). Second order re-runs forward/backward passes one after
 *   the other and disposes in between, so its activation peak is the same as first order.
 *
 * The architecture step and the weight step run one after the other (spec §3.3), so the peak is
 * one forward+backward, not two. α (2 × edges × ops floats) is negligible but included.
 *
 * The lead calibrates `MEMORY_CALIBRATION` against measured `tf.memory()`/`tf.profile` peaks.
 */
import type { OpName } from './primitives';
import type { SupernetShape } from './params';
import { supernetParamCount } from './params';
import { cellEdges, edgeStride, networkPlan, numEdges } from './searchSpace';

/**
 * Multiply the analytic whole-graph estimate by this to match measured peaks. Calibrated on the
 * `lecture` preset, wasm, first order: estimate 153 MB, `tf.profile` peak 577 MB (the tfjs tape
 * keeps more per op than the table below counts: reshapes, broadcasts, gradient temporaries).
 */
export const MEMORY_CALIBRATION = 3.8;

/**
 * Above this whole-graph estimate the engine backpropagates edge by edge (engine/cellwise.ts):
 * a bit slower, but its peak is the states plus one MixedOp's tape. The wasm heap fails past
 * about 2 GB (browser-notes §5), so the switch sits well below that.
 */
export const CELLWISE_THRESHOLD_BYTES = 1e9;

/**
 * Edge-by-edge peak ≈ weights + all cell states + EDGEWISE_FACTOR × one edge's share of the largest
 * cell's activations. Calibrated on `tiny-mnist`, wasm, first order: 290 MB measured.
 */
export const EDGEWISE_FACTOR = 6;

/**
 * Activation-sized tensors each candidate op keeps for backprop, in units of the op's OUTPUT
 * tensor (batch × outH × outW × c). At stride 2 a tensor at input resolution counts 4 units.
 * BatchNorm counts 2 (centred input for the moments + normalised output); a pool in the search is
 * followed by a BN (spec §1.4).
 *
 * | op             | stride 1                         | stride 2                                    |
 * |----------------|----------------------------------|---------------------------------------------|
 * | none           | x·0                        = 1   | subsample + ·0                        = 2   |
 * | pools          | pool 1 + BN 2              = 3   | same                                  = 3   |
 * | skip_connect   | identity                   = 0   | FactorizedReduce: ReLU 4 + crop 4 + two half convs 1 + concat 1 + BN 2 = 12 |
 * | sep_conv_k     | 2 × (ReLU, dw, pw 1 each + BN 2) = 10 | first ReLU at input res (4)     = 13  |
 * | dil_conv_k     | ReLU, dw, pw + BN 2        = 5   | ReLU 4 + dw at stride 1 (4) + subsample 1 + pw 1 + BN 2 = 12 (spec §1.9.2) |
 * | conv_kxk       | ReLU, conv + BN 2          = 4   | ReLU 4 + conv 1 + BN 2                = 7   |
 */
export const OP_INTERMEDIATES: Readonly<Record<OpName, { stride1: number; stride2: number }>> = {
  none: { stride1: 1, stride2: 2 },
  max_pool_3x3: { stride1: 3, stride2: 3 },
  avg_pool_3x3: { stride1: 3, stride2: 3 },
  skip_connect: { stride1: 0, stride2: 12 },
  sep_conv_3x3: { stride1: 10, stride2: 13 },
  sep_conv_5x5: { stride1: 10, stride2: 13 },
  dil_conv_3x3: { stride1: 5, stride2: 12 },
  dil_conv_5x5: { stride1: 5, stride2: 12 },
  conv_1x1: { stride1: 4, stride2: 7 },
  conv_3x3: { stride1: 4, stride2: 7 },
  conv_5x5: { stride1: 4, stride2: 7 },
};

/** Per candidate op in a MixedOp: the product w_k·op_k(x) and its share of the running sum. */
export const MIXED_OP_WEIGHTING = 2;

/** Copies of the weights alive during a step: weights, gradients, momentum, one temporary. */
export const WEIGHT_COPIES_FIRST_ORDER = 4;
/** Second order keeps one more copy (the snapshot of w, spec §3.5). */
export const WEIGHT_COPIES_SECOND_ORDER = 5;

const BYTES_PER_FLOAT = 4;

/** What the estimate needs: the network shape, the op list, the batch size and the order. */
export type MemoryEstimateInput = SupernetShape & { batchSize: number; order: 1 | 2 };

export interface MemoryEstimate {
  /** Forward activations kept for backprop (A), bytes. */
  activationBytes: number;
  /** Backward gradient workspace (G = largest cell), bytes. */
  workspaceBytes: number;
  /** Weight-sized buffers (copies × P + α), bytes. */
  weightBytes: number;
  /** Activation bytes of each cell (before calibration), for the UI's breakdown. */
  perCellBytes: number[];
  /** Calibrated total: MEMORY_CALIBRATION × (activation + workspace + weight). */
  totalBytes: number;
}

/** Detailed peak-memory estimate of one search step (see the file comment for the model). */
export function estimateStepMemory(cfg: MemoryEstimateInput): MemoryEstimate {
  const B = cfg.batchSize;
  const plan = networkPlan(cfg);
  const edges = cellEdges(cfg.steps);
  // Input batch + stem conv output + stem BN (2).
  let floats = B * cfg.height * cfg.width * (cfg.inChannels + 3 * plan.stemC);
  const perCell: number[] = [];
  for (const cell of plan.cells) {
    const inner = B * cell.inH * cell.inW * cell.c; // one tensor at the cell's input resolution
    const outer = B * cell.outH * cell.outW * cell.c; // one tensor at its output resolution
    let f = 0;
    // preprocess1: ReLU on s1 (C_p channels) + 1×1 conv + BN(2).
    f += B * cell.inH * cell.inW * cell.cPrev + 3 * inner;
    if (cell.pre0 === 'fr') {
      // FactorizedReduce on s0: ReLU + crop at s0 resolution, two half convs + concat + BN(2).
      f += 2 * B * cell.inH0 * cell.inW0 * cell.cPrevPrev + 4 * inner;
    } else {
      f += B * cell.inH0 * cell.inW0 * cell.cPrevPrev + 3 * inner;
    }
    for (const e of edges) {
      const stride = edgeStride(cell.reduction, e.from);
      // Every edge output is at the cell's output size (stride-2 edges reduce, spec §1.2).
      for (const op of cfg.ops) {
        const k = stride === 1 ? OP_INTERMEDIATES[op].stride1 : OP_INTERMEDIATES[op].stride2;
        f += (k + MIXED_OP_WEIGHTING) * outer;
      }
    }
    // Node sums are part of MIXED_OP_WEIGHTING; the concat output is multiplier × C channels.
    f += cfg.multiplier * outer;
    perCell.push(f * BYTES_PER_FLOAT);
    floats += f;
  }
  // Global average pool + logits + softmax/CE (tiny).
  floats += B * (plan.cLast + 2 * cfg.numClasses);
  const activationBytes = floats * BYTES_PER_FLOAT;
  const workspaceBytes = perCell.length ? Math.max(...perCell) : 0;
  const copies = cfg.order === 2 ? WEIGHT_COPIES_SECOND_ORDER : WEIGHT_COPIES_FIRST_ORDER;
  const alphaFloats = 2 * numEdges(cfg.steps) * cfg.ops.length * 4; // α, grad, Adam m and v
  const weightBytes = (copies * supernetParamCount(cfg) + alphaFloats) * BYTES_PER_FLOAT;
  const totalBytes = MEMORY_CALIBRATION * (activationBytes + workspaceBytes + weightBytes);
  return { activationBytes, workspaceBytes, weightBytes, perCellBytes: perCell, totalBytes };
}

/** Whether the engine should backpropagate edge by edge for this config (memory over speed). */
export function useCellwiseBackprop(cfg: MemoryEstimateInput): boolean {
  return estimateStepMemory(cfg).totalBytes > CELLWISE_THRESHOLD_BYTES;
}

/** Peak of the edge-by-edge backward pass (see EDGEWISE_FACTOR). */
export function estimateEdgewiseBytes(cfg: MemoryEstimateInput): number {
  const m = estimateStepMemory(cfg);
  const plan = networkPlan(cfg);
  const B = cfg.batchSize;
  // Kept states: per cell the two preprocessed inputs, the nodes and the concat output.
  let states = B * cfg.height * cfg.width * plan.stemC;
  for (const c of plan.cells) states += B * c.outH * c.outW * c.c * (2 + cfg.steps + cfg.multiplier) + B * c.inH * c.inW * c.c * 2;
  const edge = Math.max(...m.perCellBytes) / numEdges(cfg.steps);
  return m.weightBytes + states * BYTES_PER_FLOAT + EDGEWISE_FACTOR * edge;
}

/** Estimated peak bytes of one search step (forward + backward, float32), for the strategy the engine uses. */
export function estimateStepBytes(cfg: MemoryEstimateInput): number {
  return useCellwiseBackprop(cfg) ? estimateEdgewiseBytes(cfg) : estimateStepMemory(cfg).totalBytes;
}

/**
 * The largest batch size (≥ 2, ≤ `upTo`) whose estimate fits in `budgetBytes`, or 0 if none does.
 * Used to make the "over budget" message concrete.
 *
 * `estimateStepBytes` is not monotone in the batch: it grows within each strategy, but drops where
 * the whole-graph estimate crosses CELLWISE_THRESHOLD_BYTES and the engine switches to edge-by-edge
 * backprop. The switch happens once (the whole-graph estimate grows with the batch), so each side
 * is searched on its own, the edge-by-edge side (larger batches) first.
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
