/**
 * The app's single command surface: every button, shortcut and form goes through these methods,
 * which talk to the worker (client.ts) and route its replies into the stores.
 */
import type { SearchConfig } from '../core/config';
import type { BackendName, StepKind } from '../engine/types';
import { SearchClient } from '../worker/client';
import type { DatasetSpec, ExportedReply, Reply } from '../worker/protocol';
import { structuralChange } from '../worker/structural';
import { live, run, settings } from './store';

export class Controller {
  private readonly client: SearchClient;
  private dataset: DatasetSpec = { name: 'synthetic' };
  private config: SearchConfig;
  private wantPlayOnReady = false;

  constructor(config: SearchConfig, client?: SearchClient) {
    this.config = config;
    this.client = client ?? new SearchClient((r) => this.onReply(r));
    // The run state follows the snapshot that is on screen (applied on rAF), so a test or a user
    // who sees data-state="paused" also sees the final data-step and weights.
    live.subscribe(() => {
      const snap = live.get();
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
    this.wantPlayOnReady = autoplay;
    this.newRun('Starting the search worker…');
    this.client.configure(this.config, this.dataset, backend);
    this.client.setSpeed(settings.get().speed);
  }

  play(): void {
    this.clearError();
    run.set((r) => (r.ready ? { ...r, state: 'running' } : r));
    this.client.play();
  }

  pause(): void {
    this.client.pause();
  }

  step(kind: StepKind): void {
    this.clearError();
    this.client.step(kind);
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

  /** The exact current α and step, read by the worker after the step in progress. */
  exportState(): Promise<ExportedReply> {
    return this.client.exportState();
  }

  dispose(): void {
    this.client.dispose();
  }

  private newRun(status: string): void {
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
        if (this.wantPlayOnReady) {
          this.wantPlayOnReady = false;
          this.play();
        }
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
        }));
        break;
      case 'exported':
        break; // resolved by the client's promise
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
