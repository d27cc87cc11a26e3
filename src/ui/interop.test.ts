import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { getPreset } from '../core/presets';
import { decodeRunFile, encodeRunFile } from '../core/runFile';
import { numEdges } from '../core/searchSpace';
import { decodeStateDict } from '../core/stateDict';
import { supernetLayout } from '../engine/supernetPlan';
import { parseReplayOrLog, pyTorchExportToRun, runToPyTorchExport } from './interop';
import { playReplayFile, replayPlayer, replayState, stopReplay } from './replay';
import { live, run } from './store';

const LOG = readFileSync(new URL('../core/__fixtures__/train_search_modern.txt', import.meta.url), 'utf8');
const REPLAY = readFileSync(new URL('../../public/replays/tiny-cifar.json', import.meta.url), 'utf8');

function runBytes(): ArrayBuffer {
  const cfg = getPreset('lecture');
  const L = supernetLayout(cfg);
  const a = numEdges(cfg.steps) * cfg.ops.length;
  const f = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + k) / 10);
  const b = encodeRunFile({
    savedAt: '2026-01-01T00:00:00.000Z',
    dataset: { name: 'task', id: 'task-long-range' },
    state: {
      config: cfg,
      step: 3,
      archSteps: 3,
      weights: L.specs.map((s, i) => ({ name: s.name, shape: [...s.shape], data: f(s.shape.reduce((x, y) => x * y, 1), i) })),
      buffers: L.bns.flatMap((bn) => [
        { name: `${bn.name}.running_mean`, shape: [bn.channels], data: f(bn.channels, 1) },
        { name: `${bn.name}.running_var`, shape: [bn.channels], data: new Float32Array(bn.channels).fill(1) },
      ]),
      alphaNormal: f(a, 2),
      alphaReduce: f(a, 3),
      momentum: L.specs.map((s) => new Float32Array(s.shape.reduce((x, y) => x * y, 1))),
      adam: { t: 3, m: [f(a, 4), f(a, 5)], v: [new Float32Array(a), new Float32Array(a)] },
      rngState: [1, 2, 3, 4],
    },
  });
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
}

describe('Export for PyTorch / Import PyTorch weights (main thread, pure core)', () => {
  it('a saved run → export → run bytes that "Open run" accepts, same weights', () => {
    const saved = runBytes();
    const exp = runToPyTorchExport(saved);
    if (!exp.ok) throw new Error(exp.error);
    expect(decodeStateDict(exp.value).header.network.class).toBe('model_search.Network');
    const back = pyTorchExportToRun(exp.value.buffer.slice(0) as ArrayBuffer);
    if (!back.ok) throw new Error(back.error);
    const a = decodeRunFile(new Uint8Array(saved));
    const b = decodeRunFile(new Uint8Array(back.value));
    expect(b.state.weights).toEqual(a.state.weights);
    expect(b.state.momentum).toEqual([]);
    expect(b.dataset).toEqual(a.dataset);
    expect(back.notes.join(' ')).toMatch(/start fresh/);
  });

  it('bad files come back as messages, not exceptions', () => {
    const r = pyTorchExportToRun(new TextEncoder().encode('nonsense').buffer as ArrayBuffer);
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/does not start with "DSTD"/) });
    const s = runToPyTorchExport(new ArrayBuffer(4));
    expect(s).toEqual({ ok: false, error: expect.stringMatching(/does not start with "DRUN"/) });
  });
});

describe('Open replay or log', () => {
  afterEach(() => {
    stopReplay();
    run.set((r) => ({ ...r, config: null }));
  });

  it('reads a train_search log and a replay file by their content', () => {
    const log = parseReplayOrLog(LOG, 'search.log');
    expect(log.ok && log.value.frames.length).toBe(5);
    const rep = parseReplayOrLog(REPLAY);
    expect(rep.ok && rep.value.preset).toBe('tiny-cifar');
    const bad = parseReplayOrLog('just some text');
    expect(bad).toEqual({ ok: false, error: expect.stringMatching(/does not look like the output of train_search\.py/) });
    expect(parseReplayOrLog('{"kind": 3}')).toEqual({ ok: false, error: expect.stringMatching(/invalid replay file/) });
  });

  it('plays the log in the live store when the page has the same α shape, and says why not otherwise', () => {
    const r = parseReplayOrLog(LOG);
    if (!r.ok) throw new Error(r.error);
    run.set((s) => ({ ...s, config: getPreset('simple-convs') }));
    expect(playReplayFile(r.value)).toMatch(/4 nodes.*the page's cells have 2 nodes/);
    expect(replayPlayer.current).toBeNull();
    run.set((s) => ({ ...s, config: getPreset('lecture') }));
    expect(playReplayFile(r.value)).toBeNull();
    expect(replayPlayer.current).toBe(r.value);
    expect(replayState.get().status).toBe('playing');
    expect(live.replaying).toBe(true);
  });
});
