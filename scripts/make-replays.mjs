#!/usr/bin/env node
/**
 * Regenerate the replays the app plays when a preset opens (public/replays/<preset>.json), with
 * exactly the commands below. Each is `npm run -s darts -- record ...` (src/cli/record.ts): the
 * real search in Node on wasm, deterministic for a given seed, so rerunning rewrites the same files.
 *
 *   node scripts/make-replays.mjs                 # every preset, one after the other
 *   node scripts/make-replays.mjs lecture paper   # only these
 *   node scripts/make-replays.mjs --dry-run       # print the commands
 *
 * Budget (2-core machine, no GPU): about 10 minutes of CPU for all presets (measured: lecture 43 s,
 * simple-convs 45 s, skip-collapse 35 s, first-vs-second 62 s, paper 30 s, tiny-mnist 4 min,
 * tiny-cifar 2 min). Run it in the background with `nice -n 10 node scripts/make-replays.mjs`.
 * All files together are about 0.6 MB. Rerunning rewrites them byte for byte (checked by running
 * it twice and comparing). The paper preset is a reduced run (batch 8, 3 steps), and its note says so.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';

/** preset → record flags. Every name in PRESET_NAMES (src/core/presets.ts) must have an entry. */
const REPLAYS = {
  lecture: ['--steps', '300', '--every', '4'],
  'simple-convs': ['--steps', '300', '--every', '4'],
  'skip-collapse': ['--steps', '300', '--every', '4'],
  'first-vs-second': ['--steps', '100', '--every', '2'],
  // The successors of DARTS (spec §6) on the lecture task, as long as the lecture replay.
  'pc-darts': ['--steps', '300', '--every', '4'],
  'darts-minus': ['--steps', '300', '--every', '4'],
  'fair-darts': ['--steps', '300', '--every', '4'],
  gdas: ['--steps', '300', '--every', '4'],
  'sdarts-rs': ['--steps', '300', '--every', '4'],
  'tiny-mnist': [
    '--steps',
    '60',
    '--every',
    '2',
    '--note',
    'An excerpt: 60 steps of a CLI-sized preset (about 3 s each on a laptop CPU). On MNIST, α needs far more steps than this to decide.',
  ],
  'tiny-cifar': [
    '--steps',
    '20',
    '--every',
    '1',
    '--note',
    'An excerpt: 20 steps of a CLI-sized preset (seconds each on a laptop CPU), far from a decision; search it live or with the CLI for longer.',
  ],
  // The full paper setting costs several minutes of CPU per step here: a clearly labelled reduced run.
  paper: [
    '--steps',
    '3',
    '--every',
    '1',
    '--batch',
    '8',
    '--note',
    'A reduced run: batch 8 instead of the paper\'s 64, and only 3 steps (one step of the full configuration takes minutes ' +
      'on a laptop CPU; the paper searches for 50 epochs on a GPU). With the paper\'s α learning rate (3e-4), α has barely left uniform.',
  ],
};

const presetNames = (() => {
  const src = readFileSync(new URL('../src/core/presets.ts', import.meta.url), 'utf8');
  const m = /PRESET_NAMES\s*=\s*\[([^\]]*)\]/.exec(src);
  if (!m) throw new Error('make-replays: cannot find PRESET_NAMES in src/core/presets.ts');
  return [...m[1].matchAll(/'([^']+)'/g)].map((x) => x[1]);
})();

const missing = presetNames.filter((p) => !(p in REPLAYS));
if (missing.length > 0) {
  console.error(`make-replays: no recording settings for preset(s) ${missing.join(', ')}; add them to REPLAYS`);
  process.exit(2);
}

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const only = args.filter((a) => !a.startsWith('--'));
for (const p of only) {
  if (!presetNames.includes(p)) {
    console.error(`make-replays: unknown preset '${p}'; presets: ${presetNames.join(', ')}`);
    process.exit(2);
  }
}
const todo = only.length > 0 ? only : presetNames;

let failed = 0;
for (const preset of todo) {
  const out = `public/replays/${preset}.json`;
  const cmd = ['run', '-s', 'darts', '--', 'record', '--preset', preset, ...REPLAYS[preset], '--out', out];
  console.error(`make-replays: npm ${cmd.map((a) => (/[\s'"]/.test(a) ? JSON.stringify(a) : a)).join(' ')}`);
  if (dryRun) continue;
  const t0 = Date.now();
  const r = spawnSync('npm', cmd, { stdio: ['ignore', 'inherit', 'inherit'] });
  const s = ((Date.now() - t0) / 1000).toFixed(0);
  if (r.status !== 0) {
    failed++;
    console.error(`make-replays: ${preset} FAILED (exit ${r.status}) after ${s} s`);
  } else {
    console.error(`make-replays: ${preset} done in ${s} s, ${(statSync(out).size / 1024).toFixed(0)} KB`);
  }
}
process.exit(failed > 0 ? 1 : 0);
