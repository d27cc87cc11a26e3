/**
 * Counts the tfjs kernels a piece of work runs, by kernel name, with their self time (time spent
 * in a kernel minus the kernels it runs itself). It wraps `engine.runKernelFunc`, the one place
 * every registered kernel and every custom-gradient function passes through, so it sees what a
 * step really executes. Used by `darts bench` (kernelsPerStep) and by scripts/profile-kernels.ts.
 *
 * Self times are wall-clock and only meaningful on synchronous backends (cpu, wasm); on webgl and
 * webgpu they measure the time to enqueue work.
 */
import * as tf from '@tensorflow/tfjs-core';

export interface KernelStats {
  /** Kernels run in all. */
  total: number;
  /** Sum of self times, ms. */
  totalMs: number;
  byName: Record<string, { count: number; ms: number }>;
}

interface EngineLike {
  runKernelFunc(params: { kernelName?: string }): unknown;
  state: { activeScope: { name: string } | null };
}

const now = () => (typeof performance !== 'undefined' ? performance.now() : Date.now());

/** Run `fn` while counting kernels; the wrapper is removed when `fn` settles. */
export async function countKernels<T>(fn: () => Promise<T>): Promise<{ result: T; stats: KernelStats }> {
  const engine = tf.engine() as unknown as EngineLike;
  const original = engine.runKernelFunc;
  const byName: KernelStats['byName'] = {};
  let total = 0;
  // Stack of child time accumulators, so a kernel's self time excludes the kernels it runs.
  const childMs: number[] = [];
  engine.runKernelFunc = function (this: EngineLike, params: { kernelName?: string }) {
    const name = params.kernelName ?? `custom:${engine.state.activeScope?.name ?? '?'}`;
    total++;
    childMs.push(0);
    const t0 = now();
    try {
      return original.call(this, params);
    } finally {
      const dt = now() - t0;
      const inner = childMs.pop()!;
      if (childMs.length) childMs[childMs.length - 1] += dt;
      const e = (byName[name] ??= { count: 0, ms: 0 });
      e.count++;
      e.ms += dt - inner;
    }
  };
  try {
    const result = await fn();
    const totalMs = Object.values(byName).reduce((a, b) => a + b.ms, 0);
    return { result, stats: { total, totalMs, byName } };
  } finally {
    engine.runKernelFunc = original;
  }
}

/** The n most expensive kernels of a count, as printable rows. */
export function topKernels(stats: KernelStats, n = 25): { name: string; count: number; ms: number; usEach: number }[] {
  return Object.entries(stats.byName)
    .map(([name, v]) => ({ name, count: v.count, ms: Math.round(v.ms * 10) / 10, usEach: Math.round((v.ms / v.count) * 1000) / 1000 }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, n);
}
