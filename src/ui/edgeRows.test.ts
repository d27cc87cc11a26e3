import { describe, expect, it } from 'vitest';
import { deriveGenotype } from '../core/genotype';
import { edgeRows, fmtWeight, genotypeRows } from './edgeRows';

const OPS = ['none', 'skip_connect', 'sep_conv_3x3'] as const;

// 2 intermediate nodes → 5 edges (rows 0-1 feed node 0, rows 2-4 feed node 1), softmax rows.
const SOFTMAX = [
  [0.6, 0.1, 0.3], // c_{k-2} → node 0: `none` is strongest, yet sep_conv_3x3 is what derivation keeps
  [0.2, 0.7, 0.1], // c_{k-1} → node 0
  [0.1, 0.2, 0.7], // c_{k-2} → node 1
  [0.3, 0.4, 0.3], // c_{k-1} → node 1: the weakest non-none edge of node 1, dropped
  [0.1, 0.1, 0.8], // node 0 → node 1
];
const FLAT = Float32Array.from(SOFTMAX.flat());

describe('edgeRows: the cell as text', () => {
  it('lists every edge in α row order with its weights and strongest op (none included)', () => {
    const rows = edgeRows(FLAT, OPS, 2, null);
    expect(rows.map((r) => [r.row, r.from, r.to])).toEqual([
      [0, 0, 0],
      [1, 1, 0],
      [2, 0, 1],
      [3, 1, 1],
      [4, 2, 1],
    ]);
    expect(rows.map((r) => r.edge)).toEqual([
      'c_{k-2} → node 0',
      'c_{k-1} → node 0',
      'c_{k-2} → node 1',
      'c_{k-1} → node 1',
      'node 0 → node 1',
    ]);
    expect(rows.map((r) => r.strongest)).toEqual(['none', 'skip_connect', 'sep_conv_3x3', 'skip_connect', 'sep_conv_3x3']);
    expect(rows[4].weights.map((w) => Number(w.toFixed(3)))).toEqual([0.1, 0.1, 0.8]);
    expect(rows.every((r) => r.kept === null)).toBe(true);
  });

  it('marks the ops the derived genotype keeps, and the dropped edges', () => {
    const g = deriveGenotype({ normal: SOFTMAX, reduce: SOFTMAX }, OPS, 2, 2, 'softmax');
    const rows = edgeRows(FLAT, OPS, 2, g.normal);
    // Node 0 keeps both of its inputs; node 1 keeps its two strongest (rows 4 and 2), not row 3.
    expect(rows.map((r) => r.kept)).toEqual(['sep_conv_3x3', 'skip_connect', 'sep_conv_3x3', null, 'sep_conv_3x3']);
    // `none` had the largest weight on row 0 but never appears in a genotype.
    expect(rows[0].strongest).toBe('none');
    expect(rows.some((r) => r.kept === 'none')).toBe(false);
  });

  it('genotypeRows reads an imported genotype pair by pair', () => {
    expect(
      genotypeRows([
        ['sep_conv_3x3', 0],
        ['skip_connect', 1],
        ['dil_conv_3x3', 2],
        ['max_pool_3x3', 0],
      ]),
    ).toEqual([
      { edge: 'c_{k-2} → node 0', op: 'sep_conv_3x3' },
      { edge: 'c_{k-1} → node 0', op: 'skip_connect' },
      { edge: 'node 0 → node 1', op: 'dil_conv_3x3' },
      { edge: 'c_{k-2} → node 1', op: 'max_pool_3x3' },
    ]);
  });

  it('formats weights with 3 decimals and keeps NaN visible', () => {
    expect(fmtWeight(0.12345)).toBe('0.123');
    expect(fmtWeight(Number.NaN)).toBe('NaN');
  });
});
