/**
 * "Compare runs" (issue 12 item 4): the pure part. Two runs, A and B, each a list of α frames
 * with the config that made them, are put side by side at a shared step. This module turns the
 * sources (the live store's history, a pinned copy, a replay) into one shape, finds the frame of
 * each run at a step, aligns the two runs' trajectories on one x axis, and derives genotypes.
 * The store and the React views (compareStore.ts, CompareDialog.tsx) stay thin around it.
 */
import type { SearchConfig } from '../core/config';
import type { Genotype } from '../core/genotype';
import { isMethodName, METHOD_INFO } from '../core/methods';
import type { Replay } from '../core/replay';
import { numEdges, stateName } from '../core/searchSpace';
import { meanEdgeEntropy } from '../viz/entropy';
import type { CellKind } from '../viz/types';
import { genotypeFromSoftmax } from './derived';

/** Where a run came from: the one on screen, a pinned copy of it, a replay, or an opened file. */
export type RunSource = 'live' | 'replay' | 'pinned' | 'file';

/** One recorded α state of a run. */
export interface CompareFrame {
  step: number;
  softmaxNormal: Float32Array;
  softmaxReduce: Float32Array;
  /** The method's derivation rows where they are not softmax(α) (PC-DARTS, FairDARTS). */
  deriveNormal?: Float32Array | null;
  deriveReduce?: Float32Array | null;
}

export interface CompareRun {
  id: string;
  source: RunSource;
  /** What the user sees in the run pickers, e.g. "Pinned 1: replay of lecture". */
  name: string;
  config: SearchConfig;
  /** In step order (steps may repeat: an α-only step does not advance the step counter). */
  frames: CompareFrame[];
  /** Mean edge entropy (nats) of every frame, per cell type. */
  entropyNormal: number[];
  entropyReduce: number[];
}

/** The method's display label; configs (and replays) from before methods existed are DARTS. */
export function methodLabel(config: Pick<SearchConfig, 'method'> | { method?: unknown }): string {
  const m = (config as { method?: unknown }).method;
  return METHOD_INFO[isMethodName(m) ? m : 'darts'].label;
}

/** "DARTS · seed 2": what tells two runs of one preset apart. */
export function runTitle(run: Pick<CompareRun, 'config'>): string {
  return `${methodLabel(run.config)} · seed ${run.config.seed}`;
}

/** Build a run from frames; the entropies are computed unless given (the live store has them). */
export function makeRun(
  id: string,
  source: RunSource,
  name: string,
  config: SearchConfig,
  frames: readonly CompareFrame[],
  entropy?: { normal: readonly number[]; reduce: readonly number[] },
): CompareRun {
  const k = config.ops.length;
  const ok = entropy && entropy.normal.length === frames.length && entropy.reduce.length === frames.length;
  return {
    id,
    source,
    name,
    config,
    // Copies of the lists (the live history keeps growing); the α arrays themselves are never
    // written after they arrive, so they are shared, not copied.
    frames: frames.map((f) => ({ step: f.step, softmaxNormal: f.softmaxNormal, softmaxReduce: f.softmaxReduce, deriveNormal: f.deriveNormal ?? null, deriveReduce: f.deriveReduce ?? null })),
    entropyNormal: ok ? [...entropy.normal] : frames.map((f) => meanEdgeEntropy(f.softmaxNormal, k)),
    entropyReduce: ok ? [...entropy.reduce] : frames.map((f) => meanEdgeEntropy(f.softmaxReduce, k)),
  };
}

/** The live store's history (src/ui/store.ts `History`) as a run. */
export function runFromHistory(
  history: { frames: readonly CompareFrame[]; entropyNormal: readonly number[]; entropyReduce: readonly number[] },
  config: SearchConfig,
  id: string,
  source: RunSource,
  name: string,
): CompareRun {
  return makeRun(id, source, name, config, history.frames, { normal: history.entropyNormal, reduce: history.entropyReduce });
}

/**
 * A decoded replay (src/core/replay.ts) as a run: a built-in one, an opened file, or anything
 * else that decodes to a `Replay` (a converted train_search.py log).
 */
export function runFromReplay(replay: Replay, id: string, source: RunSource, name: string): CompareRun {
  return makeRun(id, source, name, replay.config, replay.frames);
}

/** A copy of `run` under a new id, name and source (pinning keeps the frames it has now). */
export function pinRun(run: CompareRun, id: string, name: string): CompareRun {
  return { ...run, id, name, source: 'pinned', frames: [...run.frames], entropyNormal: [...run.entropyNormal], entropyReduce: [...run.entropyReduce] };
}

// ------------------------------------------------------------------ steps

/**
 * The frame a run shows at `step`: the last one recorded at or before it (a run recorded every
 * 4 steps shows step 8 at step 10), the first one before its first step, and the latest one for
 * `null` ("latest"). -1 when the run has no frames.
 */
export function frameIndexAtStep(frames: readonly { step: number }[], step: number | null): number {
  const n = frames.length;
  if (n === 0) return -1;
  if (step === null) return n - 1;
  // Binary search for the last index with frames[i].step <= step.
  let lo = 0;
  let hi = n - 1;
  if (frames[0].step > step) return 0;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (frames[mid].step <= step) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** The last step of the runs given (0 when none has frames): the scrubber's end. */
export function lastStep(...runs: (CompareRun | null)[]): number {
  let m = 0;
  for (const r of runs) if (r && r.frames.length > 0) m = Math.max(m, r.frames[r.frames.length - 1].step);
  return m;
}

/** Which entry of `xs` each point of `a` and `b` went to (null: that run has no point there). */
export interface Alignment {
  xs: number[];
  a: (number | null)[];
  b: (number | null)[];
}

/**
 * Merge two ascending step lists onto one x axis, for overlaying two runs on one chart (uPlot
 * wants one ascending x array with every series aligned to it). Equal steps share an x; a step
 * that repeats within one run keeps its repeats.
 */
export function alignByStep(aSteps: readonly number[], bSteps: readonly number[]): Alignment {
  const out: Alignment = { xs: [], a: [], b: [] };
  let i = 0;
  let j = 0;
  while (i < aSteps.length || j < bSteps.length) {
    const x = i < aSteps.length ? aSteps[i] : Infinity;
    const y = j < bSteps.length ? bSteps[j] : Infinity;
    if (x === y) {
      out.xs.push(x);
      out.a.push(i++);
      out.b.push(j++);
    } else if (x < y) {
      out.xs.push(x);
      out.a.push(i++);
      out.b.push(null);
    } else {
      out.xs.push(y);
      out.a.push(null);
      out.b.push(j++);
    }
  }
  return out;
}

/** Values of one run on the aligned axis (null where it has no point). */
export function pickAligned<T>(values: readonly T[], idx: readonly (number | null)[]): (T | null)[] {
  return idx.map((i) => (i === null ? null : (values[i] ?? null)));
}

// ------------------------------------------------------------------ trajectories

/**
 * What the compare chart plots. `entropy`: mean edge entropy divided by its maximum ln(#ops), so
 * runs over different op sets share one scale (1 = undecided, 0 = every edge committed).
 * `edge`: softmax(α) of one edge, one line per op.
 */
export type TrajectoryMode = { kind: 'entropy' } | { kind: 'edge'; cell: CellKind; row: number };

export interface TrajectoryLine {
  run: 'A' | 'B';
  /** An op name (edge mode) or the cell type (entropy mode): the colour key. */
  key: string;
  label: string;
  values: (number | null)[];
}

export function trajectories(a: CompareRun | null, b: CompareRun | null, mode: TrajectoryMode): { xs: number[]; lines: TrajectoryLine[] } {
  const al = alignByStep(a?.frames.map((f) => f.step) ?? [], b?.frames.map((f) => f.step) ?? []);
  const lines: TrajectoryLine[] = [];
  const each = (run: CompareRun | null, slot: 'A' | 'B') => {
    if (!run) return;
    const idx = slot === 'A' ? al.a : al.b;
    if (mode.kind === 'entropy') {
      const max = Math.log(Math.max(2, run.config.ops.length));
      for (const cell of ['normal', 'reduce'] as const) {
        const h = cell === 'normal' ? run.entropyNormal : run.entropyReduce;
        lines.push({ run: slot, key: cell, label: `${slot} ${cell === 'normal' ? 'normal' : 'reduction'}`, values: pickAligned(h.map((v) => v / max), idx) });
      }
      return;
    }
    const k = run.config.ops.length;
    if (mode.row >= numEdges(run.config.steps)) return; // this run's cells have fewer edges
    run.config.ops.forEach((op, c) => {
      const v = run.frames.map((f) => (mode.cell === 'normal' ? f.softmaxNormal : f.softmaxReduce)[mode.row * k + c] ?? null);
      lines.push({ run: slot, key: op, label: `${slot} ${op}`, values: pickAligned(v, idx) });
    });
  };
  each(a, 'A');
  each(b, 'B');
  return { xs: al.xs, lines };
}

/** "c_{k-1} → 0" for α row `row` of a cell with `steps` nodes (spec §1.5 edge order). */
export function edgeName(row: number, steps: number): string {
  let r = row;
  for (let to = 0; to < steps; to++) {
    if (r < to + 2) return `${stateName(r)} → ${to}`;
    r -= to + 2;
  }
  return `row ${row}`;
}

// ------------------------------------------------------------------ genotypes

const genotypeCache = new WeakMap<CompareFrame, Genotype | null>();

/** The genotype derived from one frame (spec §4.1), or null for a diverged α. Cached per frame. */
export function frameGenotype(run: CompareRun, index: number): Genotype | null {
  const f = run.frames[index];
  if (!f) return null;
  if (genotypeCache.has(f)) return genotypeCache.get(f) ?? null;
  let g: Genotype | null = null;
  try {
    g = genotypeFromSoftmax(f.deriveNormal ?? f.softmaxNormal, f.deriveReduce ?? f.softmaxReduce, run.config);
  } catch {
    g = null;
  }
  genotypeCache.set(f, g);
  return g;
}
