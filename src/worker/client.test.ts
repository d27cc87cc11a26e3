import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import { SearchClient, type WorkerLike } from './client';
import { PROTOCOL_VERSION, type Command, type Reply } from './protocol';

function fakeWorker() {
  const sent: Command[] = [];
  const w: WorkerLike & { sent: Command[]; emit(r: Reply): void } = {
    sent,
    onmessage: null,
    onerror: null,
    postMessage: (m) => sent.push(m as Command),
    terminate: () => undefined,
    emit(r) {
      this.onmessage?.({ data: r } as MessageEvent);
    },
  };
  return w;
}

const status = (runId: number): Reply => ({ type: 'status', v: PROTOCOL_VERSION, runId, message: `run ${runId}` });

describe('SearchClient', () => {
  it('stamps commands with the protocol version and the run id, which a reset advances', () => {
    const w = fakeWorker();
    const c = new SearchClient(() => undefined, w);
    c.configure(DEFAULT_CONFIG, { name: 'synthetic' }, 'cpu');
    c.play();
    c.reset(true, 7);
    c.step('arch');
    expect(w.sent.map((m) => [m.type, m.runId, m.v])).toEqual([
      ['configure', 1, PROTOCOL_VERSION],
      ['play', 1, PROTOCOL_VERSION],
      ['reset', 2, PROTOCOL_VERSION],
      ['step', 2, PROTOCOL_VERSION],
    ]);
    expect(w.sent[0]).toMatchObject({ backend: 'cpu' });
    expect(w.sent[2]).toMatchObject({ newSeed: true, seed: 7 });
  });

  it('drops replies of a replaced run', () => {
    const w = fakeWorker();
    const got: Reply[] = [];
    const c = new SearchClient((r) => got.push(r), w);
    c.configure(DEFAULT_CONFIG, { name: 'synthetic' });
    w.emit(status(1));
    c.reset(false);
    w.emit(status(1));
    w.emit(status(2));
    expect(got.map((r) => r.runId)).toEqual([1, 2]);
  });

  it('resolves an export by request id and rejects it when the run is reset', async () => {
    const w = fakeWorker();
    const c = new SearchClient(() => undefined, w);
    c.configure(DEFAULT_CONFIG, { name: 'synthetic' });
    const p = c.exportState();
    const cmd = w.sent.at(-1) as Extract<Command, { type: 'export' }>;
    const a = new Float32Array(1);
    w.emit({
      type: 'exported', v: PROTOCOL_VERSION, runId: 1, requestId: cmd.requestId, step: 3, archStep: 3, epoch: 0,
      backend: 'cpu', config: DEFAULT_CONFIG, softmaxNormal: a, softmaxReduce: a, rawNormal: a, rawReduce: a,
    });
    expect((await p).step).toBe(3);
    const q = c.exportState();
    c.reset(false);
    await expect(q).rejects.toThrow(/reset/);
  });
});
