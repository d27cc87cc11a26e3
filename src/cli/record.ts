/**
 * `darts record`: run the real search for a preset (the same loop as `darts search`) and write
 * a replay file (src/core/replay.ts) that the app plays the moment the preset opens (issue 5
 * item 3). `scripts/make-replays.mjs` runs this once per preset with the committed settings.
 *
 *   npm run -s darts -- record --preset lecture --steps 60 --every 1 --out public/replays/lecture.json
 *
 * Frame 0 is the freshly initialised α; then one frame every `--every` steps, and always one
 * after the last step. Each step is one α step then one weight step (spec §3.3).
 */
import { writeFileSync } from 'node:fs';
import type { SearchConfig } from '../core/config';
import { getPreset } from '../core/presets';
import { encodeReplay, replayToJson, type RecordedFrame } from '../core/replay';
import type { StepResult } from '../engine/types';
import { backendArg, CONFIG_OPTIONS, HELP_OPTION, intArg, parseCommandArgs, str, UsageError, type NodeBackend, type OptionSpecs } from './args';
import { resolveConfig } from './configArgs';
import type { CommandIO } from './io';
import { ProgressBar } from './progress';
import { checkWritable, datasetArg, datasetClasses, loadSearchData } from './search';

export const RECORD_OPTIONS = {
  ...CONFIG_OPTIONS,
  dataset: { type: 'string' },
  steps: { type: 'string' },
  every: { type: 'string' },
  seed: { type: 'string' },
  order: { type: 'string' },
  method: { type: 'string' },
  backend: { type: 'string' },
  note: { type: 'string' },
  'no-raw': { type: 'boolean' },
  out: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
  ...HELP_OPTION,
} as const satisfies OptionSpecs;

export const RECORD_USAGE = `usage: darts record [--preset NAME | --config cfg.json] [config flags] --out replay.json
                    [--steps N] [--every K] [--dataset D] [--seed S] [--order 1|2] [--method M] [--backend cpu|wasm]
                    [--note TEXT] [--no-raw] [-q]

Runs N search steps, like 'darts search', and writes a replay for the app: softmax(α) of both
cells (and raw α) plus the losses and accuracies, every K steps, as compact JSON
(public/replays/<preset>.json is what the app plays when the preset opens).
  --steps N       steps to run (default 40)
  --every K       record one frame every K steps (default 1); step 0 and the last step are always kept
  --dataset D     as in 'darts search' (default: the preset's dataset when the CLI has it, else synthetic)
  --note TEXT     added to the replay's note (say here when a run is reduced)
  --no-raw        leave raw α out (about halves the file)
  --out FILE      the replay file to write (required)
Prints a JSON summary on stdout: frames, file size, seconds.`;

const fmt = (x: number | undefined, digits = 3) => (x === undefined ? '-' : x.toFixed(digits));

/** search.ts's checks name their own command; here the usage to print is record's. */
function asRecord<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    throw e instanceof UsageError ? new UsageError(e.message, 'record') : e;
  }
}

/** "batchSize 8 (preset: 64)" for every field where `config` differs from the preset's. */
function changedFields(config: SearchConfig, base: SearchConfig): string[] {
  return (Object.keys(config) as (keyof SearchConfig)[])
    .filter((k) => JSON.stringify(config[k]) !== JSON.stringify(base[k]))
    .map((k) => `${k} ${JSON.stringify(config[k])} (preset: ${JSON.stringify(base[k])})`);
}

export async function recordCommand(args: string[], io: CommandIO): Promise<number> {
  const values = parseCommandArgs('record', args, RECORD_OPTIONS);
  if (values.help) {
    io.out(RECORD_USAGE + '\n');
    return 0;
  }
  const { config, preset, dataset: configDataset } = resolveConfig(values, 'record', { seed: true, order: true });
  const dataset = asRecord(() => datasetArg(values, configDataset));
  const classes = datasetClasses(dataset);
  if (classes !== null && config.numClasses !== classes) {
    throw new UsageError(`dataset ${dataset} has ${classes} classes, but the config has numClasses ${config.numClasses}; add --classes ${classes}`, 'record');
  }
  const steps = intArg(values, 'steps', 'record', { min: 1 }) ?? 40;
  const every = intArg(values, 'every', 'record', { min: 1 }) ?? 1;
  const backend: NodeBackend = backendArg(values, 'record') ?? 'wasm';
  const out = str(values, 'out');
  if (out === undefined) throw new UsageError('--out is required (e.g. --out public/replays/lecture.json)', 'record');
  asRecord(() => checkWritable(out));
  const quiet = values.quiet === true;

  const { initNodeBackend } = await import('../engine/node');
  const { DartsSearch } = await import('../engine/search');
  const data = await loadSearchData(dataset, config);
  await initNodeBackend(backend);
  const search = DartsSearch.create(config, data);
  if (!quiet) {
    io.err(`darts record: ${preset ?? 'custom config'}, ${steps} steps every ${every}, order ${config.order}, ${backend}, data: ${data.name}\n`);
  }

  const frames: RecordedFrame[] = [];
  const capture = async (r: StepResult | null) => {
    const a = await search.alphas();
    frames.push({
      step: search.stepCount,
      archStep: search.archSteps,
      epoch: search.epoch,
      lr: r?.lr ?? search.lr,
      trainLoss: r?.trainLoss ?? null,
      trainAcc: r?.trainAcc ?? null,
      valLoss: r?.valLoss ?? null,
      valAcc: r?.valAcc ?? null,
      softmaxNormal: a.softmaxNormal,
      softmaxReduce: a.softmaxReduce,
      rawNormal: a.rawNormal,
      rawReduce: a.rawReduce,
      deriveNormal: a.deriveNormal,
      deriveReduce: a.deriveReduce,
    });
  };

  const bar = quiet ? undefined : new ProgressBar(io, steps, 'record');
  const t0 = Date.now();
  try {
    await capture(null);
    for (let i = 1; i <= steps; i++) {
      const r = await search.step('both');
      if (i % every === 0 || i === steps) await capture(r);
      bar?.update(i, `loss ${fmt(r.trainLoss)} acc ${fmt(r.trainAcc, 2)} | val ${fmt(r.valLoss)} ${fmt(r.valAcc, 2)}`);
    }
  } finally {
    bar?.finish();
    search.dispose();
  }
  const seconds = (Date.now() - t0) / 1000;

  const name = preset ?? 'custom';
  const order = config.order === 2 ? 'second-order' : 'first-order';
  // A run that is not exactly the preset says how it differs (a reduced run must be labelled).
  const changed = preset ? changedFields(config, getPreset(preset)) : [];
  const baseNote =
    `${steps} ${order} search steps of the ${name === 'custom' ? 'given config' : `"${name}" preset`}` +
    `${changed.length > 0 ? ` changed to ${changed.join(', ')}` : ''} ` +
    `(seed ${config.seed}, ${data.name} data, ${backend} in Node), one frame every ${every} step${every === 1 ? '' : 's'}.`;
  const note = str(values, 'note');
  const file = encodeReplay(
    {
      preset: name,
      note: note ? `${baseNote} ${note}` : baseNote,
      command: `npm run -s darts -- record ${args.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`,
      config,
      dataset: data.name,
      backend,
      every,
      raw: values['no-raw'] !== true,
    },
    frames,
  );
  const text = replayToJson(file);
  try {
    writeFileSync(out, text);
  } catch (e) {
    throw new Error(`cannot write --out '${out}': ${(e as Error).message}`);
  }
  if (!quiet) io.err(`darts record: wrote ${out} (${frames.length} frames, ${(text.length / 1024).toFixed(0)} KB)\n`);
  io.out(JSON.stringify({ command: 'record', preset: name, steps, every, frames: frames.length, bytes: text.length, seconds, out }) + '\n');
  return 0;
}
