/**
 * Argument parsing for the `darts` command line, on Node's built-in `util.parseArgs` (strict).
 *
 * Every mistake in what the user typed becomes a `UsageError`: main.ts prints its message and the
 * command's usage on stderr and exits with code 2. Range checks that belong to the search config
 * (C even, nodes 1..6, ...) are left to `validateConfig` in src/core, so that the CLI, the UI and
 * the URL all say the same thing.
 */
import { parseArgs } from 'node:util';
import { METHODS, type MethodName } from '../core/methods';

/** A mistake in the command line or in a file named on it: exit code 2. */
export class UsageError extends Error {
  constructor(
    message: string,
    /** The command whose usage to print; undefined for the global usage. */
    public readonly command?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

type OptionSpec = { type: 'string' | 'boolean'; short?: string };
export type OptionSpecs = Record<string, OptionSpec>;
export type ParsedValues = Record<string, string | boolean | undefined>;

/** Flags that build a search config (accepted by info, derive, search and bench). */
export const CONFIG_OPTIONS = {
  preset: { type: 'string' },
  config: { type: 'string' },
  C: { type: 'string' },
  layers: { type: 'string' },
  nodes: { type: 'string' },
  'in-channels': { type: 'string' },
  size: { type: 'string' },
  classes: { type: 'string' },
  ops: { type: 'string' },
  batch: { type: 'string' },
  'pc-k': { type: 'string' },
} as const satisfies OptionSpecs;

export const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const satisfies OptionSpecs;

/**
 * Parse `args` strictly against `options`: unknown flags, missing values and positional
 * arguments throw a UsageError naming the command.
 */
export function parseCommandArgs(command: string, args: string[], options: OptionSpecs): ParsedValues {
  try {
    const { values } = parseArgs({ args, options, strict: true, allowPositionals: false });
    return values as ParsedValues;
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      // parseArgs messages are multi-line hints; the first line says what is wrong.
      throw new UsageError((e as Error).message.split('\n')[0], command);
    }
    throw e;
  }
}

/** A string flag's value, or undefined when absent. */
export function str(values: ParsedValues, name: string): string | undefined {
  const v = values[name];
  return typeof v === 'string' ? v : undefined;
}

/**
 * An integer flag. Rejects anything that is not a plain base-10 integer ("3.5", "1e3", "0x10",
 * "", "abc") so that typos never silently become NaN or a truncated value.
 */
export function intArg(
  values: ParsedValues,
  name: string,
  command: string,
  range: { min?: number; max?: number } = {},
): number | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(raw.trim())) {
    throw new UsageError(`--${name} expects an integer, got '${raw}'`, command);
  }
  const n = Number(raw);
  if (!Number.isSafeInteger(n)) throw new UsageError(`--${name} is out of range: '${raw}'`, command);
  if (range.min !== undefined && n < range.min) {
    throw new UsageError(`--${name} must be at least ${range.min}, got ${n}`, command);
  }
  if (range.max !== undefined && n > range.max) {
    throw new UsageError(`--${name} must be at most ${range.max}, got ${n}`, command);
  }
  return n;
}

/** A flag restricted to a fixed set of values. */
export function choiceArg<T extends string>(
  values: ParsedValues,
  name: string,
  choices: readonly T[],
  command: string,
): T | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  if (!(choices as readonly string[]).includes(raw)) {
    throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got '${raw}'`, command);
  }
  return raw as T;
}

/** `--order 1|2`. */
export function orderArg(values: ParsedValues, command: string): 1 | 2 | undefined {
  const o = choiceArg(values, 'order', ['1', '2'] as const, command);
  return o === undefined ? undefined : (Number(o) as 1 | 2);
}

/** `--method darts|pc-darts|…` (core/methods.ts). */
export function methodArg(values: ParsedValues, command: string): MethodName | undefined {
  return choiceArg(values, 'method', METHODS, command);
}

/** `--backend cpu|wasm` (the Node backends; webgl and webgpu exist only in the browser). */
export const NODE_BACKENDS = ['cpu', 'wasm'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

export function backendArg(values: ParsedValues, command: string): NodeBackend | undefined {
  return choiceArg(values, 'backend', NODE_BACKENDS, command);
}

/** A comma-separated list: "a, b,,c" → ["a", "b", "c"]. */
export function listArg(values: ParsedValues, name: string, command: string): string[] | undefined {
  const raw = str(values, name);
  if (raw === undefined) return undefined;
  const items = raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  if (items.length === 0) throw new UsageError(`--${name} expects a comma-separated list, got '${raw}'`, command);
  return items;
}
