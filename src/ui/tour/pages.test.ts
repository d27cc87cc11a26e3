import { JSDOM } from 'jsdom';
import { describe, expect, it } from 'vitest';
import { formulasOf, splitMath } from '../tex';
import { renderTex } from '../texRender';
import { TOUR_PAGES, tourPageIndex } from './pages';

const doc = new JSDOM('<!doctype html><body></body>').window.document;

describe('tour pages', () => {
  it('covers the topics of issue 5 item 4, in order, with unique ids', () => {
    const ids = TOUR_PAGES.map((p) => p.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ['why-nas', 'discrete', 'relaxation', 'cell-dag', 'cell-types', 'bilevel', 'derive', 'failure']) {
      expect(ids).toContain(id);
    }
    expect(tourPageIndex('why-nas')).toBe(0);
    expect(tourPageIndex('relaxation')).toBeLessThan(tourPageIndex('derive'));
    expect(tourPageIndex('nope')).toBe(-1);
  });

  it.each(TOUR_PAGES.map((p) => [p.id, p] as const))('%s: has a title, body and a valid target selector', (_id, page) => {
    expect(page.title.trim()).not.toBe('');
    expect(page.body.length).toBeGreaterThan(0);
    expect(page.target.trim()).not.toBe('');
    // A syntactically invalid selector throws here (jsdom implements the selector grammar).
    expect(() => doc.querySelector(page.target)).not.toThrow();
  });

  it.each(TOUR_PAGES.map((p) => [p.id, p] as const))('%s: every formula is valid KaTeX', (_id, page) => {
    for (const paragraph of page.body) {
      for (const seg of splitMath(paragraph)) {
        if (seg.kind === 'math') expect(() => renderTex(seg.tex, seg.display, true), seg.tex).not.toThrow();
      }
    }
  });

  it('has the relaxation widget on the relaxation page and the collapse preset link on the failure page', () => {
    const relax = TOUR_PAGES[tourPageIndex('relaxation')];
    expect(relax.widget).toBe('relaxation');
    const fail = TOUR_PAGES[tourPageIndex('failure')];
    expect(fail.link?.href).toMatch(/preset=skip-collapse/);
  });

  it('states eq. 2 with a softmax over the ops of one edge', () => {
    const f = TOUR_PAGES[tourPageIndex('relaxation')].body.flatMap(formulasOf).join(' ');
    expect(f).toContain('\\bar{o}^{(i,j)}(x)');
    expect(f).toMatch(/\\exp\\big\(\\alpha_o\^\{\(i,j\)\}\\big\)/);
    expect(f).toContain('o(x)');
  });

  it('the search-space count in the first page is right: ∏ C(m+2, 2)·7² over 4 nodes ≈ 1.0e9', () => {
    const choose2 = (n: number) => (n * (n - 1)) / 2;
    let cells = 1;
    for (let m = 0; m < 4; m++) cells *= choose2(m + 2) * 49;
    expect(cells).toBe(1_037_664_180);
    expect(TOUR_PAGES[0].body.join(' ')).toContain('1.0 \\times 10^{9}');
    expect(Math.round(Math.log10(cells * cells))).toBe(18);
  });
});

describe('splitMath', () => {
  it('splits inline and display maths and keeps escaped dollars as text', () => {
    expect(splitMath('a $x$ b $$y$$ c \\$5')).toEqual([
      { kind: 'text', text: 'a ' },
      { kind: 'math', tex: 'x', display: false },
      { kind: 'text', text: ' b ' },
      { kind: 'math', tex: 'y', display: true },
      { kind: 'text', text: ' c $5' },
    ]);
  });

  it('throws on an unclosed formula', () => {
    expect(() => splitMath('cost $x + 1')).toThrow(/unclosed/);
    expect(() => splitMath('$$x$')).toThrow(/unclosed/);
  });

  it('renderTex throws on bad TeX only when asked to', () => {
    expect(() => renderTex('\\frac{1}{', false, true)).toThrow();
    expect(renderTex('\\frac{1}{', false, false)).toContain('katex');
  });
});
