/**
 * `darts search`: a DARTS search in Node on the synthetic dataset or a built-in image dataset
 * (MNIST, Fashion-MNIST from public/data, built by `npm run data`), with a progress bar on
 * stderr. `--out run.json` saves the config, the genotype, raw and softmax α and the metric
 * history; stdout gets a JSON summary. tfjs is loaded only here and in bench.
 *
 * There is no graceful Ctrl-C: tfjs kernels on cpu and wasm block the event loop for the whole
 * step, and tsx SIGKILLs a child that does not acknowledge a signal within 30 ms.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SearchConfig } from '../core/config';
import { knownClassCount } from '../core/datasetClasses';
import { collapseCounts, collapseWarnings, isParameterFree, type CollapseRule } from '../core/collapse';
import { deriveForMethod } from '../core/methodDerive';
import { decodeRunFile, encodeRunFile, type RunDataset, type RunFileContent, type SavedSearchState } from '../core/runFile';
import { didYouMean } from '../core/suggest';
import type { StepResult } from '../engine/types';
import {
  backendArg,
  CONFIG_OPTIONS,
  HELP_OPTION,
  intArg,
  parseCommandArgs,
  str,
  UsageError,
  type NodeBackend,
  type OptionSpecs,
  type ParsedValues,
} from './args';
import { resolveConfig } from './configArgs';
import { formatJson, type CommandIO } from './io';
import { ProgressBar } from './progress';

export const SEARCH_OPTIONS = {
  ...CONFIG_OPTIONS,
  dataset: { type: 'string' },
  augment: { type: 'boolean' },
  steps: { type: 'string' },
  seed: { type: 'string' },
  order: { type: 'string' },
  method: { type: 'string' },
  backend: { type: 'string' },
  out: { type: 'string' },
  save: { type: 'string' },
  resume: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  'eigen-every': { type: 'string' },
  'eigen-iters': { type: 'string' },
  ...HELP_OPTION,
} as const satisfies OptionSpecs;

export const DEFAULT_SEARCH_STEPS = 20;
export const DEFAULT_CLI_EIGEN_ITERS = 20;

/** Datasets `darts search` can use. */
export const SEARCH_DATASETS = ['synthetic', 'mnist', 'fashion-mnist', 'task-texture', 'task-long-range', 'task-pool'] as const;

/** Classes a dataset has (synthetic: whatever the config asks for). */
export function datasetClasses(dataset: SearchDataset): number | null {
  return knownClassCount(dataset);
}
export type SearchDataset = (typeof SEARCH_DATASETS)[number];

export const SEARCH_USAGE = `usage: darts search [--preset NAME | --config cfg.json] [config flags] [--dataset D] [--augment]
                    [--steps N] [--seed S] [--order 1|2] [--method M] [--backend cpu|wasm] [--out run.json] [-q]
                    [--save run.darts] [--resume run.darts] [--eigen-every K [--eigen-iters N]]

Runs N search steps (each one α step, then one weight step, as the reference train loop), with a
progress bar on stderr (-q hides it).
  --dataset D     synthetic, mnist, fashion-mnist or a teaching task (task-texture,
                  task-long-range, task-pool) (default: the preset's or run file's dataset when it
                  is one of these, else synthetic). mnist and fashion-mnist are read from
                  public/data (npm run data), resized to the config's --size and --in-channels,
                  and need --classes 10; the tasks are generated from the seed and need --classes 4
  --augment       random crop with zero padding (and a horizontal flip for Fashion-MNIST) on
                  every training batch (spec §3.2); not for synthetic data
  --steps N       steps to run (default ${DEFAULT_SEARCH_STEPS})
  --seed S        seed of the weights, α and data (default: the config's)
  --order 1|2     first-order or unrolled second-order α gradient (default: the config's)
  --method M      darts, pc-darts, darts-minus, fair-darts, gdas or sdarts-rs (spec §6; default:
                  the config's), each with its paper's settings (pcK, gdasTauMax, … via --config)
  --backend B     cpu or wasm (default wasm, the faster one in Node)
  --out FILE      write the run: config, genotype, raw and softmax α, metric history
  --save FILE     write the whole run state (weights, BN statistics, α, optimisers, sampler) as a
                  run file, the format of the playground's "Save run"
  --resume FILE   continue a run file (from --save or the playground's "Save run") for --steps
                  more steps, with its own config and dataset; it continues exactly as if it had
                  never stopped (no --preset, --config, config flags, --seed or --order with it)
  --eigen-every K collapse diagnostics every K steps (spec §7): λ_max of ∇²_α L_val by power
                  iteration (finite-difference Hessian-vector products on the last α batch) and
                  the skip_connect / parameter-free counts of the derived cells, one line on
                  stderr each time, plus the DARTS+ and DARTS-ES warnings when they first fire;
                  the series go into the JSON summary ("diagnostics")
  --eigen-iters N power iterations per λ_max (default ${DEFAULT_CLI_EIGEN_ITERS}; warm-started from the last
                  eigenvector, stopping early at 0.1 % change)
Prints a JSON summary on stdout: steps, timing, final losses and the genotype.`;

/** Row-major Float32Array (edges × ops) → rows of plain numbers. */
export function toRows(flat: Float32Array, ops: number): number[][] {
  const rows: number[][] = [];
  for (let i = 0; i < flat.length; i += ops) rows.push(Array.from(flat.subarray(i, i + ops)));
  return rows;
}

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

const fmt = (x: number | undefined, digits = 3) => (x === undefined ? '-' : x.toFixed(digits));

export async function searchCommand(args: string[], io: CommandIO): Promise<number> {
  const values = parseCommandArgs('search', args, SEARCH_OPTIONS);
  if (values.help) {
    io.out(SEARCH_USAGE + '\n');
    return 0;
  }
  const save = str(values, 'save');
  if (save !== undefined) checkWritable(save, 'save');
  const resumePath = str(values, 'resume');
  if (resumePath !== undefined) return resumeSearch(values, resumePath, save, io);
  const { config, preset, dataset: configDataset } = resolveConfig(values, 'search', { seed: true, order: true });
  const dataset = datasetArg(values, configDataset);
  const classes = datasetClasses(dataset);
  if (classes !== null && config.numClasses !== classes) {
    const which = values.dataset === undefined ? `the config's dataset ${dataset}` : `--dataset ${dataset}`;
    throw new UsageError(
      `${which} has ${classes} classes, but the config has numClasses ${config.numClasses}; add --classes ${classes} (or --dataset synthetic)`,
      'search',
    );
  }
  const steps = intArg(values, 'steps', 'search', { min: 1 }) ?? DEFAULT_SEARCH_STEPS;
  const backend: NodeBackend = backendArg(values, 'search') ?? 'wasm';
  const out = str(values, 'out');
  if (out !== undefined) checkWritable(out);
  const quiet = values.quiet === true;
  const augment = values.augment === true;
  if (augment && dataset !== 'mnist' && dataset !== 'fashion-mnist') throw new UsageError('--augment needs --dataset mnist or fashion-mnist', 'search');
  return runSearch({ config, preset, dataset, augment, steps, backend, out, save, quiet, ...eigenArgs(values) }, io);
}

/** `search --resume run.darts`: the run file's config, dataset and state, for --steps more steps. */
function resumeSearch(values: ParsedValues, path: string, save: string | undefined, io: CommandIO): Promise<number> {
  const fixed = Object.keys(values).filter((k) => values[k] !== undefined && !['resume', 'save', 'steps', 'backend', 'out', 'quiet', 'eigen-every', 'eigen-iters'].includes(k));
  if (fixed.length > 0) {
    throw new UsageError(`--resume continues the run file's own config and dataset; drop ${fixed.map((k) => `--${k}`).join(', ')}`, 'search');
  }
  let opened: RunFileContent;
  try {
    opened = decodeRunFile(new Uint8Array(readFileSync(path)));
  } catch (e) {
    throw new UsageError(`--resume '${path}': ${(e as Error).message}`, 'search');
  }
  const d = opened.dataset;
  const dataset = d.name === 'task' ? d.id : d.name;
  if (!(SEARCH_DATASETS as readonly string[]).includes(dataset ?? '')) {
    throw new UsageError(`--resume '${path}': the run searched on ${dataset ?? d.name} (files uploaded in the browser), which the CLI cannot read; continue it in the playground`, 'search');
  }
  const steps = intArg(values, 'steps', 'search', { min: 1 }) ?? DEFAULT_SEARCH_STEPS;
  const out = str(values, 'out');
  if (out !== undefined) checkWritable(out);
  return runSearch(
    {
      config: opened.state.config,
      dataset: dataset as SearchDataset,
      augment: d.augment === true,
      steps,
      backend: backendArg(values, 'search') ?? 'wasm',
      out,
      save,
      quiet: values.quiet === true,
      resume: opened.state,
      ...eigenArgs(values),
    },
    io,
  );
}

/** --eigen-every K and --eigen-iters N (the latter only with the former). */
function eigenArgs(values: ParsedValues): { eigenEvery?: number; eigenIters?: number } {
  const eigenEvery = intArg(values, 'eigen-every', 'search', { min: 1 });
  const eigenIters = intArg(values, 'eigen-iters', 'search', { min: 1, max: 1000 });
  if (eigenIters !== undefined && eigenEvery === undefined) throw new UsageError('--eigen-iters needs --eigen-every K', 'search');
  return { ...(eigenEvery !== undefined ? { eigenEvery } : {}), ...(eigenIters !== undefined ? { eigenIters } : {}) };
}

/** The run file's dataset entry for a CLI dataset (a teaching task is {name: 'task', id}). */
function runDataset(dataset: SearchDataset, augment: boolean): RunDataset {
  const base: RunDataset = dataset.startsWith('task-') ? { name: 'task', id: dataset } : { name: dataset };
  return augment ? { ...base, augment: true } : base;
}

/** --dataset, else the config's dataset when search can use it, else synthetic. */
export function datasetArg(values: ParsedValues, configDataset: string | undefined): SearchDataset {
  const isSearchDataset = (d: string | undefined): d is SearchDataset => (SEARCH_DATASETS as readonly string[]).includes(d ?? '');
  const given = str(values, 'dataset');
  if (given === undefined) return isSearchDataset(configDataset) ? configDataset : 'synthetic';
  if (!isSearchDataset(given)) {
    throw new UsageError(`--dataset must be one of ${SEARCH_DATASETS.join(', ')}, got '${given}'${didYouMean(given, SEARCH_DATASETS)}`, 'search');
  }
  return given;
}

/** The repository root (public/data lives there), wherever the CLI is started from. */
const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Refuse an --out path that cannot be written before spending minutes on the search. */
export function checkWritable(path: string, flag: 'out' | 'save' = 'out'): void {
  const dir = dirname(resolve(path));
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new UsageError(`--${flag} '${path}': the folder ${dir} does not exist`, 'search');
  }
  if (existsSync(path) && statSync(path).isDirectory()) {
    throw new UsageError(`--${flag} '${path}' is a folder; give a file name such as ${flag === 'out' ? 'run.json' : 'run.darts'}`, 'search');
  }
}

interface SearchRun {
  config: SearchConfig;
  preset?: string;
  dataset: SearchDataset;
  augment: boolean;
  steps: number;
  backend: NodeBackend;
  out?: string;
  /** --save: write a run file after the steps. */
  save?: string;
  quiet: boolean;
  /** --resume: continue this saved state instead of starting from the seed. */
  resume?: SavedSearchState;
  /** --eigen-every: collapse diagnostics every this many steps. */
  eigenEvery?: number;
  eigenIters?: number;
}

/** One line of collapse diagnostics (--eigen-every). */
interface DiagnosticPoint {
  step: number;
  epoch: number;
  lambdaMax: number;
  iterations: number;
  ms: number;
  skipNormal: number;
  paramFreeNormal: number;
  skipReduce: number;
  paramFreeReduce: number;
}

/** The search's DataSource: synthetic, or a built-in image set at the config's input size. */
export async function loadSearchData(dataset: SearchDataset, config: SearchConfig, augment = false) {
  if (dataset === 'synthetic') {
    const { syntheticForConfig } = await import('../data/synthetic');
    return syntheticForConfig(config);
  }
  const { imageDatasetForConfig } = await import('../data/imageDataset');
  if (dataset === 'mnist' || dataset === 'fashion-mnist') {
    const { loadBuiltinNode } = await import('../data/nodeLoader');
    return imageDatasetForConfig(loadBuiltinNode(dataset, REPO_ROOT), config, { augment });
  }
  // A teaching task, generated from the config's seed at its input size, as the worker does.
  const { generateTaskForConfig } = await import('../data/tasks');
  return imageDatasetForConfig(generateTaskForConfig(dataset, config), config);
}

async function runSearch(run: SearchRun, io: CommandIO): Promise<number> {
  const { config, steps, backend } = run;
  const { initNodeBackend } = await import('../engine/node');
  const { DartsSearch } = await import('../engine/search');
  const data = await loadSearchData(run.dataset, config, run.augment);
  await initNodeBackend(backend);

  const search = run.resume ? DartsSearch.fromState(run.resume, data) : DartsSearch.create(config, data);
  if (!run.quiet) {
    io.err(
      `darts search: ${run.preset ?? 'custom config'}, ${search.paramCount.toLocaleString('en-US')} weights, ` +
        `order ${config.order}, batch ${config.batchSize}, ${backend} backend, data: ${data.name}\n`,
    );
  }

  const history: StepResult[] = [];
  const stepMs: number[] = [];
  const { EigenTracker } = await import('../engine/diagnostics');
  const tracker = run.eigenEvery ? new EigenTracker({ iterations: run.eigenIters ?? DEFAULT_CLI_EIGEN_ITERS, tol: 1e-3, seed: config.seed }) : null;
  const diagnostics: DiagnosticPoint[] = [];
  const fired = new Map<CollapseRule, number>();
  const hasParametricOps = config.ops.some((o) => o !== 'none' && !isParameterFree(o));
  /** λ_max, the derived cells' counts and the warnings at the current step (--eigen-every). */
  const diagnose = async () => {
    if (!tracker) return;
    const e = await tracker.measure(search, () => data.randomArchBatch(config.batchSize));
    if (!e) return;
    const al = await search.alphas();
    const g = deriveForMethod(config, al).genotype;
    const c = collapseCounts(g);
    const p: DiagnosticPoint = {
      step: search.stepCount,
      epoch: search.epoch,
      lambdaMax: e.lambda,
      iterations: e.iterations,
      ms: Math.round(e.ms),
      skipNormal: c.normal.skip,
      paramFreeNormal: c.normal.parameterFree,
      skipReduce: c.reduce.skip,
      paramFreeReduce: c.reduce.parameterFree,
    };
    diagnostics.push(p);
    const warnings = collapseWarnings({
      counts: c,
      epoch: p.epoch,
      step: p.step,
      lambdas: diagnostics.map((d) => d.lambdaMax),
      lambdaSteps: diagnostics.map((d) => d.step),
      hasParametricOps,
    });
    const lines = [
      `darts search: step ${p.step} epoch ${p.epoch} λ_max ${p.lambdaMax.toExponential(4)} (${p.iterations} it, ${p.ms} ms) ` +
        `normal skip ${p.skipNormal}/${c.normal.edges} param-free ${p.paramFreeNormal}/${c.normal.edges}, ` +
        `reduce skip ${p.skipReduce}/${c.reduce.edges} param-free ${p.paramFreeReduce}/${c.reduce.edges}`,
    ];
    for (const w of warnings) {
      if (fired.has(w.rule)) continue;
      fired.set(w.rule, p.step);
      lines.push(`darts search: ${w.severity} [${w.rule}] at step ${p.step}: ${w.message} (${w.source})`);
    }
    if (!run.quiet) io.err(lines.join('\n') + '\n');
  };
  const bar = run.quiet ? undefined : new ProgressBar(io, steps, 'search');
  const t0 = Date.now();
  let failure: Error | undefined;
  try {
    for (let i = 0; i < steps; i++) {
      const s0 = Date.now();
      const r = await search.step('both');
      stepMs.push(Date.now() - s0);
      history.push(r);
      bar?.update(i + 1, `loss ${fmt(r.trainLoss)} acc ${fmt(r.trainAcc, 2)} | val ${fmt(r.valLoss)} ${fmt(r.valAcc, 2)}`);
      if (run.eigenEvery && search.stepCount % run.eigenEvery === 0) await diagnose();
    }
  } catch (e) {
    failure = e as Error;
  } finally {
    bar?.finish();
  }
  const seconds = (Date.now() - t0) / 1000;

  const paramCount = search.paramCount;
  const epoch = search.epoch;
  let a: Awaited<ReturnType<typeof search.alphas>>;
  try {
    a = await search.alphas();
    if (run.save !== undefined && !failure) {
      const bytes = encodeRunFile({ state: await search.saveState(), dataset: runDataset(run.dataset, run.augment), savedAt: new Date().toISOString() });
      try {
        writeFileSync(run.save, bytes);
      } catch (e) {
        throw new Error(`cannot write --save '${run.save}': ${(e as Error).message}`);
      }
      if (!run.quiet) io.err(`darts search: saved the run at step ${search.stepCount} to ${run.save} (continue it with --resume ${run.save})\n`);
    }
  } catch (e) {
    throw failure ?? e; // the step's error says more than a failed read after it
  } finally {
    search.dispose();
  }

  const nOps = config.ops.length;
  const alphas = {
    raw: { normal: toRows(a.rawNormal, nOps), reduce: toRows(a.rawReduce, nOps), primitives: [...config.ops], kind: 'raw' },
    softmax: {
      normal: toRows(a.softmaxNormal, nOps),
      reduce: toRows(a.softmaxReduce, nOps),
      primitives: [...config.ops],
      kind: 'softmax',
    },
  };
  // From raw α with the method's rule (core/methodDerive.ts): for DARTS, core's softmax, the same
  // answer `darts derive` gives for alphas.raw; PC-DARTS weights rows by β, FairDARTS ranks σ(α).
  const derived = deriveForMethod(config, a);
  const genotype = derived.genotype;
  const last = history.at(-1);

  if (run.out !== undefined) {
    const file = {
      kind: 'darts-run',
      version: 1,
      createdAt: new Date().toISOString(),
      ...(run.preset !== undefined ? { preset: run.preset } : {}),
      backend,
      dataset: data.name,
      paramCount,
      steps: history.length,
      epoch,
      seconds,
      ...(failure ? { error: failure.message } : {}),
      config,
      genotype,
      alphas,
      history,
    };
    try {
      writeFileSync(run.out, formatJson(file) + '\n');
    } catch (e) {
      throw new Error(`cannot write --out '${run.out}': ${(e as Error).message}`);
    }
    if (!run.quiet) io.err(`darts search: wrote ${run.out}\n`);
  }
  if (failure) throw failure; // exit 1 with the engine's message (a diverged step says what to do)

  const summary = {
    command: 'search',
    ...(run.preset !== undefined ? { preset: run.preset } : {}),
    backend,
    dataset: data.name,
    order: config.order,
    seed: config.seed,
    paramCount,
    steps: history.length,
    epoch,
    seconds,
    msPerStep: median(stepMs),
    final: {
      trainLoss: last?.trainLoss,
      trainAcc: last?.trainAcc,
      valLoss: last?.valLoss,
      valAcc: last?.valAcc,
      lr: last?.lr,
    },
    method: config.method,
    genotype,
    // FairDARTS' threshold_sparse rule would drop these choices (σ below fairThreshold).
    ...(config.method === 'fair-darts' ? { belowThreshold: derived.belowThreshold } : {}),
    ...(run.eigenEvery
      ? {
          diagnostics: {
            eigenEvery: run.eigenEvery,
            msPerEigen: median(diagnostics.map((d) => d.ms)),
            points: diagnostics,
            warnings: [...fired].map(([rule, step]) => ({ rule, step })),
          },
        }
      : {}),
    ...(run.out !== undefined ? { out: run.out } : {}),
  };
  io.out(formatJson(summary) + '\n');
  return 0;
}
