/**
 * `darts bench`: time search steps of a config on random data (as the reference benchmarks are)
 * and print ONE JSON line: msPerStep (median), stepsPerSec, alphaStepMs, weightStepMs, peakBytes,
 * numTensorsStable, followed by what was measured (backend, order, preset, steps, warmup).
 */
import {
  backendArg,
  CONFIG_OPTIONS,
  HELP_OPTION,
  intArg,
  orderArg,
  parseCommandArgs,
  type NodeBackend,
  type OptionSpecs,
} from './args';
import { resolveConfig } from './configArgs';
import type { BenchResult } from '../engine/bench';
import type { CommandIO } from './io';
import { ProgressBar } from './progress';

export const BENCH_OPTIONS = {
  ...CONFIG_OPTIONS,
  backend: { type: 'string' },
  order: { type: 'string' },
  method: { type: 'string' },
  steps: { type: 'string' },
  warmup: { type: 'string' },
  seed: { type: 'string' },
  ...HELP_OPTION,
} as const satisfies OptionSpecs;

export const BENCH_USAGE = `usage: darts bench [--preset NAME | --config cfg.json] [config flags]
                   [--backend cpu|wasm] [--order 1|2] [--method M] [--steps 10] [--warmup 2] [--seed S]

Times --steps search steps (α step + weight step) after --warmup untimed ones, on random data,
and prints one JSON line: msPerStep (median), stepsPerSec, alphaStepMs, weightStepMs,
peakBytes (peak tensor memory of a step, each buffer once), heapBytes (wasm heap size),
kernelsPerStep (tfjs kernels one step runs), kernels (simd | js | composite: how our custom
kernels run), numTensorsStable (no tensor leaked by the timed steps).
  --backend B   cpu or wasm (default wasm)
  --order 1|2   first- or second-order α step (default: the config's)
example: npm run -s darts -- bench --preset tiny-mnist --backend wasm --order 1`;

export async function benchCommand(args: string[], io: CommandIO): Promise<number> {
  const values = parseCommandArgs('bench', args, BENCH_OPTIONS);
  if (values.help) {
    io.out(BENCH_USAGE + '\n');
    return 0;
  }
  const { config, preset } = resolveConfig(values, 'bench', { seed: true, order: true });
  const backend: NodeBackend = backendArg(values, 'bench') ?? 'wasm';
  const steps = intArg(values, 'steps', 'bench', { min: 1 }) ?? 10;
  const warmup = intArg(values, 'warmup', 'bench', { min: 0 }) ?? 2;

  const { initNodeBackend } = await import('../engine/node');
  const { benchSteps } = await import('../engine/bench');
  await initNodeBackend(backend);
  io.err(`darts bench: ${preset ?? 'custom config'}, ${backend}, order ${config.order}, ${warmup} warm-up + ${steps} timed steps\n`);
  // warm-up + timed steps + the memory step + the kernel-count step
  const bar = new ProgressBar(io, warmup + steps + 1, 'bench');
  let r: BenchResult;
  try {
    r = await benchSteps(config, { steps, warmup, onProgress: (done) => bar.update(done) });
  } finally {
    bar.finish();
  }
  const line = {
    msPerStep: r.msPerStep,
    stepsPerSec: r.stepsPerSec,
    alphaStepMs: r.alphaStepMs,
    weightStepMs: r.weightStepMs,
    peakBytes: r.peakBytes,
    ...(r.heapBytes ? { heapBytes: r.heapBytes } : {}),
    kernelsPerStep: r.kernelsPerStep,
    kernels: r.kernels,
    numTensorsStable: r.numTensorsStable,
    backend: r.backend,
    order: r.order,
    ...(preset !== undefined ? { preset } : {}),
    paramCount: r.paramCount,
    batch: config.batchSize,
    steps: r.steps,
    warmup: r.warmup,
  };
  io.out(JSON.stringify(line) + '\n');
  return 0;
}
