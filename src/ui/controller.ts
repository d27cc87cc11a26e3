/**
 * The app's single command surface: every button, shortcut and form goes through these methods,
 * which talk to the worker (client.ts) and route its replies into the stores.
 */
import type { SearchConfig } from '../core/config';
import type { BackendName, StepKind } from '../engine/types';
import { SearchClient } from '../worker/client';
import type { DatasetSpec, EvalRequest, ExportedReply, LoadUserDataCmd, Reply } from '../worker/protocol';
import { data, evaluation } from './dataStores';
import { dataProgressText } from './format';
import { decodeRunFile } from '../core/runFile';
import { readAutosave, type AutosaveRecord } from '../worker/autosave';
import { structuralChange } from '../worker/structural';
import { goLive } from './replay';
import { live, run, settings, type QueuedCommand } from './store';

/** Steps remembered while the worker starts; more presses than this are ignored (and the button says so). */
export const MAX_QUEUED_STEPS = 20;

export class Controller {
  private readonly client: SearchClient;
  private dataset: DatasetSpec = { name: 'synthetic' };
  private config: SearchConfig;

  constructor(config: SearchConfig, client?: SearchClient) {
    this.config = config;
    this.client = client ?? new SearchClient((r) => this.onReply(r), undefined, undefined, (what) => void this.recover(what));
    // The run state follows the snapshot that is on screen (applied on rAF), so a test or a user
    // who sees data-state="paused" also sees the final data-step and weights.
    live.subscribe(() => {
      const snap = live.latest(); // the live run's, even while a replay or the history slider holds the view
      const r = run.get();
      if (snap && snap.runId === this.client.currentRunId && (r.state !== snap.state || r.backend !== snap.backend)) {
        if (r.error && snap.state !== 'running') return; // keep showing the error until the user acts
        run.set({ ...r, state: snap.state, backend: snap.backend });
      }
    });
  }

  /** The configuration the current run was built with (or is being built with). */
  get currentConfig(): SearchConfig {
    return this.config;
  }

  start(backend?: BackendName, autoplay = false): void {
    this.newRun('Starting the search worker…');
    if (autoplay) this.enqueue('play');
    this.client.configure(this.config, this.dataset, backend);
    this.client.setSpeed(settings.get().speed);
  }

  play(): void {
    goLive();
    // Before the supernet is built (the first seconds after load, a reset): wait, visibly.
    if (!run.get().ready) return this.enqueue('play');
    this.clearError();
    run.set((r) => (r.ready ? { ...r, state: 'running' } : r));
    this.client.play();
  }

  pause(): void {
    // A Play still waiting for the worker is withdrawn; a running search pauses.
    if (run.get().queued.length) run.set((r) => ({ ...r, queued: [] }));
    this.client.pause();
  }

  step(kind: StepKind): void {
    goLive();
    if (!run.get().ready) return this.enqueue(kind);
    this.clearError();
    this.client.step(kind);
  }

  /** Remember a command given before the run is ready (at most 20 steps; one Play). */
  private enqueue(c: QueuedCommand): void {
    run.set((r) => {
      if (c === 'play' && r.queued.includes('play')) return r;
      if (c !== 'play' && r.queued.filter((q) => q !== 'play').length >= MAX_QUEUED_STEPS) return r;
      return { ...r, queued: [...r.queued, c] };
    });
  }

  /** The supernet is ready: run what was asked for meanwhile, in order. */
  private flushQueue(): void {
    const q = run.get().queued;
    if (!q.length) return;
    run.set((r) => ({ ...r, queued: [] }));
    for (const c of q) {
      if (c === 'play') this.play();
      else this.step(c);
    }
  }

  /** Rebuild the supernet: same seed reproduces the run exactly; a new seed shows the variance. */
  reset(newSeed: boolean): void {
    let seed: number | undefined;
    if (newSeed) {
      seed = drawSeed(this.config.seed);
      this.config = { ...this.config, seed };
    }
    this.newRun('Resetting…');
    this.client.reset(newSeed, seed);
  }

  setSpeed(stepsPerSecond: number): void {
    settings.set((s) => ({ ...s, speed: stepsPerSecond }));
    this.client.setSpeed(stepsPerSecond);
  }

  setBackend(backend: BackendName): void {
    if (backend === run.get().backend) return;
    this.clearError();
    run.set((r) => ({ ...r, status: `Moving the run to ${backend}…` }));
    this.client.setBackend(backend);
  }

  /** Does applying `next` need a reset (and so a confirmation)? */
  needsReset(next: SearchConfig): boolean {
    return structuralChange(this.config, next);
  }

  /** Apply a validated configuration: live for optimiser settings, a rebuild for structural ones. */
  applyConfig(next: SearchConfig): void {
    if (this.needsReset(next)) {
      this.config = next;
      this.newRun('Building the new supernet…');
      this.client.configure(next, this.dataset);
    } else {
      this.config = next;
      this.client.updateHyper(next);
    }
  }

  /** The dataset the next run uses (set before `start`, e.g. from the URL or the preset). */
  setInitialDataset(spec: DatasetSpec): void {
    this.dataset = spec;
    data.set((d) => ({ ...d, spec }));
  }

  /**
   * Switch the run to another dataset with the config adapted to it (classes, channels): a new
   * run. If loading fails the worker keeps the current run and says why.
   */
  setDataset(spec: DatasetSpec, config: SearchConfig): void {
    this.dataset = spec;
    this.config = config;
    data.set((d) => ({ ...d, spec, progress: null }));
    this.newRun(`Loading ${spec.name === 'task' ? spec.id : spec.name}…`);
    this.client.configure(config, spec);
  }

  /** Parse the user's files in the worker; the current run keeps going. */
  async loadUserFiles(kind: LoadUserDataCmd['kind'], files: { name: string; bytes: ArrayBuffer }[], target: LoadUserDataCmd['target']): Promise<void> {
    data.set((d) => ({ ...d, uploading: true, uploadError: null, uploadProblems: [] }));
    const r = await this.client.loadUserData(kind, files, target);
    data.set((d) => ({
      ...d,
      uploading: false,
      progress: null,
      upload: r.card ?? d.upload,
      uploadProblems: r.problems,
      uploadError: r.error ?? null,
    }));
  }

  /** "Train this cell" (spec §4.4); the search pauses while it runs. */
  evaluate(request: EvalRequest): void {
    const requestId = this.client.evaluate(request);
    evaluation.set(() => ({
      requestId,
      request,
      running: true,
      progress: null,
      curve: [],
      results: [],
      error: null,
      cancelled: false,
      startedAt: Date.now(),
      finishedMs: null,
    }));
  }

  cancelEvaluate(): void {
    const id = evaluation.get().requestId;
    if (id !== null && evaluation.get().running) this.client.cancelEvaluate(id);
  }

  /** The exact current α and step, read by the worker after the step in progress. */
  exportState(): Promise<ExportedReply> {
    return this.client.exportState();
  }

  /** The whole run as a run file, with the chart history. */
  async saveRun(): Promise<{ bytes: ArrayBuffer; step: number }> {
    const r = await this.client.saveRun(live.runHistory());
    return { bytes: r.bytes, step: r.step };
  }

  /**
   * Replace the run with a run file's. The file is checked here first, whole: one that fails is
   * refused with the reason and the current run goes on untouched.
   * @returns null when the run is being opened, else why the file cannot be used
   */
  openRun(bytes: ArrayBuffer): string | null {
    let step: number;
    try {
      step = decodeRunFile(new Uint8Array(bytes)).state.step;
    } catch (e) {
      return e instanceof Error ? e.message : String(e);
    }
    this.newRun(`Opening the run saved at step ${step}…`);
    this.client.openRun(bytes);
    return null;
  }

  dispose(): void {
    this.client.dispose();
  }

  /** For the crash-recovery e2e test (window.__dartsTest in main.tsx): the worker throws outside a step. */
  crashWorkerForTest(): void {
    this.client.crashForTest();
  }

  private recovering = false;

  /**
   * The worker died (issue 11 item 3): start a new one and put the run back from its autosave,
   * on wasm when a GPU backend was the one that failed, and say what happened and from where.
   */
  private async recover(what: string): Promise<void> {
    if (this.recovering) return;
    this.recovering = true;
    const was = run.get().backend;
    const backend: BackendName | undefined = was === 'webgpu' || was === 'webgl' ? 'wasm' : (was ?? undefined);
    let saved: AutosaveRecord | null = null;
    try {
      const r = await readAutosave();
      if (r && !r.stale && r.step > 0) saved = r;
    } catch {
      saved = null; // no IndexedDB: the run starts again, and the message says so
    }
    this.client.restart();
    this.newRun('The search worker stopped; starting a new one…');
    this.client.configure(this.config, this.dataset, backend);
    this.client.setSpeed(settings.get().speed);
    if (saved) this.client.openRun(saved.bytes.slice(0));
    const where = backend && backend !== was ? ` on ${backend} (${was} was the backend that failed)` : '';
    run.set((r) => ({
      ...r,
      error: {
        kind: 'exception',
        message: `${what} A new worker took over${where}${saved ? ` and resumed the run from its last autosave, step ${saved.step}.` : '; there was no autosave, so the run starts again from step 0.'}`,
        hint: saved ? 'Steps after that save were lost. Press Play to go on.' : 'Press Play to search again.',
      },
    }));
    this.recovering = false;
  }

  private newRun(status: string): void {
    goLive();
    live.clear();
    run.set((r) => ({ ...r, ready: false, status, state: 'idle', error: null }));
  }

  private clearError(): void {
    if (run.get().error) run.set((r) => ({ ...r, error: null }));
  }

  private onReply(reply: Reply): void {
    switch (reply.type) {
      case 'status':
        run.set((r) => ({ ...r, status: reply.message }));
        break;
      case 'ready': {
        this.config = reply.config;
        const edges = reply.alphaShape.edges;
        settings.set((s) => (s.selectedEdge.row < edges ? s : { ...s, selectedEdge: { cell: s.selectedEdge.cell, row: 0 } }));
        run.set((r) => ({
          ...r,
          ready: true,
          status: null,
          backend: reply.backend,
          fallbackReasons: reply.fallbackReasons,
          paramCount: reply.paramCount,
          config: reply.config,
          alphaShape: reply.alphaShape,
        }));
        this.flushQueue();
        break;
      }
      case 'snapshot': {
        const ops = run.get().alphaShape?.ops ?? this.config.ops.length;
        live.receive(reply, ops);
        break;
      }
      case 'error':
        run.set((r) => ({
          ...r,
          status: null,
          state: 'error',
          error: { kind: reply.kind, message: reply.message, hint: reply.hint },
          queued: [], // waiting commands are refused: the error says why
        }));
        break;
      case 'exported':
      case 'userData':
        break; // resolved by the client's promises
      case 'runOpened':
        live.seedHistory(reply.history ?? { step: [], trainLoss: [], trainAcc: [], valLoss: [], valAcc: [] });
        data.set((d) => ({ ...d, spec: reply.dataset }));
        break;
      case 'dataProgress': {
        data.set((d) => ({ ...d, progress: { phase: reply.phase, loaded: reply.loaded, total: reply.total, ...(reply.detail ? { detail: reply.detail } : {}) } }));
        // While no run is ready, the load is what the page waits for: say so where it waits.
        const text = dataProgressText(reply.dataset, reply);
        if (reply.phase !== 'parse' && !run.get().ready && run.get().status !== text) run.set((r) => ({ ...r, status: text }));
        break;
      }
      case 'dataset':
        data.set((d) => ({ ...d, card: reply.card, progress: null }));
        break;
      case 'evalProgress':
        if (reply.requestId !== evaluation.get().requestId) break;
        evaluation.set((e) => ({
          ...e,
          progress: { candidate: reply.candidate, candidates: reply.candidates, step: reply.step, totalSteps: reply.totalSteps, epoch: reply.epoch },
          // the live chart follows the candidate being trained
          curve: (e.progress && e.progress.candidate !== reply.candidate ? [] : e.curve).concat({ step: reply.step, loss: reply.loss, acc: reply.acc }),
        }));
        break;
      case 'evalResult': {
        if (reply.requestId !== evaluation.get().requestId) break;
        const { type: _t, v: _v, runId: _r, requestId: _q, candidates: _c, genotype: _g, ...result } = reply;
        evaluation.set((e) => ({ ...e, results: [...e.results, result] }));
        break;
      }
      case 'evalDone':
        if (reply.requestId !== evaluation.get().requestId) break;
        evaluation.set((e) => ({
          ...e,
          running: false,
          cancelled: reply.cancelled,
          error: reply.error ?? null,
          finishedMs: e.startedAt !== null ? Date.now() - e.startedAt : null,
        }));
        break;
    }
  }
}

/** A new seed that differs from the current one (small, so it is easy to read out in class). */
function drawSeed(current: number): number {
  const buf = new Uint32Array(1);
  for (;;) {
    crypto.getRandomValues(buf);
    const s = buf[0] % 100000;
    if (s !== current) return s;
  }
}
