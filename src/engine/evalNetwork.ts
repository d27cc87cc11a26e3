/**
 * The discrete evaluation network built from a genotype: the reference NetworkCIFAR
 * (cnn/model.py, spec §4.4). This is the second half of DARTS: the searched cell is stacked and
 * trained from scratch, and only its test accuracy says whether the search found anything good.
 *
 * Differences from the search supernet (spec §1): no MixedOp (one op per genotype pair), affine
 * BatchNorm everywhere, no BN after pools, optional drop-path and an optional auxiliary head.
 * Works for any genotype that validates: any number of nodes (len(pairs)/2) and any concat list,
 * so a cell's output width is len(concat)·C and the next cell's preprocessing follows it.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Genotype } from '../core/genotype';
import { edgeStride, reductionCells } from '../core/searchSpace';
import { Builder, buildOp, EVAL_STYLE, factorizedReduce, reluConvBn, type EdgeOp, type ForwardCtx, type Module } from './modules';
import { conv, pointwise } from './ops/kernels';

type T4 = tf.Tensor4D;

export interface EvalNetConfig {
  /** Initial channels C (the reference evaluates at 36; the browser uses 8–16). */
  C: number;
  /** Number of cells; reduction cells sit at layers//3 and 2·layers//3 (spec §1.6). */
  layers: number;
  inChannels: number;
  numClasses: number;
  /** Input height and width (needed to size the auxiliary head). */
  height: number;
  width: number;
  /** Auxiliary classifier after cell 2·layers//3 (loss weight 0.4 in the reference). */
  auxiliary: boolean;
  /** Stem width multiplier (3 in NetworkCIFAR). */
  stemMultiplier?: number;
}

/** Per-forward options: drop-path probability and the per-sample keep masks it draws. */
export interface EvalForwardOpts {
  /** p of drop_path; 0 disables it (always 0 at test time). */
  dropPathProb: number;
  /** Per-sample Bernoulli(1 − p) keep mask of length n (the caller draws it from a seeded RNG). */
  keepMask?: (n: number) => Float32Array;
}

interface EvalCell {
  reduction: boolean;
  forward(s0: T4, s1: T4, ctx: ForwardCtx, opts: EvalForwardOpts): T4;
}

/**
 * drop_path(x, p) = x / (1 − p) · mask, mask ~ Bernoulli(1 − p) per sample (spec §4.4).
 * Applied only in training, only when p > 0, and never to an Identity op.
 */
function dropPath(x: T4, p: number, keepMask: (n: number) => Float32Array): T4 {
  const n = x.shape[0];
  const mask = tf.tensor4d(keepMask(n), [n, 1, 1, 1]);
  return tf.mul(tf.div(x, 1 - p), mask) as T4;
}

/** Where the auxiliary head sits and how large its input is, or why it cannot be built. */
export function auxiliaryPlacement(cfg: Pick<EvalNetConfig, 'layers' | 'height' | 'width'>): { cell: number; size: number } | { error: string } {
  const cell = Math.floor((2 * cfg.layers) / 3);
  // Each reduction cell at or before the aux cell halves the size (ceil, as 'same' padding does).
  let h = cfg.height;
  let w = cfg.width;
  for (const r of reductionCells(cfg.layers)) {
    if (r <= cell) {
      h = Math.ceil(h / 2);
      w = Math.ceil(w / 2);
    }
  }
  if (h !== w) return { error: `the auxiliary head needs a square feature map, got ${h}×${w}` };
  if (h < 5) return { error: `the auxiliary head pools 5×5 windows, but the map after cell ${cell} is only ${h}×${w}; use larger images or turn it off` };
  return { cell, size: h };
}

/**
 * Average-pooling matrix for a valid k×k, stride-s pool on an s0×s0 map: [s0², out²]. The pool is
 * a matMul so that its gradient exists on every backend (wasm has no AvgPoolGrad).
 */
function poolMatrix(s0: number, k: number, s: number): { m: Float32Array; out: number } {
  const out = Math.floor((s0 - k) / s) + 1;
  const m = new Float32Array(s0 * s0 * out * out);
  for (let oy = 0; oy < out; oy++)
    for (let ox = 0; ox < out; ox++)
      for (let dy = 0; dy < k; dy++)
        for (let dx = 0; dx < k; dx++) m[((oy * s + dy) * s0 + ox * s + dx) * out * out + oy * out + ox] = 1 / (k * k);
  return { m, out };
}

export class EvalNetwork {
  readonly specs;
  readonly bns;
  /** Index of the cell after which the auxiliary head reads (−1 when there is none). */
  readonly auxCell: number;
  private readonly stem: Module;
  private readonly cells: EvalCell[];
  private readonly aux: ((x: T4, ctx: ForwardCtx) => tf.Tensor2D) | null;
  private readonly classifierW: number;
  private readonly classifierB: number;

  constructor(
    readonly genotype: Genotype,
    readonly cfg: EvalNetConfig,
  ) {
    const b = new Builder();
    const stemC = (cfg.stemMultiplier ?? 3) * cfg.C;
    // Stem: conv 3×3 inChannels → 3C without bias, affine BN (spec §1.6, §4.4).
    const sw = b.param('stem.0.weight', 'hwio', [3, 3, cfg.inChannels, stemC], [stemC, cfg.inChannels, 3, 3]);
    const sbn = b.bn('stem.1', stemC, true);
    this.stem = (x, ctx) => sbn(conv(x, ctx.p[sw] as T4, 1), ctx);

    const reds = reductionCells(cfg.layers);
    const auxPlace = cfg.auxiliary ? auxiliaryPlacement(cfg) : null;
    if (auxPlace && 'error' in auxPlace) throw new RangeError(auxPlace.error);
    this.auxCell = auxPlace ? auxPlace.cell : -1;

    let cPP = stemC;
    let cP = stemC;
    let cCurr = cfg.C;
    let reductionPrev = false;
    let aux: EvalNetwork['aux'] = null;
    this.cells = [];
    for (let i = 0; i < cfg.layers; i++) {
      const reduction = reds.includes(i);
      if (reduction) cCurr *= 2;
      this.cells.push(this.buildCell(b, i, reduction, reductionPrev, cPP, cP, cCurr));
      const concat = reduction ? this.genotype.reduce_concat : this.genotype.normal_concat;
      cPP = cP;
      cP = concat.length * cCurr;
      reductionPrev = reduction;
      if (auxPlace && i === auxPlace.cell) aux = this.buildAux(b, cP, auxPlace.size);
    }
    this.aux = aux;
    this.classifierW = b.param('classifier.weight', 'linear', [cP, cfg.numClasses], [cfg.numClasses, cP]);
    this.classifierB = b.param('classifier.bias', 'vec', [cfg.numClasses], [cfg.numClasses], 'zeros');
    this.specs = b.specs;
    this.bns = b.bns;
  }

  /** Cell(genotype, C_pp, C_p, C, reduction, reduction_prev) of spec §4.4. */
  private buildCell(b: Builder, i: number, reduction: boolean, reductionPrev: boolean, cPP: number, cP: number, c: number): EvalCell {
    const name = `cells.${i}`;
    const pre0: Module = reductionPrev
      ? ((fr) => (x: T4, ctx: ForwardCtx) => fr(tf.relu(x) as T4, ctx))(factorizedReduce(b, `${name}.preprocess0`, cPP, c, true))
      : reluConvBn(b, `${name}.preprocess0`, cPP, c, true);
    const pre1 = reluConvBn(b, `${name}.preprocess1`, cP, c, true);
    const pairs = reduction ? this.genotype.reduce : this.genotype.normal;
    const concat = reduction ? this.genotype.reduce_concat : this.genotype.normal_concat;
    const steps = pairs.length / 2;
    const ops = pairs.map(([op, input], k) => {
      const stride = edgeStride(reduction, input);
      return {
        input,
        fn: buildOp(b, `${name}._ops.${k}`, op, c, stride, EVAL_STYLE) as EdgeOp,
        identity: op === 'skip_connect' && stride === 1,
      };
    });
    return {
      reduction,
      forward(s0, s1, ctx, opts) {
        const states: T4[] = [pre0(s0, ctx), pre1(s1, ctx)];
        const apply = (k: number): T4 => {
          const { input, fn, identity } = ops[k];
          const x = states[input];
          let h = fn(x, () => tf.relu(x) as T4, ctx);
          if (ctx.training && opts.dropPathProb > 0 && !identity && opts.keepMask) h = dropPath(h, opts.dropPathProb, opts.keepMask);
          return h;
        };
        // Node i = op_{2i}(states[idx_{2i}]) + op_{2i+1}(states[idx_{2i+1}]) (spec §4.4).
        for (let n = 0; n < steps; n++) states.push(tf.add(apply(2 * n), apply(2 * n + 1)) as T4);
        return tf.concat(
          concat.map((s) => states[s]),
          3,
        ) as T4;
      },
    };
  }

  /**
   * AuxiliaryHeadCIFAR (spec §4.4): ReLU, AvgPool 5 stride 3 (8×8 → 2×2), 1×1 conv → 128, BN,
   * ReLU, 2×2 conv → 768, BN, ReLU, Linear(768, classes). On other map sizes the second conv's
   * kernel is the pooled size (so it still yields 1×1); at 8×8 this is exactly the reference.
   */
  private buildAux(b: Builder, cIn: number, size: number): (x: T4, ctx: ForwardCtx) => tf.Tensor2D {
    const { m, out } = poolMatrix(size, 5, 3);
    const w1 = b.pw('auxiliary_head.features.2', cIn, 128);
    const bn1 = b.bn('auxiliary_head.features.3', 128, true);
    const w2 = b.param('auxiliary_head.features.5', 'hwio', [out, out, 128, 768], [768, 128, out, out]);
    const bn2 = b.bn('auxiliary_head.features.6', 768, true);
    const lw = b.param('auxiliary_head.classifier.weight', 'linear', [768, this.cfg.numClasses], [this.cfg.numClasses, 768]);
    const lb = b.param('auxiliary_head.classifier.bias', 'vec', [this.cfg.numClasses], [this.cfg.numClasses], 'zeros');
    return (x, ctx) => {
      const [n, h, w, c] = x.shape;
      const pm = tf.tensor2d(m, [h * w, out * out]);
      // [N, HW, C] → [N, C, HW] · P → [N, C, out²] → NHWC [N, out, out, C]
      const flat = tf.transpose(tf.reshape(tf.relu(x), [n, h * w, c]), [0, 2, 1]);
      const pooled = tf.transpose(tf.reshape(tf.matMul(tf.reshape(flat, [n * c, h * w]), pm), [n, c, out * out]), [0, 2, 1]);
      let y = bn1(pointwise(tf.reshape(pooled, [n, out, out, c]) as T4, ctx.p[w1] as tf.Tensor2D), ctx);
      y = tf.relu(y) as T4;
      // The out×out valid conv covers the whole map: a matMul over the flattened (h, w, c) input.
      const z = tf.matMul(tf.reshape(y, [n, out * out * 128]), tf.reshape(ctx.p[w2], [out * out * 128, 768]));
      const y2 = tf.relu(bn2(tf.reshape(z, [n, 1, 1, 768]) as T4, ctx));
      return tf.add(tf.matMul(tf.reshape(y2, [n, 768]), ctx.p[lw] as tf.Tensor2D), ctx.p[lb]) as tf.Tensor2D;
    };
  }

  get paramCount(): number {
    return this.specs.reduce((s, p) => s + p.shape.reduce((a, d) => a * d, 1), 0);
  }

  /** Parameters of the auxiliary head (reported separately, as the reference log excludes them). */
  get auxParamCount(): number {
    return this.specs.filter((p) => p.name.startsWith('auxiliary_head.')).reduce((s, p) => s + p.shape.reduce((a, d) => a * d, 1), 0);
  }

  /**
   * Logits for a batch (NHWC), and the auxiliary logits in training mode when the head exists
   * (model.py: `logits_aux` only while training).
   */
  forward(x: T4, ctx: ForwardCtx, opts: EvalForwardOpts): { logits: tf.Tensor2D; aux?: tf.Tensor2D } {
    let s0 = this.stem(x, ctx);
    let s1 = s0;
    let aux: tf.Tensor2D | undefined;
    this.cells.forEach((cell, i) => {
      const out = cell.forward(s0, s1, ctx, opts);
      s0 = s1;
      s1 = out;
      if (this.aux && ctx.training && i === this.auxCell) aux = this.aux(s1, ctx);
    });
    const pooled = tf.mean(s1, [1, 2]) as tf.Tensor2D;
    const logits = tf.add(tf.matMul(pooled, ctx.p[this.classifierW] as tf.Tensor2D), ctx.p[this.classifierB]) as tf.Tensor2D;
    return aux ? { logits, aux } : { logits };
  }
}
