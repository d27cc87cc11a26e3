/**
 * The interop commands as a user runs them (spawned `tsx src/cli/main.ts`, like cli.test.ts):
 * log-to-replay, export-weights, import-weights.
 */
import { execFile } from 'node:child_process';
import { fakeSavedState } from '../engine/testing/fakeState';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { SearchConfig } from '../core/config';
import { getPreset } from '../core/presets';
import { parseReplayJson } from '../core/replay';
import { decodeRunFile, encodeRunFile } from '../core/runFile';
import { decodeStateDict } from '../core/stateDict';
import { validateConfig } from '../core/validateConfig';
import { supernetLayout } from '../engine/supernetPlan';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const FIXTURES = join(ROOT, 'src', 'core', '__fixtures__');

function darts(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [TSX, MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'darts-interop-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** A run file for `cfg` with made-up weights in the engine's layout. */
function runFile(cfg: SearchConfig, path: string): void {
  const state = fakeSavedState(cfg, { step: 5, optimiser: false, wave: (k) => Math.cos(k) * 0.1 });
  writeFileSync(path, encodeRunFile({ state, dataset: { name: 'task', id: 'task-long-range' }, savedAt: '2026-01-01T00:00:00.000Z' }));
}

describe('log-to-replay', () => {
  it.concurrent('converts the modern fixture log and prints a summary', async () => {
    const out = join(tmp, 'replay.json');
    const r = await darts(['log-to-replay', join(FIXTURES, 'train_search_modern.txt'), out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s).toMatchObject({ epochs: 5, firstEpoch: 0, lastEpoch: 4, stepsPerEpoch: 391, config: { C: 16, layers: 8 } });
    expect(s.lastGenotype).toMatch(/^Genotype\(normal=/);
    const replay = parseReplayJson(readFileSync(out, 'utf8'));
    expect(replay.frames.map((f) => f.step)).toEqual([0, 391, 782, 1173, 1564]);
    expect(replay.command).toMatch(/log-to-replay train_search_modern\.txt/);
  });

  it.concurrent('a malformed log is a usage error (exit 2) naming the line', async () => {
    const bad = join(tmp, 'bad.log');
    writeFileSync(bad, readFileSync(join(FIXTURES, 'train_search_torch03.txt'), 'utf8').replace('0.1253', '0.12.53'));
    const r = await darts(['log-to-replay', bad, join(tmp, 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/train_search log, line 7: a Variable row holds "0\.12\.53"/);
  });

  it.concurrent('wrong arguments: exit 2 with the command usage', async () => {
    const r = await darts(['log-to-replay', 'only-one.log']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/expected 2 file arguments \(train_search\.log replay\.json\), got 1/);
    expect(r.stderr).toMatch(/usage: darts log-to-replay/);
  });
});

describe('export-weights / import-weights', () => {
  it('a run file → export → run file: the same weights, BN statistics and α', async () => {
    const cfg = getPreset('lecture');
    const run = join(tmp, 'run.darts');
    runFile(cfg, run);
    const exp = join(tmp, 'export.bin');
    const e = await darts(['export-weights', run, exp]);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    const s = JSON.parse(e.stdout);
    expect(s).toMatchObject({ network: { class: 'model_search.Network', args: { C: 4, layers: 3 } }, referenceCompatible: false });
    expect(s.parameters).toBe(supernetLayout(cfg).paramCount);
    expect(decodeStateDict(readFileSync(exp)).tensors.get('stem.0.weight')!.shape).toEqual([12, 1, 3, 3]);

    const back = join(tmp, 'back.darts');
    const i = await darts(['import-weights', exp, back]);
    expect(i.stderr).toBe('');
    expect(i.code).toBe(0);
    expect(JSON.parse(i.stdout)).toMatchObject({ config: { C: 4, layers: 3 }, dataset: { name: 'task', id: 'task-long-range' }, step: 5 });
    const a = decodeRunFile(new Uint8Array(readFileSync(run))); // a copy: a Node Buffer may be a view into a shared pool
    const b = decodeRunFile(new Uint8Array(readFileSync(back)));
    expect(b.state.config).toEqual(a.state.config);
    expect(b.state.weights).toEqual(a.state.weights);
    expect(b.state.buffers).toEqual(a.state.buffers);
    expect(b.state.alphaNormal).toEqual(a.state.alphaNormal);

    // Against another network: exit 2, the key and both shapes named.
    const wrong = await darts(['import-weights', exp, join(tmp, 'w.darts'), '--preset', 'lecture', '--C', '6']);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/"stem\.0\.weight" has shape \[12, 1, 3, 3\], the config needs \[18, 1, 3, 3\]/);
  });

  it.concurrent('a PC-DARTS run is refused with the reason', async () => {
    const run = join(tmp, 'pc.darts');
    runFile(validateConfig({ ...getPreset('lecture'), C: 8, method: 'pc-darts' }), run); // PC-DARTS needs C a multiple of 2·pcK
    const r = await darts(['export-weights', run, join(tmp, 'pc.bin')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/PC-DARTS runs cannot be exported for quark0\/darts/);
  });

  it.concurrent('not an export: exit 2', async () => {
    const junk = join(tmp, 'junk.bin');
    writeFileSync(junk, 'not an export');
    const r = await darts(['import-weights', junk, join(tmp, 'j.darts')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/does not start with "DSTD"/);
  });

  it.concurrent('--help of each command', async () => {
    for (const c of ['log-to-replay', 'export-weights', 'import-weights']) {
      const r = await darts([c, '--help']);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`usage: darts ${c}`));
    }
  });
});
