import { describe, expect, it } from 'vitest';
import { validateGenotype } from './genotype';
import { PRIMITIVES } from './primitives';
import { randomGenotype } from './randomGenotype';
import { Rng } from './rng';

describe('randomGenotype', () => {
  it('draws valid genotypes: 2 distinct inputs per node, no none, all nodes concatenated', () => {
    const rng = new Rng(1, 'random-genotypes');
    const seen = new Set<string>();
    for (let k = 0; k < 50; k++) {
      const steps = 1 + (k % 4);
      const g = randomGenotype(rng, PRIMITIVES, steps);
      expect(validateGenotype(g).ok).toBe(true);
      for (const cell of [g.normal, g.reduce]) {
        expect(cell).toHaveLength(2 * steps);
        for (let i = 0; i < steps; i++) {
          const [a, b] = [cell[2 * i][1], cell[2 * i + 1][1]];
          expect(a).not.toBe(b);
          expect(Math.max(a, b)).toBeLessThan(i + 2);
        }
        expect(cell.map(([op]) => op as string)).not.toContain('none');
      }
      expect(g.normal_concat).toEqual(Array.from({ length: steps }, (_, i) => i + 2));
      seen.add(JSON.stringify(g));
    }
    expect(seen.size).toBe(50);
  });
  it('is seeded and only uses the given ops', () => {
    const a = randomGenotype(new Rng(7, 'x'), ['none', 'conv_1x1', 'conv_3x3'], 4);
    const b = randomGenotype(new Rng(7, 'x'), ['none', 'conv_1x1', 'conv_3x3'], 4);
    expect(a).toEqual(b);
    expect(new Set([...a.normal, ...a.reduce].map(([op]) => op))).toEqual(new Set(['conv_1x1', 'conv_3x3']));
    expect(() => randomGenotype(new Rng(1), ['none'], 2)).toThrow(/besides none/);
  });
});
