import { describe, expect, it } from 'vitest';
import type { Genotype, GenotypePair } from './genotype';
import { diffGenotypes, diffSummary, matchNode } from './genotypeDiff';
import { DARTS_V1, DARTS_V2 } from './genotypes';

describe('matchNode', () => {
  it('matches identical choices whatever their order', () => {
    const s = matchNode([['sep_conv_3x3', 1], ['sep_conv_3x3', 0]], [['sep_conv_3x3', 0], ['sep_conv_3x3', 1]]);
    expect(s.map((x) => x.kind)).toEqual(['same', 'same']);
    expect(s[0].b).toEqual(['sep_conv_3x3', 1]);
  });

  it('prefers the same input, then the same op, then order', () => {
    const a: GenotypePair[] = [['skip_connect', 0], ['max_pool_3x3', 2]];
    // B's first choice shares A[1]'s op, its second A[0]'s input.
    const b: GenotypePair[] = [['max_pool_3x3', 1], ['sep_conv_3x3', 0]];
    const s = matchNode(a, b);
    expect(s).toEqual([
      { a: ['skip_connect', 0], b: ['sep_conv_3x3', 0], kind: 'op' },
      { a: ['max_pool_3x3', 2], b: ['max_pool_3x3', 1], kind: 'input' },
    ]);
    expect(matchNode([['skip_connect', 0]], [['sep_conv_3x3', 1]])[0].kind).toBe('both');
  });

  it('keeps choices that only one side has', () => {
    const s = matchNode([['skip_connect', 0]], [['skip_connect', 0], ['sep_conv_3x3', 1]]);
    expect(s.map((x) => x.kind)).toEqual(['same', 'missing']);
    expect(s[1]).toEqual({ a: null, b: ['sep_conv_3x3', 1], kind: 'missing' });
  });
});

describe('diffGenotypes', () => {
  it('finds no difference between a genotype and itself', () => {
    const d = diffGenotypes(DARTS_V2, DARTS_V2);
    expect(d.differing).toBe(0);
    expect(d.total).toBe(16);
    expect(d.nodes).toHaveLength(8);
    expect(d.concatSame).toEqual({ normal: true, reduce: true });
    expect(diffSummary(d)).toBe('all 16 choices agree');
  });

  it('counts DARTS_V1 against DARTS_V2: 5 of 16 choices differ', () => {
    const d = diffGenotypes(DARTS_V1, DARTS_V2);
    const kinds = d.nodes.map((n) => `${n.cell}${n.node}:${n.slots.map((s) => s.kind).join(',')}`);
    expect(kinds).toEqual([
      'normal0:same,same', // the same two choices, listed in the other order
      'normal1:op,same',
      'normal2:same,same',
      'normal3:op,op',
      'reduce0:same,same',
      'reduce1:same,input',
      'reduce2:same,same',
      'reduce3:same,both',
    ]);
    expect(d.differing).toBe(5);
    expect(diffSummary(d)).toBe('5 of 16 choices differ');
  });

  it('handles genotypes of different node counts and concat lists', () => {
    const small: Genotype = {
      normal: [['skip_connect', 0], ['skip_connect', 1]],
      normal_concat: [2],
      reduce: [['max_pool_3x3', 0], ['max_pool_3x3', 1]],
      reduce_concat: [2],
    };
    const d = diffGenotypes(small, DARTS_V2);
    expect(d.total).toBe(16);
    expect(d.nodes.filter((n) => n.slots.every((s) => s.kind === 'missing'))).toHaveLength(6);
    expect(d.concatSame).toEqual({ normal: false, reduce: false });
    expect(diffSummary({ differing: 1, total: 16 })).toBe('1 of 16 choices differs');
  });
});
