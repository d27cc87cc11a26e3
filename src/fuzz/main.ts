/**
 * `npm run fuzz`: every input surface (src/fuzz/surfaces.ts) with 10,000 generated cases, and a
 * table of what happened: tried, accepted, rejected with a message, crashed (must be 0).
 *
 *   npm run -s fuzz                       # 10,000 per surface, a fresh seed (printed)
 *   npm run -s fuzz -- --runs 500 --seed 7 # reproduce a run
 *
 * Exits 1 when any surface crashed, after printing the first crashing inputs.
 */
import { readFileSync } from 'node:fs';
import { fuzzSurface, surfaces } from './surfaces';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const runs = Number(arg('runs') ?? 10_000);
const seed = Number(arg('seed') ?? Math.floor(Math.random() * 2 ** 31));
const replayText = readFileSync(new URL('../../public/replays/tiny-cifar.json', import.meta.url), 'utf8');

console.log(`fuzz: ${runs} cases per surface, seed ${seed}`);
console.log(['surface', 'tried', 'accepted', 'rejected', 'crashed', 'slowest ms'].join('\t'));
let crashed = 0;
for (const s of surfaces({ replayText })) {
  const t = await fuzzSurface(s, runs, seed);
  crashed += t.crashed;
  console.log([t.surface, t.tried, t.accepted, t.rejected, t.crashed, t.slowestMs.toFixed(1)].join('\t'));
  for (const c of t.crashes) console.log(`  CRASH ${c.error}\n    input: ${c.input}`);
}
if (crashed > 0) {
  console.log(`fuzz: ${crashed} crash(es); rerun with --seed ${seed} to reproduce`);
  process.exit(1);
}
