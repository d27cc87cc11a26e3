// @vitest-environment jsdom
/**
 * SVG snapshot tests in the Observable Plot style: each case renders into jsdom, numbers are
 * normalised to 3 decimals, and the result is compared with __snapshots__/<name>.svg. A missing
 * snapshot is written (commit it); a mismatch writes <name>-changed.svg beside it for a visual
 * diff and fails. Delete the old file to accept a deliberate change.
 */
import { existsSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { PRIMITIVES } from '../core/primitives';
import { cellLayout, genotypeLayout } from './cellLayout';
import { exportSvg } from './exportSvg';
import { createCellView, type CellView } from './renderCell';
import { deriveForTest, loadGenotypes, sinAlpha, softmaxRows } from './testUtil';

const SNAPSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '__snapshots__');
const SVG_NS = 'http://www.w3.org/2000/svg';
const { DARTS_V2 } = loadGenotypes();
const alpha = sinAlpha(14, 8);
const softmax = softmaxRows(alpha);

/** Serialise the live view, as the browser has it (interaction attributes included). */
function serialise(view: CellView): string {
  return new XMLSerializer().serializeToString(view.svg) + '\n';
}

/** Mount a fresh view in a fresh container, produce its markup, clean up. */
function render(make: (svg: SVGSVGElement) => string): string {
  const host = document.createElement('div');
  document.body.appendChild(host);
  const svg = document.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  host.appendChild(svg);
  try {
    return make(svg);
  } finally {
    host.remove();
  }
}

const CASES: Record<string, (svg: SVGSVGElement) => string> = {
  'darts-v2-normal': (svg) => {
    const v = createCellView(svg, genotypeLayout(DARTS_V2.normal, { kind: 'normal', concat: DARTS_V2.normal_concat }));
    return serialise(v);
  },
  'darts-v2-reduce': (svg) => {
    const v = createCellView(svg, genotypeLayout(DARTS_V2.reduce, { kind: 'reduce', concat: DARTS_V2.reduce_concat }));
    return serialise(v);
  },
  'alpha-sin-normal': (svg) => {
    const v = createCellView(svg, cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal' }));
    v.update({ softmax, raw: alpha, showDerived: false });
    return serialise(v);
  },
  // Relative widths (scales.ts relativeEdgeWidth): the default in the app.
  'alpha-sin-normal-relative': (svg) => {
    const v = createCellView(svg, cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal' }));
    v.update({ softmax, raw: alpha, showDerived: false, widths: 'relative' });
    return serialise(v);
  },
  'alpha-sin-normal-absolute': (svg) => {
    const v = createCellView(svg, cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal' }));
    v.update({ softmax, raw: alpha, showDerived: false, widths: 'absolute' });
    return serialise(v);
  },
  'alpha-sin-normal-derived': (svg) => {
    const v = createCellView(svg, cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal' }));
    v.update({ softmax, raw: alpha, genotype: deriveForTest(softmax, PRIMITIVES, 4), showDerived: true });
    return serialise(v);
  },
  'darts-v2-normal-paper': (svg) => {
    const v = createCellView(svg, genotypeLayout(DARTS_V2.normal, { kind: 'normal', concat: DARTS_V2.normal_concat }));
    return exportSvg(v, { paper: true });
  },
  'alpha-sin-normal-export': (svg) => {
    const v = createCellView(svg, cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'normal' }));
    v.update({ softmax, raw: alpha, genotype: deriveForTest(softmax, PRIMITIVES, 4), showDerived: true });
    return exportSvg(v);
  },
};

/**
 * Plot's normalisation: decimal numbers to at most 3 decimals, so float noise in the last
 * digits does not churn snapshots. Numbers with ≤ 3 decimals (e.g. the XML version) are kept.
 */
function normalise(svg: string): string {
  return svg.replace(/\d+\.\d{4,}/g, (d) => String(+(+d).toFixed(3)));
}

describe('cell SVG snapshots', () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(name, () => {
      const first = render(make);
      const second = render(make);
      expect(second).toBe(first); // byte-identical across renders, before any normalisation
      expect(first).not.toMatch(/NaN|undefined|Infinity/);

      const actual = normalise(first);
      const file = resolve(SNAPSHOTS, `${name}.svg`);
      const changed = resolve(SNAPSHOTS, `${name}-changed.svg`);
      if (!existsSync(file)) {
        writeFileSync(file, actual);
        return;
      }
      const expected = readFileSync(file, 'utf8');
      if (actual === expected) {
        if (existsSync(changed)) unlinkSync(changed);
        return;
      }
      writeFileSync(changed, actual);
      expect.fail(`${name}.svg changed; see __snapshots__/${name}-changed.svg (delete ${name}.svg to accept)`);
    });
  }

  it('exports standalone files: one xmlns, title, white background, size', () => {
    const out = render(CASES['alpha-sin-normal-export']);
    expect(out.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<svg ')).toBe(true);
    expect(out.match(/xmlns="http:\/\/www.w3.org\/2000\/svg"/g)).toHaveLength(1);
    expect(out).toContain('<title>normal cell</title><rect width="');
    expect(out).toContain('fill="#ffffff"');
    expect(out).not.toContain('tabindex');
    const paper = render(CASES['darts-v2-normal-paper']);
    expect(paper).toContain('Times');
    expect(paper).toContain('>c_{k-2}</text>');
    expect(paper).not.toMatch(/stroke="#(?!000000|ffffff|222222)[0-9A-F]{6}"/i);
    expect(paper.match(/class="op"/g)).toHaveLength(8);
    // Paper export of a search view draws only the derived pairs and needs a genotype.
    render((svg) => {
      const v = createCellView(svg, cellLayout({ steps: 4, ops: PRIMITIVES, kind: 'reduce' }));
      expect(() => exportSvg(v, { paper: true })).toThrow(/genotype/);
      v.update({ softmax, genotype: DARTS_V2.reduce, showDerived: true });
      const s = exportSvg(v, { paper: true });
      expect(s).toContain('<title>reduction cell</title>');
      expect(s.match(/class="op"/g)).toHaveLength(8);
      return s;
    });
  });
});
