/**
 * The `darts` command line: dispatch, usage text and exit codes.
 *
 * Exit codes:
 *   0  success (the result is JSON on stdout)
 *   1  the command failed while running: backend initialisation, a diverged step, writing --out
 *   2  usage error: unknown command or flag, missing or malformed value, invalid config, or an
 *      input file (--config, --alphas) that cannot be read or is malformed
 */
import { METHODS } from '../core/methods';
import { PRESET_NAMES } from '../core/presets';
import { UsageError } from './args';
import { DEFAULT_PRESET } from './configArgs';
import { BENCH_USAGE, benchCommand } from './bench';
import { DERIVE_USAGE, deriveCommand } from './derive';
import { EVALUATE_USAGE, evaluateCommand } from './evaluate';
import { INFO_USAGE, infoCommand } from './info';
import { EXPORT_WEIGHTS_USAGE, exportWeightsCommand, IMPORT_WEIGHTS_USAGE, importWeightsCommand, LOG_TO_REPLAY_USAGE, logToReplayCommand } from './interop';
import type { CommandIO } from './io';
import { SEARCH_USAGE, searchCommand } from './search';
import { RECORD_USAGE, recordCommand } from './record';

export const USAGE = `usage: npm run -s darts -- <command> [options]

commands:
  info     the supernet a config describes: paramCount, alphaShape, cell shapes, peak memory
  derive   the genotype of an α file (--alphas a.json)
  search   run a DARTS search (synthetic, MNIST or Fashion-MNIST data) with a progress bar; --out run.json saves it
  bench    time search steps on random data; prints one JSON line
  evaluate train a genotype's network from scratch on MNIST / Fashion-MNIST; test accuracy
  record   run a search and write a replay (α and metrics every K steps) for the app
  log-to-replay   a quark0/darts train_search.py log → a replay for the app
  export-weights  a run file → the reference's state_dict names and torch layout (+ α)
  import-weights  such an export (or scripts/darts_state_dict.py from-torch) → a run file
  help     this text; 'help <command>' for a command's options

config flags (every command):
  --preset NAME        ${PRESET_NAMES.join(' | ')}
  --config FILE        a JSON SearchConfig (missing fields take the reference defaults),
                       or a run file written by 'search --out'
  --C N  --layers N  --nodes N  --in-channels 1|3  --size N  --classes N  --batch N
  --ops a,b,c          override the preset or file
  --pc-k K             PC-DARTS' partial-channel K (with --method pc-darts)
  --method M           ${METHODS.join(' | ')} (search, bench, record, info)
  Without --preset or --config the app's default preset, ${DEFAULT_PRESET}, is used.

stdout carries only JSON; progress and messages go to stderr.
exit codes: 0 ok, 1 failed while running, 2 usage error (bad command, flag, value, config or
input file).`;

type Command = (args: string[], io: CommandIO) => Promise<number>;

const COMMANDS: Record<string, { run: Command; usage: string }> = {
  info: { run: infoCommand, usage: INFO_USAGE },
  derive: { run: deriveCommand, usage: DERIVE_USAGE },
  search: { run: searchCommand, usage: SEARCH_USAGE },
  bench: { run: benchCommand, usage: BENCH_USAGE },
  evaluate: { run: evaluateCommand, usage: EVALUATE_USAGE },
  record: { run: recordCommand, usage: RECORD_USAGE },
  'log-to-replay': { run: logToReplayCommand, usage: LOG_TO_REPLAY_USAGE },
  'export-weights': { run: exportWeightsCommand, usage: EXPORT_WEIGHTS_USAGE },
  'import-weights': { run: importWeightsCommand, usage: IMPORT_WEIGHTS_USAGE },
};

function usageOf(command: string | undefined): string {
  return command !== undefined && command in COMMANDS ? COMMANDS[command].usage : USAGE;
}

/** Run the CLI on `argv` (without node and script). Resolves to the exit code. */
export async function run(argv: string[], io: CommandIO): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(`darts: no command given\n\n${USAGE}\n`);
    return 2;
  }
  if (command === 'help' || command === '--help' || command === '-h') {
    const topic = rest[0];
    if (topic !== undefined && !(topic in COMMANDS)) {
      io.err(`darts: unknown command '${topic}'\n\n${USAGE}\n`);
      return 2;
    }
    io.out(usageOf(topic) + '\n');
    return 0;
  }
  if (!Object.hasOwn(COMMANDS, command)) {
    io.err(`darts: unknown command '${command}'\n\n${USAGE}\n`);
    return 2;
  }
  try {
    return await COMMANDS[command].run(rest, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`darts ${command}: ${e.message}\n\n${usageOf(e.command ?? command)}\n`);
      return 2;
    }
    const err = e as Error;
    io.err(`darts ${command}: error: ${err?.message ?? String(e)}\n`);
    if (process.env.DARTS_DEBUG && err?.stack) io.err(err.stack + '\n');
    return 1;
  }
}
