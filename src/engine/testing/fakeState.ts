/**
 * Test helper: a SavedSearchState for `cfg` with recognisable made-up values, laid out exactly as
 * the engine saves it (reference names, tfjs shapes, BN buffers per call site; β for PC-DARTS).
 */
import type { SearchConfig } from '../../core/config';
import type { SavedSearchState } from '../../core/runFile';
import { numEdges } from '../../core/searchSpace';
import { supernetLayout } from '../supernetPlan';

export interface FakeStateOptions {
  step: number;
  /** Include SGD momentum and Adam moments (false: a run saved before its first step's optimisers). */
  optimiser: boolean;
  /** The value of the k-th number drawn (default sin k · 0.1). */
  wave?: (k: number) => number;
}

export function fakeSavedState(cfg: SearchConfig, o: FakeStateOptions): SavedSearchState {
  const L = supernetLayout(cfg);
  const wave = o.wave ?? ((k: number) => Math.sin(k) * 0.1);
  let k = 0;
  const vals = (n: number) => Float32Array.from({ length: n }, () => Math.fround(wave(++k)));
  const size = (shape: readonly number[]) => shape.reduce((x, y) => x * y, 1);
  const a = numEdges(cfg.steps) * cfg.ops.length;
  const E = numEdges(cfg.steps);
  const pc = cfg.method === 'pc-darts';
  return {
    config: cfg,
    step: o.step,
    archSteps: o.step,
    weights: L.specs.map((s) => ({ name: s.name, shape: [...s.shape], data: vals(size(s.shape)) })),
    buffers: L.bns.flatMap((b) => [
      { name: `${b.name}.running_mean`, shape: [b.channels], data: vals(b.channels) },
      { name: `${b.name}.running_var`, shape: [b.channels], data: vals(b.channels).map(Math.abs) },
    ]),
    alphaNormal: vals(a),
    alphaReduce: vals(a),
    // PC-DARTS runs carry the edge weights β (one per edge).
    ...(pc ? { betaNormal: vals(E), betaReduce: vals(E) } : {}),
    momentum: o.optimiser ? L.specs.map((s) => vals(size(s.shape))) : [],
    adam: o.optimiser
      ? { t: o.step, m: [vals(a), vals(a), ...(pc ? [vals(E), vals(E)] : [])], v: [vals(a).map(Math.abs), vals(a).map(Math.abs), ...(pc ? [vals(E).map(Math.abs), vals(E).map(Math.abs)] : [])] }
      : { t: 0, m: [], v: [] },
    rngState: o.optimiser ? [1, 2, 3, 4] : [],
  };
}
