import { describe, expect, it } from 'vitest';
import { cellCounts, collapseCounts, collapseWarnings, dartsEs, localAverage } from './collapse';
import type { Genotype } from './genotype';
import { DARTS_V1, DARTS_V2 } from './genotypes';

const g = (normal: Genotype['normal'], reduce: Genotype['reduce'] = normal): Genotype => ({
  normal,
  reduce,
  normal_concat: [2, 3, 4, 5],
  reduce_concat: [2, 3, 4, 5],
});

describe('collapse counts', () => {
  it('counts skip and parameter-free ops of the published cells (spec §4.3, §7)', () => {
    const v1 = collapseCounts(DARTS_V1);
    expect(v1.normal.skip).toBe(3); // "DARTS_V1 already has 3"
    const v2 = collapseCounts(DARTS_V2);
    expect(v2.reduce.parameterFree).toBe(v2.reduce.edges); // pooling and skip only
    expect(v1.reduce.parameterFree).toBe(8);
  });
  it('counts pooling as parameter-free but not as skip', () => {
    expect(cellCounts([['skip_connect', 0], ['max_pool_3x3', 1], ['avg_pool_3x3', 0], ['sep_conv_3x3', 1]])).toEqual({ edges: 4, skip: 1, parameterFree: 3 });
  });
});

describe('DARTS-ES rule', () => {
  it('averages over 5 values and compares with 4 evaluations back', () => {
    expect(localAverage([1, 2, 3, 4, 5, 6])).toEqual([NaN, NaN, NaN, NaN, 3, 4]);
    const flat = Array.from({ length: 20 }, () => 1);
    expect(dartsEs(flat)).toEqual({ ratio: 1, firedAt: null });
    // Grows 10 % per evaluation: avg_i / avg_{i−4} = 1.1⁴ = 1.46 > 1.3 from index 8 on; fires at the 10th value.
    const grow = Array.from({ length: 14 }, (_, i) => 1.1 ** i);
    expect(dartsEs(grow).firedAt).toBe(9);
    expect(dartsEs(grow, 1).firedAt).toBe(8);
    // 6 % per evaluation: 1.06⁴ = 1.26 < 1.3, never.
    expect(dartsEs(Array.from({ length: 30 }, (_, i) => 1.06 ** i)).firedAt).toBeNull();
    expect(dartsEs([1, 2]).ratio).toBeNull();
    // Negative averages never fire.
    expect(dartsEs(Array.from({ length: 14 }, (_, i) => -(1.1 ** i))).firedAt).toBeNull();
  });
});

describe('collapseWarnings', () => {
  const twoSkips = g([['skip_connect', 0], ['skip_connect', 1], ['sep_conv_3x3', 0], ['sep_conv_3x3', 1]], [['sep_conv_3x3', 0], ['max_pool_3x3', 1]]);
  it('DARTS+ fires at 2 skips after the first epoch only', () => {
    const counts = collapseCounts(twoSkips);
    expect(collapseWarnings({ counts, epoch: 0, step: 3 })).toEqual([]);
    const w = collapseWarnings({ counts, epoch: 1, step: 30 });
    expect(w.map((x) => x.rule)).toEqual(['darts-plus']);
    expect(w[0].message).toMatch(/2 of 4 edges/);
    expect(w[0].source).toMatch(/Liang/);
    const one = collapseCounts(g([['skip_connect', 0], ['sep_conv_3x3', 1]]));
    expect(collapseWarnings({ counts: one, epoch: 5, step: 99 })).toEqual([]);
  });
  it('DARTS-ES fires with the step it fired at; the parameter-free reduction cell is informational', () => {
    const counts = collapseCounts(g([['sep_conv_3x3', 0], ['sep_conv_3x3', 1]], [['skip_connect', 0], ['avg_pool_3x3', 1]]));
    const lambdas = Array.from({ length: 12 }, (_, i) => 0.1 * 1.1 ** i);
    const lambdaSteps = lambdas.map((_, i) => 25 * (i + 1));
    const w = collapseWarnings({ counts, epoch: 2, step: 300, lambdas, lambdaSteps });
    expect(w.map((x) => [x.rule, x.severity])).toEqual([
      ['darts-es', 'warning'],
      ['param-free-reduce', 'info'],
    ]);
    expect(w[0].step).toBe(250);
    expect(w[0].message).toMatch(/1\.46×.*step 250 vs step 150/);
    expect(collapseWarnings({ counts, epoch: 2, step: 300, hasParametricOps: false })).toEqual([]);
  });
});
