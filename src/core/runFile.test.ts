import { describe, expect, it } from 'vitest';
import { getPreset } from './presets';
import { decodeRunFile, encodeRunFile, RunFileError, type RunFileContent, type SavedSearchState } from './runFile';
import { numEdges } from './searchSpace';

function state(): SavedSearchState {
  const config = { ...getPreset('simple-convs') };
  const a = numEdges(config.steps) * config.ops.length;
  const f = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i + k));
  return {
    config,
    step: 7,
    archSteps: 7,
    weights: [
      { name: 'stem.0.weight', shape: [2, 3], data: f(6, 1) },
      { name: 'classifier.bias', shape: [4], data: f(4, 2) },
    ],
    buffers: [{ name: 'stem.1.running_mean', shape: [2], data: f(2, 3) }],
    alphaNormal: f(a, 4),
    alphaReduce: f(a, 5),
    momentum: [f(6, 6), f(4, 7)],
    adam: { t: 7, m: [f(a, 8), f(a, 9)], v: [f(a, 10).map(Math.abs), f(a, 11).map(Math.abs)] },
    rngState: [1, 2, 3, 4],
  };
}
const content = (): RunFileContent => ({
  state: state(),
  dataset: { name: 'task', id: 'task-long-range' },
  savedAt: '2026-12-06T22:00:00.000Z',
  history: { step: [1, 2], trainLoss: [1.2, 1.1], trainAcc: [0.3, null], valLoss: [null, 1.3], valAcc: [0.25, 0.3] },
});

describe('run file', () => {
  it('round-trips every value exactly', () => {
    const c = content();
    const back = decodeRunFile(encodeRunFile(c));
    expect(back).toEqual(c);
  });

  it('reads a file whose bytes are not 4-byte aligned in memory', () => {
    const bytes = encodeRunFile(content());
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(decodeRunFile(shifted).state.alphaNormal).toEqual(content().state.alphaNormal);
  });

  const broken: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ['another file', () => new TextEncoder().encode('{"normal": []}'), /does not start with "DRUN"/],
    ['a newer version', (b) => (new DataView(b.buffer).setUint32(4, 9, true), b), /version 9.*newer version/],
    ['a truncated file', (b) => b.subarray(0, b.length - 8), /truncated/],
    ['a cut header', (b) => b.subarray(0, 40), /truncated/],
  ];
  for (const [what, edit, msg] of broken) {
    it(`refuses ${what} with a message`, () => {
      expect(() => decodeRunFile(edit(encodeRunFile(content())))).toThrow(msg);
    });
  }

  it('names the field of a state that does not fit its config', () => {
    const c = content();
    c.state.alphaNormal = c.state.alphaNormal.subarray(1);
    expect(() => decodeRunFile(encodeRunFile(c))).toThrow(/tensors\[3\] has shape \[\d+, \d+\] but \d+ values/);
    const d = content();
    d.state.momentum = [d.state.momentum[0]];
    expect(() => decodeRunFile(encodeRunFile(d))).toThrow(/1 momentum tensors for 2 weights/);
    const e = content();
    e.state.weights[1].data[0] = Number.NaN;
    expect(() => decodeRunFile(encodeRunFile(e))).toThrow(/tensors\[1\] \(classifier.bias\) holds NaN/);
    const g = content();
    g.state.config = { ...g.state.config, steps: 0 };
    expect(() => decodeRunFile(encodeRunFile(g))).toThrow(RunFileError);
  });
});
