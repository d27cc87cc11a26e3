import { describe, expect, it } from 'vitest';
import { archNarration, edgeChanges, edgeId, topChanges, weightNarration } from './slowMotion';

const OPS = ['none', 'skip_connect'];

describe('slow motion', () => {
  // 2 nodes → 5 edges × 2 ops.
  const before = Float32Array.from([0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
  const after = Float32Array.from([0.5, 0.5, 0.4, 0.6, 0.5, 0.5, 0.52, 0.48, 0.5, 0.5]);

  it('ranks edges by the total softmax change and names the op that moved most', () => {
    const ch = edgeChanges('normal', before, after, OPS, 2);
    expect(ch).toHaveLength(5);
    expect(ch[1]).toMatchObject({ row: 1, from: 1, to: 0 });
    expect(ch[1].total).toBeCloseTo(0.2, 6);
    expect(['none', 'skip_connect']).toContain(ch[1].op);
    expect(Math.abs(ch[1].delta)).toBeCloseTo(0.1, 6);
    const top = topChanges(ch, 3);
    // unchanged edges are dropped; row 1 (0.2) before row 3 (0.04)
    expect(top.map((c) => c.row)).toEqual([1, 3]);
    expect(edgeId(top[1])).toBe('normal:1->1');
  });

  it('finds nothing when nothing changed', () => {
    expect(topChanges(edgeChanges('reduce', before, before, OPS, 2), 3)).toEqual([]);
  });

  it('narrates each phase in one line, with the numbers', () => {
    const top = topChanges(edgeChanges('normal', before, after, OPS, 2), 1)[0];
    const a = archNarration(1, 2.3026, top);
    expect(a).toMatch(/^Phase 1 done: Adam moved α/);
    expect(a).toContain('validation batch (val loss 2.303)');
    expect(a).toContain('c_{k-1} → node 0');
    expect(a).not.toContain('\n');
    expect(archNarration(2, undefined, undefined)).toContain('second-order');
    const w = weightNarration(1.5);
    expect(w).toMatch(/^Phase 2 done: SGD/);
    expect(w).toContain('training batch (train loss 1.500)');
  });
});
