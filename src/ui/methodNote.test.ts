import { describe, expect, it } from 'vitest';
import { validateConfig } from '../core/validateConfig';
import { methodNote } from './methodNote';

describe('methodNote', () => {
  const fair = validateConfig({ method: 'fair-darts', ops: ['skip_connect', 'sep_conv_3x3'], steps: 1, multiplier: 1 });
  it('lists the FairDARTS choices below the threshold', () => {
    const g = { normal: [['skip_connect', 0], ['sep_conv_3x3', 1]], normal_concat: [2], reduce: [['skip_connect', 0], ['skip_connect', 1]], reduce_concat: [2] } as never;
    const n = Float32Array.from([0.9, 0.1, 0.2, 0.6]); // rows: edge 0 [skip .9, sep .1], edge 1 [skip .2, sep .6]
    const r = Float32Array.from([0.95, 0.1, 0.9, 0.3]);
    const s = methodNote(fair, g, n, r);
    expect(s).toContain('Below it now (1 of 4)');
    expect(s).toContain('normal node 0 ← 1: sep_conv_3x3 (σ 0.60)');
  });
  it('says nothing for DARTS and names the ranking for PC-DARTS', () => {
    expect(methodNote(validateConfig({}), null)).toBe('');
    expect(methodNote(validateConfig({ method: 'pc-darts', C: 8 }), null)).toContain('β̃·softmax(α)');
  });
});
