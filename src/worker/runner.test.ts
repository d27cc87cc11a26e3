import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type SearchConfig } from '../core/config';
import type { BackendName, DataSource, EngineState, StepKind, StepResult } from '../engine/types';
import { PROTOCOL_VERSION, type Command, type CommandBody, type Reply } from './protocol';
import { SearchRunner, type EngineLike, type RunnerDeps } from './runner';

const CONFIG: SearchConfig = { ...DEFAULT_CONFIG, steps: 2, ops: ['none', 'skip_connect', 'sep_conv_3x3'] };
const EDGES = 5;
const OPS = 3;

/** A stand-in for DartsSearch: α moves by a fixed amount per α step. */
class FakeEngine implements EngineLike {
  static created = 0;
  readonly paramCount = 1234;
  steps = 0;
  archSteps = 0;
  disposed = false;
  failNext: Error | null = null;
  constructor(readonly config: SearchConfig, state?: EngineState) {
    FakeEngine.created++;
    if (state) {
      this.steps = state.step;
      this.archSteps = state.archSteps;
    }
  }
  async step(kind: StepKind): Promise<StepResult> {
    await new Promise((r) => setTimeout(r, 2));
    if (this.failNext) {
      const e = this.failNext;
      this.failNext = null;
      throw e;
    }
    const out: StepResult = { step: this.steps, epoch: 0, lr: this.config.lr };
    if (kind !== 'weights') {
      this.archSteps++;
      out.valLoss = 2;
      out.valAcc = 0.1;
    }
    if (kind !== 'arch') {
      this.steps++;
      out.trainLoss = 2.3;
      out.trainAcc = 0.1;
    }
    out.step = this.steps;
    return out;
  }
  async alphas() {
    const raw = Float32Array.from({ length: EDGES * OPS }, (_, i) => (i % OPS) * 0.01 * this.archSteps);
    const soft = raw.map((v) => v + 1 / OPS);
    return { rawNormal: raw, rawReduce: raw.slice(), softmaxNormal: soft, softmaxReduce: soft.slice() };
  }
  async saveState(): Promise<EngineState> {
    return {
      config: this.config,
      step: this.steps,
      archSteps: this.archSteps,
      weights: [],
      buffers: [],
      alphaNormal: new Float32Array(EDGES * OPS),
      alphaReduce: new Float32Array(EDGES * OPS),
      momentum: [],
      adam: { t: 0, m: [], v: [] },
      rngState: [],
    };
  }
  dispose() {
    this.disposed = true;
  }
}

function setup(opts: { failBackend?: BackendName; failData?: () => boolean; evaluate?: RunnerDeps['evaluate']; autosave?: RunnerDeps['autosave'] } = {}) {
  const replies: Reply[] = [];
  const engines: FakeEngine[] = [];
  const backendCalls: string[] = [];
  const waiters: { pred: (r: Reply) => boolean; resolve: (r: Reply) => void }[] = [];
  const deps: RunnerDeps = {
    post: (r) => {
      replies.push(r);
      for (const w of [...waiters]) {
        if (w.pred(r)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(r);
        }
      }
    },
    createData: async (_c, d, onProgress) => {
      onProgress({ dataset: d.name, phase: 'download', loaded: 1, total: 2 });
      if (opts.failData?.()) throw new Error('HTTP 404 for /data/mnist.bin');
      return {
      source: {} as DataSource,
      card: { id: d.name, name: 'Synthetic', height: 8, width: 8, channels: 1, numClasses: 0, classNames: [], trainCount: 1, testCount: 1, samples: [], source: '', license: '', flipSafe: false, loadMs: 0 },
      };
    },
    loadUserData: async () => ({ card: null, problems: [] }),
    evaluate: opts.evaluate ?? (async () => ({ testAccuracy: 0.5, params: 1, epochs: 1, msPerEpoch: 1, trainImages: 1, testImages: 1, peakBytes: 1 })),
    createEngine: (c) => {
      const e = new FakeEngine(c);
      engines.push(e);
      return e;
    },
    engineFromState: (s) => {
      const e = new FakeEngine(s.config, s);
      engines.push(e);
      return e;
    },
    ...(opts.autosave ? { autosave: opts.autosave } : {}),
    initBackend: async (o, onStatus) => {
      backendCalls.push(`init:${o ?? 'auto'}`);
      onStatus?.('Checking wasm against cpu (one mixed-op step on both)…');
      return { backend: o ?? 'wasm', fallbackReasons: o ? [] : ['webgpu: no adapter', 'webgl: slow'] };
    },
    switchBackend: async (n) => {
      backendCalls.push(`switch:${n}`);
      if (n === opts.failBackend) throw new Error('nope');
    },
    now: () => performance.now(),
    yieldToQueue: () => new Promise((r) => setTimeout(r, 0)),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
  };
  const runner = new SearchRunner(deps);
  let runId = 1;
  const send = (body: CommandBody, id = runId) => runner.handle({ ...body, v: PROTOCOL_VERSION, runId: id } as Command);
  const next = (pred: (r: Reply) => boolean) => new Promise<Reply>((resolve) => waiters.push({ pred, resolve }));
  const snap = (pred: (r: Extract<Reply, { type: 'snapshot' }>) => boolean = () => true) =>
    next((r) => r.type === 'snapshot' && pred(r)) as Promise<Extract<Reply, { type: 'snapshot' }>>;
  return {
    runner,
    replies,
    engines,
    backendCalls,
    send,
    next,
    snap,
    setRunId: (id: number) => (runId = id),
  };
}

async function configured(opts: Parameters<typeof setup>[0] = {}) {
  const t = setup(opts);
  const idle = t.snap((s) => s.state === 'idle');
  t.send({ type: 'configure', config: CONFIG, dataset: { name: 'synthetic' } });
  await idle;
  return t;
}

describe('SearchRunner', () => {
  it('probes a backend, builds the run and reports ready then an idle snapshot', async () => {
    const t = await configured();
    const ready = t.replies.find((r) => r.type === 'ready');
    expect(ready).toMatchObject({
      type: 'ready',
      backend: 'wasm',
      paramCount: 1234,
      alphaShape: { edges: EDGES, ops: OPS },
      fallbackReasons: ['webgpu: no adapter', 'webgl: slow'],
      runId: 1,
      v: PROTOCOL_VERSION,
    });
    const s = t.replies.find((r) => r.type === 'snapshot');
    expect(s).toMatchObject({ step: 0, state: 'idle', backend: 'wasm' });
    expect(t.backendCalls).toEqual(['init:auto']);
    // What the page waits for is said while it waits: the probe's own steps, then the build.
    const said = t.replies.flatMap((r) => (r.type === 'status' ? [r.message] : []));
    expect(said).toEqual(['Choosing a backend (webgpu → webgl → wasm → cpu)…', 'Checking wasm against cpu (one mixed-op step on both)…', 'Building the supernet…']);
  });

  it('autosaves after a step by hand; a failing autosave is reported once and the run goes on', async () => {
    const saved: { step: number; bytes: ArrayBuffer }[] = [];
    const t = await configured({ autosave: { write: async (r) => void saved.push(r), errorText: String } });
    t.send({ type: 'step', kind: 'both' });
    await t.snap((s) => s.step === 1);
    await new Promise((r) => setTimeout(r, 10)); // the write runs after the step
    expect(saved.map((r) => r.step)).toEqual([1]);
    expect(new Uint8Array(saved[0].bytes.slice(0, 4))).toEqual(new TextEncoder().encode('DRUN'));

    let tries = 0;
    const u = await configured({ autosave: { write: async () => { tries++; throw new Error('QuotaExceededError'); }, errorText: (e) => `no space (${String(e)})` } });
    for (const n of [1, 2]) {
      u.send({ type: 'step', kind: 'both' });
      await u.snap((s) => s.step === n);
    }
    await new Promise((r) => setTimeout(r, 10));
    const errors = u.replies.filter((r) => r.type === 'error');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ message: expect.stringMatching(/^Autosave is off: no space/) });
    expect(tries).toBe(1);
    expect(u.replies.filter((r) => r.type === 'snapshot').at(-1)).toMatchObject({ step: 2, state: 'paused' });
  });

  it('plays, and Pause stops after at most the step in progress', async () => {
    const t = await configured();
    t.send({ type: 'play' });
    await t.snap((s) => s.step >= 3 && s.state === 'running');
    const paused = t.snap((s) => s.state === 'paused');
    t.send({ type: 'pause' });
    const at = t.engines[0].steps;
    const p = await paused;
    expect(p.step).toBeLessThanOrEqual(at + 1);
    expect(p.step).toBe(t.engines[0].steps);
    await new Promise((r) => setTimeout(r, 30));
    expect(t.engines[0].steps).toBe(p.step);
  });

  it('does exactly one step of each kind, with a snapshot after each', async () => {
    const t = await configured();
    const e = t.engines[0];
    let s = t.snap();
    t.send({ type: 'step', kind: 'arch' });
    let r = await s;
    expect([r.step, r.archStep, e.archSteps, r.state]).toEqual([0, 1, 1, 'paused']);
    expect(r.points).toHaveLength(1);
    expect(r.points[0]).toMatchObject({ kind: 'arch', valLoss: 2 });
    s = t.snap();
    t.send({ type: 'step', kind: 'weights' });
    r = await s;
    expect([r.step, r.archStep]).toEqual([1, 1]);
    s = t.snap();
    t.send({ type: 'step', kind: 'both' });
    r = await s;
    expect([r.step, r.archStep]).toEqual([2, 2]);
    expect(r.softmaxNormal).toBeInstanceOf(Float32Array);
    expect(r.softmaxNormal).toHaveLength(EDGES * OPS);
  });

  it('measures λ_max every K steps while playing and on request, and sends the derived cells\' counts', async () => {
    const t = await configured();
    const e = t.engines[0] as FakeEngine & { dominantEigenvalue?: () => Promise<{ lambda: number; iterations: number; ms: number } | null> };
    let calls = 0;
    e.dominantEigenvalue = async () => ({ lambda: 0.5 + calls++, iterations: 10, ms: 3 });
    t.send({ type: 'setDiagnostics', eigenEvery: 2 });
    const got = t.snap((s) => (s.eigen?.length ?? 0) > 0);
    t.send({ type: 'play' });
    const r = await got;
    t.send({ type: 'pause' });
    expect(r.eigen![0]).toMatchObject({ lambda: 0.5, iterations: 10, ms: 3 });
    expect(r.eigen![0].step % 2).toBe(0);
    expect(r.collapse).toMatchObject({ edges: expect.any(Number), skipNormal: expect.any(Number), paramFreeReduce: expect.any(Number) });
    await t.snap((s) => s.state === 'paused');
    // Manual steps never measure; measureEigen does, between steps.
    const before = calls;
    const stepped = t.snap();
    t.send({ type: 'step', kind: 'both' });
    t.send({ type: 'step', kind: 'both' });
    await stepped;
    await new Promise((res) => setTimeout(res, 20));
    expect(calls).toBe(before);
    const asked = t.snap((s) => (s.eigen?.length ?? 0) > 0);
    t.send({ type: 'measureEigen' });
    expect((await asked).eigen).toHaveLength(1);
    expect(calls).toBe(before + 1);
  });

  it('a reset starts a new run id, rebuilds from the seed and drops commands of the old run', async () => {
    const t = await configured();
    t.send({ type: 'step', kind: 'both' });
    await t.snap((s) => s.step === 1);
    t.setRunId(2);
    const idle = t.snap((s) => s.runId === 2 && s.state === 'idle');
    t.send({ type: 'reset', newSeed: true, seed: 99 });
    const s = await idle;
    expect(s.step).toBe(0);
    expect(t.engines[0].disposed).toBe(true);
    expect(t.engines[1].config.seed).toBe(99);
    const ready = t.replies.filter((r) => r.type === 'ready').at(-1);
    expect(ready).toMatchObject({ runId: 2 });
    // A play aimed at run 1 is ignored.
    t.send({ type: 'play' }, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect(t.engines[1].steps).toBe(0);
  });

  it('turns a divergence into an error reply, pauses and keeps the state', async () => {
    const t = await configured();
    const e = t.engines[0];
    const err = Object.assign(new Error('diverged'), { name: 'DivergenceError', phase: 'weights', value: NaN });
    e.failNext = err;
    const errReply = t.next((r) => r.type === 'error');
    const s = t.snap((x) => x.state === 'error');
    t.send({ type: 'play' });
    const r = await errReply;
    expect(r).toMatchObject({ kind: 'divergence' });
    if (r.type === 'error') {
      expect(r.message).toMatch(/weight step diverged.*NaN/);
      expect(r.hint).toMatch(/learning rate/);
    }
    expect((await s).step).toBe(0);
    await new Promise((r) => setTimeout(r, 20));
    expect(e.steps).toBe(0);
    // Play again clears the error.
    t.send({ type: 'play' });
    await t.snap((x) => x.state === 'running' && x.step >= 1);
  });

  it('moves a run to another backend with its state', async () => {
    const t = await configured();
    t.send({ type: 'step', kind: 'both' });
    await t.snap((s) => s.step === 1);
    const s = t.snap();
    t.send({ type: 'setBackend', backend: 'cpu' });
    const r = await s;
    expect(r.backend).toBe('cpu');
    expect(t.engines[0].disposed).toBe(true);
    expect(t.engines[1].steps).toBe(1);
    expect(t.backendCalls).toEqual(['init:auto', 'switch:cpu']);
  });

  it('keeps the run on its backend when the move fails', async () => {
    const t = setup({ failBackend: 'webgl' });
    const idle = t.snap((s) => s.state === 'idle');
    t.send({ type: 'configure', config: CONFIG, dataset: { name: 'synthetic' } });
    await idle;
    const err = t.next((r) => r.type === 'error');
    t.send({ type: 'setBackend', backend: 'webgl' });
    expect(await err).toMatchObject({ kind: 'backend' });
    expect(t.backendCalls).toEqual(['init:auto', 'switch:webgl', 'switch:wasm']);
    expect(t.engines).toHaveLength(2);
    expect(t.engines[1].disposed).toBe(false);
  });

  it('applies non-structural hyperparameters in place and refuses structural ones', async () => {
    const t = await configured();
    t.send({ type: 'step', kind: 'both' });
    await t.snap((s) => s.step === 1);
    const ready = t.next((r) => r.type === 'ready');
    t.send({ type: 'updateHyper', config: { ...CONFIG, lr: 0.05 } });
    expect(await ready).toMatchObject({ config: { lr: 0.05 } });
    expect(t.engines[1].steps).toBe(1);
    const err = t.next((r) => r.type === 'error');
    t.send({ type: 'updateHyper', config: { ...CONFIG, C: 8 } });
    expect(await err).toMatchObject({ kind: 'config' });
  });

  it('caps the snapshot rate while playing but sends every step as a point', async () => {
    const t = await configured();
    t.send({ type: 'play' });
    await t.snap((s) => s.step >= 40);
    t.send({ type: 'pause' });
    await t.snap((s) => s.state === 'paused');
    const snaps = t.replies.filter((r) => r.type === 'snapshot') as Extract<Reply, { type: 'snapshot' }>[];
    const points = snaps.flatMap((s) => s.points.map((p) => p.step));
    expect(points).toEqual(Array.from({ length: points.length }, (_, i) => i + 1));
    expect(snaps.length).toBeLessThan(points.length);
  });

  it('rejects messages of another protocol version', () => {
    const t = setup();
    t.runner.handle({ type: 'play', v: 99 as 1, runId: 0 });
    expect(t.replies[0]).toMatchObject({ type: 'error' });
  });

  it('a dataset that fails to load keeps the current run and says so', async () => {
    let fail = false;
    const t = await configured({ failData: () => fail });
    t.send({ type: 'step', kind: 'both' });
    await t.snap((s) => s.step === 1);
    fail = true;
    t.setRunId(2);
    const err = t.next((r) => r.type === 'error');
    t.send({ type: 'configure', config: CONFIG, dataset: { name: 'mnist' } });
    const e = (await err) as Extract<Reply, { type: 'error' }>;
    expect(e.kind).toBe('data');
    expect(e.message).toMatch(/mnist dataset could not be loaded: HTTP 404/);
    expect(e.hint).toMatch(/current run is kept/);
    expect(t.replies.some((r) => r.type === 'dataProgress')).toBe(true);
    expect(t.engines[0].disposed).toBe(false);
    // The kept run still steps.
    const s = t.snap((x) => x.step === 2);
    t.send({ type: 'step', kind: 'both' });
    expect((await s).step).toBe(2);
  });

  it('evaluates the genotype and K random ones, with progress, then resumes nothing by itself', async () => {
    const jobs: string[] = [];
    const t = await configured({
      evaluate: async (job, _cfg, _d, hooks) => {
        jobs.push(JSON.stringify(job.genotype));
        for (let i = 1; i <= 3; i++) {
          hooks.onStep({ step: i, totalSteps: 3, epoch: 0, loss: 1 / i, acc: i / 4 });
          await hooks.yieldToQueue();
        }
        return { testAccuracy: 0.8, params: 99, epochs: 1, msPerEpoch: 5, trainImages: 10, testImages: 5, peakBytes: 5 };
      },
    });
    const g = { normal: [['sep_conv_3x3', 0], ['skip_connect', 1]], normal_concat: [2], reduce: [['max_pool_3x3', 0], ['sep_conv_3x3', 1]], reduce_concat: [2] } as const;
    const done = t.next((r) => r.type === 'evalDone');
    t.send({ type: 'evaluate', requestId: 7, request: { label: 'derived', genotype: g as never, C: 4, layers: 3, epochs: 1, batchSize: 8, auxiliary: false, dropPath: 0, randomK: 2, seed: 1 } });
    const d = (await done) as Extract<Reply, { type: 'evalDone' }>;
    expect(d).toMatchObject({ requestId: 7, cancelled: false });
    expect(d.error).toBeUndefined();
    const results = t.replies.filter((r) => r.type === 'evalResult') as Extract<Reply, { type: 'evalResult' }>[];
    expect(results.map((r) => [r.candidate, r.candidates, r.label])).toEqual([
      [0, 3, 'derived'],
      [1, 3, 'random 1'],
      [2, 3, 'random 2'],
    ]);
    expect(jobs).toHaveLength(3);
    expect(new Set(jobs).size).toBe(3); // the random cells differ from the chosen one and each other
    // Random cells use the run's ops (no `none`) and the same node count.
    for (const r of results.slice(1)) {
      expect(r.genotype.normal).toHaveLength(2);
      for (const [op] of [...r.genotype.normal, ...r.genotype.reduce]) expect(['skip_connect', 'sep_conv_3x3']).toContain(op);
    }
    expect(t.replies.some((r) => r.type === 'evalProgress' && r.step === 3)).toBe(true);
  });

  it('cancelEvaluate stops between batches', async () => {
    let batches = 0;
    const t = await configured({
      evaluate: async (_job, _cfg, _d, hooks) => {
        for (;;) {
          if (hooks.shouldStop()) {
            const e = new Error('the evaluation was stopped');
            e.name = 'EvaluationCancelled';
            throw e;
          }
          batches++;
          await hooks.yieldToQueue();
        }
      },
    });
    const g = { normal: [['sep_conv_3x3', 0], ['skip_connect', 1]], normal_concat: [2], reduce: [['max_pool_3x3', 0], ['sep_conv_3x3', 1]], reduce_concat: [2] };
    const done = t.next((r) => r.type === 'evalDone');
    t.send({ type: 'evaluate', requestId: 3, request: { label: 'x', genotype: g as never, C: 4, layers: 3, epochs: 1, batchSize: 8, auxiliary: false, dropPath: 0, randomK: 0, seed: 1 } });
    await new Promise((r) => setTimeout(r, 20));
    t.send({ type: 'cancelEvaluate', requestId: 3 });
    expect(await done).toMatchObject({ type: 'evalDone', requestId: 3, cancelled: true });
    expect(batches).toBeGreaterThan(0);
  });
});
