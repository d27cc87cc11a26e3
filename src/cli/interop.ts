/**
 * Interop with the reference PyTorch code, quark0/darts (issue 12 item 3):
 *
 *   darts log-to-replay train_search.log replay.json   a train_search.py log → a replay for the app
 *   darts export-weights run.darts export.bin           a run file → the reference's state_dict names
 *   darts import-weights export.bin run.darts           … and back (optimiser state starts fresh)
 *
 * `scripts/darts_state_dict.py` turns export.bin into weights.pt / alphas.pt and back. The formats
 * live in src/core (trainSearchLog.ts, stateDict.ts); this file only reads and writes files. No
 * engine here: these commands start in a fraction of a second.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { containerHeader } from '../core/container';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { printGenotypeRepr } from '../core/genotype';
import { replayToJson } from '../core/replay';
import { decodeRunFile, encodeRunFile, RunFileError, type RunDataset } from '../core/runFile';
import { exportStateDict, importStateDict, StateDictError } from '../core/stateDict';
import { logToReplayJson, MAX_LOG_BYTES, parseTrainSearchLog, TrainSearchLogError } from '../core/trainSearchLog';
import { CONFIG_OPTIONS, HELP_OPTION, intArg, str, UsageError, type OptionSpecs, type ParsedValues } from './args';
import { resolveConfig } from './configArgs';
import { formatJson, type CommandIO } from './io';

/** Strict flags plus exactly `names.length` positional file arguments. */
function parseWithFiles(command: string, args: string[], options: OptionSpecs, names: string[]): { values: ParsedValues; files: string[] } {
  let parsed: { values: ParsedValues; positionals: string[] };
  try {
    const r = parseArgs({ args, options, strict: true, allowPositionals: true });
    parsed = { values: r.values as ParsedValues, positionals: r.positionals };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) throw new UsageError((e as Error).message.split('\n')[0], command);
    throw e;
  }
  if (parsed.values.help) return { values: parsed.values, files: [] };
  if (parsed.positionals.length !== names.length) {
    throw new UsageError(`expected ${names.length} file arguments (${names.join(' ')}), got ${parsed.positionals.length}`, command);
  }
  return { values: parsed.values, files: parsed.positionals };
}

function readInput(path: string, what: string, command: string, limit = 512 * 1024 * 1024): Buffer {
  try {
    if (statSync(path).size > limit) throw new UsageError(`${what} '${path}' is ${(statSync(path).size / 1e6).toFixed(0)} MB; that is not a ${what}`, command);
    return readFileSync(path);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UsageError(`cannot read ${what} '${path}': ${why}`, command);
  }
}

function writeOutput(path: string, data: string | Uint8Array, command: string): void {
  const dir = dirname(path);
  if (!existsSync(dir)) throw new UsageError(`'${path}': the folder ${dir} does not exist`, command);
  writeFileSync(path, data); // a failure here (permissions, disk full) is exit code 1
}

// ------------------------------------------------------------------ log-to-replay

export const LOG_TO_REPLAY_USAGE = `usage: darts log-to-replay train_search.log replay.json [--steps-per-epoch N] [--allow-mismatch]

Converts the console output of quark0/darts cnn/train_search.py into a replay the app plays and
scrubs ("Open replay or log" in the app, next to Save run / Open run). Reads the args line, and per
epoch the lr, the genotype and the printed softmax(alphas_normal) / softmax(alphas_reduce) (modern
tensor(...) or PyTorch 0.3 "Variable containing:" style), the train/valid metrics.
One frame per epoch, at step epoch × steps-per-epoch (the matrices logged at epoch e are α after e
epochs, spec §3.6). Log the console, not log.txt: the matrices are print()ed, e.g.
  python train_search.py 2>&1 | tee search.log
  --steps-per-epoch N   default: ceil(floor(50000 · train_portion) / batch_size) from the args line
                        (391 for the reference), or the epoch number without an args line
  --allow-mismatch      a genotype that does not follow from its matrices (derive.ts, spec §4.1)
                        becomes a warning instead of an error
Prints a JSON summary (epochs, frames, config, the last genotype, warnings).`;

export async function logToReplayCommand(args: string[], io: CommandIO): Promise<number> {
  const command = 'log-to-replay';
  const options = { 'steps-per-epoch': { type: 'string' }, 'allow-mismatch': { type: 'boolean' }, ...HELP_OPTION } as const satisfies OptionSpecs;
  const { values, files } = parseWithFiles(command, args, options, ['train_search.log', 'replay.json']);
  if (values.help) {
    io.out(LOG_TO_REPLAY_USAGE + '\n');
    return 0;
  }
  const [input, output] = files;
  const stepsPerEpoch = intArg(values, 'steps-per-epoch', command, { min: 1 });
  const text = readInput(input, 'train_search log', command, MAX_LOG_BYTES).toString('utf8');
  let log;
  try {
    log = parseTrainSearchLog(text, { ...(stepsPerEpoch !== undefined ? { stepsPerEpoch } : {}), allowMismatch: values['allow-mismatch'] === true });
  } catch (e) {
    if (e instanceof TrainSearchLogError) throw new UsageError(`'${input}': ${e.message}`, command);
    throw e;
  }
  const name = input.split(/[\\/]/).pop();
  const replay = logToReplayJson(log, { ...(name ? { fileName: name } : {}), ...(stepsPerEpoch !== undefined ? { stepsPerEpoch } : {}) });
  writeOutput(output, replayToJson(replay), command);
  for (const w of log.warnings) io.err(`darts ${command}: warning: ${w}\n`);
  const last = log.epochs[log.epochs.length - 1];
  io.out(
    formatJson({
      out: output,
      epochs: log.epochs.length,
      firstEpoch: log.epochs[0].epoch,
      lastEpoch: last.epoch,
      stepsPerEpoch: log.stepsPerEpoch,
      config: { C: log.config.C, layers: log.config.layers, batchSize: log.config.batchSize, order: log.config.order, epochs: log.config.epochs },
      lastGenotype: last.genotype ? printGenotypeRepr(last.genotype) : null,
      lastTrainAcc: last.trainAcc,
      lastValidAcc: last.validAcc,
      warnings: log.warnings,
    }) + '\n',
  );
  return 0;
}

// ------------------------------------------------------------------ export-weights

export const EXPORT_WEIGHTS_USAGE = `usage: darts export-weights run.darts export.bin [--no-num-batches-tracked]

Writes the weights, BN running statistics and raw α of a run file (the app's "Save run", or
'search --save') under quark0/darts model_search.Network's state_dict names, torch shapes and
torch layout (conv [out, in, kh, kw]), plus alphas_normal / alphas_reduce. Then:
  python3 scripts/darts_state_dict.py to-torch export.bin weights.pt --alphas alphas.pt
  # in quark0/darts/cnn: model.load_state_dict(torch.load('weights.pt'))
PC-DARTS runs are refused (their MixedOps see C/K channels and carry β: not a model_search.Network).
Other methods export with their name and settings recorded in the header.
  --no-num-batches-tracked   leave out BN num_batches_tracked (for PyTorch 0.3; to-torch also has it)
Prints a JSON summary (entries, parameters, the Network arguments, compatibility notes).`;

export async function exportWeightsCommand(args: string[], io: CommandIO): Promise<number> {
  const command = 'export-weights';
  const options = { 'no-num-batches-tracked': { type: 'boolean' }, ...HELP_OPTION } as const satisfies OptionSpecs;
  const { values, files } = parseWithFiles(command, args, options, ['run.darts', 'export.bin']);
  if (values.help) {
    io.out(EXPORT_WEIGHTS_USAGE + '\n');
    return 0;
  }
  const [input, output] = files;
  let bytes: Uint8Array;
  try {
    const run = decodeRunFile(new Uint8Array(readInput(input, 'run file', command)));
    bytes = exportStateDict(run.state, { dataset: run.dataset, numBatchesTracked: values['no-num-batches-tracked'] !== true });
  } catch (e) {
    if (e instanceof RunFileError || e instanceof StateDictError) throw new UsageError(`'${input}': ${e.message}`, command);
    throw e;
  }
  writeOutput(output, bytes, command);
  // The header just written (exportStateDict's StateDictHeader).
  const h = containerHeader(bytes) as { entries: { role: string; length?: number }[]; network: unknown; method?: unknown; referenceCompatible: boolean; notes: string[] };
  const entries = h.entries;
  io.out(
    formatJson({
      out: output,
      bytes: bytes.length,
      entries: entries.length,
      parameters: entries.filter((e) => e.role === 'parameter').reduce((a, e) => a + (e.length ?? 0), 0),
      network: h.network,
      method: h.method,
      referenceCompatible: h.referenceCompatible,
      notes: h.notes,
      next: `python3 scripts/darts_state_dict.py to-torch ${output} weights.pt --alphas alphas.pt`,
    }) + '\n',
  );
  return 0;
}

// ------------------------------------------------------------------ import-weights

export const IMPORT_WEIGHTS_USAGE = `usage: darts import-weights export.bin run.darts [--dataset NAME] [--preset NAME | --config cfg.json] [config flags]

Turns an export (from export-weights, the app's "Export for PyTorch", or
'python3 scripts/darts_state_dict.py from-torch weights.pt [alphas.pt] export.bin') into a run
file that 'search --resume run.darts' and the app's "Open run" continue: weights, BN statistics
and α; SGD momentum, Adam moments and the sampler start fresh. Every key must be one of the
config's Network with its exact torch shape (like load_state_dict(strict=True)); problems name
the key. num_batches_tracked is optional; without alphas_* α starts uniform.
  config       the export's own config (playground exports); else read off the shapes (C, layers,
               classes, input channels, nodes; 32×32 input and reference optimiser settings);
               --preset / --config / config flags override it
  --dataset    synthetic | mnist | fashion-mnist | task-texture | task-long-range | task-pool
               (default: the export's, else the preset's, else synthetic)
Prints a JSON summary (config, step, notes).`;

const DATASETS = ['synthetic', 'mnist', 'fashion-mnist', 'task-texture', 'task-long-range', 'task-pool'] as const;
const runDataset = (id: string): RunDataset => (id.startsWith('task-') ? { name: 'task', id } : { name: id });

export async function importWeightsCommand(args: string[], io: CommandIO): Promise<number> {
  const command = 'import-weights';
  const options = { dataset: { type: 'string' }, ...CONFIG_OPTIONS, ...HELP_OPTION } as const satisfies OptionSpecs;
  const { values, files } = parseWithFiles(command, args, options, ['export.bin', 'run.darts']);
  if (values.help) {
    io.out(IMPORT_WEIGHTS_USAGE + '\n');
    return 0;
  }
  const [input, output] = files;
  const ds = str(values, 'dataset');
  if (ds !== undefined && !(DATASETS as readonly string[]).includes(ds)) throw new UsageError(`--dataset must be one of ${DATASETS.join(', ')}; got '${ds}'`, command);
  const configGiven = Object.keys(CONFIG_OPTIONS).some((k) => values[k] !== undefined);
  const resolved = configGiven ? resolveConfig(values, command) : undefined;
  const datasetId = ds ?? (resolved?.dataset && (DATASETS as readonly string[]).includes(resolved.dataset) ? resolved.dataset : undefined);
  let result;
  try {
    result = importStateDict(new Uint8Array(readInput(input, 'weights export', command)), {
      ...(resolved ? { config: resolved.config } : {}),
      ...(datasetId ? { dataset: runDataset(datasetId) } : {}),
    });
  } catch (e) {
    if (e instanceof StateDictError) throw new UsageError(`'${input}': ${e.message}`, command);
    throw e;
  }
  writeOutput(output, encodeRunFile({ state: result.state, dataset: result.dataset, savedAt: new Date().toISOString() }), command);
  const c = result.state.config;
  io.out(
    formatJson({
      out: output,
      config: { C: c.C, layers: c.layers, steps: c.steps, inChannels: c.inChannels, numClasses: c.numClasses, height: c.height, ops: c.ops, method: c.method },
      dataset: result.dataset,
      step: result.state.step,
      weights: result.state.weights.length,
      buffers: result.state.buffers.length,
      notes: result.notes,
      next: `npm run -s darts -- search --resume ${output} --steps 10`,
    }) + '\n',
  );
  return 0;
}
