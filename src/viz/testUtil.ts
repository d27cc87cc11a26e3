/** Helpers shared by the viz tests (not shipped: nothing outside tests imports this). */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { GenotypeLike } from './types';
import { readFixture } from '../testing/shared';

/** Numbers in an SVG path `d`, or any string. */
export function numbersIn(s: string): number[] {
  return (s.match(/-?\d+(?:\.\d+)?(?:e-?\d+)?|NaN|Infinity/g) ?? []).map(Number);
}

/** The fixtures of ../shared (repo sibling), e.g. DARTS_V2. */
export function loadGenotypes(): Record<'DARTS_V1' | 'DARTS_V2', GenotypeLike> {
  return readFixture('genotypes.json');
}

/** Row-wise softmax. */
export function softmaxRows(logits: number[][]): number[][] {
  return logits.map((row) => {
    const m = Math.max(...row);
    const e = row.map((v) => Math.exp(v - m));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  });
}

/** The fixed α of the snapshot tests: logits round(sin(1 + 8e + o), 4). */
export function sinAlpha(edges: number, ops: number): number[][] {
  return Array.from({ length: edges }, (_, e) =>
    Array.from({ length: ops }, (_, o) => Math.round(Math.sin(1 + 8 * e + o) * 1e4) / 1e4),
  );
}

/**
 * Reference derivation (spec §4.1) for the tests only; the app's lives in core/genotype.ts.
 * Strength = best non-`none` weight, stable top-2 edges, argmax op excluding `none`.
 */
export function deriveForTest(w: number[][], ops: readonly string[], steps: number): [string, number][] {
  const out: [string, number][] = [];
  const none = ops.indexOf('none');
  let start = 0;
  for (let i = 0; i < steps; i++) {
    const n = i + 2;
    const best = (row: number[]) => {
      let k = -1;
      row.forEach((v, c) => {
        if (c !== none && (k < 0 || v > row[k])) k = c;
      });
      return k;
    };
    const edges = Array.from({ length: n }, (_, j) => ({ j, k: best(w[start + j]), s: w[start + j][best(w[start + j])] }));
    edges.sort((a, b) => b.s - a.s);
    for (const e of edges.slice(0, 2)) out.push([ops[e.k], e.j]);
    start += n;
  }
  return out;
}
