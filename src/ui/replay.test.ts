import { afterEach, describe, expect, it, vi } from 'vitest';
import { getPreset } from '../core/presets';
import { encodeReplay, parseReplayJson, replayToJson, type Replay, type ReplayFrame } from '../core/replay';
import { PROTOCOL_VERSION, type SnapshotReply } from '../worker/protocol';
import { BASE_FPS, FrameTicker } from './clock';
import { HistoryPlayback } from './historyPlayback';
import { frameToSnapshot, ReplayPlayer, replayState, startReplayFor, stopReplay, type ReplaySink, type ReplayState } from './replay';
import { live, LiveStore } from './store';
import { FakeClock } from './testing/fakeClock';

const config = getPreset('simple-convs'); // 5 edges × 3 ops
const N = 15;
const INTERVAL = 1000 / BASE_FPS;

function makeReplay(n: number): Replay {
  const frames = Array.from({ length: n }, (_, k) => {
    const p = Float32Array.from({ length: N }, (_, i) => (i % 3 === k % 3 ? 0.5 : 0.25));
    return {
      step: k * 2,
      archStep: k * 2,
      epoch: 0,
      lr: 0.025,
      trainLoss: k === 0 ? null : 2.3 - k / 10,
      trainAcc: k === 0 ? null : 0.1,
      valLoss: k === 0 ? null : 2.4 - k / 10,
      valAcc: k === 0 ? null : 0.1,
      softmaxNormal: p,
      softmaxReduce: p,
      rawNormal: null,
      rawReduce: null,
    };
  });
  const meta = { preset: 'simple-convs', note: '', command: '', config, dataset: 'synthetic', backend: 'wasm', every: 2 };
  return parseReplayJson(replayToJson(encodeReplay(meta, frames)));
}

/** A sink that records which frames arrived when. */
function recorder(clock: FakeClock) {
  const log: { i: number; t: number }[] = [];
  let begins = 0;
  let ends = 0;
  const sink: ReplaySink = {
    begin: () => void begins++,
    frame: (_f, i) => void log.push({ i, t: clock.now() }),
    end: () => void ends++,
  };
  return { sink, log, counts: () => ({ begins, ends }) };
}

describe('FrameTicker', () => {
  it('delivers frame 0 at once, then one frame per interval, and catches up after a stall without skipping', () => {
    const clock = new FakeClock();
    const got: number[] = [];
    const t = new FrameTicker((k) => (got.push(k), k < 20), clock);
    t.start(4);
    expect(got).toEqual([0]);
    clock.advance(249);
    expect(got).toEqual([0]);
    clock.advance(1);
    expect(got).toEqual([0, 1]);
    clock.stall(1000); // a busy main thread: four more frames fell due
    expect(got).toEqual([0, 1, 2, 3, 4, 5]);
    t.setFps(8); // twice as fast from here, no frame repeated or skipped
    expect(got).toEqual([0, 1, 2, 3, 4, 5]);
    clock.advance(125);
    expect(got).toEqual([0, 1, 2, 3, 4, 5, 6]);
    t.stop();
    clock.advance(10_000);
    expect(got).toHaveLength(7);
    expect(clock.pending).toBe(0);
  });
});

describe('ReplayPlayer', () => {
  it(`plays frames at ${BASE_FPS}/s × speed from frame 0 and holds the last one`, () => {
    const clock = new FakeClock();
    const rec = recorder(clock);
    const states: ReplayState[] = [];
    const player = new ReplayPlayer(rec.sink, (s) => states.push(s), clock);
    const replay = makeReplay(5);

    player.start(replay);
    expect(rec.counts().begins).toBe(1);
    expect(rec.log).toEqual([{ i: 0, t: 0 }]);
    expect(states.at(-1)).toMatchObject({ status: 'playing', index: 0, total: 5, step: 0, lastStep: 8 });

    clock.advance(INTERVAL * 2);
    expect(rec.log.map((x) => x.t)).toEqual([0, INTERVAL, INTERVAL * 2]);

    player.setSpeed(2);
    clock.advance(INTERVAL / 2);
    expect(rec.log.map((x) => x.i)).toEqual([0, 1, 2, 3]);
    clock.advance(INTERVAL * 10);
    expect(rec.log.map((x) => x.i)).toEqual([0, 1, 2, 3, 4]);
    expect(states.at(-1)).toMatchObject({ status: 'ended', index: 4, step: 8 });
    expect(clock.pending).toBe(0); // nothing keeps ticking at the end
    expect(rec.counts().ends).toBe(0); // the last frame stays on screen until the user goes live
  });

  it('pauses and resumes where it was; play after the end starts over; stop gives the view back', () => {
    const clock = new FakeClock();
    const rec = recorder(clock);
    const states: ReplayState[] = [];
    const player = new ReplayPlayer(rec.sink, (s) => states.push(s), clock);
    player.start(makeReplay(3));
    clock.advance(INTERVAL);
    player.pause();
    expect(states.at(-1)?.status).toBe('paused');
    clock.advance(INTERVAL * 10);
    expect(rec.log.map((x) => x.i)).toEqual([0, 1]);
    player.play();
    expect(rec.log.map((x) => x.i)).toEqual([0, 1, 2]); // the next frame at once
    expect(states.at(-1)?.status).toBe('ended');

    player.play(); // "Replay again"
    expect(rec.counts()).toEqual({ begins: 2, ends: 1 });
    expect(rec.log.at(-1)?.i).toBe(0);

    player.stop();
    expect(rec.counts().ends).toBe(2);
    expect(states.at(-1)?.status).toBe('off');
    clock.advance(INTERVAL * 10);
    expect(rec.log.at(-1)?.i).toBe(0);
  });
});

describe('replay frames in the live store', () => {
  const liveSnap = (step: number): SnapshotReply => ({
    type: 'snapshot', v: PROTOCOL_VERSION, runId: 7, state: 'idle', backend: 'wasm', step, archStep: step, epoch: 0, lr: 0.025,
    stepsPerSec: 0, points: [], softmaxNormal: new Float32Array(N).fill(1 / 3), softmaxReduce: new Float32Array(N).fill(1 / 3),
    rawNormal: new Float32Array(N), rawReduce: new Float32Array(N),
  });

  it('holds the view for the replay, keeps the live run aside, and gives it back complete', () => {
    const store = new LiveStore((cb) => cb());
    const replay = makeReplay(3);
    store.beginReplay();
    store.applyReplayFrame(frameToSnapshot(replay.frames[0], null, replay), 3);
    store.applyReplayFrame(frameToSnapshot(replay.frames[1], replay.frames[0], replay), 3);
    store.receive(liveSnap(0), 3); // the built supernet's first snapshot arrives meanwhile
    expect(store.get()?.step).toBe(2); // the view shows the replay
    expect(store.get()?.runId).toBe(-1);
    expect(store.latest()?.runId).toBe(7); // data-step and the run state read the live run
    expect(store.history.step).toEqual([2]); // one chart point per recorded step after 0
    expect(store.history.frames).toHaveLength(2);
    store.endReplay();
    expect(store.get()?.runId).toBe(7);
    expect(store.history.frames).toHaveLength(1);
    expect(store.replaying).toBe(false);
  });

  it('frameToSnapshot: log-softmax stands in for a missing raw α (softmax of it is the recorded softmax)', () => {
    const replay = makeReplay(2);
    const s = frameToSnapshot(replay.frames[1], replay.frames[0], replay);
    const row = Array.from(s.rawNormal.subarray(0, 3), Math.exp);
    const sum = row.reduce((a, b) => a + b, 0);
    expect(row.map((v) => v / sum)).toEqual(Array.from(replay.frames[1].softmaxNormal.subarray(0, 3)).map((v) => expect.closeTo(v / (0.5 + 0.25 + 0.25), 5)));
    expect(s.points).toEqual([expect.objectContaining({ step: 2, trainLoss: 2.2 })]);
  });
});

describe('HistoryPlayback', () => {
  function setup(frames: number) {
    const clock = new FakeClock();
    const store = new LiveStore((cb) => cb());
    const replay = makeReplay(frames);
    store.beginReplay();
    replay.frames.forEach((f, i) => store.applyReplayFrame(frameToSnapshot(f, i > 0 ? replay.frames[i - 1] : null, replay), 3));
    let status: 'playing' | 'paused' = 'playing';
    const calls: string[] = [];
    const h = new HistoryPlayback(
      store,
      { status: () => status, pause: () => (calls.push('pause'), (status = 'paused')), play: () => (calls.push('play'), (status = 'playing')) },
      clock,
    );
    return { clock, store, h, calls };
  }

  it('scrubbing shows the chosen snapshot and pauses the replay; Latest follows again and resumes it', () => {
    const { store, h, calls } = setup(5);
    expect(store.get()?.step).toBe(8);
    h.scrub(1);
    expect(store.get()?.step).toBe(2);
    expect(store.get()?.softmaxNormal).toBe(store.history.frames[1].softmaxNormal);
    expect(calls).toEqual(['pause']);
    h.scrub(99); // clamped
    expect(store.getCursor()).toBe(4);
    h.latest();
    expect(store.getCursor()).toBeNull();
    expect(calls).toEqual(['pause', 'play']);
  });

  it('▶ walks the history at the chosen speed and hands back to the latest at the end', () => {
    const { clock, store, h } = setup(4);
    h.scrub(0);
    h.setSpeed(2);
    h.play();
    expect(store.getCursor()).toBe(0);
    expect(h.playing.get()).toBe(true);
    clock.advance(INTERVAL / 2);
    expect(store.getCursor()).toBe(1);
    clock.advance(INTERVAL / 2);
    expect(store.getCursor()).toBe(2);
    clock.advance(INTERVAL / 2); // entry 3 is the newest: follow the latest again
    expect(store.getCursor()).toBeNull();
    expect(h.playing.get()).toBe(false);
    expect(clock.pending).toBe(0);
  });
});

describe('startReplayFor (the app wiring)', () => {
  const file = replayToJson(
    encodeReplay({ preset: 'simple-convs', note: 'n', command: 'c', config, dataset: 'synthetic', backend: 'wasm', every: 1 }, [
      {
        step: 0, archStep: 0, epoch: 0, lr: 0.025, trainLoss: null, trainAcc: null, valLoss: null, valAcc: null,
        softmaxNormal: new Float32Array(N).fill(1 / 3), softmaxReduce: new Float32Array(N).fill(1 / 3), rawNormal: null, rawReduce: null,
      },
    ]),
  );
  const fetchOf = (body: string, status = 200) => (async () => new Response(body, { status })) as unknown as typeof fetch;
  afterEach(() => stopReplay());

  it('plays the preset\'s replay into the live store when the page opened the preset unchanged', async () => {
    expect(await startReplayFor('simple-convs', config, 'synthetic', fetchOf(file))).toBe(true);
    expect(live.replaying).toBe(true);
    expect(replayState.get()).toMatchObject({ status: 'ended', preset: 'simple-convs', total: 1 });
    stopReplay();
    expect(live.replaying).toBe(false);
    expect(replayState.get().status).toBe('off');
  });

  it('skips it for a changed config, another dataset, a missing or a malformed file', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(await startReplayFor('simple-convs', { ...config, seed: 9 }, 'synthetic', fetchOf(file))).toBe(false);
    expect(await startReplayFor('simple-convs', config, 'mnist', fetchOf(file))).toBe(false);
    expect(await startReplayFor('simple-convs', config, 'synthetic', fetchOf('not found', 404))).toBe(false);
    expect(await startReplayFor('simple-convs', config, 'synthetic', fetchOf('{"kind": "darts-replay", "version": 1}'))).toBe(false);
    expect(warn.mock.calls.map((c) => String(c[0]))).toEqual([
      expect.stringContaining('recorded on synthetic, the page searches mnist'),
      expect.stringContaining('HTTP 404'),
      expect.stringContaining('invalid replay file'),
    ]);
    expect(live.replaying).toBe(false);
    expect(replayState.get().status).toBe('off');
    warn.mockRestore();
  });
});
