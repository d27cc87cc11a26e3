/**
 * The CLI as a user runs it: spawned processes, exit codes, stdout holding only JSON.
 * `tsx src/cli/main.ts` is what `npm run -s darts --` runs; one test goes through npm itself.
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { fixturePath } from '../testing/shared';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

function sharedFixture(name: string): string {
  return fixturePath(name);
}

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Run the CLI in a child process (asynchronously, so independent cases can run concurrently). */
function darts(args: string[], timeout = 60_000): Promise<Result> {
  return new Promise((done) => {
    execFile(process.execPath, [TSX, MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      done({ code, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'darts-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('usage errors exit 2 with the usage on stderr and nothing on stdout', () => {
  const cases: [string, string[], RegExp][] = [
    ['unknown command', ['frobnicate'], /unknown command 'frobnicate'/],
    ['unknown flag', ['info', '--colour', 'red'], /Unknown option '--colour'/],
    ['missing value', ['info', '--preset'], /--preset <value>' argument missing/],
    ['non-numeric number', ['info', '--C', 'eight'], /--C expects an integer, got 'eight'/],
    ['invalid config', ['info', '--preset', 'tiny-mnist', '--C', '7'], /C must be even/],
    ['odd size before a reduction', ['info', '--preset', 'tiny-cifar', '--size', '30'], /height 30 becomes 15 before/],
    ['missing --alphas', ['derive'], /--alphas a.json is required/],
    ['bad --order', ['search', '--preset', 'tiny-mnist', '--order', '3'], /--order must be one of 1, 2/],
    ['bad --backend', ['bench', '--preset', 'tiny-mnist', '--backend', 'webgl'], /--backend must be one of cpu, wasm/],
    ['--out in a missing folder', ['search', '--steps', '1', '--out', '/nonexistent/run.json'], /the folder \/nonexistent does not exist/],
  ];
  it.concurrent.each(cases)('%s', async (_name, args, message) => {
    const r = await darts(args);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/usage: (darts \w+|npm run -s darts -- <command>)/);
  });
});

describe('info', () => {
  it('prints valid JSON for tiny-mnist with the reference parameter count', async () => {
    const r = await darts(['info', '--preset', 'tiny-mnist']);
    expect(r.code).toBe(0);
    const info = JSON.parse(r.stdout);
    expect(info.paramCount).toBe(393_778);
    expect(info.alphaShape).toEqual({ normal: [14, 8], reduce: [14, 8] });
    expect(info.reductionCells).toEqual([1, 3]);
    expect(info.estimatedPeakBytes).toBeGreaterThan(0);
  });
  it('--method and --pc-k set the method; PC-DARTS counts its ops at C/K channels', async () => {
    const [darts8, pc] = await Promise.all([
      darts(['info', '--preset', 'lecture', '--C', '8']),
      darts(['info', '--preset', 'lecture', '--C', '8', '--method', 'pc-darts', '--pc-k', '4']),
    ]);
    expect(pc.code).toBe(0);
    expect(JSON.parse(darts8.stdout).paramCount).toBe(208_236);
    expect(JSON.parse(pc.stdout).paramCount).toBe(32_820); // the engine's count (bench, the header)
    const bad = await darts(['info', '--preset', 'lecture', '--method', 'pc-darts']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/pcK \(--pc-k\): PC-DARTS sends C\/K channels/);
  });
  it('works through npm, as the README shows', () => {
    const r = spawnSync('npm', ['run', '-s', 'darts', '--', 'info', '--preset', 'tiny-cifar'], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).paramCount).toBe(394_210); // spec §9: C=8, L=5, RGB
  });
});

describe('derive', () => {
  const { cases } = JSON.parse(readFileSync(sharedFixture('parse-cases.json'), 'utf8')) as {
    cases: { name: string; alphas_raw: { normal: number[][]; reduce: number[][] }; expected_genotype: unknown }[];
  };

  it.concurrent.each(cases.map((c) => [c.name, c] as const))('fixture %s gives the reference genotype', async (_name, c) => {
    const file = join(tmp, `${c.name}.json`);
    writeFileSync(file, JSON.stringify(c.alphas_raw));
    const r = await darts(['derive', '--alphas', file]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(c.expected_genotype);
  });

  it('prints the reference repr with --format python', async () => {
    const file = join(tmp, 'repr.json');
    writeFileSync(file, JSON.stringify(cases[0].alphas_raw));
    const r = await darts(['derive', '--alphas', file, '--format', 'python']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Genotype\(normal=\[\('max_pool_3x3', 0\), .*reduce_concat=.*\)\n$/);
  });

  it('reports a malformed file with a clear message and exit 2', async () => {
    const notJson = join(tmp, 'bad.json');
    writeFileSync(notJson, '{"normal": [[0, 1],, }');
    let r = await darts(['derive', '--alphas', notJson]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/α file '.*bad.json' is not valid JSON: line 1, column/);

    const wrongShape = join(tmp, 'shape.json');
    writeFileSync(wrongShape, JSON.stringify({ normal: [[0, 1]], reduce: [[0, 1]] }));
    r = await darts(['derive', '--alphas', wrongShape]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/"normal" has 1 rows; a cell with N intermediate nodes has N\(N\+3\)\/2 edges/);

    r = await darts(['derive', '--alphas', join(tmp, 'missing.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/cannot read α file '.*missing.json': no such file/);
  });
});

// The smallest search that still has a reduction with FactorizedReduce after it: C=4, 3 cells,
// 3 nodes, 3 ops, 8×8 input, batch 4.
const TINY = ['--preset', 'tiny-mnist', '--C', '4', '--layers', '3', '--nodes', '2', '--size', '8', '--batch', '4',
  '--ops', 'none,skip_connect,sep_conv_3x3'];

describe('search (engine)', () => {
  it('runs 2 steps, writes the run file and prints a JSON summary', async () => {
    const out = join(tmp, 'run.json');
    const r = await darts(['search', ...TINY, '--steps', '2', '--seed', '3', '--backend', 'cpu', '--out', out], 120_000);
    expect(r.stderr).toMatch(/search \[#+\] 2\/2/); // the progress bar
    expect(r.code).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary).toMatchObject({ command: 'search', backend: 'cpu', steps: 2, seed: 3, out });
    expect(Number.isFinite(summary.final.trainLoss)).toBe(true);

    const run = JSON.parse(readFileSync(out, 'utf8'));
    expect(run.kind).toBe('darts-run');
    expect(run.config).toMatchObject({ C: 4, layers: 3, steps: 2, seed: 3, ops: ['none', 'skip_connect', 'sep_conv_3x3'] });
    expect(run.history).toHaveLength(2);
    expect(run.alphas.raw.normal).toHaveLength(5); // 2 nodes → 5 edges
    expect(run.alphas.softmax.reduce[0].reduce((s: number, x: number) => s + x, 0)).toBeCloseTo(1, 5);
    expect(run.genotype).toEqual(summary.genotype);

    // The saved raw α derives to the same genotype, and the run file works as --config.
    const alphas = join(tmp, 'alphas.json');
    writeFileSync(alphas, JSON.stringify(run.alphas.raw));
    const d = await darts(['derive', '--alphas', alphas, '--config', out]);
    expect(d.code).toBe(0);
    expect(JSON.parse(d.stdout)).toEqual(run.genotype);
  });
});

describe('search --save / --resume (engine)', () => {
  it('a run saved after 2 steps and resumed for 2 more ends where 4 uninterrupted steps end', async () => {
    const [whole, first, rest, saved] = ['whole.json', 'first.json', 'rest.json', 'run.darts'].map((f) => join(tmp, f));
    const base = ['search', ...TINY, '--seed', '3', '--backend', 'wasm', '-q'];
    expect((await darts([...base, '--steps', '4', '--out', whole], 120_000)).code).toBe(0);
    expect((await darts([...base, '--steps', '2', '--out', first, '--save', saved], 120_000)).code).toBe(0);
    const r = await darts(['search', '--resume', saved, '--steps', '2', '--backend', 'wasm', '-q', '--out', rest], 120_000);
    expect(r.code).toBe(0);
    const [a, b] = [whole, rest].map((f) => JSON.parse(readFileSync(f, 'utf8')));
    expect(b.alphas.raw).toEqual(a.alphas.raw); // bit-identical α
    expect(b.history.at(-1)).toMatchObject({ step: 4, trainLoss: a.history.at(-1).trainLoss });

    // The run's config is fixed; a config flag with --resume is refused, and so is another file.
    const bad = await darts(['search', '--resume', saved, '--seed', '4']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/drop --seed/);
    const other = await darts(['search', '--resume', whole]);
    expect(other.stderr).toMatch(/not a usable run file: it does not start with "DRUN"/);
  });
});

describe('bench (engine)', () => {
  it('prints one JSON line with the timing fields', async () => {
    const r = await darts(['bench', ...TINY, '--backend', 'wasm', '--steps', '2', '--warmup', '1'], 120_000);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const b = JSON.parse(lines[0]);
    for (const k of ['msPerStep', 'stepsPerSec', 'alphaStepMs', 'weightStepMs', 'peakBytes']) {
      expect(b[k], k).toBeGreaterThan(0);
    }
    expect(b.numTensorsStable).toBe(true);
    expect(b).toMatchObject({ backend: 'wasm', order: 1, steps: 2, warmup: 1, paramCount: 8262 });
    expect(r.stderr).toMatch(/bench \[#+\] 4\/4/); // warm-up + timed + profiled step
  });
});
