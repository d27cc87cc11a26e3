/**
 * Loss and gradients computed cell by cell ("gradient checkpointing" at cell granularity).
 *
 * tfjs keeps every intermediate of a forward pass until its backward pass ends, so a whole-network
 * tape holds every op output of every cell at once. Here the forward pass runs without a tape and
 * keeps only the cell outputs. The backward pass walks the network in reverse and recomputes one
 * cell at a time under `tf.grads` with the incoming gradient, freeing its tape before the next.
 * Peak memory ≈ the cell outputs + one cell's tape, for one extra forward pass of compute.
 * The chain rule between segments is explicit: cell k reads the outputs of cells k−2 and k−1
 * (both are the stem output for cell 0), and softmax(α) is differentiated once at the end from
 * the accumulated ∂L/∂softmax(α) (all cells of a type share one α, spec §1.6).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossGrads } from './bilevel';
import { accuracy, crossEntropy, type SupernetModel, type TensorBatch } from './model';

type T4 = tf.Tensor4D;
type T1 = tf.Tensor1D;

/** acc[i] += g (kept across tidy scopes); g is owned by the accumulator afterwards. */
function addInto(acc: (tf.Tensor | null)[], i: number, g: tf.Tensor): void {
  const prev = acc[i];
  acc[i] = tf.keep(prev ? tf.add(prev, g) : g);
  if (prev) tf.dispose([prev, g]);
}

export function lossAndGradsCellwise(model: SupernetModel, batch: TensorBatch, vars: tf.Variable[], updateStats = false): LossGrads {
  const net = model.net;
  const L = net.layout;
  const wantTheta = vars.includes(model.theta);
  const arch = model.alphas;
  const wantArch = arch.some((v) => vars.includes(v));
  const wantMix = [wantArch, wantArch];
  const ctxFwd = model.ctx(true, updateStats, wantTheta);
  const ctxBwd = model.ctx(true, false, wantTheta);
  const blocks = tf.tidy(() => net.blocksOf(model.theta).map((b) => tf.keep(b)));
  const dBlocks: (tf.Tensor | null)[] = blocks.map(() => null);
  // The method's mixing weights (softmax(α) for DARTS, engine/methods.ts for the others).
  const mixW = tf.tidy(() => model.mixFn(arch)) as tf.Tensor2D[];
  const typeOf = (i: number) => (net.isReduction(i) ? 1 : 0);
  const n = net.numCells;

  /** The block list with the given indices replaced by function arguments (so grads reach them). */
  const withArgs = (idx: number[], args: tf.Tensor[]) => {
    const p = blocks.slice();
    idx.forEach((k, j) => (p[k] = args[j] as T1));
    return p;
  };

  // Forward without a tape: outs[0] = stem output, outs[i + 1] = output of cell i.
  const outs: T4[] = [tf.tidy(() => net.stemForward(batch.x, blocks, ctxFwd))];
  for (let i = 0; i < n; i++) {
    const s0 = outs[Math.max(0, i - 1)];
    outs.push(tf.tidy(() => net.cellForward(i, s0, outs[i], mixW[typeOf(i)], blocks, ctxFwd)));
  }

  // Head: loss, accuracy, and the gradient of the last cell output and the classifier.
  const dOuts: (tf.Tensor | null)[] = outs.map(() => null);
  const headIdx = wantTheta ? [L.head.w, L.head.b] : [];
  const { value: ce, grads: hg } = tf.valueAndGrads((...a: tf.Tensor[]) =>
    crossEntropy(net.headForward(a[0] as T4, withArgs(headIdx, a.slice(1))), batch.y),
  )([outs[n], ...headIdx.map((k) => blocks[k])]);
  const acc = tf.tidy(() => accuracy(net.headForward(outs[n], blocks), batch.y));
  addInto(dOuts, n, hg[0]);
  headIdx.forEach((k, j) => addInto(dBlocks, k, hg[j + 1]));

  const dMix: (tf.Tensor | null)[] = [null, null];
  for (let i = n - 1; i >= 0; i--) {
    const t = typeOf(i);
    const j0 = Math.max(0, i - 1);
    const cellBlocks = wantTheta ? L.cells[i].blocks : [];
    const withMix = wantMix[t];
    const args = [outs[j0], outs[i], ...(withMix ? [mixW[t]] : []), ...cellBlocks.map((k) => blocks[k])];
    const off = withMix ? 3 : 2;
    const g = tf.grads((...a: tf.Tensor[]) =>
      net.cellForward(i, a[0] as T4, a[1] as T4, (withMix ? a[2] : mixW[t]) as tf.Tensor2D, withArgs(cellBlocks, a.slice(off)), ctxBwd),
    )(args, dOuts[i + 1] as T4);
    addInto(dOuts, j0, g[0]);
    // Cell 0 reads the stem output twice: tfjs then returns its total gradient for both arguments.
    if (j0 !== i) addInto(dOuts, i, g[1]);
    if (withMix) addInto(dMix, t, g[2]);
    cellBlocks.forEach((k, j) => addInto(dBlocks, k, g[off + j]));
    tf.dispose([outs[i + 1], dOuts[i + 1]!]);
    dOuts[i + 1] = null;
  }

  // Stem parameters.
  if (wantTheta) {
    const stemIdx = [L.stem.w, L.stem.gamma, L.stem.beta];
    const g = tf.grads((...a: tf.Tensor[]) => net.stemForward(batch.x, withArgs(stemIdx, a), ctxBwd))(
      stemIdx.map((k) => blocks[k]),
      dOuts[0] as T4,
    );
    stemIdx.forEach((k, j) => addInto(dBlocks, k, g[j]));
  }
  tf.dispose([dOuts[0]!, outs[0]]);

  // ∂L/∂θ: the block gradients in θ order (zeros for blocks the loss does not reach).
  const thetaGrad = wantTheta
    ? tf.tidy(() => tf.concat(dBlocks.map((d, k) => d ?? tf.zeros([L.blocks[k].size]))))
    : null;
  // ∂L/∂(α, β) = J_mix(α, β)ᵀ · ∂L/∂mix, per cell type: the gradient of Σ mix ⊙ dMix (a vector-
  // Jacobian product), plus the gradient of the method's extra architecture term, if any.
  const extra = model.extraLoss;
  const archGrads = wantArch
    ? tf.grads((...a: tf.Tensor[]) => {
        const m = model.mixFn(a);
        // 0·Σa keeps every variable on the tape (a type with no cell gets a zero gradient).
        let s = tf.mul(0, tf.addN(a.map((x) => tf.sum(x)))) as tf.Scalar;
        m.forEach((w, t) => dMix[t] && (s = tf.add(s, tf.sum(tf.mul(w, dMix[t]!)))));
        return extra ? tf.add(s, extra(a)) : s;
      })(arch)
    : [];
  const loss = extra ? tf.tidy(() => tf.add(ce, extra(arch)) as tf.Scalar) : ce;
  if (extra) ce.dispose();
  const out = vars.map((v) => {
    const ai = arch.indexOf(v);
    if (ai >= 0) return archGrads[ai];
    if (v === model.theta) return thetaGrad!;
    throw new Error('lossAndGradsCellwise: unknown variable');
  });
  archGrads.forEach((g, i) => !vars.includes(arch[i]) && g.dispose());
  tf.dispose([...blocks, ...mixW, ...dMix.filter((d): d is tf.Tensor => d !== null), ...dBlocks.filter((d): d is tf.Tensor => d !== null)]);
  return { loss: loss as tf.Scalar, acc, grads: out };
}
