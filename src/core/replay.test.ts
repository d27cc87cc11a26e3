import { describe, expect, it } from 'vitest';
import { getPreset } from './presets';
import {
  decodeReplay,
  encodeReplay,
  parseReplayJson,
  RAW_SCALE,
  ReplayFormatError,
  replayToJson,
  sameConfig,
  sig4,
  SOFTMAX_SCALE,
  type RecordedFrame,
} from './replay';

const config = getPreset('simple-convs'); // 5 edges × 3 ops
const N = 15;

function softmaxRows(raw: Float32Array, k: number): Float32Array {
  const out = new Float32Array(raw.length);
  for (let r = 0; r < raw.length; r += k) {
    const row = raw.subarray(r, r + k);
    const m = Math.max(...row);
    const e = Array.from(row, (v) => Math.exp(v - m));
    const s = e.reduce((a, b) => a + b, 0);
    e.forEach((v, i) => (out[r + i] = v / s));
  }
  return out;
}

function frame(step: number, scale: number): RecordedFrame {
  const rawNormal = Float32Array.from({ length: N }, (_, i) => Math.sin(i + step) * scale);
  const rawReduce = Float32Array.from({ length: N }, (_, i) => Math.cos(i * 2 + step) * scale);
  return {
    step,
    archStep: step,
    epoch: 0,
    lr: 0.025,
    trainLoss: step === 0 ? null : 2.302585 - step * 0.0123456,
    trainAcc: step === 0 ? null : 0.1875,
    valLoss: step === 0 ? null : 2.3456789,
    valAcc: step === 0 ? null : 0.125,
    softmaxNormal: softmaxRows(rawNormal, 3),
    softmaxReduce: softmaxRows(rawReduce, 3),
    rawNormal,
    rawReduce,
  };
}

const meta = { preset: 'simple-convs', note: 'test', command: 'npm run -s darts -- record …', config, dataset: 'synthetic', backend: 'wasm', every: 2 };
const frames = [frame(0, 0.001), frame(2, 0.05), frame(4, 0.3)];

/** A valid file object to break in the malformed-file tests. */
const validFile = () => JSON.parse(replayToJson(encodeReplay(meta, frames))) as Record<string, any>;

describe('replay format', () => {
  it('round-trips: softmax to 1e-4 (the drawn data-weight), raw α to 1e-5, metrics to 4 significant digits', () => {
    const r = parseReplayJson(replayToJson(encodeReplay(meta, frames)));
    expect(r.preset).toBe('simple-convs');
    expect(r.every).toBe(2);
    expect(r.alphaShape).toEqual({ edges: 5, ops: 3 });
    expect(r.ops).toEqual(['conv_1x1', 'conv_3x3', 'conv_5x5']);
    expect(sameConfig(r.config, config)).toBe(true);
    expect(r.frames.map((f) => f.step)).toEqual([0, 2, 4]);
    frames.forEach((f, i) => {
      const d = r.frames[i];
      for (let j = 0; j < N; j++) {
        expect(Math.abs(d.softmaxNormal[j] - f.softmaxNormal[j])).toBeLessThanOrEqual(0.5 / SOFTMAX_SCALE + 1e-7);
        expect(Math.abs(d.softmaxReduce[j] - f.softmaxReduce[j])).toBeLessThanOrEqual(0.5 / SOFTMAX_SCALE + 1e-7);
        expect(Math.abs(d.rawNormal![j] - f.rawNormal![j])).toBeLessThanOrEqual(0.5 / RAW_SCALE + 1e-7);
        // what the cells draw (4 decimals) is what was recorded
        expect(d.softmaxNormal[j].toFixed(4)).toBe((Math.round(f.softmaxNormal[j] * SOFTMAX_SCALE) / SOFTMAX_SCALE).toFixed(4));
      }
    });
    expect(r.frames[0].trainLoss).toBeNull();
    expect(r.frames[1].trainLoss).toBe(2.278);
    expect(r.frames[1].valLoss).toBe(2.346);
  });

  it('stores α as integers, one frame per line, and --no-raw leaves raw α out', () => {
    const text = replayToJson(encodeReplay(meta, frames));
    const lines = text.trim().split('\n');
    expect(lines).toHaveLength(1 + frames.length + 1); // head, frames, closing
    const f1 = JSON.parse(lines[2].replace(/,$/, ''));
    expect(f1.softmax.normal.every(Number.isInteger)).toBe(true);
    expect(f1.raw.normal.every(Number.isInteger)).toBe(true);
    const noRaw = parseReplayJson(replayToJson(encodeReplay({ ...meta, raw: false }, frames)));
    expect(noRaw.frames[1].rawNormal).toBeNull();
    expect(text.length).toBeGreaterThan(replayToJson(encodeReplay({ ...meta, raw: false }, frames)).length);
  });

  it('sig4 keeps 4 significant digits and turns non-finite values into null', () => {
    expect(sig4(2.302585)).toBe(2.303);
    expect(sig4(0.000123456)).toBe(0.0001235);
    expect(sig4(NaN)).toBeNull();
    expect(sig4(undefined)).toBeNull();
  });

  describe('a malformed file is refused with a message that says what is wrong', () => {
    const cases: [string, (f: Record<string, any>) => unknown, RegExp][] = [
      ['not an object', () => [1, 2], /expected a JSON object/],
      ['another kind', (f) => ({ ...f, kind: 'darts-run' }), /kind.*darts-replay/],
      ['a future version', (f) => ({ ...f, version: 2 }), /version.*1/],
      ['no frames', (f) => ({ ...f, frames: [] }), /at least one frame/],
      ['a frame of the wrong size', (f) => ((f.frames[1].softmax.normal = f.frames[1].softmax.normal.slice(1)), f), /frames\[1\]\.softmax\.normal has 14 values, expected 5×3 = 15/],
      ['a non-integer α', (f) => ((f.frames[0].softmax.reduce[3] = 0.5), f), /frames\[0\]\.softmax\.reduce\[3\]/],
      ['a shape that is not the config\'s', (f) => ({ ...f, alphaShape: { edges: 14, ops: 3 } }), /alphaShape 14×3 does not match the config \(5 edges × 3 ops\)/],
      ['an invalid config', (f) => ({ ...f, config: { ...f.config, C: 3 } }), /config:.*C/],
      ['steps going back', (f) => ((f.frames[2].step = 1), f), /frames\[2\]\.step 1 goes back from 2/],
      ['a missing metric', (f) => (delete f.frames[1].valAcc, f), /frames\[1\]\.valAcc/],
    ];
    for (const [name, breakIt, message] of cases) {
      it(name, () => {
        const bad = breakIt(validFile());
        expect(() => decodeReplay(bad)).toThrow(ReplayFormatError);
        expect(() => decodeReplay(bad)).toThrow(message);
      });
    }
    it('text that is not JSON', () => {
      expect(() => parseReplayJson('{"kind": "darts-replay",')).toThrow(/must be JSON/);
    });
  });

  it('sameConfig tells the preset apart from a changed seed or size', () => {
    expect(sameConfig(getPreset('lecture'), getPreset('lecture'))).toBe(true);
    expect(sameConfig(getPreset('lecture'), { ...getPreset('lecture'), seed: 3 })).toBe(false);
    expect(sameConfig(getPreset('lecture'), { ...getPreset('lecture'), height: 8, width: 8 })).toBe(false);
  });
});
