import { describe, expect, it } from 'vitest';
import { ALL_OPS, PRIMITIVES } from '../core/primitives';
import { cellEdges, numEdges } from '../core/searchSpace';
import { cubicAt, type Cubic } from './bezier';
import { cellLayout, genotypeLayout, type CellLayout } from './cellLayout';
import { loadGenotypes, numbersIn } from './testUtil';

const OP_SETS: string[][] = [
  ['sep_conv_3x3'],
  ['none', 'skip_connect', 'sep_conv_3x3'],
  [...PRIMITIVES],
  [...ALL_OPS],
];

/** Parse our own "Mx,yCx,y x,y x,y" paths back into a cubic. */
function parseCubic(d: string): Cubic {
  const n = numbersIn(d);
  expect(n).toHaveLength(8);
  return [
    { x: n[0], y: n[1] },
    { x: n[2], y: n[3] },
    { x: n[4], y: n[5] },
    { x: n[6], y: n[7] },
  ];
}

function allNumbers(l: CellLayout): number[] {
  return [
    l.width,
    l.height,
    ...l.nodes.flatMap((n) => [n.x, n.y, n.w, n.h]),
    ...l.edges.flatMap((e) => [...numbersIn(e.d), e.label.x, e.label.y, ...e.curves.flatMap((c) => [...numbersIn(c.d), c.label.x, c.label.y])]),
    ...l.concatEdges.flatMap((c) => numbersIn(c.d)),
  ];
}

describe('cellLayout (search mode)', () => {
  for (let steps = 1; steps <= 6; steps++) {
    for (const ops of OP_SETS) {
      it(`steps=${steps}, ${ops.length} ops: counts, ids, rows, finite coordinates`, () => {
        const l = cellLayout({ steps, ops, kind: 'reduce' });
        expect(l.mode).toBe('search');
        expect(l.nodes.map((n) => n.id)).toEqual([
          'c_{k-2}',
          'c_{k-1}',
          ...Array.from({ length: steps }, (_, i) => String(i)),
          'c_{k}',
        ]);
        expect(l.nodes.map((n) => n.role)).toEqual(['input', 'input', ...Array(steps).fill('intermediate'), 'output']);
        expect(l.edges).toHaveLength(numEdges(steps));
        expect(l.edges.map(({ row, to, from }) => ({ row, to, from }))).toEqual(cellEdges(steps));
        for (const e of l.edges) {
          expect(e.id).toBe(`reduce:${e.from}->${e.to}`);
          expect(e.curves.map((c) => c.id)).toEqual(ops.map((op) => `reduce:${e.from}->${e.to}:${op}`));
          expect(e.curves.map((c) => c.col)).toEqual(ops.map((_, i) => i));
        }
        const ids = l.edges.flatMap((e) => e.curves.map((c) => c.id));
        expect(new Set(ids).size).toBe(numEdges(steps) * ops.length);
        expect(l.concatEdges.map((c) => c.id)).toEqual(Array.from({ length: steps }, (_, i) => `reduce:${i + 2}->c_{k}`));
        for (const v of allNumbers(l)) expect(Number.isFinite(v)).toBe(true);
      });
    }
  }

  it('flows left to right: columns strictly increase and every curve starts left of its end', () => {
    for (let steps = 1; steps <= 6; steps++) {
      const l = cellLayout({ steps, ops: PRIMITIVES, kind: 'normal' });
      const [k2, k1, ...rest] = l.nodes;
      expect(k2.x).toBe(k1.x);
      expect(k2.y).toBeLessThan(k1.y); // c_{k-2} above c_{k-1}
      const xs = [k1.x, ...rest.map((n) => n.x)];
      for (let i = 1; i < xs.length; i++) expect(xs[i]).toBeGreaterThan(xs[i - 1]);
      for (const e of l.edges) {
        for (const c of e.curves) {
          const [p0, , , p3] = parseCubic(c.d);
          expect(p3.x).toBeGreaterThan(p0.x);
        }
      }
    }
  });

  it('keeps everything inside the drawing and clear of the nodes an edge does not join', () => {
    const problems: string[] = [];
    for (let steps = 1; steps <= 6; steps++) {
      const l = cellLayout({ steps, ops: PRIMITIVES, kind: 'normal' });
      const check = (id: string, d: string, ends: string[]) => {
        const c = parseCubic(d);
        for (let s = 0; s <= 50; s++) {
          const p = cubicAt(c, s / 50);
          if (p.x < 0 || p.x > l.width || p.y < 0 || p.y > l.height) problems.push(`${id} leaves the drawing`);
          for (const n of l.nodes) {
            if (!ends.includes(n.id) && Math.abs(p.x - n.x) < n.w / 2 && Math.abs(p.y - n.y) < n.h / 2) {
              problems.push(`${id} crosses node ${n.id}`);
            }
          }
        }
      };
      for (const e of l.edges) for (const c of e.curves) check(c.id, c.d, [e.source, e.target]);
      for (const c of l.concatEdges) check(c.id, c.d, [c.source, 'c_{k}']);
    }
    expect([...new Set(problems)]).toEqual([]);
  });

  it('lays out the largest space quickly (it runs on the main thread when the config changes)', () => {
    const t0 = performance.now();
    cellLayout({ steps: 6, ops: ALL_OPS, kind: 'normal' });
    expect(performance.now() - t0).toBeLessThan(250);
  });

  it('is deterministic and honours a custom size and concat list', () => {
    const a = cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal', concat: [4, 5] }, { width: 700, height: 280 });
    const b = cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal', concat: [4, 5] }, { width: 700, height: 280 });
    expect(a).toEqual(b);
    expect([a.width, a.height]).toEqual([700, 280]);
    expect(a.concatEdges.map((c) => c.source)).toEqual(['2', '3']);
    expect(Math.max(...a.nodes.map((n) => n.x + n.w / 2))).toBeLessThanOrEqual(700);
  });

  it('rejects impossible inputs', () => {
    expect(() => cellLayout({ steps: 0, ops: PRIMITIVES, kind: 'normal' })).toThrow(RangeError);
    expect(() => cellLayout({ steps: 2.5, ops: PRIMITIVES, kind: 'normal' })).toThrow(RangeError);
    expect(() => cellLayout({ steps: 4, ops: [], kind: 'normal' })).toThrow(/at least one op/);
    expect(() => cellLayout({ steps: 4, ops: ['none', 'none'], kind: 'normal' })).toThrow(/duplicate/);
    expect(() => cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal', concat: [9] })).toThrow(/concat/);
  });
});

describe('genotypeLayout (discrete mode)', () => {
  const { DARTS_V2 } = loadGenotypes();

  it('draws exactly the 8 pairs of DARTS_V2, one curve each, grouped by edge in row order', () => {
    const l = genotypeLayout(DARTS_V2.normal, { kind: 'normal', concat: DARTS_V2.normal_concat });
    expect(l.mode).toBe('discrete');
    expect(l.steps).toBe(4);
    const curves = l.edges.flatMap((e) => e.curves.map((c) => c.id));
    expect(curves).toEqual([
      'normal:0->0:sep_conv_3x3',
      'normal:1->0:sep_conv_3x3',
      'normal:0->1:sep_conv_3x3',
      'normal:1->1:sep_conv_3x3',
      'normal:0->2:skip_connect',
      'normal:1->2:sep_conv_3x3',
      'normal:0->3:skip_connect',
      'normal:2->3:dil_conv_3x3',
    ]);
    expect(l.edges.map((e) => e.row)).toEqual([0, 1, 2, 3, 5, 6, 9, 11]);
    expect(l.ops).toEqual(['sep_conv_3x3', 'skip_connect', 'dil_conv_3x3']);
    expect(l.concatEdges).toHaveLength(4);
    for (const v of allNumbers(l)) expect(Number.isFinite(v)).toBe(true);
  });

  it('shares node positions with the search layout of the same size, and maps α columns', () => {
    const search = cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'reduce' });
    const disc = genotypeLayout(DARTS_V2.reduce, { kind: 'reduce', ops: PRIMITIVES });
    expect(disc.nodes).toEqual(search.nodes);
    expect(disc.edges[0].curves[0]).toMatchObject({ op: 'max_pool_3x3', col: 1 });
  });

  it('keeps two pairs from the same input as two curves with distinct ids', () => {
    const l = genotypeLayout(
      [
        ['sep_conv_3x3', 1],
        ['sep_conv_3x3', 1],
      ],
      { kind: 'normal' },
    );
    expect(l.edges).toHaveLength(1);
    expect(l.edges[0].curves.map((c) => c.id)).toEqual(['normal:1->0:sep_conv_3x3', 'normal:1->0:sep_conv_3x3#2']);
    expect(l.edges[0].curves[0].d).not.toBe(l.edges[0].curves[1].d);
  });

  it('rejects malformed genotypes with a message naming the pair', () => {
    expect(() => genotypeLayout([['sep_conv_3x3', 0]], { kind: 'normal' })).toThrow(/2 pairs per node/);
    expect(() =>
      genotypeLayout(
        [
          ['sep_conv_3x3', 0],
          ['skip_connect', 2],
        ],
        { kind: 'normal' },
      ),
    ).toThrow(/pair 1 \(skip_connect, 2\) of node 0/);
  });
});
