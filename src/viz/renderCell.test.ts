// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { PRIMITIVES } from '../core/primitives';
import { numEdges } from '../core/searchSpace';
import { cellLayout, genotypeLayout } from './cellLayout';
import { renderLegend } from './legend';
import { createCellView, type CellView } from './renderCell';
import { edgeWidth, FADED_OPACITY } from './scales';
import { deriveForTest, loadGenotypes, sinAlpha, softmaxRows } from './testUtil';

const SVG_NS = 'http://www.w3.org/2000/svg';
const { DARTS_V2 } = loadGenotypes();
const views: CellView[] = [];

function mount(layout = cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal' }), opts = {}) {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const svg = document.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  host.appendChild(svg);
  const view = createCellView(svg, layout, opts);
  views.push(view);
  return { host, svg, view, layout };
}
const curves = (svg: SVGSVGElement) => [...svg.querySelectorAll<SVGPathElement>('path.op')];
const curve = (svg: SVGSVGElement, from: number, to: number, op: string) =>
  svg.querySelector<SVGPathElement>(`path[data-cell="normal"][data-from="${from}"][data-to="${to}"][data-op="${op}"]`)!;

afterEach(() => {
  views.splice(0).forEach((v) => v.destroy());
  document.body.replaceChildren();
});

describe('createCellView: the automation contract', () => {
  it('draws one path per (edge, op) with data-cell/from/to/op/weight, uniform before any α', () => {
    const { svg } = mount();
    const paths = curves(svg);
    expect(paths).toHaveLength(14 * 8);
    for (const p of paths) {
      expect(p.getAttribute('data-cell')).toBe('normal');
      expect(p.getAttribute('data-weight')).toBe('0.1250');
      expect(PRIMITIVES).toContain(p.getAttribute('data-op'));
    }
    // Node 3 reads states 0..4 (state 4 = node 2); there is no edge from state 5 (node 3 itself).
    expect(curve(svg, 4, 3, 'skip_connect')).not.toBeNull();
    expect(curve(svg, 5, 3, 'skip_connect')).toBeNull();
    expect(svg.querySelectorAll('path[data-to="0"]')).toHaveLength(2 * 8);
  });

  it('updates weights in place from a flat Float32Array or nested rows, never re-laying out', () => {
    const { svg, view } = mount();
    const before = curves(svg);
    const ds = before.map((p) => p.getAttribute('d'));
    const w = softmaxRows(sinAlpha(14, 8));
    view.update({ softmax: Float32Array.from(w.flat()) });
    const after = curves(svg);
    expect(after).toHaveLength(before.length);
    after.forEach((p, i) => expect(p).toBe(before[i])); // same elements: a keyed join, not a redraw
    expect(after.map((p) => p.getAttribute('d'))).toEqual(ds);
    const p = curve(svg, 1, 1, 'sep_conv_5x5'); // c_{k-1} → node 1: row offset(1) + 1 = 3, column 5
    expect(p.getAttribute('data-weight')).toBe(Math.fround(w[3][5]).toFixed(4));
    expect(Number(p.getAttribute('stroke-width'))).toBeCloseTo(edgeWidth(w[3][5]), 2);
    view.update({ softmax: w });
    expect(p.getAttribute('data-weight')).toBe(w[3][5].toFixed(4));
  });

  it('writes exactly four decimals', () => {
    const { svg, view } = mount(cellLayout({ steps: 1, ops: ['skip_connect', 'sep_conv_3x3'], kind: 'normal' }));
    view.update({ softmax: [[0.31, 0.69], [1, 0]] });
    expect(curves(svg).map((p) => p.getAttribute('data-weight'))).toEqual(['0.3100', '0.6900', '1.0000', '0.0000']);
  });

  it('throws on an α of the wrong shape (stale snapshot)', () => {
    const { view } = mount();
    expect(() => view.update({ softmax: new Float32Array(13 * 8) })).toThrow(/expected 14×8/);
  });

  it('overlays the derived cell: kept curves solid, opaque and labelled, the rest faded', () => {
    const { svg, view } = mount();
    const w = softmaxRows(sinAlpha(14, 8));
    const genotype = deriveForTest(w, PRIMITIVES, 4);
    view.update({ softmax: w, genotype, showDerived: true });
    const kept = curves(svg).filter((p) => p.getAttribute('opacity') === '1');
    expect(kept).toHaveLength(8);
    const key = (op: string | null, from: number, to: number) => `${op}:${from}->${to}`;
    const keptKeys = kept.map((p) => key(p.getAttribute('data-op'), +p.getAttribute('data-from')!, +p.getAttribute('data-to')!));
    expect(keptKeys.sort()).toEqual(genotype.map(([op, from], k) => key(op, from, k >> 1)).sort());
    for (const p of kept) {
      expect(p.hasAttribute('stroke-dasharray')).toBe(false);
      expect(Number(p.getAttribute('stroke-width'))).toBeGreaterThanOrEqual(2.5);
    }
    const faded = curves(svg).filter((p) => p.getAttribute('opacity') !== '1');
    expect(faded.every((p) => p.getAttribute('opacity') === String(FADED_OPACITY))).toBe(true);
    const labels = [...svg.querySelectorAll('text.op-label')].filter((t) => !t.hasAttribute('display'));
    expect(labels.map((t) => t.textContent).sort()).toEqual(genotype.map(([op]) => op).sort());
    // Turning the overlay off restores the weight encoding.
    view.update({ softmax: w, genotype, showDerived: false });
    expect(svg.querySelectorAll('text.op-label:not([display])')).toHaveLength(0);
  });

  it('draws an imported genotype alone: 8 labelled curves with arrowheads and one-hot weight', () => {
    const layout = genotypeLayout(DARTS_V2.reduce, { kind: 'reduce', concat: DARTS_V2.reduce_concat });
    const { svg } = mount(layout);
    const paths = [...svg.querySelectorAll('path.op')];
    expect(paths).toHaveLength(8);
    expect(paths.every((p) => p.getAttribute('data-weight') === '1.0000' && p.hasAttribute('marker-end'))).toBe(true);
    expect(svg.querySelectorAll('path[data-cell="reduce"][data-op="max_pool_3x3"]')).toHaveLength(5);
    expect(svg.querySelectorAll('text.op-label:not([display])')).toHaveLength(8);
    expect(svg.querySelectorAll('[data-concat]')).toHaveLength(4);
  });

  it('draws nodes as bordered rects with the quark0 fills and literal names in titles', () => {
    const { svg } = mount();
    const nodes = [...svg.querySelectorAll('g.node')];
    expect(nodes.map((g) => g.querySelector('title')!.textContent)).toEqual(['c_{k-2}', 'c_{k-1}', '0', '1', '2', '3', 'c_{k}']);
    expect(nodes.map((g) => g.querySelector('rect')!.getAttribute('fill'))).toEqual([
      '#B4EEB4', '#B4EEB4', '#ADD8E6', '#ADD8E6', '#ADD8E6', '#ADD8E6', '#EEE8AA',
    ]);
    expect(nodes[0].querySelector('rect')!.getAttribute('stroke-width')).toBe('2');
    const text = nodes[0].querySelector('text')!;
    expect(text.textContent).toBe('ck\u22122'); // c + subscript k−2
    expect(text.querySelector('tspan')!.textContent).toBe('k\u22122');
  });
});

describe('createCellView: interaction and accessibility', () => {
  it('makes every edge a focusable button with a spoken summary, strongest op first', () => {
    const { svg, view } = mount();
    const w = softmaxRows(sinAlpha(14, 8));
    view.update({ softmax: w });
    const edges = [...svg.querySelectorAll<SVGGElement>('g.edge')];
    expect(edges).toHaveLength(numEdges(4));
    for (const g of edges) {
      expect(g.getAttribute('tabindex')).toBe('0');
      expect(g.getAttribute('role')).toBe('button');
    }
    const label = edges[1].getAttribute('aria-label')!; // row 1: c_{k-1} → node 0
    expect(label.startsWith('edge c_{k-1} to node 0: ')).toBe(true);
    const order = [...w[1].keys()].sort((a, b) => w[1][b] - w[1][a]);
    expect(label).toContain(`${PRIMITIVES[order[0]]} ${w[1][order[0]].toFixed(2)}, ${PRIMITIVES[order[1]]}`);
    expect(edges[7].getAttribute('aria-label')!.startsWith('edge node 0 to node 2: ')).toBe(true);
  });

  it('shows a text-only tooltip with softmax and raw α on focus, live-updated, hidden on blur', () => {
    const { host, svg, view } = mount();
    const raw = sinAlpha(14, 8);
    view.update({ softmax: softmaxRows(raw), raw });
    const g = svg.querySelectorAll<SVGGElement>('g.edge')[0];
    g.dispatchEvent(new FocusEvent('focus'));
    const tip = host.querySelector<HTMLDivElement>('.darts-tooltip')!;
    expect(tip.style.display).toBe('block');
    expect(tip.getAttribute('role')).toBe('tooltip');
    const rows = [...tip.querySelectorAll('tr')].map((tr) => [...tr.children].map((c) => c.textContent));
    expect(rows[0]).toEqual(['op', 'softmax', 'α']);
    expect(rows).toHaveLength(1 + 8);
    expect(rows[1]).toEqual(['none', softmaxRows(raw)[0][0].toFixed(4), raw[0][0].toFixed(4)]);
    expect(tip.textContent).toContain('c_{k-2} \u2192 node 0');
    view.update({ softmax: softmaxRows(raw.map((r) => r.map((v) => -v))), raw });
    expect(tip.querySelectorAll('tr')[1].children[1].textContent).toBe(
      softmaxRows(raw.map((r) => r.map((v) => -v)))[0][0].toFixed(4),
    );
    g.dispatchEvent(new FocusEvent('blur'));
    expect(tip.style.display).toBe('none');
  });

  it('never interprets op names as HTML', () => {
    const evil = '<img src=x onerror=alert(1)>';
    const { host, svg } = mount(genotypeLayout([[evil, 0], ['skip_connect', 1]], { kind: 'normal' }));
    svg.querySelector<SVGGElement>('g.edge')!.dispatchEvent(new FocusEvent('focus'));
    expect(host.querySelector('img')).toBeNull();
    expect(host.querySelector('.darts-tooltip')!.textContent).toContain(evil);
  });

  it('calls onEdgeSelect on click, Enter and Space', () => {
    const onEdgeSelect = vi.fn();
    const { svg } = mount(undefined, { onEdgeSelect });
    const g = svg.querySelectorAll<SVGGElement>('g.edge')[3];
    g.dispatchEvent(new MouseEvent('click', { bubbles: true }));
    g.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    g.dispatchEvent(new KeyboardEvent('keydown', { key: ' ', bubbles: true }));
    g.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    expect(onEdgeSelect).toHaveBeenCalledTimes(3);
    expect(onEdgeSelect.mock.calls[0][0]).toMatchObject({ id: 'normal:1->1', row: 3, from: 1, to: 1 });
  });

  it('destroy() removes what it drew, the tooltip and its attributes', () => {
    const { host, svg, view } = mount();
    view.destroy();
    expect(svg.childNodes).toHaveLength(0);
    expect(host.querySelector('.darts-tooltip')).toBeNull();
    expect(svg.hasAttribute('viewBox')).toBe(false);
  });

  it('a second view on the same svg replaces the first', () => {
    const { svg } = mount();
    createCellView(svg, cellLayout({ steps: 2, ops: ['skip_connect'], kind: 'normal' }), { interactive: false });
    expect(svg.querySelectorAll('g.darts-cell')).toHaveLength(1);
    expect(curves(svg)).toHaveLength(5);
  });
});

describe('renderLegend', () => {
  it('lists every op with a colour-and-dash swatch, and updates by key', () => {
    const host = document.createElement('div');
    const ul = renderLegend(host, PRIMITIVES);
    const items = [...ul.querySelectorAll('li')];
    expect(items.map((li) => li.textContent)).toEqual([...PRIMITIVES]);
    expect(items[0].querySelector('line')!.getAttribute('stroke-dasharray')).toBe('3 3');
    expect(items[4].querySelector('line')!.hasAttribute('stroke-dasharray')).toBe(false); // sep_conv_3x3 solid
    const again = renderLegend(host, ['skip_connect', 'conv_3x3']);
    expect(again).toBe(ul);
    expect([...ul.querySelectorAll('li')].map((li) => li.getAttribute('data-legend-op'))).toEqual(['skip_connect', 'conv_3x3']);
  });
});
