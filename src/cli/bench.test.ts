/**
 * `darts bench` plumbing with the engine mocked: which options reach benchSteps and the shape of
 * the one output line. The real, timed run is in cli.test.ts.
 */
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { run } from './cli';
import { memoryIO } from './io';

const { benchSteps, initNodeBackend } = vi.hoisted(() => ({ benchSteps: vi.fn(), initNodeBackend: vi.fn() }));
vi.mock('../engine/bench', () => ({ benchSteps }));
vi.mock('../engine/node', () => ({ initNodeBackend }));


const TIMING = { msPerStep: 120.5, stepsPerSec: 8.3, alphaStepMs: 50, weightStepMs: 70, peakBytes: 123456, numTensorsStable: true };
const RESULT = { ...TIMING, backend: 'cpu', steps: 3, warmup: 0, order: 2, paramCount: 393_778 };

describe('bench command', () => {
  beforeEach(() => {
    benchSteps.mockReset().mockResolvedValue(RESULT);
    initNodeBackend.mockReset().mockResolvedValue(undefined);
  });

  it('initialises the backend, passes steps, warm-up and order, and prints one JSON line', async () => {
    const io = memoryIO();
    const code = await run(['bench', '--preset', 'tiny-mnist', '--backend', 'cpu', '--order', '2', '--steps', '3', '--warmup', '0'], io);
    expect(code).toBe(0);
    expect(initNodeBackend).toHaveBeenCalledWith('cpu');
    expect(benchSteps).toHaveBeenCalledTimes(1);
    const [config, opts] = benchSteps.mock.calls[0];
    expect(config).toMatchObject({ C: 8, layers: 5, batchSize: 32, order: 2 });
    expect(opts).toMatchObject({ steps: 3, warmup: 0 });
    expect(io.stdout.endsWith('\n')).toBe(true);
    expect(io.stdout.trim().split('\n')).toHaveLength(1);
    expect(JSON.parse(io.stdout)).toEqual({ ...RESULT, preset: 'tiny-mnist', batch: 32 });
    expect(Object.keys(JSON.parse(io.stdout)).slice(0, 6)).toEqual(Object.keys(TIMING));
  });

  it('defaults to wasm, 10 steps and 2 warm-up steps', async () => {
    const io = memoryIO();
    expect(await run(['bench', '--preset', 'lecture'], io)).toBe(0);
    expect(initNodeBackend).toHaveBeenCalledWith('wasm');
    expect(benchSteps.mock.calls[0][0]).toMatchObject({ order: 1 });
    expect(benchSteps.mock.calls[0][1]).toMatchObject({ steps: 10, warmup: 2 });
  });

  it('exits 1 with the message when the backend fails', async () => {
    initNodeBackend.mockRejectedValue(new Error('The wasm backend could not be initialised.'));
    const io = memoryIO();
    expect(await run(['bench', '--preset', 'lecture'], io)).toBe(1);
    expect(io.stdout).toBe('');
    expect(io.stderr).toBe('darts bench: error: The wasm backend could not be initialised.\n');
  });

  it('rejects --steps 0 and a negative warm-up as usage errors', async () => {
    for (const args of [['--steps', '0'], ['--warmup=-1']]) {
      const io = memoryIO();
      expect(await run(['bench', ...args], io)).toBe(2);
      expect(benchSteps).not.toHaveBeenCalled();
    }
  });
});
