/**
 * `darts derive --alphas a.json`: the genotype of an α file (spec §4.1), as genotype JSON
 * (design.md), or as the reference's `Genotype(...)` repr with `--format python`.
 *
 * Column names come from the file's `primitives`, else from the config's ops when a config flag
 * is given, else from the reference PRIMITIVES. The number of nodes follows from the row count;
 * the concat list uses the config's multiplier when a config is given, else all nodes.
 */
import { deriveGenotype, printGenotypeRepr } from '../core/genotype';
import { PRIMITIVES, type OpName } from '../core/primitives';
import { parseAlphaFile } from './alphaFile';
import { choiceArg, CONFIG_OPTIONS, HELP_OPTION, parseCommandArgs, str, UsageError, type OptionSpecs } from './args';
import { readJsonFile, resolveConfig } from './configArgs';
import { formatJson, type CommandIO } from './io';

export const DERIVE_OPTIONS = {
  alphas: { type: 'string' },
  format: { type: 'string' },
  ...CONFIG_OPTIONS,
  ...HELP_OPTION,
} as const satisfies OptionSpecs;

export const DERIVE_USAGE = `usage: darts derive --alphas a.json [--format json|python]
                    [--preset NAME | --config cfg.json] [config flags]

Derives the genotype from an α file, as the reference does (softmax per row, 'none' excluded,
top-2 incoming edges per node, ties to the lowest index), and prints the genotype JSON.
The file: {"normal": [[...ops] x edges], "reduce": [...], "primitives": [...]?, "kind": "raw"|"softmax"?}
  primitives   column names; default: the config's ops if a config flag is given, else the 8
               reference PRIMITIVES: ${PRIMITIVES.slice(0, 4).join(', ')},
               ${PRIMITIVES.slice(4).join(', ')}
  kind         "raw" (default: softmax is applied) or "softmax" (rows are probabilities)
  --format python   print the reference repr, Genotype(normal=[...], ...), instead of JSON
A run file from 'search --out' holds such objects under .alphas.raw and .alphas.softmax.`;

export async function deriveCommand(args: string[], io: CommandIO): Promise<number> {
  const values = parseCommandArgs('derive', args, DERIVE_OPTIONS);
  if (values.help) {
    io.out(DERIVE_USAGE + '\n');
    return 0;
  }
  const path = str(values, 'alphas');
  if (path === undefined) throw new UsageError('--alphas a.json is required', 'derive');
  const format = choiceArg(values, 'format', ['json', 'python'] as const, 'derive') ?? 'json';

  const configGiven = Object.keys(CONFIG_OPTIONS).some((k) => values[k] !== undefined);
  const config = configGiven ? resolveConfig(values, 'derive').config : undefined;
  const defaultOps: readonly OpName[] = config?.ops ?? PRIMITIVES;

  const file = parseAlphaFile(readJsonFile(path, 'α file', 'derive'), `α file '${path}'`, 'derive', defaultOps, config?.steps);
  const multiplier = config?.multiplier ?? file.steps;
  const genotype = deriveGenotype(file, file.primitives, file.steps, multiplier, file.kind);
  io.out((format === 'python' ? printGenotypeRepr(genotype) : formatJson(genotype)) + '\n');
  return 0;
}
