/**
 * Builds the search config of a command from `--preset NAME` or `--config cfg.json`, then the
 * override flags (`--C --layers --nodes --in-channels --size --classes --ops --batch`, plus
 * `--seed` and `--order` where the command has them), then validates it with src/core.
 *
 * Without --preset or --config the base is the app's default preset, `lecture` (the reference
 * defaults alone, C=16 / 8 cells / batch 64, exceed the default memory budget).
 * An invalid result is a UsageError listing the ConfigError's problems (exit 2).
 */
import { readFileSync } from 'node:fs';
import type { SearchConfig } from '../core/config';
import { parseJsonText } from '../core/jsonText';
import { getPreset, getPresetInfo, isPresetName, PRESET_NAMES } from '../core/presets';
import { didYouMean } from '../core/suggest';
import { ConfigError, validateConfig } from '../core/validateConfig';
import { intArg, listArg, methodArg, orderArg, str, UsageError, type ParsedValues } from './args';

/** The base config when neither --preset nor --config is given: the app's default. */
export const DEFAULT_PRESET = 'lecture';

export interface ResolvedConfig {
  config: SearchConfig;
  /** The preset name, when the config came from --preset. */
  preset?: string;
  /**
   * The dataset the config is meant for, when known: the preset's (the default preset's without
   * --preset/--config), or the `dataset` of a run file given as --config. Absent for a plain file.
   */
  dataset?: string;
}

/** Read a JSON file named on the command line; unreadable or malformed files are usage errors. */
export function readJsonFile(path: string, what: string, command: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : (e as Error).message;
    throw new UsageError(`cannot read ${what} '${path}': ${why}`, command);
  }
  const parsed = parseJsonText(text);
  if (!parsed.ok) throw new UsageError(`${what} '${path}' is not valid JSON: ${parsed.message}`, command);
  return parsed.value;
}

/** A JSON object (not an array, not null). */
export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The config object inside a config file. A plain (partial) SearchConfig is the usual content;
 * a run file written by `darts search --out` is accepted too (its `config` field).
 */
function configFromFile(path: string, command: string): { config: Record<string, unknown>; dataset?: string } {
  const obj = readJsonFile(path, 'config file', command);
  if (!isObject(obj)) throw new UsageError(`config file '${path}' must hold a JSON object`, command);
  if (obj.kind === 'darts-run' && isObject(obj.config)) {
    return { config: obj.config, ...(typeof obj.dataset === 'string' ? { dataset: obj.dataset } : {}) };
  }
  return { config: obj };
}

/** The flag that sets a config field, named next to the field in validation messages. */
const FIELD_FLAGS: Record<string, string> = {
  C: '--C',
  layers: '--layers',
  steps: '--nodes',
  inChannels: '--in-channels',
  height: '--size',
  width: '--size',
  numClasses: '--classes',
  ops: '--ops',
  batchSize: '--batch',
  seed: '--seed',
  order: '--order',
  method: '--method',
  pcK: '--pc-k',
};

export function resolveConfig(
  values: ParsedValues,
  command: string,
  extra: { seed?: boolean; order?: boolean } = {},
): ResolvedConfig {
  const presetName = str(values, 'preset');
  const configPath = str(values, 'config');
  if (presetName !== undefined && configPath !== undefined) {
    throw new UsageError('give either --preset or --config, not both', command);
  }

  // A preset is a full config; a file is partial: validateConfig fills in the reference
  // defaults (and multiplier = steps when the file does not set it).
  let base: Record<string, unknown>;
  let source: string;
  let dataset: string | undefined;
  if (presetName === undefined && configPath === undefined) {
    base = { ...getPreset(DEFAULT_PRESET) };
    source = `the default preset ${DEFAULT_PRESET}`;
    dataset = getPresetInfo(DEFAULT_PRESET).dataset;
  } else if (presetName !== undefined) {
    if (!isPresetName(presetName)) {
      throw new UsageError(
        `unknown preset '${presetName}'${didYouMean(presetName, PRESET_NAMES)}; presets: ${PRESET_NAMES.join(', ')}`,
        command,
      );
    }
    base = { ...getPreset(presetName) };
    source = `preset ${presetName}`;
    dataset = getPresetInfo(presetName).dataset;
  } else {
    ({ config: base, dataset } = configFromFile(configPath as string, command));
    source = `config file ${configPath}`;
  }

  const o: Record<string, unknown> = {};
  const C = intArg(values, 'C', command);
  if (C !== undefined) o.C = C;
  const layers = intArg(values, 'layers', command);
  if (layers !== undefined) o.layers = layers;
  const nodes = intArg(values, 'nodes', command);
  if (nodes !== undefined) {
    o.steps = nodes;
    // The cell output concatenates every intermediate node unless the base said otherwise.
    if (base.multiplier === base.steps) o.multiplier = nodes;
  }
  const inChannels = intArg(values, 'in-channels', command);
  if (inChannels !== undefined) o.inChannels = inChannels;
  const size = intArg(values, 'size', command);
  if (size !== undefined) {
    o.height = size;
    o.width = size;
  }
  const classes = intArg(values, 'classes', command);
  if (classes !== undefined) o.numClasses = classes;
  const ops = listArg(values, 'ops', command);
  if (ops !== undefined) o.ops = ops;
  const batch = intArg(values, 'batch', command);
  if (batch !== undefined) o.batchSize = batch;
  const pcK = intArg(values, 'pc-k', command);
  if (pcK !== undefined) o.pcK = pcK;
  if (extra.seed) {
    const seed = intArg(values, 'seed', command);
    if (seed !== undefined) o.seed = seed;
  }
  if (extra.order) {
    const order = orderArg(values, command);
    if (order !== undefined) o.order = order;
    const method = methodArg(values, command);
    if (method !== undefined) o.method = method;
  }

  let config: SearchConfig;
  try {
    config = validateConfig({ ...base, ...o });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const overridden = Object.keys(o).length > 0 ? ' with flag overrides' : '';
    const lines = e.issues.map((i) => `  - ${i.field}${FIELD_FLAGS[i.field] ? ` (${FIELD_FLAGS[i.field]})` : ''}: ${i.message}`);
    throw new UsageError(`invalid config (${source}${overridden}):\n${lines.join('\n')}`, command);
  }
  return { config, ...(presetName !== undefined ? { preset: presetName } : {}), ...(dataset !== undefined ? { dataset } : {}) };
}
