/**
 * Fuzzing in `npm test` (issue 11 item 4): 300 generated cases per input surface, from a fixed
 * seed so that a failure reproduces (`npm run -s fuzz -- --runs 300 --seed 20261206`). No case
 * may crash, hang or be rejected without a usable message; each surface must also accept some
 * cases and reject some, or the generator is not reaching the parser.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { badMessage, fuzzSurface, surfaces, type Surface } from './surfaces';

const replayText = readFileSync(new URL('../../public/replays/tiny-cifar.json', import.meta.url), 'utf8');
const SEED = 20261206;

describe('fuzzing every input surface', () => {
  for (const s of surfaces({ replayText })) {
    it(`${s.name}: ${s.what}`, async () => {
      const t = await fuzzSurface(s, 300, SEED);
      expect(t.crashes).toEqual([]);
      expect(t.crashed).toBe(0);
      expect(t.accepted).toBeGreaterThan(0);
      expect(t.rejected).toBeGreaterThan(0);
      expect(t.tried).toBe(300);
    });
  }

  it('counts an exception that is not a user-facing error as a crash, with the input', async () => {
    const broken: Surface = {
      name: 'broken',
      what: 'a parser with a bug',
      arb: fc.nat(),
      run: (n) => {
        if ((n as number) % 2 === 0) (null as unknown as { x: number }).x.toFixed(); // the bug
        return { kind: 'accepted' };
      },
    };
    const t = await fuzzSurface(broken, 50, 1);
    expect(t.crashed).toBeGreaterThan(0);
    expect(t.crashes[0].error).toMatch(/^TypeError/);
  });

  it('counts a rejection without a usable message as a crash', () => {
    expect(badMessage('')).not.toBeNull();
    expect(badMessage('TypeError: Cannot read properties of undefined')).not.toBeNull();
    expect(badMessage('normal[3]: the input 7 is not an earlier node (0..3)')).toBeNull();
  });
});
