import { readFixture as readSharedFixture } from '../testing/shared';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Genotype } from './genotype';
import {
  deriveGenotype,
  genotypeToJson,
  parseGenotypeAny,
  parseGenotypeJson,
  parseGenotypeRepr,
  printGenotypeRepr,
  rowsFromFlat,
  softmaxRows,
  validateGenotype,
} from './genotype';
import { DARTS, DARTS_V1, DARTS_V2 } from './genotypes';
import type { OpName } from './primitives';
import { PRIMITIVES } from './primitives';

// The shared fixtures sit next to the repository: <repo>/../shared/fixtures (design.md).
const readFixture = (name: string) => readSharedFixture<any>(name);

interface ParseCase {
  name: string;
  alphas_raw: { normal: number[][]; reduce: number[][] };
  expected_genotype: Genotype;
}
const parseCases: ParseCase[] = readFixture('parse-cases.json').cases;
const published: { DARTS_V1: Genotype; DARTS_V2: Genotype } = readFixture('genotypes.json');

const ops = [...PRIMITIVES] as OpName[];
const zeros = () => Array.from({ length: 14 }, () => new Array<number>(8).fill(0));
const errorsOf = (r: ReturnType<typeof validateGenotype>) => (r.ok ? [] : r.errors);

describe('deriveGenotype (spec §4.1)', () => {
  it('has the three fixture cases', () => {
    expect(parseCases.map((c) => c.name)).toEqual(['all-zero', 'sin-cos', 'softmax-vs-raw']);
  });

  it.each(parseCases.map((c) => [c.name, c] as const))('fixture case %s (raw α)', (_name, c) => {
    expect(deriveGenotype(c.alphas_raw, ops, 4, 4, 'raw')).toEqual(c.expected_genotype);
  });

  it.each(parseCases.map((c) => [c.name, c] as const))('fixture case %s (softmax given)', (_name, c) => {
    const sm = { normal: softmaxRows(c.alphas_raw.normal), reduce: softmaxRows(c.alphas_raw.reduce) };
    expect(deriveGenotype(sm, ops, 4, 4, 'softmax')).toEqual(c.expected_genotype);
  });

  it('spec §10.C check 10: the sin/cos formula α (computed here)', () => {
    const f = (fn: (x: number) => number) =>
      Array.from({ length: 14 }, (_, e) => Array.from({ length: 8 }, (_, o) => Math.round(fn(1 + 8 * e + o) * 1e4) / 1e4));
    const g = deriveGenotype({ normal: f(Math.sin), reduce: f(Math.cos) }, ops, 4, 4, 'raw');
    expect(g.normal).toEqual([
      ['sep_conv_5x5', 1], ['dil_conv_5x5', 0], ['skip_connect', 0], ['avg_pool_3x3', 1],
      ['skip_connect', 1], ['sep_conv_5x5', 0], ['sep_conv_3x3', 0], ['skip_connect', 4],
    ]);
    expect(g.reduce).toEqual([
      ['sep_conv_3x3', 1], ['sep_conv_5x5', 0], ['sep_conv_5x5', 2], ['avg_pool_3x3', 0],
      ['skip_connect', 0], ['sep_conv_3x3', 3], ['sep_conv_3x3', 3], ['avg_pool_3x3', 0],
    ]);
    expect(g.normal_concat).toEqual([2, 3, 4, 5]);
  });

  it('spec §10.C check 11: ranking uses softmax probabilities, not raw α', () => {
    const c = parseCases.find((x) => x.name === 'softmax-vs-raw')!;
    const g = deriveGenotype(c.alphas_raw, ops, 4, 4, 'raw');
    // Node 1: edge 0 (p(sep3) ≈ 0.96) beats edge 1 (raw 11 but p ≈ 0.24).
    expect(g.normal.slice(2, 4)).toEqual([['sep_conv_3x3', 0], ['dil_conv_3x3', 2]]);
    expect(g.reduce.slice(0, 2)).toEqual([['dil_conv_5x5', 1], ['max_pool_3x3', 0]]);
  });

  it('excludes "none" by name, whatever its column', () => {
    // Move `none` to the last column: the same genotype must come out.
    const c = parseCases.find((x) => x.name === 'sin-cos')!;
    const perm = [1, 2, 3, 4, 5, 6, 7, 0];
    const moved = (rows: number[][]) => rows.map((r) => perm.map((k) => r[k]));
    const movedOps = perm.map((k) => ops[k]);
    const g = deriveGenotype({ normal: moved(c.alphas_raw.normal), reduce: moved(c.alphas_raw.reduce) }, movedOps, 4, 4, 'raw');
    expect(g).toEqual(c.expected_genotype);
    // A huge `none` never wins and never makes its edge strong.
    const a = zeros();
    a[0][0] = 50;
    const g2 = deriveGenotype({ normal: a, reduce: zeros() }, ops, 4, 4, 'raw');
    expect(g2.normal.slice(0, 2)).toEqual([['max_pool_3x3', 1], ['max_pool_3x3', 0]]);
    expect(g2.normal.some(([op]) => (op as string) === 'none')).toBe(false);
  });

  it('ties follow float32 semantics: values equal in float32 go to the lowest column', () => {
    const p = zeros().map((r) => r.map(() => 0.1));
    p[0] = [0.1, 0.3, 0.3 + 1e-12, 0.1, 0.1, 0.05, 0.03, 0.02];
    const g = deriveGenotype({ normal: p, reduce: zeros() }, ops, 4, 4, 'softmax');
    expect(g.normal[0]).toEqual(['max_pool_3x3', 0]);
  });

  it('supports other cell sizes: concat = range(2 + steps - multiplier, steps + 2)', () => {
    const two = { normal: Array.from({ length: 5 }, () => [0, 1, 0]), reduce: Array.from({ length: 5 }, () => [0, 0, 1]) };
    const g = deriveGenotype(two, ['conv_1x1', 'conv_3x3', 'conv_5x5'], 2, 1, 'raw');
    expect(g).toEqual({
      normal: [['conv_3x3', 0], ['conv_3x3', 1], ['conv_3x3', 0], ['conv_3x3', 1]],
      normal_concat: [3],
      reduce: [['conv_5x5', 0], ['conv_5x5', 1], ['conv_5x5', 0], ['conv_5x5', 1]],
      reduce_concat: [3],
    });
  });

  it('accepts flat Float32Array rows (engine snapshots)', () => {
    const c = parseCases.find((x) => x.name === 'sin-cos')!;
    const flat = Float32Array.from(c.alphas_raw.normal.flat());
    const flatR = Float32Array.from(c.alphas_raw.reduce.flat());
    const g = deriveGenotype({ normal: rowsFromFlat(flat, 8), reduce: rowsFromFlat(flatR, 8) }, ops, 4, 4, 'raw');
    expect(g).toEqual(c.expected_genotype);
    expect(() => rowsFromFlat(new Float32Array(10), 8)).toThrow(/cannot be split/);
  });

  it('rejects wrong shapes and non-finite α', () => {
    expect(() => deriveGenotype({ normal: zeros().slice(1), reduce: zeros() }, ops, 4, 4, 'raw')).toThrow(/13 rows; 4 nodes need 14/);
    expect(() => deriveGenotype({ normal: zeros(), reduce: zeros() }, ops.slice(1), 4, 4, 'raw')).toThrow(/8 columns; there are 7 ops/);
    const bad = zeros();
    bad[3][2] = Number.NaN;
    expect(() => deriveGenotype({ normal: bad, reduce: zeros() }, ops, 4, 4, 'raw')).toThrow(/row 3 column 2 is NaN/);
    expect(() => deriveGenotype({ normal: zeros(), reduce: zeros() }, ops, 4, 5, 'raw')).toThrow(/multiplier/);
  });
});

describe('published genotypes', () => {
  it('DARTS_V1 / DARTS_V2 equal the fixture; DARTS = DARTS_V2', () => {
    expect(DARTS_V1).toEqual(published.DARTS_V1);
    expect(DARTS_V2).toEqual(published.DARTS_V2);
    expect(DARTS).toBe(DARTS_V2);
  });
});

describe('JSON format', () => {
  it.each(['DARTS_V1', 'DARTS_V2'] as const)('%s round-trips through JSON', (name) => {
    const g = published[name];
    const text = genotypeToJson(g);
    expect(JSON.parse(text)).toEqual(g);
    expect(parseGenotypeJson(text)).toEqual({ ok: true, genotype: g });
    expect(parseGenotypeAny(text)).toEqual({ ok: true, genotype: g });
  });

  it('writes one field per line with compact pairs, and keeps meta', () => {
    const text = genotypeToJson(DARTS_V2, { seed: 2 });
    expect(text.split('\n')[1]).toBe(
      '  "normal": [["sep_conv_3x3", 0], ["sep_conv_3x3", 1], ["sep_conv_3x3", 0], ["sep_conv_3x3", 1], ' +
        '["sep_conv_3x3", 1], ["skip_connect", 0], ["skip_connect", 0], ["dil_conv_3x3", 2]],',
    );
    expect(JSON.parse(text).meta).toEqual({ seed: 2 });
    // Importers ignore unknown keys such as meta.
    expect(parseGenotypeJson(text)).toEqual({ ok: true, genotype: DARTS_V2 });
  });

  it('reports malformed JSON with line and column', () => {
    const r = parseGenotypeJson('{\n  "normal": [["sep_conv_3x3", 0],]\n}');
    expect(r.ok).toBe(false);
    expect(errorsOf(r)[0]).toMatch(/^malformed JSON at line 2, column 34: .*trailing commas/);
  });
});

describe('reference repr', () => {
  it('prints DARTS_V2 exactly in the reference style', () => {
    expect(printGenotypeRepr(DARTS_V2)).toBe(
      "Genotype(normal=[('sep_conv_3x3', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1), " +
        "('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2)], normal_concat=range(2, 6), " +
        "reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1), ('max_pool_3x3', 0), " +
        "('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)], reduce_concat=range(2, 6))",
    );
  });

  it('prints a non-contiguous concat as a list', () => {
    const g: Genotype = { ...DARTS_V2, normal_concat: [2, 3, 5], reduce_concat: [5, 4] };
    const s = printGenotypeRepr(g);
    expect(s).toContain('normal_concat=[2, 3, 5]');
    expect(s).toContain('reduce_concat=[5, 4]');
    expect(parseGenotypeRepr(s)).toEqual({ ok: true, genotype: g });
  });

  it.each(['DARTS_V1', 'DARTS_V2'] as const)('%s round-trips through the repr', (name) => {
    const g = published[name];
    expect(parseGenotypeRepr(printGenotypeRepr(g))).toEqual({ ok: true, genotype: g });
    expect(parseGenotypeAny(printGenotypeRepr(g))).toEqual({ ok: true, genotype: g });
  });

  it('parses what users paste: prefix, double quotes, newlines, lists, any field order, comments', () => {
    const text = `genotype = Genotype(
      reduce_concat=[2, 3, 4, 5],   # stored genotypes use lists
      normal=[("sep_conv_3x3", 0), ("sep_conv_3x3", 1), ('sep_conv_3x3', 0), ('sep_conv_3x3', 1),
              ('sep_conv_3x3', 1), ('skip_connect', 0), ('skip_connect', 0), ('dil_conv_3x3', 2),],
      reduce=[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 1),
              ('max_pool_3x3', 0), ('skip_connect', 2), ('skip_connect', 2), ('max_pool_3x3', 1)],
      normal_concat = list(range(2, 6)),
    )\n`;
    expect(parseGenotypeRepr(text)).toEqual({ ok: true, genotype: DARTS_V2 });
    expect(parseGenotypeAny(text)).toEqual({ ok: true, genotype: DARTS_V2 });
  });

  it('accepts positional fields, tuples, range(b) and a NAME = prefix', () => {
    const text =
      "DARTS_V1 = Genotype([('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 0), ('sep_conv_3x3', 1), " +
      "('skip_connect', 0), ('sep_conv_3x3', 1), ('sep_conv_3x3', 0), ('skip_connect', 2)], (2, 3, 4, 5), " +
      "[('max_pool_3x3', 0), ('max_pool_3x3', 1), ('skip_connect', 2), ('max_pool_3x3', 0), ('max_pool_3x3', 0), " +
      "('skip_connect', 2), ('skip_connect', 2), ('avg_pool_3x3', 0)], reduce_concat=range(2, 6))";
    expect(parseGenotypeRepr(text)).toEqual({ ok: true, genotype: DARTS_V1 });
    const r = parseGenotypeRepr(text.replace('(2, 3, 4, 5)', 'range(6)'));
    expect(errorsOf(r)).toEqual([
      'normal_concat[0] is 0, out of range: concat entries must index 2..5 (the 4 intermediate nodes)',
      'normal_concat[1] is 1, out of range: concat entries must index 2..5 (the 4 intermediate nodes)',
    ]);
  });

  it('names the position of syntax errors', () => {
    const cases: [string, RegExp][] = [
      ["Genotype(normal=[('sep_conv_3x3', 0]", /line 1, column 36: expected "," or "\)" but found "\]"/],
      ['Genotype(normal=[(\'sep_conv_3x3\', 0)],\n  normal_concat=range(2, 6), bogus=1)', /line 2, column 30: Genotype has no field "bogus"; its fields are normal, normal_concat, reduce, reduce_concat/],
      ['Genotyp(normal=[])', /line 1, column 1: expected "Genotype\(" but found "Genotyp"/],
      ["Genotype(normal=[('sep_conv_3x3, 0)])", /line 1, column 19: unterminated string: missing the closing '/],
      ['Genotype(normal=[], normal=[])', /field "normal" is given twice/],
      ['Genotype(normal=[]) extra', /unexpected "extra" after the closing "\)"/],
      ['Genotype(normal_concat=range(2, x))', /range\(\) takes integers, found "x"/],
      ['Genotype(normal=[], [2])', /a positional argument cannot follow a keyword argument/],
      ['Genotype(normal=[@])', /line 1, column 18: unexpected character "@"/],
      ['Genotype(normal=range(0, 99999))', /too long/],
    ];
    for (const [text, re] of cases) {
      const r = parseGenotypeRepr(text);
      expect(r.ok).toBe(false);
      expect(errorsOf(r).join('\n')).toMatch(re);
    }
  });

  it('parseGenotypeAny rejects empty text with a hint', () => {
    expect(errorsOf(parseGenotypeAny('  \n'))[0]).toMatch(/empty; paste a genotype as JSON .* or as the reference repr/);
  });
});

describe('validateGenotype: one clear message per problem', () => {
  const base = () => JSON.parse(JSON.stringify(DARTS_V2)) as Record<string, unknown>;

  it('accepts a valid genotype and ignores unknown keys', () => {
    expect(validateGenotype({ ...base(), meta: { app: 'x' } })).toEqual({ ok: true, genotype: DARTS_V2 });
  });

  it('rejects non-objects', () => {
    expect(errorsOf(validateGenotype([1, 2]))).toEqual([
      'a genotype must be an object with fields normal, normal_concat, reduce, reduce_concat; got a list [1,2]',
    ]);
    expect(errorsOf(validateGenotype(null))[0]).toMatch(/got null/);
  });

  it('missing field', () => {
    const g = base();
    delete g.reduce_concat;
    expect(errorsOf(validateGenotype(g))).toEqual([
      'missing field "reduce_concat" (a genotype needs normal, normal_concat, reduce, reduce_concat)',
    ]);
  });

  it('unknown op: names it, suggests, lists valid ops', () => {
    const g = base();
    (g.normal as unknown[][])[3][0] = 'sep_conv_3x4';
    const [msg] = errorsOf(validateGenotype(g));
    expect(msg).toMatch(/^normal\[3\] \(node 1\): unknown op "sep_conv_3x4" \(did you mean "sep_conv_3x3"\?\); valid ops: max_pool_3x3, .*sep_conv_7x7, conv_7x1_1x7$/);
  });

  it('"none" is not a genotype op', () => {
    const g = base();
    (g.reduce as unknown[][])[0][0] = 'none';
    expect(errorsOf(validateGenotype(g))[0]).toMatch(/^reduce\[0\] \(node 0\): "none" cannot be part of a genotype/);
  });

  it('op given as an index', () => {
    const g = base();
    (g.normal as unknown[][])[0][0] = 4;
    expect(errorsOf(validateGenotype(g))[0]).toMatch(/normal\[0\] \(node 0\): the op must be a name string .*never indices.*got number 4/);
  });

  it('bad input index: says which pair and node', () => {
    const g = base();
    (g.normal as unknown[][])[5][1] = 4;
    expect(errorsOf(validateGenotype(g))).toEqual([
      'normal[5] (node 2) has input 4, but pairs 4 and 5 feed node 2, whose inputs must be 0..3 (0 = c_{k-2}, 1 = c_{k-1}, j >= 2 = node j-2)',
    ]);
    (g.normal as unknown[][])[5][1] = -1;
    expect(errorsOf(validateGenotype(g))[0]).toMatch(/has input -1/);
    (g.normal as unknown[][])[5][1] = 1.5;
    expect(errorsOf(validateGenotype(g))[0]).toMatch(/normal\[5\] \(node 2\): the input must be an integer state index; got number 1.5/);
  });

  it('odd length and empty list', () => {
    const g = base();
    (g.normal as unknown[]).pop();
    expect(errorsOf(validateGenotype(g))).toEqual([
      'normal has 7 pairs, an odd number; it needs exactly 2 pairs per intermediate node (pairs 2i and 2i+1 feed node i)',
    ]);
    g.reduce = [];
    expect(errorsOf(validateGenotype(g))).toContain('reduce is empty; it needs 2 [op, input] pairs per intermediate node (8 for the DARTS cell)');
  });

  it('bad concat: out of range, duplicates, empty, wrong types', () => {
    const g = base();
    g.normal_concat = [2, 3, 6];
    expect(errorsOf(validateGenotype(g))).toEqual([
      'normal_concat[2] is 6, out of range: concat entries must index 2..5 (the 4 intermediate nodes)',
    ]);
    g.normal_concat = [2, 3, 3];
    expect(errorsOf(validateGenotype(g))).toEqual(['normal_concat lists state 3 twice; each state may be concatenated once']);
    g.normal_concat = [];
    expect(errorsOf(validateGenotype(g))[0]).toMatch(/normal_concat is empty/);
    g.normal_concat = [1, 2];
    expect(errorsOf(validateGenotype(g))[0]).toMatch(/normal_concat\[0\] is 1, out of range/);
    g.normal_concat = 'range(2, 6)';
    expect(errorsOf(validateGenotype(g))).toEqual([
      'normal_concat must be a list of state indices, e.g. [2, 3, 4, 5]; got the string "range(2, 6)"',
    ]);
    g.normal_concat = [2, '3'];
    expect(errorsOf(validateGenotype(g))).toEqual(['normal_concat[1] must be an integer state index; got the string "3"']);
  });

  it('wrong types for the pair lists and the pairs', () => {
    const g = base();
    g.normal = { a: 1 };
    expect(errorsOf(validateGenotype(g))[0]).toMatch(/^normal must be a list of \[op, input\] pairs, .*got an object/);
    g.normal = JSON.parse(JSON.stringify(DARTS_V2.normal));
    (g.normal as unknown[])[1] = ['sep_conv_3x3'];
    expect(errorsOf(validateGenotype(g))).toEqual([
      'normal[1] (node 0) must be a pair [op, input], e.g. ["sep_conv_3x3", 0]; got a list ["sep_conv_3x3"]',
    ]);
  });

  it('reports several problems at once', () => {
    const g = base();
    (g.normal as unknown[][])[0][0] = 'conv_9x9';
    (g.reduce as unknown[][])[7][1] = 9;
    g.reduce_concat = [2, 2];
    expect(errorsOf(validateGenotype(g))).toHaveLength(3);
  });

  it('accepts eval-only ops and non-default cells (NASNet-like, 5 nodes)', () => {
    const g = {
      normal: [
        ['sep_conv_5x5', 1], ['sep_conv_3x3', 0], ['sep_conv_5x5', 0], ['sep_conv_3x3', 0], ['avg_pool_3x3', 1],
        ['skip_connect', 0], ['avg_pool_3x3', 0], ['avg_pool_3x3', 0], ['sep_conv_3x3', 1], ['skip_connect', 1],
      ],
      normal_concat: [2, 3, 4, 5, 6],
      reduce: [
        ['sep_conv_5x5', 1], ['sep_conv_7x7', 0], ['max_pool_3x3', 1], ['sep_conv_7x7', 0], ['avg_pool_3x3', 1],
        ['sep_conv_5x5', 0], ['skip_connect', 3], ['avg_pool_3x3', 2], ['sep_conv_3x3', 2], ['max_pool_3x3', 1],
      ],
      reduce_concat: [4, 5, 6],
    };
    expect(validateGenotype(g).ok).toBe(true);
    expect(parseGenotypeRepr(printGenotypeRepr(g as Genotype))).toEqual({ ok: true, genotype: g });
  });
});
