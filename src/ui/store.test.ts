import { describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION, type SnapshotReply, type StepPoint } from '../worker/protocol';
import { LiveStore } from './store';

function snap(step: number, points: StepPoint[], p = 1 / 3): SnapshotReply {
  const a = () => new Float32Array(6).fill(p);
  return {
    type: 'snapshot', v: PROTOCOL_VERSION, runId: 1, state: 'running', backend: 'cpu', step, archStep: step, epoch: 0, lr: 0.025,
    stepsPerSec: 2, points, softmaxNormal: a(), softmaxReduce: a(), rawNormal: a(), rawReduce: a(),
  };
}
const pt = (step: number, extra: Partial<StepPoint> = {}): StepPoint => ({ step, archStep: step, epoch: 0, kind: 'both', trainLoss: 2, valLoss: 2.1, ...extra });

describe('LiveStore', () => {
  it('applies only the latest snapshot per frame but keeps every point in the history', () => {
    const frames: (() => void)[] = [];
    const store = new LiveStore((cb) => frames.push(cb));
    let notified = 0;
    store.subscribe(() => notified++);
    store.receive(snap(1, [pt(1)]), 3);
    store.receive(snap(3, [pt(2), pt(3)], 0.3), 3);
    expect(frames).toHaveLength(1); // one frame requested for both
    expect(store.get()).toBeNull();
    frames[0]();
    expect(notified).toBe(1);
    expect(store.get()?.step).toBe(3);
    expect(store.history.step).toEqual([1, 2, 3]);
    expect(store.history.alphaStep).toEqual([1, 3]);
    expect(store.history.entropyNormal[0]).toBeCloseTo(Math.log(3), 5);
  });

  it('merges an α-only step into the entry of its step and leaves gaps as null', () => {
    const store = new LiveStore((cb) => cb());
    store.receive(snap(1, [pt(1, { valLoss: undefined, valAcc: undefined, kind: 'weights' })]), 3);
    store.receive(snap(1, [pt(1, { trainLoss: undefined, kind: 'arch', valLoss: 1.5 })]), 3);
    expect(store.history.step).toEqual([1]);
    expect(store.history.trainLoss).toEqual([2]);
    expect(store.history.valLoss).toEqual([1.5]);
    expect(store.history.valAcc).toEqual([null]);
  });

  it('clear() forgets the run', () => {
    const store = new LiveStore((cb) => cb());
    store.receive(snap(1, [pt(1)]), 3);
    store.clear();
    expect(store.get()).toBeNull();
    expect(store.history.step).toEqual([]);
  });
});
