/**
 * `darts evaluate` as a user runs it: the reference parameter counts without training, clear
 * usage errors, and a short real training run on MNIST that clearly beats chance (10 %).
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');

function darts(args: string[], timeout = 120_000): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [TSX, MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const tmp = mkdtempSync(join(tmpdir(), 'darts-eval-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('darts evaluate', () => {
  it('--params-only prints the reference counts (1-channel MNIST stem)', async () => {
    const r = await darts(['evaluate', '--genotype', 'DARTS_V2', '--C', '16', '--layers', '8', '--params-only']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ params: 245_242 });
  });

  it('reads a genotype file in either format and rejects a broken one with exit 2', async () => {
    const good = join(tmp, 'g.txt');
    writeFileSync(good, "Genotype(normal=[('sep_conv_3x3', 0), ('skip_connect', 1)], normal_concat=[2], reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1)], reduce_concat=[2])");
    const ok = await darts(['evaluate', '--genotype', good, '--C', '4', '--layers', '3', '--params-only']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout).params).toBeGreaterThan(0);
    const bad = join(tmp, 'bad.json');
    writeFileSync(bad, '{"normal": [["sep_conv_9x9", 0]]}');
    const r = await darts(['evaluate', '--genotype', bad, '--params-only']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/sep_conv_9x9/);
    const aux = await darts(['evaluate', '--genotype', 'DARTS_V2', '--size', '8', '--auxiliary', '--params-only']);
    expect(aux.code).toBe(2);
    expect(aux.stderr).toMatch(/auxiliary/);
  });

  it('trains DARTS_V2 on MNIST for one short epoch and beats chance clearly', async () => {
    const r = await darts(
      ['evaluate', '--genotype', 'DARTS_V2', '--dataset', 'mnist', '--size', '16', '--train-size', '640', '--test-size', '300', '--epochs', '1', '-q'],
      240_000,
    );
    expect(r.code, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ params: 36_586, epochs: 1, dataset: 'mnist', trainImages: 640, testImages: 300 });
    expect(out.testAccuracy).toBeGreaterThan(0.4); // chance: 0.1
    expect(out.msPerEpoch).toBeGreaterThan(0);
  }, 240_000);
});
