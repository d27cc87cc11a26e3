/**
 * The search loop of the worker, written against injected dependencies so that it runs (and is
 * tested) without tfjs: `search.worker.ts` wires it to the real engine and to `self.postMessage`.
 *
 * Concurrency model. Everything that touches the engine goes through one promise chain
 * (`enqueue`), so a step, a reset and a backend change never overlap. Flags that only steer the
 * loop (`play`, `pause`, `setSpeed`) act synchronously when their message arrives. Between two
 * steps the loop yields to the worker's message queue, so a Pause, Step or Reset is handled after
 * at most the step in progress.
 */
import type { SearchConfig } from '../core/config';
import { numEdges } from '../core/searchSpace';
import type { BackendName, DataSource, EngineState, StepKind, StepResult } from '../engine/types';
import { structuralChange } from './structural';
import { randomBaseline } from '../core/randomGenotype';
import { cellCounts, isParameterFree } from '../core/collapse';
import { deriveCell, rowsFromFlat, softmaxRows } from '../core/derive';
import {
  PROTOCOL_VERSION,
  type Command,
  type DataProgressReply,
  type DatasetCard,
  type DatasetSpec,
  type EvalOutcome,
  type EvalProgress,
  type EvalRequest,
  type LoadUserDataCmd,
  type MemoryStats,
  type UserDataReply,
  type ErrorKind,
  type Reply,
  type ReplyBody,
  type RunState,
  type StepPoint,
  type CollapseSnapshot,
  type EigenPoint,
} from './protocol';
import { decodeRunFile, encodeRunFile, type RunDataset, type RunFileContent, type RunHistory } from '../core/runFile';

/** At most this many snapshots per second while playing (the issue asks for 10–30). */
export const MAX_SNAPSHOTS_PER_SEC = 20;
const SNAPSHOT_INTERVAL_MS = 1000 / MAX_SNAPSHOTS_PER_SEC;
/** Smoothing of the steps/s readout (exponential moving average weight of the newest step). */
const RATE_SMOOTHING = 0.3;

/** The part of `DartsSearch` the loop uses. */
export interface EngineLike {
  readonly paramCount: number;
  /** The epoch the next step is in (absent in unit-test fakes). */
  readonly epoch?: number;
  step(kind: StepKind): Promise<StepResult>;
  alphas(): Promise<{
    rawNormal: Float32Array;
    rawReduce: Float32Array;
    softmaxNormal: Float32Array;
    softmaxReduce: Float32Array;
    /** The method's derivation rows where they are not softmax(α) (PC-DARTS, FairDARTS). */
    deriveNormal?: Float32Array | null;
    deriveReduce?: Float32Array | null;
  }>;
  saveState(): Promise<EngineState>;
  /** ∇_α of the last α step, or null before the first one. */
  lastArchGrad?(): Promise<{ normal: Float32Array; reduce: Float32Array } | null>;
  /**
   * λ_max of ∇²_α L_val on the last α batch (engine/diagnostics.ts, spec §7), or null before the
   * first α step. α is restored exactly; the run is otherwise untouched.
   */
  dominantEigenvalue?(): Promise<{ lambda: number; iterations: number; ms: number } | null>;
  dispose(): void;
}

/**
 * λ_max every this many steps while playing (0 = off). Measured on the lecture preset (wasm,
 * Node, a shared 2-core machine; `darts search --preset lecture --steps 200 --eigen-every 50
 * --eigen-iters 10`): a 10-iteration power iteration (20 α-gradient evaluations) took 1.3–2.5 s,
 * median 2.2 s, while a step took 349 ms (median), so every 100 steps costs ≈ 6 % of search time.
 */
export const DEFAULT_EIGEN_EVERY = 100;

export interface RunnerDeps {
  post(reply: Reply, transfer: Transferable[]): void;
  /**
   * Load (download once, generate, or take the user's parsed files) and split the dataset for a
   * config; progress goes to `onProgress`. Rejects with a message for the user.
   */
  createData(config: SearchConfig, dataset: DatasetSpec, onProgress: (p: DataProgress) => void): Promise<{ source: DataSource; card: DatasetCard }>;
  /** Parse the user's files; never touches the current run. */
  loadUserData(cmd: LoadUserDataCmd, onProgress: (p: DataProgress) => void): Promise<Omit<UserDataReply, 'type' | 'v' | 'runId' | 'requestId'>>;
  /** Train one genotype from scratch on the run's dataset (spec §4.4). */
  evaluate(req: EvalJob, config: SearchConfig, dataset: DatasetSpec, hooks: EvalHooks): Promise<EvalOutcome>;
  createEngine(config: SearchConfig, data: DataSource): EngineLike;
  engineFromState(state: EngineState, data: DataSource): EngineLike;
  /** Probe (or honour the override) and activate a backend. */
  /**
   * Where the autosave goes (IndexedDB in the worker, src/worker/autosave.ts); absent = no
   * autosave. A rejected write is reported once and never stops the run.
   */
  autosave?: { write(record: { bytes: ArrayBuffer; step: number; savedAt: string; label: string }): Promise<void>; errorText(e: unknown): string };
  /** tfjs memory right now, sent with each snapshot (absent in unit tests that do not care). */
  memory?(): MemoryStats;
  initBackend(override?: BackendName, onStatus?: (message: string) => void): Promise<{ backend: BackendName; fallbackReasons: string[] }>;
  /** Activate exactly this backend or throw with a reason. */
  switchBackend(name: BackendName): Promise<void>;
  now(): number;
  /** Resolve after the worker had a chance to handle queued messages. */
  yieldToQueue(): Promise<void>;
  sleep(ms: number): Promise<void>;
}

export type DataProgress = Omit<DataProgressReply, 'type' | 'v' | 'runId'>;

/** One network to train: the request's sizes with a single genotype. */
export type EvalJob = Omit<EvalRequest, 'randomK' | 'label'>;
export interface EvalHooks {
  onStep(p: EvalProgress): void;
  shouldStop(): boolean;
  yieldToQueue(): Promise<void>;
}

/** At most this many evaluation progress messages per second. */
const EVAL_PROGRESS_INTERVAL_MS = 150;

interface Metrics {
  trainLoss?: number;
  trainAcc?: number;
  valLoss?: number;
  valAcc?: number;
}

export class SearchRunner {
  private runId = 0;
  private chain: Promise<void> = Promise.resolve();
  private engine: EngineLike | null = null;
  private data: DataSource | null = null;
  private config: SearchConfig | null = null;
  private dataset: DatasetSpec = { name: 'synthetic' };
  private backend: BackendName | null = null;
  private fallbackReasons: string[] = [];

  private running = false;
  private state: RunState = 'idle';
  /** The evaluation in progress (its request id) and whether it was asked to stop. */
  private evalRequestId: number | null = null;
  private evalCancel = false;
  private tickScheduled = false;
  private stepsPerSecondCap = 0;

  private step = 0;
  private archStep = 0;
  private epoch = 0;
  private lr = 0;
  private metrics: Metrics = {};
  private points: StepPoint[] = [];
  private lastSnapshotAt = -Infinity;
  private lastAutosaveAt = -Infinity;
  private autosaving = false;
  /** Set after a failed autosave: reported once, and no more tries this session. */
  private autosaveOff = false;
  /** Per-step metrics since the run began, for run files and the autosave. */
  private history: RunHistory = emptyRunHistory();
  private lastStepDoneAt = -Infinity;
  private lastStepStartAt = -Infinity;
  private rate = 0;
  /** λ_max every this many steps while playing; 0 = only when asked (measureEigen). */
  private eigenEvery = DEFAULT_EIGEN_EVERY;
  private eigenPoints: EigenPoint[] = [];

  constructor(private readonly deps: RunnerDeps) {}

  /** Entry point for every message from the main thread. */
  handle(cmd: Command): void {
    if (cmd.v !== PROTOCOL_VERSION) {
      this.reply({
        type: 'error',
        kind: 'exception',
        message: `The page and the search worker disagree on the protocol version (${cmd.v} vs ${PROTOCOL_VERSION}).`,
        hint: 'Reload the page.',
      });
      return;
    }
    if (cmd.type === 'loadUserData') {
      // Not tied to a run: parsing never touches the current search.
      void this.loadUserData(cmd);
      return;
    }
    if (cmd.type === 'crashForTest') {
      setTimeout(() => {
        throw new Error('a crash asked for by a test');
      }, 0);
      return;
    }
    if (cmd.type === 'cancelEvaluate') {
      if (this.evalRequestId === cmd.requestId) this.evalCancel = true;
      return;
    }
    if (cmd.type === 'configure' || cmd.type === 'reset' || cmd.type === 'openRun') {
      // A new run: from now on, everything we post carries its id.
      this.runId = cmd.runId;
      this.running = false;
    } else if (cmd.runId !== this.runId) {
      return; // a command aimed at a run that no longer exists
    }
    switch (cmd.type) {
      case 'configure':
        this.enqueue(() => this.configure(cmd.config, cmd.dataset, cmd.backend));
        break;
      case 'reset':
        this.enqueue(() => this.reset(cmd.newSeed ? cmd.seed : undefined));
        break;
      case 'play':
        if (!this.running) {
          this.running = true;
          this.rate = 0;
          this.lastStepDoneAt = -Infinity;
          this.scheduleTick();
        }
        break;
      case 'pause':
        this.running = false;
        // Runs after the step in progress, so the paused view shows the final state.
        this.enqueue(async () => {
          if (this.engine && this.state === 'running') this.state = 'paused';
          await this.snapshot();
          await this.autosave();
        });
        break;
      case 'step':
        this.running = false;
        this.enqueue(() => this.doStep(cmd.kind, true));
        break;
      case 'setSpeed':
        this.stepsPerSecondCap = Math.max(0, cmd.stepsPerSecond);
        break;
      case 'setDiagnostics':
        this.eigenEvery = Math.max(0, Math.floor(cmd.eigenEvery) || 0);
        break;
      case 'measureEigen':
        this.enqueue(async () => {
          await this.measureEigen();
          await this.snapshot();
        });
        break;
      case 'setBackend':
        this.enqueue(() => this.moveToBackend(cmd.backend));
        break;
      case 'updateHyper':
        this.enqueue(() => this.updateHyper(cmd.config));
        break;
      case 'export':
        this.enqueue(() => this.exportNow(cmd.requestId));
        break;
      case 'saveRun':
        this.enqueue(() => this.saveRun(cmd.requestId, cmd.history));
        break;
      case 'openRun':
        this.running = false;
        this.enqueue(() => this.openRun(cmd.bytes));
        break;
      case 'evaluate':
        this.running = false; // the search pauses while the cell trains
        this.evalRequestId = cmd.requestId;
        this.evalCancel = false;
        this.enqueue(() => this.evaluate(cmd.requestId, cmd.request));
        break;
    }
  }

  // ------------------------------------------------------------------ run lifecycle

  private async configure(config: SearchConfig, dataset: DatasetSpec, override?: BackendName): Promise<void> {
    if (this.backend === null || (override !== undefined && override !== this.backend)) {
      this.disposeEngine();
      this.status(override ? `Starting the ${override} backend…` : 'Choosing a backend (webgpu → webgl → wasm → cpu)…');
      try {
        const r = await this.deps.initBackend(override, (m) => this.status(m));
        this.backend = r.backend;
        this.fallbackReasons = r.fallbackReasons;
      } catch (e) {
        this.fail('backend', `No tfjs backend could start: ${errText(e)}.`, 'Try another browser, or reload with ?backend=cpu.');
        return;
      }
    }
    // Load the data first: if that fails, the current run (if any) is kept as it was.
    const data = await this.loadData(config, dataset);
    if (!data) return;
    this.disposeEngine();
    this.config = config;
    this.dataset = dataset;
    await this.build(config, data);
  }

  /** The dataset for a config, with progress and the dataset card; null (and an error) on failure. */
  private async loadData(config: SearchConfig, dataset: DatasetSpec): Promise<DataSource | null> {
    try {
      const { source, card } = await this.deps.createData(config, dataset, (p) => this.reply({ type: 'dataProgress', ...p }));
      this.reply({ type: 'dataset', card });
      return source;
    } catch (e) {
      const keeps = this.engine !== null;
      this.fail(
        'data',
        `The ${datasetLabel(dataset)} dataset could not be loaded: ${errText(e)}.`,
        keeps ? 'The current run is kept as it was. Check the connection and try again, or pick another dataset.' : 'Check the connection and reload, or pick the synthetic dataset.',
        !keeps,
      );
      if (keeps) this.postReady(); // the views go back to the run that is still there
      return null;
    }
  }

  private async reset(seed?: number): Promise<void> {
    if (!this.config) return;
    const config = seed === undefined ? this.config : { ...this.config, seed };
    // The seed also orders the data (spec §3.2), so the dataset is re-split for it.
    const data = await this.loadData(config, this.dataset);
    if (!data) return;
    this.disposeEngine();
    this.config = config;
    await this.build(config, data);
  }

  private async build(config: SearchConfig, data: DataSource): Promise<void> {
    this.status('Building the supernet…');
    this.history = emptyRunHistory();
    this.step = 0;
    this.archStep = 0;
    this.epoch = 0;
    this.lr = config.lr;
    this.metrics = {};
    this.points = [];
    this.eigenPoints = [];
    this.rate = 0;
    try {
      this.data = data;
      this.engine = this.deps.createEngine(config, this.data);
    } catch (e) {
      this.engine = null;
      this.fail('config', `The supernet could not be built: ${errText(e)}.`, memoryHint(e) ?? 'Choose a smaller configuration (fewer layers, channels or nodes) and reset.');
      return;
    }
    this.state = 'idle';
    this.postReady();
    await this.snapshot();
  }

  // ------------------------------------------------------------------ run files (issue 11 item 2)

  private async saveRun(requestId: number, history?: RunHistory): Promise<void> {
    if (!this.engine || !this.config) {
      this.fail('exception', 'There is no run to save yet.', 'Wait until the supernet is built.', false);
      return;
    }
    const state = await this.engine.saveState();
    const bytes = encodeRunFile({ state, dataset: this.dataset, savedAt: new Date().toISOString(), ...(history ? { history } : {}) });
    this.reply({ type: 'runFile', requestId, bytes: bytes.buffer as ArrayBuffer, step: this.step }, [bytes.buffer]);
  }

  private async openRun(buffer: ArrayBuffer): Promise<void> {
    const keeps = this.engine !== null;
    const kept = keeps ? 'The current run is kept as it was.' : '';
    let opened: RunFileContent;
    try {
      opened = decodeRunFile(new Uint8Array(buffer));
    } catch (e) {
      this.fail('data', errText(e), `${kept} Open a file saved with "Save run" (or darts search --save).`.trim(), !keeps);
      if (keeps) this.postReady();
      return;
    }
    const dataset = datasetSpecOf(opened.dataset);
    if (!dataset) {
      this.fail('data', `The run searched on "${opened.dataset.name}", which this playground cannot load by itself.`, `${kept} Only runs on the built-in datasets and teaching tasks can be reopened.`.trim(), !keeps);
      if (keeps) this.postReady();
      return;
    }
    const { config } = opened.state;
    this.status(`Opening the run saved at step ${opened.state.step}…`);
    const data = await this.loadData(config, dataset);
    if (!data) return;
    let engine: EngineLike;
    try {
      engine = this.deps.engineFromState(opened.state, data);
    } catch (e) {
      this.fail('data', `The run file could not be opened: ${errText(e)}.`, `${kept} Open a file saved by this version of the playground.`.trim(), !keeps);
      if (keeps) this.postReady();
      return;
    }
    this.disposeEngine();
    this.engine = engine;
    this.config = config;
    this.dataset = dataset;
    this.data = data;
    this.step = opened.state.step;
    this.archStep = opened.state.archSteps;
    this.history = opened.history ?? emptyRunHistory();
    this.epoch = engine.epoch ?? 0;
    this.lr = config.lr;
    this.metrics = {};
    this.points = [];
    this.eigenPoints = [];
    this.rate = 0;
    this.state = 'idle';
    this.reply({ type: 'runOpened', step: this.step, savedAt: opened.savedAt, config, dataset, ...(opened.history ? { history: opened.history } : {}) });
    this.postReady();
    await this.snapshot();
  }

  private async moveToBackend(name: BackendName): Promise<void> {
    if (name === this.backend) return;
    const wasRunning = this.running;
    this.running = false;
    const from = this.backend;
    this.status(`Moving the run to ${name}…`);
    const saved = this.engine ? await this.engine.saveState() : null;
    this.disposeEngine();
    try {
      await this.deps.switchBackend(name);
      this.backend = name;
      this.fallbackReasons = [];
    } catch (e) {
      // Put the run back where it was: the user keeps the search, only the move failed.
      if (from) await this.deps.switchBackend(from).catch(() => undefined);
      this.restore(saved);
      this.fail('backend', `The ${name} backend could not start here: ${errText(e)}.`, `The run stays on ${from ?? 'its backend'}; pick another backend.`);
      return;
    }
    this.restore(saved);
    this.postReady();
    if (wasRunning && this.engine) {
      this.running = true;
      this.scheduleTick();
    }
    await this.snapshot();
  }

  private restore(saved: EngineState | null): void {
    if (saved && this.data) this.engine = this.deps.engineFromState(saved, this.data);
  }

  private async updateHyper(config: SearchConfig): Promise<void> {
    if (!this.config || !this.engine || !this.data) return;
    if (structuralChange(this.config, config)) {
      this.fail('config', 'That change alters the supernet or its data, so it needs a reset.', 'Use Reset (or confirm the change) to apply it.');
      return;
    }
    const state = await this.engine.saveState();
    this.engine.dispose();
    state.config = config;
    this.config = config;
    this.engine = this.deps.engineFromState(state, this.data);
    this.postReady();
  }

  private disposeEngine(): void {
    this.engine?.dispose();
    this.engine = null;
  }

  // ------------------------------------------------------------------ stepping

  private enqueue(fn: () => Promise<void>): Promise<void> {
    const next = this.chain.then(fn).catch((e: unknown) => {
      this.fail('exception', `The search worker hit an error: ${errText(e)}.`, 'The run is paused. Reset it, or reload the page if it keeps happening.');
    });
    this.chain = next;
    return next;
  }

  private scheduleTick(): void {
    if (this.tickScheduled) return;
    this.tickScheduled = true;
    void this.deps.yieldToQueue().then(() => this.tick());
  }

  private async tick(): Promise<void> {
    if (!this.running) {
      this.tickScheduled = false;
      return;
    }
    if (this.stepsPerSecondCap > 0) {
      const wait = this.lastStepStartAt + 1000 / this.stepsPerSecondCap - this.deps.now();
      if (wait > 1) {
        await this.deps.sleep(wait);
        if (!this.running) {
          this.tickScheduled = false;
          return;
        }
      }
    }
    await this.enqueue(async () => {
      if (!this.running) return;
      if (!this.engine) {
        this.running = false; // nothing to run (the build failed)
        return;
      }
      this.state = 'running';
      await this.doStep('both', false);
    });
    this.tickScheduled = false;
    if (this.running) this.scheduleTick();
  }

  private async doStep(kind: StepKind, manual: boolean): Promise<void> {
    const engine = this.engine;
    if (!engine) return;
    const t0 = this.deps.now();
    this.lastStepStartAt = t0;
    let r: StepResult;
    try {
      r = await engine.step(kind);
    } catch (e) {
      this.running = false;
      if (isDivergence(e)) {
        const phase = e.phase === 'arch' ? 'architecture (α)' : 'weight';
        this.fail(
          'divergence',
          `The ${phase} step diverged: the loss became ${e.value}. The run is paused with its last good state.`,
          `Lower the ${e.phase === 'arch' ? 'α learning rate' : 'learning rate'} or the batch size, or reset with a new seed.`,
        );
      } else {
        this.fail(
          'exception',
          `A ${kind} step failed on ${this.backend ?? 'the backend'}: ${errText(e)}.`,
          memoryHint(e) ?? 'The run is paused. Try the step again, switch to the wasm or cpu backend, or reset.',
        );
      }
      await this.snapshot();
      return;
    }
    const t1 = this.deps.now();
    if (kind !== 'weights') this.archStep += 1;
    this.step = r.step;
    this.epoch = r.epoch;
    this.lr = r.lr;
    const m: Metrics = {};
    if (r.trainLoss !== undefined) m.trainLoss = r.trainLoss;
    if (r.trainAcc !== undefined) m.trainAcc = r.trainAcc;
    if (r.valLoss !== undefined) m.valLoss = r.valLoss;
    if (r.valAcc !== undefined) m.valAcc = r.valAcc;
    this.metrics = { ...this.metrics, ...m };
    this.points.push({ step: r.step, archStep: this.archStep, epoch: r.epoch, kind, ...m });
    this.recordHistory(r.step, m);

    if (manual) {
      this.rate = 1000 / Math.max(1, t1 - t0);
      this.state = 'paused';
    } else {
      // While playing, the rate is measured between step completions (it includes the speed cap).
      const dt = Number.isFinite(this.lastStepDoneAt) ? t1 - this.lastStepDoneAt : t1 - t0;
      const inst = 1000 / Math.max(1, dt);
      this.rate = this.rate === 0 ? inst : this.rate + RATE_SMOOTHING * (inst - this.rate);
    }
    this.lastStepDoneAt = t1;
    // Collapse diagnostics between steps while playing (the UI stays responsive: this is the worker).
    if (!manual && this.running && kind === 'both' && this.eigenEvery > 0 && r.step % this.eigenEvery === 0) await this.measureEigen();

    if (manual || !this.running || t1 - this.lastSnapshotAt >= SNAPSHOT_INTERVAL_MS) await this.snapshot();
    // Every few seconds while playing; after each step taken by hand (they come at human pace).
    if (manual || (this.running && t1 - this.lastAutosaveAt >= AUTOSAVE_EVERY_MS)) await this.autosave();
  }

  /** The chart history the run file keeps (one entry per step; an α-only step merges into it). */
  private recordHistory(step: number, m: Metrics): void {
    const h = this.history;
    const n = h.step.length;
    const i = n > 0 && h.step[n - 1] === step ? n - 1 : n;
    if (i === n) {
      h.step.push(step);
      h.trainLoss.push(null);
      h.trainAcc.push(null);
      h.valLoss.push(null);
      h.valAcc.push(null);
    }
    if (m.trainLoss !== undefined) h.trainLoss[i] = m.trainLoss;
    if (m.trainAcc !== undefined) h.trainAcc[i] = m.trainAcc;
    if (m.valLoss !== undefined) h.valLoss[i] = m.valLoss;
    if (m.valAcc !== undefined) h.valAcc[i] = m.valAcc;
  }

  /**
   * Save the run to the autosave slot: the state is read between steps (a few ms), the encoding
   * and the IndexedDB write run while the next step computes. Never throws.
   */
  private async autosave(): Promise<void> {
    const sink = this.deps.autosave;
    // Step 0 is the seed's fresh run: nothing to lose, and saving it would replace a real run's save.
    if (!sink || !this.engine || !this.config || this.step === 0 || this.autosaveOff || this.autosaving) return;
    this.lastAutosaveAt = this.deps.now();
    this.autosaving = true;
    try {
      const state = await this.engine.saveState();
      const step = this.step;
      const history = { step: [...this.history.step], trainLoss: [...this.history.trainLoss], trainAcc: [...this.history.trainAcc], valLoss: [...this.history.valLoss], valAcc: [...this.history.valAcc] };
      const savedAt = new Date().toISOString();
      const label = this.dataset.name === 'task' ? this.dataset.id : this.dataset.name;
      void Promise.resolve()
        .then(() => encodeRunFile({ state, dataset: this.dataset, savedAt, history }))
        .then((bytes) => sink.write({ bytes: bytes.buffer as ArrayBuffer, step, savedAt, label }))
        .catch((e: unknown) => this.autosaveFailed(sink.errorText(e)))
        .finally(() => (this.autosaving = false));
    } catch (e) {
      this.autosaving = false;
      this.autosaveFailed(errText(e));
    }
  }

  private autosaveFailed(why: string): void {
    if (this.autosaveOff) return;
    this.autosaveOff = true; // once: a full disk does not empty itself between steps
    this.fail('exception', `Autosave is off: ${why}.`, 'The search goes on; use "Save run" to keep it as a file.', false);
  }

  // ------------------------------------------------------------------ evaluation and user data

  /**
   * "Train this cell" (spec §4.4): the requested genotype, then `randomK` random genotypes of the
   * same space trained identically (the paper's random baseline). The search stays paused.
   */
  private async evaluate(requestId: number, req: EvalRequest): Promise<void> {
    const config = this.config;
    if (!config || !this.engine) {
      this.reply({ type: 'evalDone', requestId, cancelled: false, error: 'There is no run yet: wait until the supernet is built.' });
      return;
    }
    if (this.state === 'running') this.state = 'paused';
    await this.snapshot();
    const { randomK, label, ...job } = req;
    const jobs = [
      { label, genotype: req.genotype },
      ...randomBaseline(req.genotype, randomK, config.ops, req.seed).map((genotype, k) => ({ label: `random ${k + 1}`, genotype })),
    ];
    let lastPost = -Infinity;
    try {
      for (let c = 0; c < jobs.length; c++) {
        const r = await this.deps.evaluate({ ...job, genotype: jobs[c].genotype }, config, this.dataset, {
          onStep: (p) => {
            const t = this.deps.now();
            if (t - lastPost < EVAL_PROGRESS_INTERVAL_MS && p.step < p.totalSteps) return;
            lastPost = t;
            this.reply({ type: 'evalProgress', requestId, candidate: c, candidates: jobs.length, ...p });
          },
          shouldStop: () => this.evalCancel,
          yieldToQueue: () => this.deps.yieldToQueue(),
        });
        this.reply({ type: 'evalResult', requestId, candidate: c, candidates: jobs.length, label: jobs[c].label, genotype: jobs[c].genotype, ...r });
      }
      this.reply({ type: 'evalDone', requestId, cancelled: false });
    } catch (e) {
      const cancelled = e instanceof Error && e.name === 'EvaluationCancelled';
      this.reply({ type: 'evalDone', requestId, cancelled, ...(cancelled ? {} : { error: evalErrorText(e) }) });
    } finally {
      this.evalRequestId = null;
      this.evalCancel = false;
    }
  }

  private async loadUserData(cmd: LoadUserDataCmd): Promise<void> {
    try {
      const r = await this.deps.loadUserData(cmd, (p) => this.reply({ type: 'dataProgress', ...p }));
      this.reply({ type: 'userData', requestId: cmd.requestId, ...r });
    } catch (e) {
      this.reply({ type: 'userData', requestId: cmd.requestId, card: null, problems: [], error: errText(e) });
    }
  }

  /** One λ_max measurement for the next snapshot; a failure is reported without pausing the run. */
  private async measureEigen(): Promise<void> {
    const engine = this.engine;
    if (!engine?.dominantEigenvalue) return;
    try {
      const e = await engine.dominantEigenvalue();
      if (e) this.eigenPoints.push({ step: this.step, lambda: e.lambda, iterations: e.iterations, ms: e.ms });
    } catch (err) {
      this.eigenEvery = 0; // once: it would fail again every K steps
      this.fail('exception', `The λ_max diagnostic failed: ${errText(err)}.`, 'The search goes on without it.', false);
    }
  }

  /** skip / parameter-free edge counts of the cells derived from raw α (core/collapse.ts). */
  private collapseOf(rowsNormal: Float32Array, rowsReduce: Float32Array): CollapseSnapshot | null {
    const c = this.config;
    if (!c) return null;
    try {
      const k = c.ops.length;
      // The pairs only (spec §4.1 `_parse`) of the rows the method ranks (softmax(α), or
      // core/methodDerive.ts's); the concat list does not matter for the counts.
      const cell = (rows: Float32Array) => cellCounts(deriveCell(rowsFromFlat(rows, k), c.ops, c.steps));
      const n = { normal: cell(rowsNormal), reduce: cell(rowsReduce) };
      return {
        edges: n.normal.edges,
        skipNormal: n.normal.skip,
        paramFreeNormal: n.normal.parameterFree,
        skipReduce: n.reduce.skip,
        paramFreeReduce: n.reduce.parameterFree,
        hasParametricOps: c.ops.some((o) => o !== 'none' && !isParameterFree(o)),
      };
    } catch {
      return null; // a diverged α (NaN) has no genotype
    }
  }

  // ------------------------------------------------------------------ replies

  private async snapshot(): Promise<void> {
    const engine = this.engine;
    if (!engine || !this.backend) return;
    const all = await engine.alphas();
    const a = ownCopies(alphaPart(all));
    const d = derivePart(all);
    const g = (await engine.lastArchGrad?.()) ?? null;
    const grad = g ? ownCopies({ archGradNormal: g.normal, archGradReduce: g.reduce }) : null;
    this.lastSnapshotAt = this.deps.now();
    const points = this.points;
    this.points = [];
    const eigen = this.eigenPoints;
    this.eigenPoints = [];
    const collapse = this.collapseOf(d?.deriveNormal ?? a.softmaxNormal, d?.deriveReduce ?? a.softmaxReduce);
    this.reply(
      {
        type: 'snapshot',
        state: this.running && this.state !== 'error' ? 'running' : this.state,
        backend: this.backend,
        step: this.step,
        archStep: this.archStep,
        epoch: this.epoch,
        lr: this.lr,
        ...this.metrics,
        stepsPerSec: this.rate,
        points,
        softmaxNormal: a.softmaxNormal,
        softmaxReduce: a.softmaxReduce,
        rawNormal: a.rawNormal,
        rawReduce: a.rawReduce,
        ...(d ?? {}),
        ...(grad ?? {}),
        ...(this.deps.memory ? { memory: this.deps.memory() } : {}),
        ...(collapse ? { collapse } : {}),
        ...(eigen.length ? { eigen } : {}),
      },
      [
        a.softmaxNormal.buffer,
        a.softmaxReduce.buffer,
        a.rawNormal.buffer,
        a.rawReduce.buffer,
        ...(d ? [d.deriveNormal.buffer, d.deriveReduce.buffer] : []),
        ...(grad ? [grad.archGradNormal.buffer, grad.archGradReduce.buffer] : []),
      ],
    );
  }

  private async exportNow(requestId: number): Promise<void> {
    const engine = this.engine;
    if (!engine || !this.backend || !this.config) {
      this.fail('exception', 'There is no run to export yet.', 'Wait until the supernet is built.', false);
      return;
    }
    const all = await engine.alphas();
    const a = ownCopies(alphaPart(all));
    const d = derivePart(all);
    this.reply(
      {
        type: 'exported',
        requestId,
        step: this.step,
        archStep: this.archStep,
        epoch: this.epoch,
        backend: this.backend,
        config: this.config,
        ...a,
        ...(d ?? {}),
      },
      [a.softmaxNormal.buffer, a.softmaxReduce.buffer, a.rawNormal.buffer, a.rawReduce.buffer, ...(d ? [d.deriveNormal.buffer, d.deriveReduce.buffer] : [])],
    );
  }

  private postReady(): void {
    if (!this.engine || !this.config || !this.backend) return;
    this.reply({
      type: 'ready',
      backend: this.backend,
      fallbackReasons: this.fallbackReasons,
      paramCount: this.engine.paramCount,
      alphaShape: { edges: numEdges(this.config.steps), ops: this.config.ops.length },
      config: this.config,
    });
  }

  private status(message: string): void {
    this.reply({ type: 'status', message });
  }

  private fail(kind: ErrorKind, message: string, hint: string, pause = true): void {
    if (pause) {
      this.running = false;
      this.state = 'error';
    }
    this.reply({ type: 'error', kind, message, hint });
  }

  private reply(body: ReplyBody, transfer: Transferable[] = []): void {
    this.deps.post({ ...body, v: PROTOCOL_VERSION, runId: this.runId } as Reply, transfer);
  }
}

/**
 * Copies of the α arrays that we may transfer. On the cpu backend `data()` can hand back a
 * tensor's own storage; transferring that would detach the engine's α.
 */
type EngineAlphas = Awaited<ReturnType<EngineLike['alphas']>>;

/** The four α matrices every method has. */
function alphaPart(a: EngineAlphas) {
  return { rawNormal: a.rawNormal, rawReduce: a.rawReduce, softmaxNormal: a.softmaxNormal, softmaxReduce: a.softmaxReduce };
}

/** Own copies of the method's derivation rows, or null where they are softmax(α). */
function derivePart(a: EngineAlphas): { deriveNormal: Float32Array; deriveReduce: Float32Array } | null {
  return a.deriveNormal && a.deriveReduce ? ownCopies({ deriveNormal: a.deriveNormal, deriveReduce: a.deriveReduce }) : null;
}

function ownCopies<T extends Record<string, Float32Array>>(a: T): T {
  const out = {} as Record<string, Float32Array>;
  for (const [k, v] of Object.entries(a)) out[k] = Float32Array.from(v);
  return out as T;
}

function errText(e: unknown): string {
  const s = e instanceof Error ? e.message : String(e);
  return s.replace(/[.\s]+$/, '');
}

function isDivergence(e: unknown): e is { phase: 'arch' | 'weights'; value: number } {
  return e instanceof Error && e.name === 'DivergenceError' && 'phase' in e && 'value' in e;
}

/** The worker's dataset for a run file's entry, or null for one it cannot load (user uploads). */
const emptyRunHistory = (): RunHistory => ({ step: [], trainLoss: [], trainAcc: [], valLoss: [], valAcc: [] });

/** Milliseconds between autosaves while searching (and one on every pause). */
export const AUTOSAVE_EVERY_MS = 5000;

function datasetSpecOf(d: RunDataset): DatasetSpec | null {
  const augment = d.augment === true ? { augment: true } : {};
  if (d.name === 'synthetic') return { name: 'synthetic' };
  if (d.name === 'mnist' || d.name === 'fashion-mnist') return { name: d.name, ...augment };
  if (d.name === 'task' && typeof d.id === 'string') return { name: 'task', id: d.id, ...augment };
  return null;
}

function datasetLabel(d: DatasetSpec): string {
  return d.name === 'task' ? d.id : d.name;
}

function evalErrorText(e: unknown): string {
  if (isDivergence(e)) return `training diverged (the loss became ${e.value}); lower the learning rate or the batch size`;
  return memoryHint(e) ?? `${errText(e)}.`;
}

function memoryHint(e: unknown): string | undefined {
  const s = errText(e).toLowerCase();
  if (s.includes('memory') || s.includes('allocation') || s.includes('out of bounds')) {
    return 'The backend ran out of memory: lower the batch size, C, layers or nodes, then reset.';
  }
  return undefined;
}
