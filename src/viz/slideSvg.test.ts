// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cellLayout, genotypeLayout } from './cellLayout';
import { exportSvg } from './exportSvg';
import { createCellView, type CellView } from './renderCell';
import { SLIDE_HEIGHT, SLIDE_WIDTH, slideColumns, slideSvg } from './slideSvg';
import { deriveForTest, loadGenotypes, sinAlpha, softmaxRows } from './testUtil';

const SVG_NS = 'http://www.w3.org/2000/svg';
const { DARTS_V2 } = loadGenotypes();
const views: CellView[] = [];

function view(layout: Parameters<typeof createCellView>[1]): CellView {
  const svg = document.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  document.body.appendChild(svg);
  const v = createCellView(svg, layout, { interactive: false });
  views.push(v);
  return v;
}

function paperParts() {
  const normal = view(genotypeLayout(DARTS_V2.normal, { kind: 'normal', concat: DARTS_V2.normal_concat }));
  const reduce = view(genotypeLayout(DARTS_V2.reduce, { kind: 'reduce', concat: DARTS_V2.reduce_concat }));
  normal.update({});
  reduce.update({});
  return [
    { svg: exportSvg(normal, { paper: true }), title: 'Normal cell' },
    { svg: exportSvg(reduce, { paper: true }), title: 'Reduction cell' },
  ];
}

const parse = (s: string) => new DOMParser().parseFromString(s, 'image/svg+xml');

afterEach(() => {
  views.splice(0).forEach((v) => v.destroy());
  document.body.replaceChildren();
});

describe('slideSvg: both cells on one 1920×1080 slide', () => {
  it('is a standalone 1920×1080 SVG whose root tag gives width before height (what svgToPngBlob reads)', () => {
    const s = slideSvg(paperParts(), { caption: 'DARTS_V2' });
    expect(s.startsWith('<?xml')).toBe(true);
    const doc = parse(s);
    expect(doc.querySelector('parsererror')).toBeNull();
    const root = doc.documentElement;
    expect(root.namespaceURI).toBe(SVG_NS);
    expect(root.getAttribute('width')).toBe('1920');
    expect(root.getAttribute('height')).toBe('1080');
    expect(root.getAttribute('viewBox')).toBe('0 0 1920 1080');
    // The same pattern as svgToPngBlob in exportSvg.ts: it must find the slide size, not a cell's.
    const m = /<svg[^>]*\swidth="([\d.]+)"[^>]*\sheight="([\d.]+)"/.exec(s);
    expect(m && [Number(m[1]), Number(m[2])]).toEqual([SLIDE_WIDTH, SLIDE_HEIGHT]);
    // A white background covers the whole slide.
    const bg = root.querySelector(':scope > rect');
    expect([bg?.getAttribute('width'), bg?.getAttribute('height'), bg?.getAttribute('fill')]).toEqual(['1920', '1080', '#ffffff']);
  });

  it('holds both cells, side by side inside the slide, each under its own title, in paper style', () => {
    const doc = parse(slideSvg(paperParts(), { caption: 'DARTS_V2, from the paper' }));
    const cells = [...doc.documentElement.querySelectorAll(':scope > svg')];
    expect(cells.map((c) => c.getAttribute('data-kind'))).toEqual(['normal', 'reduce']);
    const box = (c: Element) => ['x', 'y', 'width', 'height'].map((a) => Number(c.getAttribute(a)));
    const [n, r] = cells.map(box);
    expect(n[0] + n[2]).toBeLessThanOrEqual(r[0]); // the reduction cell starts right of the normal cell
    for (const [x, y, w, h] of [n, r]) {
      expect(x).toBeGreaterThanOrEqual(0);
      expect(y).toBeGreaterThan(0);
      expect(x + w).toBeLessThanOrEqual(SLIDE_WIDTH);
      expect(y + h).toBeLessThanOrEqual(SLIDE_HEIGHT);
      expect(w).toBeGreaterThan(SLIDE_WIDTH / 3); // each cell gets about half the slide
    }
    for (const c of cells) expect(c.getAttribute('viewBox')).toMatch(/^0 0 \d+(\.\d+)? \d+(\.\d+)?$/);
    // DARTS_V2 has 8 derived (op, input) pairs per cell; paper style draws them black.
    expect(cells.map((c) => c.querySelectorAll('path.op').length)).toEqual([8, 8]);
    expect(cells[1].querySelectorAll('path.op[data-op="max_pool_3x3"]')).toHaveLength(5);
    for (const p of doc.querySelectorAll('path.op')) expect(p.getAttribute('stroke')).toBe('#000000');
    const titles = [...doc.querySelectorAll('text.slide-title')];
    expect(titles.map((t) => t.textContent)).toEqual(['Normal cell', 'Reduction cell']);
    // Each title is centred over its own cell.
    titles.forEach((t, i) => {
      const [x, , w] = [n, r][i];
      expect(Number(t.getAttribute('x'))).toBeCloseTo(x + w / 2, 6);
    });
    expect(doc.querySelector('text.slide-caption')?.textContent).toBe('DARTS_V2, from the paper');
    // Marker ids stay unique after nesting the two cells (normal vs reduce prefixes).
    const ids = [...doc.querySelectorAll('[id]')].map((e) => e.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('works from a live (search-mode) view through its derived genotype', () => {
    const ops = ['none', 'skip_connect', 'sep_conv_3x3'];
    const sm = softmaxRows(sinAlpha(5, ops.length));
    const v = view(cellLayout({ steps: 2, ops, kind: 'normal' }));
    v.update({ softmax: sm, genotype: deriveForTest(sm, ops, 2) });
    const doc = parse(slideSvg([{ svg: exportSvg(v, { paper: true }), title: 'Normal cell' }]));
    expect(doc.querySelectorAll('svg[data-kind="normal"] path.op')).toHaveLength(4); // 2 nodes × 2 kept inputs
    expect(doc.querySelectorAll('path.op[data-op="none"]')).toHaveLength(0);
  });

  it('columns split the width between the margins and never overlap', () => {
    const cols = slideColumns(2);
    expect(cols).toHaveLength(2);
    expect(cols[0].x + cols[0].width).toBeLessThan(cols[1].x);
    expect(cols[1].x + cols[1].width).toBeCloseTo(SLIDE_WIDTH - cols[0].x, 6); // symmetric margins
    expect(slideColumns(1)[0].width).toBeGreaterThan(cols[0].width * 2);
  });

  it('refuses a part that is not SVG', () => {
    expect(() => slideSvg([{ svg: '<html></html>', title: 'x' }])).toThrow(/not an SVG/);
  });
});
