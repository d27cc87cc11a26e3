/**
 * Loss and gradients computed edge by edge ("gradient checkpointing" at MixedOp granularity).
 *
 * tfjs keeps every intermediate of a forward pass until its backward pass ends, so a whole-network
 * tape holds every op output of every edge of every cell at once. Here the forward pass runs
 * without a tape and keeps only the states (stem output, and per cell the two preprocessed inputs
 * and the node values). The backward pass walks the network in reverse and recomputes one
 * segment at a time (head, each MixedOp edge, each preprocessing, the stem) under `tf.grads` with
 * the incoming gradient, freeing its tape before the next. Peak memory ≈ the states + one MixedOp's
 * tape, for about one extra forward pass of compute. The chain rule between segments is explicit:
 *   node_i = Σ_j MixedOp_{ij}(state_j)  ⇒  ∂L/∂state_j += MixedOp_{ij}ᵀ · ∂L/∂node_i,
 * the cell output is the channel concat of its last nodes (its gradient is split back), cell k reads
 * the outputs of cells k−2 and k−1, and softmax(α) is differentiated once at the end from the
 * accumulated ∂L/∂softmax(α) (all cells of a type share one α, spec §1.6).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { LossGrads } from './bilevel';
import { accuracy, crossEntropy, type SupernetModel, type TensorBatch } from './model';
import type { ForwardCtx } from './supernet';

type T4 = tf.Tensor4D;

/** acc[i] += g (kept across tidy scopes); g is owned by the accumulator afterwards. */
function addInto(acc: (tf.Tensor | null)[], i: number, g: tf.Tensor): void {
  const prev = acc[i];
  acc[i] = tf.keep(prev ? tf.add(prev, g) : g);
  if (prev) tf.dispose([prev, g]);
}

const scalarsOf = (w: tf.Tensor): tf.Scalar[] => tf.unstack(tf.reshape(w, [w.size])) as tf.Scalar[];

export function lossAndGradsCellwise(model: SupernetModel, batch: TensorBatch, vars: tf.Variable[], updateStats = false): LossGrads {
  const net = model.net;
  const W = model.weights;
  const index = new Map(W.map((v, i) => [v, i]));
  const wanted = new Set(vars.filter((v) => index.has(v)).map((v) => index.get(v)!));
  const wantMix = [vars.includes(model.alphaNormal), vars.includes(model.alphaReduce)];
  const ctx = (p: tf.Tensor[], update: boolean): ForwardCtx => ({ training: true, updateStats: update, p, running: model.running, pending: model.pending });
  /** The parameter list with the given indices replaced by function arguments (so grads reach them). */
  const withArgs = (idx: number[], args: tf.Tensor[]) => {
    const p: tf.Tensor[] = W.slice();
    idx.forEach((k, j) => (p[k] = args[j]));
    return p;
  };
  const grads: (tf.Tensor | null)[] = W.map(() => null);
  /**
   * Gradient of one segment f(x, [mixing row], params…) with incoming gradient dy; returns ∂/∂x,
   * stores parameter gradients, and ∂/∂row if asked.
   */
  const segmentGrad = (
    x: tf.Tensor,
    params: number[],
    dy: tf.Tensor,
    f: (x: T4, p: tf.Tensor[], row: tf.Tensor | null) => tf.Tensor,
    row: tf.Tensor | null = null,
  ): { dx: tf.Tensor; drow: tf.Tensor | null } => {
    const pIdx = params.filter((k) => wanted.has(k));
    const args = [x, ...(row ? [row] : []), ...pIdx.map((k) => W[k])];
    const g = tf.grads((...a: tf.Tensor[]) => f(a[0] as T4, withArgs(pIdx, a.slice(row ? 2 : 1)), row ? a[1] : null))(args, dy);
    const off = row ? 2 : 1;
    pIdx.forEach((k, j) => {
      const prev = grads[k];
      grads[k] = prev ? tf.keep(tf.add(prev, g[off + j])) : g[off + j];
      if (prev) tf.dispose([prev, g[off + j]]);
    });
    return { dx: g[0], drow: row ? g[1] : null };
  };

  const mix = tf.tidy(() => [tf.softmax(model.alphaNormal), tf.softmax(model.alphaReduce)]) as tf.Tensor2D[];
  const typeOf = (i: number) => (net.isReduction(i) ? 1 : 0);
  const L = net.numCells;

  // Forward without a tape. outs[0] = stem output, outs[i + 1] = output of cell i; cellStates[i]
  // = [pre0, pre1, node 0, …] of cell i.
  const outs: T4[] = [tf.tidy(() => net.stemForward(batch.x, ctx(W, updateStats)))];
  const cellStates: T4[][] = [];
  for (let i = 0; i < L; i++) {
    const cell = net.cell(i);
    const s0 = outs[Math.max(0, i - 1)];
    const s1 = outs[i];
    const w = mix[typeOf(i)];
    // One tidy per edge, so only one MixedOp's intermediates are alive at a time.
    const c = ctx(W, updateStats);
    const rows = tf.tidy(() => mixRows(w));
    const st: T4[] = [tf.tidy(() => cell.pre0.forward(s0, c)), tf.tidy(() => cell.pre1.forward(s1, c))];
    for (let node = 0; node < cell.steps; node++) {
      const terms = cell.edges.filter((e) => e.to === node).map((e) => tf.tidy(() => e.forward(st[e.from], rows[e.row], c)));
      st.push(tf.tidy(() => tf.addN(terms) as T4));
      tf.dispose(terms);
    }
    tf.dispose(rows.flat());
    cellStates.push(st);
    outs.push(tf.tidy(() => cell.output(st)));
  }

  // Head: loss, accuracy, and the gradient of the last cell output and the classifier.
  const dOuts: (tf.Tensor | null)[] = outs.map(() => null);
  const last = outs[L];
  const headIdx = net.headParams.filter((k) => wanted.has(k));
  const { value: loss, grads: hg } = tf.valueAndGrads((...a: tf.Tensor[]) =>
    crossEntropy(net.headForward(a[0] as T4, ctx(withArgs(headIdx, a.slice(1)), false)), batch.y),
  )([last, ...headIdx.map((k) => W[k])]);
  const acc = tf.tidy(() => accuracy(net.headForward(last, ctx(W, false)), batch.y));
  addInto(dOuts, L, hg[0]);
  headIdx.forEach((k, j) => (grads[k] = hg[j + 1]));

  const dMix: (tf.Tensor | null)[] = [null, null];
  for (let i = L - 1; i >= 0; i--) {
    const cell = net.cell(i);
    const st = cellStates[i];
    const t = typeOf(i);
    const w = mix[t];
    const fixed = wantMix[t] ? null : tf.tidy(() => mixRows(w));
    // ∂L/∂state for the concatenated states: split the output gradient by channel blocks.
    const dS: (tf.Tensor | null)[] = st.map(() => null);
    const firstOut = 2 + cell.steps - cell.multiplier;
    tf.split(dOuts[i + 1]!, cell.multiplier, 3).forEach((g, m) => addInto(dS, firstOut + m, g));
    const dRows: (tf.Tensor | null)[] = [];
    for (let node = cell.steps - 1; node >= 0; node--) {
      const dn = dS[2 + node];
      if (!dn) continue;
      for (const e of cell.edges) {
        if (e.to !== node) continue;
        const row = fixed ? null : tf.slice(w, [e.row, 0], [1, w.shape[1]]);
        const r = segmentGrad(st[e.from], e.params, dn, (x, p, rw) => e.forward(x, rw ? scalarsOf(rw) : fixed![e.row], ctx(p, false)), row);
        addInto(dS, e.from, r.dx);
        if (r.drow) dRows[e.row] = r.drow;
        row?.dispose();
      }
      dn.dispose();
      dS[2 + node] = null;
    }
    if (!fixed) addInto(dMix, t, tf.concat(dRows as tf.Tensor[], 0));
    tf.dispose(dRows.filter((d): d is tf.Tensor => !!d));
    if (fixed) tf.dispose(fixed.flat());
    // Preprocessing: s0 = output of cell i−2 (or the stem), s1 = output of cell i−1 (or the stem).
    const j0 = Math.max(0, i - 1);
    const r1 = segmentGrad(outs[i], cell.pre1.params, dS[1]!, (x, p) => cell.pre1.forward(x, ctx(p, false)));
    addInto(dOuts, i, r1.dx);
    const r0 = segmentGrad(outs[j0], cell.pre0.params, dS[0]!, (x, p) => cell.pre0.forward(x, ctx(p, false)));
    addInto(dOuts, j0, r0.dx);
    tf.dispose([dS[0]!, dS[1]!, ...st, outs[i + 1], dOuts[i + 1]!]);
    dOuts[i + 1] = null;
  }

  // Stem parameters.
  const stemIdx = net.stemParams.filter((k) => wanted.has(k));
  if (stemIdx.length) {
    const g = tf.grads((...a: tf.Tensor[]) => net.stemForward(batch.x, ctx(withArgs(stemIdx, a), false)))(
      stemIdx.map((k) => W[k]),
      dOuts[0] as T4,
    );
    stemIdx.forEach((k, j) => (grads[k] = g[j]));
  }
  tf.dispose([dOuts[0]!, outs[0]]);

  // ∂L/∂α = softmax'(α)ᵀ · ∂L/∂softmax(α), per cell type.
  const alphaGrad = (a: tf.Variable, d: tf.Tensor | null): tf.Tensor =>
    d ? tf.grads((x: tf.Tensor) => tf.softmax(x))([a], d)[0] : tf.zerosLike(a);
  const out = vars.map((v) => {
    if (v === model.alphaNormal) return alphaGrad(v, dMix[0]);
    if (v === model.alphaReduce) return alphaGrad(v, dMix[1]);
    return grads[index.get(v)!] ?? tf.zerosLike(v);
  });
  tf.dispose([...mix, ...dMix.filter((d): d is tf.Tensor => d !== null)]);
  return { loss: loss as tf.Scalar, acc, grads: out };
}

/** softmax(α) [E, K] as rows of scalars. */
function mixRows(w: tf.Tensor2D): tf.Scalar[][] {
  const [E, K] = w.shape;
  const flat = scalarsOf(w);
  return Array.from({ length: E }, (_, e) => flat.slice(e * K, (e + 1) * K));
}
