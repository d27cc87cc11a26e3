import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { diffGenotypes } from '../core/genotypeDiff';
import { getPreset } from '../core/presets';
import { parseReplayJson } from '../core/replay';
import {
  alignByStep,
  edgeName,
  frameGenotype,
  frameIndexAtStep,
  lastStep,
  makeRun,
  methodLabel,
  pickAligned,
  pinRun,
  runFromHistory,
  runFromReplay,
  runTitle,
  trajectories,
  type CompareFrame,
} from './compare';

const replay = (name: string) => parseReplayJson(readFileSync(fileURLToPath(new URL(`../../public/replays/${name}.json`, import.meta.url)), 'utf8'));

/** A frame whose every edge puts weight `p` on column `hot` (the rest shared evenly). */
function frame(step: number, ops: number, edges: number, hot: number, p = 0.9): CompareFrame {
  const m = new Float32Array(edges * ops);
  for (let e = 0; e < edges; e++) for (let c = 0; c < ops; c++) m[e * ops + c] = c === hot ? p : (1 - p) / (ops - 1);
  return { step, softmaxNormal: m, softmaxReduce: m.slice() };
}

describe('frameIndexAtStep', () => {
  const frames = [0, 4, 8, 8, 12].map((step) => ({ step }));
  it('takes the last frame at or before the step', () => {
    expect(frameIndexAtStep(frames, 0)).toBe(0);
    expect(frameIndexAtStep(frames, 5)).toBe(1);
    expect(frameIndexAtStep(frames, 8)).toBe(3);
    expect(frameIndexAtStep(frames, 11)).toBe(3);
    expect(frameIndexAtStep(frames, 100)).toBe(4);
  });
  it('shows the first frame before the run starts, the last for "latest", -1 without frames', () => {
    expect(frameIndexAtStep([{ step: 10 }], 3)).toBe(0);
    expect(frameIndexAtStep(frames, null)).toBe(4);
    expect(frameIndexAtStep([], 3)).toBe(-1);
  });
});

describe('alignByStep', () => {
  it('merges two step lists onto one ascending axis', () => {
    const al = alignByStep([0, 4, 8], [0, 2, 4, 6]);
    expect(al.xs).toEqual([0, 2, 4, 6, 8]);
    expect(al.a).toEqual([0, null, 1, null, 2]);
    expect(al.b).toEqual([0, 1, 2, 3, null]);
    expect(pickAligned(['a0', 'a1', 'a2'], al.a)).toEqual(['a0', null, 'a1', null, 'a2']);
  });
  it('keeps repeated steps of one run and handles an empty side', () => {
    const al = alignByStep([0, 3, 3, 5], [3]);
    expect(al.xs).toEqual([0, 3, 3, 5]);
    expect(al.b).toEqual([null, 0, null, null]);
    expect(alignByStep([], [1, 2])).toEqual({ xs: [1, 2], a: [null, null], b: [0, 1] });
  });
});

describe('runs', () => {
  const cfg = getPreset('lecture');
  const frames = [frame(0, 8, 14, 4, 0.125), frame(10, 8, 14, 4)];

  it('labels a run by method and seed (no method field = DARTS)', () => {
    expect(methodLabel(cfg)).toBe('DARTS');
    expect(methodLabel({})).toBe('DARTS');
    expect(methodLabel({ method: 'pc-darts' })).toBe('PC-DARTS');
    expect(runTitle({ config: { ...cfg, seed: 7 } })).toBe('DARTS · seed 7');
  });

  it('copies the live history, so a pin keeps the frames it had', () => {
    const history = { frames: [...frames], entropyNormal: [2, 1], entropyReduce: [2, 1] };
    const a = runFromHistory(history, cfg, 'current', 'live', 'This run');
    history.frames.push(frame(20, 8, 14, 5));
    expect(a.frames).toHaveLength(2);
    expect(a.entropyNormal).toEqual([2, 1]);
    const pinned = pinRun(a, 'pin-1', 'Pinned 1');
    expect(pinned).toMatchObject({ id: 'pin-1', source: 'pinned', name: 'Pinned 1' });
    expect(pinned.frames).not.toBe(a.frames);
    expect(lastStep(a, null, pinned)).toBe(10);
  });

  it('computes entropies when the source has none, and derives a genotype per frame', () => {
    const r = makeRun('x', 'file', 'x', cfg, frames);
    expect(r.entropyNormal[0]).toBeCloseTo(Math.log(8), 4);
    expect(r.entropyNormal[1]).toBeLessThan(r.entropyNormal[0]);
    const g = frameGenotype(r, 1)!;
    expect(g.normal).toHaveLength(8);
    expect(g.normal.every(([op]) => op === 'sep_conv_3x3')).toBe(true);
    expect(frameGenotype(r, 5)).toBeNull();
  });

  it('names edges in the spec §1.5 order', () => {
    expect(edgeName(0, 4)).toBe('c_{k-2} → 0');
    expect(edgeName(2, 4)).toBe('c_{k-2} → 1');
    expect(edgeName(4, 4)).toBe('0 → 1');
    expect(edgeName(13, 4)).toBe('2 → 3');
  });
});

describe('trajectories', () => {
  const cfg = getPreset('lecture');
  const a = makeRun('a', 'live', 'A', cfg, [frame(0, 8, 14, 4, 0.125), frame(4, 8, 14, 4)]);
  const small = { ...cfg, ops: ['none', 'skip_connect', 'sep_conv_3x3'] as typeof cfg.ops, steps: 2, multiplier: 2 };
  const b = makeRun('b', 'replay', 'B', small, [frame(0, 3, 5, 1, 1 / 3), frame(2, 3, 5, 1)]);

  it('overlays the normalised entropy of both runs on one axis', () => {
    const t = trajectories(a, b, { kind: 'entropy' });
    expect(t.xs).toEqual([0, 2, 4]);
    expect(t.lines.map((l) => l.label)).toEqual(['A normal', 'A reduction', 'B normal', 'B reduction']);
    expect(t.lines[0].values[0]).toBeCloseTo(1, 4); // uniform = 1 whatever the op count
    expect(t.lines[2].values[0]).toBeCloseTo(1, 4);
    expect(t.lines[0].values[1]).toBeNull();
  });

  it('plots one line per op of the chosen edge, skipping a run without that edge', () => {
    const t = trajectories(a, b, { kind: 'edge', cell: 'normal', row: 0 });
    expect(t.lines).toHaveLength(8 + 3);
    const bSkip = t.lines.find((l) => l.run === 'B' && l.key === 'skip_connect')!;
    expect(bSkip.values[1]).toBeCloseTo(0.9, 5);
    const beyond = trajectories(a, b, { kind: 'edge', cell: 'reduce', row: 9 });
    expect(beyond.lines.every((l) => l.run === 'A')).toBe(true);
    expect(trajectories(null, null, { kind: 'entropy' })).toEqual({ xs: [], lines: [] });
  });
});

describe('built-in replays', () => {
  it('compares the lecture replay with skip-collapse: their final genotypes differ', () => {
    const lecture = runFromReplay(replay('lecture'), 'r-lecture', 'replay', 'lecture');
    const collapse = runFromReplay(replay('skip-collapse'), 'r-skip', 'replay', 'skip-collapse');
    expect(lecture.frames.length).toBeGreaterThan(10);
    const ga = frameGenotype(lecture, frameIndexAtStep(lecture.frames, null))!;
    const gb = frameGenotype(collapse, frameIndexAtStep(collapse.frames, null))!;
    const d = diffGenotypes(ga, gb);
    expect(d.total).toBe(16);
    expect(d.differing).toBeGreaterThan(0);
    // A run compared with itself at the same step agrees everywhere.
    expect(diffGenotypes(ga, ga).differing).toBe(0);
  });
});

describe('a train_search.py log as run B', () => {
  it('decodes through the log parser into a comparable replay', async () => {
    const { decodeRunText } = await import('./compareStore');
    const text = readFileSync(fileURLToPath(new URL('../core/__fixtures__/train_search_modern.txt', import.meta.url)), 'utf8');
    const r = decodeRunText(text);
    expect(r.frames.length).toBeGreaterThan(1);
    expect(r.config.ops.length).toBe(8);
  });
});
