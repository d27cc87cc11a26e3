/**
 * `darts record` as a user runs it: a 3-step recording of a tiny config, read back with the
 * app's decoder.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { parseReplayJson } from '../core/replay';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
const MAIN = join(ROOT, 'src', 'cli', 'main.ts');
const tmp = mkdtempSync(join(tmpdir(), 'darts-record-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function darts(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, [TSX, MAIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 120_000 }, (err, stdout, stderr) => {
      done({ code: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr });
    });
  });
}

const TINY = ['--preset', 'simple-convs', '--size', '8', '--batch', '4', '--C', '2', '--dataset', 'synthetic', '-q'];

describe('darts record', () => {
  it('writes a replay the app can decode: frame 0, then every K steps and always the last', async () => {
    const out = join(tmp, 'r.json');
    const r = await darts(['record', ...TINY, '--steps', '3', '--every', '2', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ command: 'record', frames: 3, steps: 3, every: 2, out });
    const replay = parseReplayJson(readFileSync(out, 'utf8'));
    expect(replay.frames.map((f) => f.step)).toEqual([0, 2, 3]);
    expect(replay.frames.map((f) => f.archStep)).toEqual([0, 2, 3]);
    expect(replay.frames[0].trainLoss).toBeNull();
    expect(replay.frames[2].trainLoss).toBeGreaterThan(0);
    expect(replay.config.C).toBe(2);
    expect(replay.alphaShape).toEqual({ edges: 5, ops: 3 });
    expect(replay.command).toContain('record --preset simple-convs');
    expect(replay.note).toContain('3 first-order search steps of the "simple-convs" preset changed to C 2 (preset: 4)');
    expect(replay.note).toContain('batchSize 4 (preset: 16)');
    // α moved between the first and the last frame, and each row still sums to 1
    expect(Array.from(replay.frames[2].rawNormal!)).not.toEqual(Array.from(replay.frames[0].rawNormal!));
    const row = replay.frames[2].softmaxNormal.subarray(0, 3).reduce((a, b) => a + b, 0);
    expect(row).toBeCloseTo(1, 3);
  });

  it('refuses a missing --out with exit 2', async () => {
    const r = await darts(['record', ...TINY, '--steps', '1']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--out is required');
    expect(r.stdout).toBe('');
  });
});
