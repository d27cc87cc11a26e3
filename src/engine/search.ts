/**
 * DartsSearch: one DARTS search run — the supernet, α, both optimisers, the data sampler and the
 * step counter. One `step('both')` is one iteration of the reference `train()` loop (spec §3.3):
 * first the α step on a fresh architecture batch, then the weight step on the train batch with the
 * updated α. The two halves can also be run one at a time ('arch', 'weights') for teaching.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { SearchConfig } from '../core/config';
import { useCellwiseBackprop } from '../core/memory';
import { Rng } from '../core/rng';
import { numEdges } from '../core/searchSpace';
import { derivationRows } from '../core/methodDerive';
import { archGradFirstOrder, archGradSecondOrder, globalNorm, lossAndGrads, type LossGrads } from './bilevel';
import { batchTensors, SupernetModel, type TensorBatch } from './model';
import { Adam, cosineLr, MomentumSGD } from './optim';
import { makeVariable, uniformFanInInit } from './params';
import { auxSkipMix, constantMix, drawGumbel, gumbelMix, methodSchedule, pcMix, perturbedSoftmax, sigmoidMix, softmaxMix, zeroOneLoss } from './methods';
import { DivergenceError, type Batch, type DataSource, type EngineState, type StepKind, type StepResult } from './types';

export interface AlphaArrays {
  rawNormal: Float32Array;
  rawReduce: Float32Array;
  softmaxNormal: Float32Array;
  softmaxReduce: Float32Array;
  /** PC-DARTS' raw β per edge, null for the other methods. */
  betaNormal: Float32Array | null;
  betaReduce: Float32Array | null;
  /**
   * The rows the method's derivation ranks (core/methodDerive.ts: β̃·softmax(α) for PC-DARTS,
   * σ(α) for FairDARTS), row-major edges × ops; null where that is softmax(α) itself.
   */
  deriveNormal: Float32Array | null;
  deriveReduce: Float32Array | null;
}

/** Data sources that can save and restore their sampler state (for moving runs across backends). */
interface StatefulSource extends DataSource {
  getRngState?(): number[];
  setRngState?(s: number[]): void;
}

export class DartsSearch {
  readonly model: SupernetModel;
  private readonly sgd: MomentumSGD;
  private readonly adam: Adam;
  private pendingTrain: Batch | null = null;
  private steps = 0;
  private archStepCount = 0;
  private lastArch: tf.Tensor[] | null = null;
  private lastVal: Batch | null = null;

  private constructor(
    readonly config: SearchConfig,
    private readonly data: StatefulSource,
    model: SupernetModel,
  ) {
    this.model = model;
    // Edge-by-edge backprop when the whole-graph tape would be too large (core/memory.ts).
    // GDAS' sparse forward leaves most blocks of a cell unused, which the per-cell tapes cannot
    // differentiate; it holds one op per edge, so the whole-graph tape is small anyway.
    model.cellwise = config.method !== 'gdas' && useCellwiseBackprop(config);
    this.sgd = new MomentumSGD(config.momentum, config.weightDecay);
    this.adam = new Adam(config.archLr, config.archBeta1, config.archBeta2, config.archEps, config.archWeightDecay);
    this.usePhaseSync('eval');
  }

  /** A fresh run: weights U(±1/√fan_in), α = 1e-3·N(0,1) (spec §2), all from `config.seed`. */
  static create(config: SearchConfig, data: DataSource): DartsSearch {
    const rng = new Rng(config.seed, 'init');
    const n = numEdges(config.steps) * config.ops.length;
    // α first, so the α stream does not depend on the network size.
    const normal = Float32Array.from({ length: n }, () => 1e-3 * rng.normal());
    const reduce = Float32Array.from({ length: n }, () => 1e-3 * rng.normal());
    // PC-DARTS' β: 1e-3·N(0, 1) per edge like α, from a stream of its own (α and θ stay as in DARTS).
    const brng = new Rng(config.seed, 'init-beta');
    const E = numEdges(config.steps);
    const betas = config.method === 'pc-darts' ? { betaNormal: Float32Array.from({ length: E }, () => 1e-3 * brng.normal()), betaReduce: Float32Array.from({ length: E }, () => 1e-3 * brng.normal()) } : {};
    const model = new SupernetModel(config, uniformFanInInit(() => rng.next()), { normal, reduce, ...betas });
    return new DartsSearch(config, data, model);
  }

  /** Resume a saved run (for example on another backend): weights, α, optimiser and sampler state. */
  static fromState(state: EngineState, data: DataSource): DartsSearch {
    const byName = new Map(state.weights.map((w) => [w.name, w.data]));
    const model = new SupernetModel(
      state.config,
      (spec) => {
        const d = byName.get(spec.name);
        if (!d) throw new Error(`the saved run has no weights for ${spec.name}; it does not fit its own config (made by another version?)`);
        const n = spec.shape.reduce((a, b) => a * b, 1);
        if (d.length !== n) throw new Error(`the saved run's ${spec.name} holds ${d.length} values, its config needs ${n} ([${spec.shape.join(', ')}])`);
        return d;
      },
      { normal: state.alphaNormal, reduce: state.alphaReduce, betaNormal: state.betaNormal, betaReduce: state.betaReduce },
    );
    const L = model.net.layout;
    // BN running statistics, by reference BN name, into the flat running vectors.
    const buf = new Map(state.buffers.map((b) => [b.name, b.data]));
    const mean = new Float32Array(L.runningSize);
    const variance = new Float32Array(L.runningSize).fill(1);
    for (const bn of L.bns) {
      const m = buf.get(`${bn.name}.running_mean`);
      const v = buf.get(`${bn.name}.running_var`);
      if (m) mean.set(m, bn.offset);
      if (v) variance.set(v, bn.offset);
    }
    tf.tidy(() => {
      model.running[0].mean.assign(tf.tensor1d(mean));
      model.running[0].variance.assign(tf.tensor1d(variance));
    });
    const s = new DartsSearch(state.config, data, model);
    s.steps = state.step;
    s.archStepCount = state.archSteps;
    if (state.momentum.length) {
      const flat = new Float32Array(L.paramCount);
      state.weights.forEach((w, i) => {
        const spec = L.specs.find((x) => x.name === w.name);
        if (spec) flat.set(state.momentum[i], spec.offset);
      });
      s.sgd.buffers = [makeVariable(() => tf.tensor1d(flat))];
    }
    if (state.adam.t > 0) {
      s.adam.t = state.adam.t;
      const shapes = model.alphas.map((a) => a.shape);
      s.adam.m = state.adam.m.map((m, i) => makeVariable(() => tf.tensor(m, shapes[i])));
      s.adam.v = state.adam.v.map((v, i) => makeVariable(() => tf.tensor(v, shapes[i])));
    }
    if (state.rngState.length && s.data.setRngState) s.data.setRngState(state.rngState);
    return s;
  }

  get paramCount(): number {
    return this.model.paramCount;
  }
  /** Weight steps done (each 'both' or 'weights' step counts one). */
  get stepCount(): number {
    return this.steps;
  }
  get archSteps(): number {
    return this.archStepCount;
  }
  get stepsPerEpoch(): number {
    return Math.max(1, Math.ceil(this.data.weightSetSize / this.config.batchSize));
  }
  get epoch(): number {
    return Math.floor(this.steps / this.stepsPerEpoch);
  }
  /** Weight learning rate of the current epoch (cosine schedule, spec §3.1). */
  get lr(): number {
    const c = this.config;
    return cosineLr(this.epoch, c.lr, c.lrMin, c.epochs);
  }

  private tensors(b: Batch): TensorBatch {
    return batchTensors(b, this.config);
  }

  /** The train batch of the current iteration; shared by a separate 'arch' and the following 'weights' step. */
  private trainBatch(): Batch {
    return (this.pendingTrain ??= this.data.nextWeightBatch(this.config.batchSize));
  }

  /** α gradient for the current weights (not applied). Exposed for tests and the edge inspector. */
  archGradient(train: TensorBatch, val: TensorBatch, order = this.config.order, eta = this.lr): LossGrads {
    if (order === 1) return archGradFirstOrder(this.model, val);
    return archGradSecondOrder(this.model, train, val, {
      eta,
      momentum: this.config.momentum,
      weightDecay: this.config.weightDecay,
      momentumBuffers: this.sgd.buffers,
    });
  }

  /** Spec §3.3 step 3: one Adam step on both α tensors. The state is untouched if it diverges. */
  async archStep(): Promise<{ valLoss: number; valAcc: number }> {
    await this.usePhase('arch');
    // The train batch enters the α gradient only in the second-order step (spec §3.5).
    const train = this.config.order === 2 ? this.tensors(this.trainBatch()) : null;
    const valBatch = this.data.randomArchBatch(this.config.batchSize);
    this.lastVal = valBatch;
    const val = this.tensors(valBatch);
    let r: LossGrads | undefined;
    try {
      r = train ? this.archGradient(train, val) : archGradFirstOrder(this.model, val);
      const gn = globalNorm(r.grads);
      const [loss, acc, norm] = await readScalars([r.loss, r.acc, gn]);
      gn.dispose();
      if (!Number.isFinite(loss) || !Number.isFinite(norm)) {
        this.pendingTrain = null;
        throw new DivergenceError('arch', Number.isFinite(loss) ? norm : loss);
      }
      this.adam.apply(this.model.alphas, r.grads);
      tf.dispose(this.lastArch ?? []);
      this.lastArch = r.grads.map((g) => tf.keep(g.clone()));
      this.archStepCount++;
      return { valLoss: loss, valAcc: acc };
    } finally {
      if (r) tf.dispose([r.loss, r.acc, ...r.grads]);
      tf.dispose([val.x, val.y, ...(train ? [train.x, train.y] : [])]);
      this.usePhaseSync('eval');
    }
  }

  /**
   * Spec §3.3 step 4: gradient of L_train on the same train batch with the updated α, clipped to
   * global norm `gradClip`, then momentum SGD with weight decay added after clipping.
   */
  async weightStep(): Promise<{ trainLoss: number; trainAcc: number }> {
    const batch = this.trainBatch();
    await this.usePhase('weights');
    const train = this.tensors(batch);
    let r: LossGrads | undefined;
    let coef: tf.Scalar | undefined;
    try {
      r = lossAndGrads(this.model, train, this.model.weights, true);
      const norm = globalNorm(r.grads);
      const [loss, acc, n] = await readScalars([r.loss, r.acc, norm]);
      if (!Number.isFinite(loss) || !Number.isFinite(n)) {
        norm.dispose();
        this.model.discardStats();
        this.pendingTrain = null; // skip the offending batch rather than retrying it forever
        throw new DivergenceError('weights', Number.isFinite(loss) ? n : loss);
      }
      this.model.commitStats(batch.n);
      // clip_grad_norm_: coefficient max_norm / (‖g‖ + 1e-6), applied only when below 1.
      coef = tf.tidy(() => tf.minimum(1, tf.div(this.config.gradClip, tf.add(norm, 1e-6))) as tf.Scalar);
      norm.dispose();
      this.sgd.apply(this.model.weights, r.grads, this.lr, coef);
      this.pendingTrain = null;
      this.steps++;
      return { trainLoss: loss, trainAcc: acc };
    } finally {
      this.model.discardStats(); // no-op after a commit; drops the statistics of a failed step
      if (r) tf.dispose([r.loss, r.acc, ...r.grads]);
      tf.dispose([train.x, train.y, ...(coef ? [coef] : [])]);
      this.usePhaseSync('eval');
    }
  }

  /**
   * Set the model's mixing for the next passes of a phase (engine/methods.ts, spec §6): DARTS'
   * softmax, PC-DARTS' β-normalised partial channels, DARTS-' auxiliary skip, FairDARTS' sigmoid
   * and zero-one loss (α step), SDARTS-RS' perturbed weights (w step), GDAS' Gumbel samples.
   * Streams of random draws are keyed by the step, so a resumed run draws the same ones.
   */
  private async usePhase(phase: 'arch' | 'weights'): Promise<void> {
    const c = this.config;
    const sched = methodSchedule(c, this.epoch);
    const m = this.model;
    if (c.method === 'sdarts-rs' && phase === 'weights') {
      const a = await this.alphas();
      const rng = new Rng(c.seed, `sdarts-rs:${this.steps}`);
      const k = c.ops.length;
      const shape = m.alphaNormal.shape as [number, number];
      m.mixFn = constantMix(perturbedSoftmax(a.softmaxNormal, k, sched.eps!, rng), perturbedSoftmax(a.softmaxReduce, k, sched.eps!, rng), shape);
      return;
    }
    if (c.method === 'gdas') {
      const [an, ar] = (await Promise.all([m.alphaNormal.data(), m.alphaReduce.data()])) as Float32Array[];
      const draw = drawGumbel([an, ar], c.ops.length, new Rng(c.seed, `gdas:${phase}:${this.steps}:${this.archStepCount}`));
      m.select = draw.select;
      m.mixFn = gumbelMix(draw, sched.tau!, c.ops.length);
      return;
    }
    this.usePhaseSync(phase);
  }

  /** The deterministic mixing of a phase ('eval': what evaluations and diagnostics see). */
  private usePhaseSync(phase: 'arch' | 'weights' | 'eval'): void {
    const c = this.config;
    const m = this.model;
    m.select = null;
    m.extraLoss = null;
    switch (c.method) {
      case 'pc-darts':
        m.mixFn = pcMix(c.steps);
        break;
      case 'darts-minus':
        m.mixFn = auxSkipMix(methodSchedule(c, this.epoch).beta!);
        break;
      case 'fair-darts':
        m.mixFn = sigmoidMix;
        if (phase === 'arch') m.extraLoss = zeroOneLoss(c.fairZeroOneWeight);
        break;
      default:
        // DARTS, SDARTS-RS outside its weight step, and GDAS' deterministic view (softmax(α)).
        m.mixFn = softmaxMix;
    }
  }

  /** One step of the given kind; 'both' is the reference iteration (α step, then w step). */
  async step(kind: StepKind = 'both'): Promise<StepResult> {
    const epoch = this.epoch;
    const lr = this.lr;
    const out: StepResult = { step: this.steps, epoch, lr };
    // PC-DARTS' code keeps α frozen for the first epochs (archWarmupEpochs).
    const arch = kind !== 'weights' && epoch >= this.config.archWarmupEpochs;
    const runArch = async () => {
      const t0 = now();
      Object.assign(out, await this.archStep());
      out.archMs = now() - t0;
    };
    // GDAS (AutoDL search loop) updates the weights first, then α; DARTS the other way round.
    const archFirst = this.config.method !== 'gdas';
    if (arch && archFirst) await runArch();
    if (kind !== 'arch') {
      const t0 = now();
      Object.assign(out, await this.weightStep());
      out.weightMs = now() - t0;
    }
    if (arch && !archFirst) await runArch();
    out.step = this.steps;
    out.epoch = this.epoch;
    return out;
  }

  /** The architecture batch of the last α step (plain arrays), for diagnostics; null before one. */
  get lastArchBatch(): Batch | null {
    return this.lastVal;
  }

  /** Batch arrays → tensors on the backend (the caller disposes x and y). */
  batchToTensors(b: Batch): TensorBatch {
    return this.tensors(b);
  }

  /**
   * ∇_α of the method's validation objective at the current weights and α, deterministic (no
   * sampling, no weight or statistics update): what the collapse diagnostics differentiate.
   * Returns [∂/∂α_normal, ∂/∂α_reduce] plus the loss; the caller disposes everything.
   */
  valGradAlpha(val: TensorBatch): LossGrads {
    return archGradFirstOrder(this.model, val);
  }

  /** Raw α and softmax(α), row-major [edges × ops], read asynchronously. */
  async alphas(): Promise<AlphaArrays> {
    const [sn, sr] = tf.tidy(() => [tf.softmax(this.model.alphaNormal), tf.softmax(this.model.alphaReduce)]);
    const [rawNormal, rawReduce, softmaxNormal, softmaxReduce] = (await Promise.all(
      [this.model.alphaNormal, this.model.alphaReduce, sn, sr].map((t) => t.data()),
    )) as Float32Array[];
    tf.dispose([sn, sr]);
    const m = this.model;
    const [betaNormal, betaReduce] = m.betaNormal && m.betaReduce ? ((await Promise.all([m.betaNormal.data(), m.betaReduce.data()])) as Float32Array[]) : [null, null];
    const own = this.config.method === 'pc-darts' || this.config.method === 'fair-darts';
    const rows = (raw: Float32Array, beta: Float32Array | null) => Float32Array.from(derivationRows(this.config, raw, beta).flat());
    return {
      rawNormal,
      rawReduce,
      softmaxNormal,
      softmaxReduce,
      betaNormal,
      betaReduce,
      deriveNormal: own ? rows(rawNormal, betaNormal) : null,
      deriveReduce: own ? rows(rawReduce, betaReduce) : null,
    };
  }

  /** The α gradient applied by the last α step (before Adam), or null. */
  async lastArchGrad(): Promise<{ normal: Float32Array; reduce: Float32Array } | null> {
    if (!this.lastArch) return null;
    const [normal, reduce] = (await Promise.all(this.lastArch.map((t) => t.data()))) as Float32Array[];
    return { normal, reduce };
  }

  /** Eval-mode (running BN statistics) loss and accuracy on a batch, like the reference infer(). */
  async evaluate(b: Batch): Promise<{ loss: number; acc: number }> {
    const t = this.tensors(b);
    const r = tf.tidy(() => this.model.loss(t, false, false));
    const [loss, acc] = await readScalars([r.loss, r.acc]);
    tf.dispose([t.x, t.y, r.loss, r.acc]);
    return { loss, acc };
  }

  async saveState(): Promise<EngineState> {
    const read = async (t: tf.Tensor) => (await t.data()) as Float32Array;
    const m = this.model;
    const L = m.net.layout;
    const [theta, rMean, rVar] = await Promise.all([read(m.theta), read(m.running[0].mean), read(m.running[0].variance)]);
    const buffers: EngineState['buffers'] = [];
    for (const bn of L.bns) {
      buffers.push({ name: `${bn.name}.running_mean`, shape: [bn.channels], data: rMean.slice(bn.offset, bn.offset + bn.channels) });
      buffers.push({ name: `${bn.name}.running_var`, shape: [bn.channels], data: rVar.slice(bn.offset, bn.offset + bn.channels) });
    }
    const momentum = this.sgd.buffers ? await read(this.sgd.buffers[0]) : null;
    return {
      config: this.config,
      step: this.steps,
      archSteps: this.archStepCount,
      weights: L.specs.map((s, i) => ({ name: s.name, shape: [...s.shape], data: m.specValues(theta, i) })),
      buffers,
      alphaNormal: await read(m.alphaNormal),
      alphaReduce: await read(m.alphaReduce),
      ...(m.betaNormal && m.betaReduce ? { betaNormal: await read(m.betaNormal), betaReduce: await read(m.betaReduce) } : {}),
      momentum: momentum ? L.specs.map((_, i) => m.specValues(momentum, i)) : [],
      adam: { t: this.adam.t, m: await Promise.all(this.adam.m.map(read)), v: await Promise.all(this.adam.v.map(read)) },
      rngState: this.data.getRngState?.() ?? [],
    };
  }

  dispose(): void {
    this.model.dispose();
    this.sgd.dispose();
    this.adam.dispose();
    tf.dispose(this.lastArch ?? []);
    this.lastArch = null;
  }
}

/** Read several scalars with one asynchronous download (no dataSync in the loop). */
export async function readScalars(ts: tf.Scalar[]): Promise<number[]> {
  const s = tf.stack(ts);
  const v = await s.data();
  s.dispose();
  return Array.from(v);
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());
