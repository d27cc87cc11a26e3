import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../core/config';
import { getPreset } from '../core/presets';
import { PRIMITIVES } from '../core/primitives';
import { parseAlphaFile } from './alphaFile';
import {
  backendArg,
  CONFIG_OPTIONS,
  intArg,
  listArg,
  orderArg,
  parseCommandArgs,
  UsageError,
} from './args';
import { run } from './cli';
import { DEFAULT_PRESET, resolveConfig } from './configArgs';
import { formatJson, memoryIO } from './io';

const parse = (args: string[]) => parseCommandArgs('info', args, { ...CONFIG_OPTIONS, order: { type: 'string' } });

function usageError(f: () => unknown): UsageError {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    return e as UsageError;
  }
  throw new Error('expected a UsageError');
}

describe('parseCommandArgs (util.parseArgs, strict)', () => {
  it('reads --flag value and --flag=value', () => {
    expect(parse(['--preset', 'tiny-mnist', '--C=8', '--ops', 'a,b'])).toMatchObject({
      preset: 'tiny-mnist',
      C: '8',
      ops: 'a,b',
    });
  });
  it('rejects an unknown flag', () => {
    expect(usageError(() => parse(['--colour', 'red'])).message).toMatch(/Unknown option '--colour'/);
  });
  it('rejects a flag without its value', () => {
    expect(usageError(() => parse(['--C'])).message).toMatch(/--C.*argument missing/);
    // the next flag is not taken as the value
    expect(usageError(() => parse(['--C', '--layers', '3'])).message).toMatch(/--C.*ambiguous/);
  });
  it('rejects positional arguments', () => {
    expect(usageError(() => parse(['tiny-mnist'])).message).toMatch(/Unexpected argument 'tiny-mnist'/);
  });
  it('keeps the command name for the usage text', () => {
    expect(usageError(() => parse(['--nope'])).command).toBe('info');
  });
});

describe('value parsers', () => {
  it('accepts plain integers only', () => {
    expect(intArg({ C: '8' }, 'C', 'info')).toBe(8);
    expect(intArg({ C: ' 12 ' }, 'C', 'info')).toBe(12);
    expect(intArg({}, 'C', 'info')).toBeUndefined();
    for (const bad of ['abc', '3.5', '1e3', '0x10', '', '8px']) {
      expect(usageError(() => intArg({ C: bad }, 'C', 'info')).message).toBe(`--C expects an integer, got '${bad}'`);
    }
  });
  it('checks integer ranges', () => {
    expect(usageError(() => intArg({ steps: '0' }, 'steps', 'search', { min: 1 })).message).toMatch(/at least 1/);
  });
  it('restricts --order and --backend', () => {
    expect(orderArg({ order: '2' }, 'search')).toBe(2);
    expect(usageError(() => orderArg({ order: '3' }, 'search')).message).toMatch(/--order must be one of 1, 2/);
    expect(backendArg({ backend: 'wasm' }, 'bench')).toBe('wasm');
    expect(usageError(() => backendArg({ backend: 'webgl' }, 'bench')).message).toMatch(/cpu, wasm/);
  });
  it('splits comma lists', () => {
    expect(listArg({ ops: ' conv_1x1, conv_3x3,,conv_5x5 ' }, 'ops', 'info')).toEqual(['conv_1x1', 'conv_3x3', 'conv_5x5']);
    expect(usageError(() => listArg({ ops: ' , ' }, 'ops', 'info')).message).toMatch(/comma-separated/);
  });
});

describe('resolveConfig', () => {
  it('uses a preset unchanged when no flag overrides it', () => {
    expect(resolveConfig(parse(['--preset', 'tiny-mnist']), 'info').config).toEqual(getPreset('tiny-mnist'));
  });
  it('applies the override flags', () => {
    const { config } = resolveConfig(
      parse(['--preset', 'tiny-cifar', '--C', '4', '--layers', '3', '--nodes', '3', '--in-channels', '1',
        '--size', '16', '--classes', '4', '--ops', 'conv_5x5,conv_1x1,conv_3x3', '--batch', '8', '--order', '2']),
      'info',
      { order: true },
    );
    expect(config).toMatchObject({
      C: 4, layers: 3, steps: 3, multiplier: 3, inChannels: 1, height: 16, width: 16, numClasses: 4, batchSize: 8, order: 2,
      ops: ['conv_1x1', 'conv_3x3', 'conv_5x5'], // canonical column order
    });
  });
  it('starts from the app default preset without --preset or --config', () => {
    expect(resolveConfig(parse([]), 'info').config).toEqual(getPreset(DEFAULT_PRESET));
    expect(resolveConfig(parse(['--nodes', '3']), 'info').config).toMatchObject({ steps: 3, multiplier: 3 });
  });
  it('fills a partial config file with the reference defaults', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'darts-cfg-')), 'cfg.json');
    writeFileSync(file, JSON.stringify({ C: 4, layers: 3, steps: 3, height: 16, width: 16, batchSize: 8 }));
    expect(resolveConfig(parse(['--config', file]), 'info').config).toEqual({
      ...DEFAULT_CONFIG, C: 4, layers: 3, steps: 3, multiplier: 3, height: 16, width: 16, batchSize: 8,
    });
    writeFileSync(file, '{"C": 4,}');
    expect(usageError(() => resolveConfig(parse(['--config', file]), 'info')).message).toMatch(
      /config file '.*cfg.json' is not valid JSON: line 1, column/,
    );
    writeFileSync(file, '{"colour": "red"}');
    expect(usageError(() => resolveConfig(parse(['--config', file]), 'info')).message).toMatch(/unknown setting "colour"/);
  });
  it('turns a ConfigError into a usage error that names the flag', () => {
    const e = usageError(() => resolveConfig(parse(['--preset', 'tiny-mnist', '--C', '7']), 'info'));
    expect(e.message).toMatch(/invalid config \(preset tiny-mnist with flag overrides\)/);
    expect(e.message).toMatch(/- C \(--C\): C must be even/);
    expect(usageError(() => resolveConfig(parse(['--ops', 'sep_conv_3x4']), 'info')).message).toMatch(
      /unknown op "sep_conv_3x4" \(did you mean "sep_conv_3x3"\?\)/,
    );
  });
  it('rejects an unknown preset with a suggestion, and --preset with --config', () => {
    expect(usageError(() => resolveConfig(parse(['--preset', 'tiny-mnst']), 'info')).message).toMatch(
      /unknown preset 'tiny-mnst' \(did you mean "tiny-mnist"\?\); presets: .*lecture/,
    );
    expect(usageError(() => resolveConfig(parse(['--preset', 'paper', '--config', 'x.json']), 'info')).message).toMatch(
      /either --preset or --config/,
    );
  });
  it('reports an unreadable config file as a usage error', () => {
    expect(usageError(() => resolveConfig(parse(['--config', '/nonexistent/cfg.json']), 'info')).message).toMatch(
      /cannot read config file '\/nonexistent\/cfg.json': no such file/,
    );
  });
});

describe('parseAlphaFile', () => {
  const rows = (n: number, k: number, v = 0) => Array.from({ length: n }, () => Array.from({ length: k }, () => v));
  const ok = { normal: rows(14, 8), reduce: rows(14, 8) };
  const msg = (obj: unknown, ops: readonly string[] = PRIMITIVES, steps?: number) =>
    usageError(() => parseAlphaFile(obj, 'α file', 'derive', ops as never, steps)).message;

  it('accepts {normal, reduce} and infers the node count', () => {
    const f = parseAlphaFile(ok, 'α file', 'derive', PRIMITIVES);
    expect(f).toMatchObject({ steps: 4, kind: 'raw', primitives: [...PRIMITIVES] });
  });
  it('names every problem', () => {
    expect(msg([])).toMatch(/must hold a JSON object/);
    expect(msg({ reduce: ok.reduce })).toMatch(/missing "normal"/);
    expect(msg({ ...ok, normal: rows(13, 8) })).toMatch(/"normal" has 13 rows; .*2, 5, 9, 14, 20, 27/);
    expect(msg({ ...ok, reduce: rows(9, 8) })).toMatch(/"normal" is 14×8 but "reduce" is 9×8/);
    expect(msg({ ...ok, normal: [...rows(13, 8), [0, 0, 'x', 0, 0, 0, 0, 0]] })).toMatch(/"normal"\[13\]\[2\] is "x", not a finite number/);
    expect(msg({ ...ok, normal: [...rows(13, 8), [0, 0]] })).toMatch(/row 13 has 2 values; row 0 has 8/);
    expect(msg({ normal: rows(14, 3), reduce: rows(14, 3) })).toMatch(/rows have 3 values but the op list has 8/);
    expect(msg({ ...ok, primitives: ['none', 'max_pool_3x3'] })).toMatch(/"primitives" names 2 ops but the rows have 8/);
    expect(msg({ ...ok, primitives: [...PRIMITIVES.slice(0, 7), 'sep_conv_9x9'] })).toMatch(/'sep_conv_9x9', which is not a known op/);
    expect(msg({ ...ok, kind: 'logits' })).toMatch(/"kind" must be "raw" or "softmax"/);
    expect(msg({ ...ok, kind: 'softmax' })).toMatch(/row 0 is not a probability row/);
    expect(msg(ok, PRIMITIVES, 3)).toMatch(/cells with 4 nodes, but the config has 3/);
  });
});

describe('run (in-process)', () => {
  it('prints the usage on stderr and exits 2 without a command or with an unknown one', async () => {
    for (const argv of [[], ['frobnicate']]) {
      const io = memoryIO();
      expect(await run(argv, io)).toBe(2);
      expect(io.stdout).toBe('');
      expect(io.stderr).toMatch(/usage: npm run -s darts -- <command>/);
    }
  });
  it('prints help on stdout with exit 0', async () => {
    const io = memoryIO();
    expect(await run(['help', 'derive'], io)).toBe(0);
    expect(io.stdout).toMatch(/usage: darts derive --alphas a.json/);
    const io2 = memoryIO();
    expect(await run(['bench', '--help'], io2)).toBe(0);
    expect(io2.stdout).toMatch(/usage: darts bench/);
  });
  it('shows the command usage after a usage error', async () => {
    const io = memoryIO();
    expect(await run(['info', '--preset', 'tiny-mnist', '--layers', 'five'], io)).toBe(2);
    expect(io.stderr).toMatch(/^darts info: --layers expects an integer, got 'five'\n\nusage: darts info/);
  });
  it('info: α shape, reduction cells and per-cell shapes', async () => {
    const io = memoryIO();
    expect(await run(['info', '--preset', 'tiny-mnist'], io)).toBe(0);
    const r = JSON.parse(io.stdout);
    expect(r.paramCount).toBe(393_778);
    expect(r.alphaShape).toEqual({ normal: [14, 8], reduce: [14, 8] });
    expect(r.reductionCells).toEqual([1, 3]);
    expect(r.cells.map((c: { type: string }) => c.type)).toEqual(['normal', 'reduce', 'normal', 'reduce', 'normal']);
    expect(r.cells.map((c: { outSize: number[] }) => c.outSize)).toEqual([[28, 28], [14, 14], [14, 14], [7, 7], [7, 7]]);
    expect(r.cells.map((c: { channels: number }) => c.channels)).toEqual([8, 16, 16, 32, 32]);
    expect(r.cells[2].preprocess0).toBe('FactorizedReduce');
    expect(r.estimatedPeakBytes).toBeGreaterThan(0);
    expect(r.cells.reduce((s: number, c: { params: number }) => s + c.params, r.stem.params + r.classifier.params)).toBe(r.paramCount);
  });
  it('info: the paper-size supernet of spec §9', async () => {
    const io = memoryIO();
    expect(await run(['info', '--preset', 'paper'], io)).toBe(0);
    expect(JSON.parse(io.stdout).paramCount).toBe(1_930_618);
  });
});

describe('formatJson', () => {
  it('keeps arrays of plain values on one line and stays valid JSON', () => {
    const v = { normal: [['sep_conv_3x3', 1], ['skip_connect', 0]], s: 'a,\nb [x]', m: [[1, 2], [3, 4]], o: [{ a: 1 }] };
    const text = formatJson(v);
    expect(JSON.parse(text)).toEqual(v);
    expect(text).toContain('["sep_conv_3x3", 1]');
    expect(text).toContain('[1, 2]');
  });
});
