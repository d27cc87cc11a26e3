import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from './config';
import { estimateStepBytes } from './memory';
import { PRIMITIVES } from './primitives';
import { ConfigError, parseConfigJson, validateConfig } from './validateConfig';

/** A small valid base (the lecture preset's network). */
const small = { C: 4, layers: 3, inChannels: 1, height: 16, width: 16, batchSize: 16 } as const;
const GiB = 1024 ** 3;

/** The issues of a config that must fail. */
function issuesOf(partial: unknown) {
  try {
    validateConfig(partial);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return (e as ConfigError).issues;
  }
  throw new Error('expected a ConfigError');
}
const messageOf = (partial: unknown, field: string) => issuesOf(partial).find((i) => i.field === field)?.message;

describe('validateConfig', () => {
  it('fills in the reference defaults (spec §3.1)', () => {
    // The bare defaults fit the default 2 GiB budget (edge-by-edge backprop, ≈ 1.64 GB).
    expect(validateConfig({})).toEqual(DEFAULT_CONFIG);
    expect(validateConfig(undefined)).toEqual(DEFAULT_CONFIG); // undefined = all defaults
    expect(estimateStepBytes(DEFAULT_CONFIG)).toBeLessThanOrEqual(DEFAULT_CONFIG.memoryBudgetBytes);
    expect(validateConfig({ memoryBudgetBytes: 32 * GiB })).toEqual({ ...DEFAULT_CONFIG, memoryBudgetBytes: 32 * GiB });
  });

  it('the reference defaults with a huge batch exceed the default 2 GiB budget, with a concrete hint', () => {
    const msg = messageOf({ batchSize: 256 }, 'memoryBudgetBytes');
    const m = msg?.match(
      /^one search step needs an estimated \d+\.\d+ GiB, above the budget of 2\.00 GiB: lower batchSize \(256\) \(batchSize (\d+) would fit\), C \(16\), layers \(8\) or the input size \(32×32\), or raise memoryBudgetBytes$/,
    );
    expect(m).not.toBeNull();
    // The suggested batch is the largest that fits: it validates, one more does not.
    const fit = Number(m?.[1]);
    expect(fit).toBeGreaterThanOrEqual(64);
    expect(fit).toBeLessThan(256);
    expect(validateConfig({ batchSize: fit }).batchSize).toBe(fit);
    expect(messageOf({ batchSize: fit + 1 }, 'memoryBudgetBytes')).toMatch(`(batchSize ${fit} would fit)`);
  });

  it('defaults multiplier to steps unless given', () => {
    expect(validateConfig({ ...small, steps: 3 }).multiplier).toBe(3);
    expect(validateConfig({ ...small, steps: 3, multiplier: 2 }).multiplier).toBe(2);
    expect(messageOf({ ...small, steps: 2, multiplier: 3 }, 'multiplier')).toBe(
      'multiplier 3 is larger than steps 2: the cell output concatenates the last multiplier of its 2 nodes; use 1..2',
    );
  });

  it('normalises ops into canonical order and copies them', () => {
    const ops = ['conv_1x1', 'skip_connect', 'none', 'max_pool_3x3'];
    const cfg = validateConfig({ ...small, ops });
    expect(cfg.ops).toEqual(['none', 'max_pool_3x3', 'skip_connect', 'conv_1x1']);
    expect(ops[0]).toBe('conv_1x1');
  });

  it('rejects unknown, duplicate and none-only ops', () => {
    expect(messageOf({ ...small, ops: ['sep_conv_3x3', 'sepconv_5x5'] }, 'ops')).toBe(
      `unknown op "sepconv_5x5" (did you mean "sep_conv_5x5"?); valid ops: ${[...PRIMITIVES, 'conv_1x1', 'conv_3x3', 'conv_5x5'].join(', ')}`,
    );
    expect(messageOf({ ...small, ops: ['sep_conv_3x3', 'sep_conv_3x3'] }, 'ops')).toBe('"sep_conv_3x3" is listed twice; list each op once');
    expect(messageOf({ ...small, ops: ['none'] }, 'ops')).toMatch(/^ops needs at least one op other than "none"/);
    expect(messageOf({ ...small, ops: [] }, 'ops')).toMatch(/^ops needs at least one op other than "none"/);
    expect(messageOf({ ...small, ops: 'sep_conv_3x3' }, 'ops')).toMatch(/^ops must be a list of op names/);
  });

  it('checks integer ranges with messages that say what is allowed', () => {
    expect(messageOf({ ...small, steps: 7 }, 'steps')).toBe('steps must be an integer from 1 to 6');
    expect(messageOf({ ...small, steps: 2.5 }, 'steps')).toBe('steps must be an integer from 1 to 6');
    expect(messageOf({ ...small, steps: '4' }, 'steps')).toBe('steps must be a number (an integer from 1 to 6)');
    expect(messageOf({ ...small, layers: 0 }, 'layers')).toBe('layers must be an integer from 1 to 64');
    expect(messageOf({ ...small, numClasses: 1 }, 'numClasses')).toBe('numClasses must be an integer from 2 to 10000');
    expect(messageOf({ ...small, stemMultiplier: 0 }, 'stemMultiplier')).toMatch(/stemMultiplier must be an integer/);
  });

  it('C must be an even integer >= 2 (FactorizedReduce halves)', () => {
    expect(messageOf({ ...small, C: 5 }, 'C')).toMatch(/^C must be even: FactorizedReduce splits its output channels in two halves/);
    expect(messageOf({ ...small, C: 0 }, 'C')).toBe('C must be an integer >= 2');
  });

  it('inChannels is 1 or 3; order is 1 or 2', () => {
    expect(messageOf({ ...small, inChannels: 2 }, 'inChannels')).toBe('inChannels must be 1 (grayscale, e.g. MNIST) or 3 (RGB, e.g. CIFAR-10)');
    expect(messageOf({ ...small, order: 3 }, 'order')).toMatch(/^order must be 1 \(first-order DARTS/);
  });

  it('batchSize >= 2 because of BatchNorm', () => {
    expect(messageOf({ ...small, batchSize: 1 }, 'batchSize')).toBe(
      'batchSize must be >= 2: BatchNorm uses batch statistics, which need at least 2 samples',
    );
  });

  it('optimiser ranges', () => {
    expect(messageOf({ ...small, lr: 0 }, 'lr')).toBe('lr must be > 0');
    expect(messageOf({ ...small, archLr: -1 }, 'archLr')).toBe('archLr must be > 0');
    expect(messageOf({ ...small, momentum: 1 }, 'momentum')).toMatch(/^momentum must be in \[0, 1\)/);
    expect(messageOf({ ...small, momentum: -0.1 }, 'momentum')).toMatch(/^momentum must be in \[0, 1\)/);
    expect(messageOf({ ...small, trainPortion: 1 }, 'trainPortion')).toMatch(/strictly between 0 and 1/);
    expect(messageOf({ ...small, trainPortion: 0 }, 'trainPortion')).toMatch(/strictly between 0 and 1/);
    expect(messageOf({ ...small, seed: 1.5 }, 'seed')).toMatch(/^seed must be an integer/);
    expect(messageOf({ ...small, lr: 0.01, lrMin: 0.02 }, 'lrMin')).toMatch(/^lrMin 0.02 is above lr 0.01/);
    expect(messageOf({ ...small, lr: Number.NaN }, 'lr')).toMatch(/^lr must be a number/);
    expect(messageOf({ ...small, gradClip: Number.POSITIVE_INFINITY }, 'gradClip')).toMatch(/^gradClip must be a number/);
  });

  it('height/width must stay even before every reduction (spec §1.2)', () => {
    // L=5: reductions at 1 and 3; 30 → 30 → 15 before cell 3.
    expect(messageOf({ ...small, layers: 5, height: 30 }, 'height')).toBe(
      'height 30 becomes 15 before reduction cell 3 (2*layers//3 = 3); FactorizedReduce needs an even size: use a height divisible by 4, e.g. 28 or 32',
    );
    expect(messageOf({ ...small, layers: 5, width: 15 }, 'width')).toBe(
      'width 15 is odd before reduction cell 1 (layers//3 = 1); FactorizedReduce needs an even size: use a width divisible by 4, e.g. 12 or 16',
    );
    // L=1: a single reduction at cell 0 (both indices coincide).
    expect(messageOf({ ...small, layers: 1, height: 7 }, 'height')).toBe(
      'height 7 is odd before reduction cell 0 (layers//3 = 2*layers//3 = 0); FactorizedReduce needs an even size: use a height divisible by 2, e.g. 6 or 8',
    );
    expect(messageOf({ ...small, height: 2, width: 2 }, 'height')).toMatch(/height 2 becomes 1 before reduction cell 2 .* divisible by 4, e.g. 4$/);
    expect(validateConfig({ ...small, layers: 5, height: 28, width: 28 }).height).toBe(28);
    expect(validateConfig({ ...small, layers: 1, height: 6, width: 10 }).width).toBe(10);
    expect(messageOf({ ...small, height: 1 }, 'height')).toBe('height must be an integer from 2 to 4096');
  });

  it('rejects unknown keys with a suggestion and non-objects', () => {
    expect(messageOf({ ...small, lyers: 3 }, 'lyers')).toMatch(/^unknown setting "lyers" \(did you mean "layers"\?\); valid settings: ops, steps/);
    expect(issuesOf(null)[0].message).toMatch(/must be an object of settings/);
    expect(issuesOf([1, 2])[0].field).toBe('(config)');
  });

  it('ignores undefined values (treated as absent)', () => {
    expect(validateConfig({ ...small, seed: undefined }).seed).toBe(DEFAULT_CONFIG.seed);
  });

  it('reports all field problems at once in a readable message', () => {
    let err: ConfigError | undefined;
    try {
      validateConfig({ ...small, C: 3, batchSize: 1, steps: 9 });
    } catch (e) {
      err = e as ConfigError;
    }
    expect(err?.issues.map((i) => i.field).sort()).toEqual(['C', 'batchSize', 'steps']);
    expect(err?.message.split('\n')[0]).toBe('Invalid search configuration (3 problems):');
    expect(err?.message).toContain('- batchSize: batchSize must be >= 2');
    expect(err?.name).toBe('ConfigError');
  });

  it('the memory budget bounds the estimate', () => {
    expect(messageOf({ ...small, memoryBudgetBytes: 1024 }, 'memoryBudgetBytes')).toMatch(
      /^one search step needs an estimated .* MiB, above the budget of 1.00 KiB: lower batchSize \(16\), C \(4\)/,
    );
    // The lecture network (≈ 48 MiB as one tape) under a 2 MB budget: even batch 2 needs more, so
    // the message names the other knobs and the budget, without a batch suggestion.
    expect(messageOf({ ...small, memoryBudgetBytes: 2e6 }, 'memoryBudgetBytes')).toMatch(
      /^one search step needs an estimated 4\d\.\d MiB, above the budget of 1\.91 MiB: lower batchSize \(16\), C \(4\), layers \(3\) or the input size \(16×16\), or raise memoryBudgetBytes$/,
    );
    // With 20 MB a smaller batch fits and is suggested.
    expect(messageOf({ ...small, memoryBudgetBytes: 20e6 }, 'memoryBudgetBytes')).toMatch(
      /^one search step needs an estimated 4\d\.\d MiB, above the budget of 19\.1 MiB: lower batchSize \(16\) \(batchSize [2-6] would fit\), C \(4\)/,
    );
    expect(validateConfig({ ...small, memoryBudgetBytes: 60e6 }).memoryBudgetBytes).toBe(60e6);
    expect(validateConfig({ ...small, order: 2 }).order).toBe(2);
  });
});

describe('parseConfigJson', () => {
  it('parses and validates', () => {
    expect(parseConfigJson(JSON.stringify(small)).C).toBe(4);
  });

  it('gives the position of malformed JSON', () => {
    expect(() => parseConfigJson('{\n  "C": 4,\n  "layers": 3,\n}')).toThrow(
      /malformed JSON at line 4, column 1: expected another property after "," \(trailing commas are not allowed in JSON\) but found "}" \(offset 27\)/,
    );
    expect(() => parseConfigJson("{'C': 4}")).toThrow(/line 1, column 2: expected a property name in double quotes but found "'" \(JSON strings need double quotes\)/);
    expect(() => parseConfigJson('')).toThrow(/line 1, column 1: expected a JSON value/);
  });

  it('validates the parsed value', () => {
    expect(() => parseConfigJson('{"C": 5}')).toThrow(ConfigError);
  });
});
