/**
 * Main-thread side of the worker protocol. It owns the worker, stamps every command with the
 * protocol version and the current run id, and drops replies from runs that have been replaced
 * (a reset or a new configuration starts a new run id).
 *
 * This module must not import tfjs: the main bundle stays free of it.
 */
import type { SearchConfig } from '../core/config';
import type { BackendName, StepKind } from '../engine/types';
import {
  PROTOCOL_VERSION,
  type Command,
  type CommandBody,
  type DatasetSpec,
  type EvalRequest,
  type ExportedReply,
  type LoadUserDataCmd,
  type Reply,
  type RunFileReply,
  type UserDataReply,
} from './protocol';
import type { RunHistory } from '../core/runFile';

/** The subset of `Worker` the client uses (tests pass a fake). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((e: MessageEvent) => void) | null;
  onerror: ((e: ErrorEvent) => void) | null;
  onmessageerror?: ((e: MessageEvent) => void) | null;
}

export function createSearchWorker(): WorkerLike {
  return new Worker(new URL('./search.worker.ts', import.meta.url), { type: 'module', name: 'darts-search' });
}

export class SearchClient {
  private runId = 0;
  private requestId = 0;
  private readonly exports = new Map<number, { resolve: (r: ExportedReply) => void; reject: (e: Error) => void }>();
  private readonly uploads = new Map<number, (r: UserDataReply) => void>();
  private readonly runFiles = new Map<number, { resolve: (r: RunFileReply) => void; reject: (e: Error) => void }>();

  private worker: WorkerLike;

  /**
   * @param onCrash called (instead of an error reply) when the worker dies or throws outside a
   *   step; the owner then calls `restart()` and puts the run back (controller.ts).
   */
  constructor(
    private readonly onReply: (reply: Reply) => void,
    worker: WorkerLike = createSearchWorker(),
    private readonly makeWorker: () => WorkerLike = createSearchWorker,
    private readonly onCrash?: (message: string) => void,
  ) {
    this.worker = worker;
    this.wire(worker);
  }

  private wire(worker: WorkerLike): void {
    worker.onmessage = (e: MessageEvent) => {
      if (worker === this.worker) this.receive(e.data as Reply);
    };
    worker.onerror = (e: ErrorEvent) => {
      e.preventDefault?.();
      if (worker !== this.worker) return;
      const what = `The search worker crashed or could not load${e.message ? `: ${e.message}` : ''}.`;
      if (this.onCrash && this.started) {
        this.onCrash(what);
        return;
      }
      this.onReply({ type: 'error', v: PROTOCOL_VERSION, runId: this.runId, kind: 'exception', message: what, hint: 'Reload the page. If it happens again, try ?backend=cpu.' });
    };
  }

  /** True once the worker has answered at all (a worker that never loads is not "crashed"). */
  private started = false;

  /** Replace a dead worker with a fresh one; pending requests are refused. */
  restart(): void {
    const old = this.worker;
    this.worker = this.makeWorker();
    this.wire(this.worker);
    old.terminate();
    this.started = false;
    this.newRun();
  }

  /** For tests and the soak: make the worker throw outside any step, as a crash would. */
  crashForTest(): void {
    this.send({ type: 'crashForTest' });
  }

  get currentRunId(): number {
    return this.runId;
  }

  configure(config: SearchConfig, dataset: DatasetSpec, backend?: BackendName): void {
    this.newRun();
    this.send({ type: 'configure', config, dataset, ...(backend ? { backend } : {}) });
  }

  reset(newSeed: boolean, seed?: number): void {
    this.newRun();
    this.send({ type: 'reset', newSeed, ...(newSeed && seed !== undefined ? { seed } : {}) });
  }

  play(): void {
    this.send({ type: 'play' });
  }

  pause(): void {
    this.send({ type: 'pause' });
  }

  step(kind: StepKind): void {
    this.send({ type: 'step', kind });
  }

  setSpeed(stepsPerSecond: number): void {
    this.send({ type: 'setSpeed', stepsPerSecond });
  }

  setBackend(backend: BackendName): void {
    this.send({ type: 'setBackend', backend });
  }

  updateHyper(config: SearchConfig): void {
    this.send({ type: 'updateHyper', config });
  }

  /** The exact current α and step, read after the step in progress. */
  exportState(): Promise<ExportedReply> {
    const requestId = ++this.requestId;
    return new Promise((resolve, reject) => {
      this.exports.set(requestId, { resolve, reject });
      this.send({ type: 'export', requestId });
    });
  }

  /** The whole run as a run file (core/runFile.ts), read after the step in progress. */
  saveRun(history?: RunHistory): Promise<RunFileReply> {
    const requestId = ++this.requestId;
    return new Promise((resolve, reject) => {
      this.runFiles.set(requestId, { resolve, reject });
      this.send({ type: 'saveRun', requestId, ...(history ? { history } : {}) });
    });
  }

  /** Replace the run with a run file's (a new run id: what the old run still sends is dropped). */
  openRun(bytes: ArrayBuffer): void {
    this.newRun();
    const cmd = { type: 'openRun', bytes, v: PROTOCOL_VERSION, runId: this.runId } as Command;
    this.worker.postMessage(cmd, [bytes]);
  }

  /** Parse the user's files in the worker (transferred, not copied); the current run is untouched. */
  loadUserData(kind: LoadUserDataCmd['kind'], files: { name: string; bytes: ArrayBuffer }[], target: LoadUserDataCmd['target']): Promise<UserDataReply> {
    const requestId = ++this.requestId;
    return new Promise((resolve) => {
      this.uploads.set(requestId, resolve);
      const cmd = { type: 'loadUserData', requestId, kind, files, target, v: PROTOCOL_VERSION, runId: this.runId } as Command;
      this.worker.postMessage(cmd, files.map((f) => f.bytes));
    });
  }

  /** Start "Train this cell"; progress and results arrive as evalProgress / evalResult / evalDone. */
  evaluate(request: EvalRequest): number {
    const requestId = ++this.requestId;
    this.send({ type: 'evaluate', requestId, request });
    return requestId;
  }

  cancelEvaluate(requestId: number): void {
    this.send({ type: 'cancelEvaluate', requestId });
  }

  dispose(): void {
    this.worker.terminate();
    this.rejectExports('The search worker was closed.');
  }

  private newRun(): void {
    this.runId += 1;
    this.rejectExports('The run was reset before the export finished.');
  }

  private rejectExports(why: string): void {
    for (const p of this.exports.values()) p.reject(new Error(why));
    this.exports.clear();
    for (const p of this.runFiles.values()) p.reject(new Error(why));
    this.runFiles.clear();
  }

  private send(body: CommandBody): void {
    const cmd = { ...body, v: PROTOCOL_VERSION, runId: this.runId } as Command;
    this.worker.postMessage(cmd);
  }

  private receive(reply: Reply): void {
    this.started = true;
    if (reply.type === 'userData') {
      // Not tied to a run: answered by request id.
      this.uploads.get(reply.requestId)?.(reply);
      this.uploads.delete(reply.requestId);
      return;
    }
    if (reply.runId !== this.runId) return; // from a run that has been replaced
    if (reply.type === 'runFile') {
      const p = this.runFiles.get(reply.requestId);
      this.runFiles.delete(reply.requestId);
      p?.resolve(reply);
      return;
    }
    if (reply.type === 'exported') {
      const p = this.exports.get(reply.requestId);
      this.exports.delete(reply.requestId);
      p?.resolve(reply);
      return;
    }
    this.onReply(reply);
  }
}
