/**
 * Entry point of `npm run -s darts -- <command>` (tsx src/cli/main.ts). See cli.ts for the
 * commands and exit codes.
 */
import { run } from './cli';
import { processIO } from './io';

// stdout is reserved for the command's JSON. Libraries that log (tfjs prints a banner in Node)
// must not corrupt it, so console.log/info/debug go to stderr.
const toStderr = (...args: unknown[]) => console.error(...args);
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;

const code = await run(process.argv.slice(2), processIO);
// Let stdout drain, then exit even if a backend keeps handles open.
process.stdout.write('', () => process.exit(code));
