// @vitest-environment jsdom
import { afterEach, describe, expect, it } from 'vitest';
import { cellLayout } from './cellLayout';
import { renderLegend } from './legend';
import { createCellView, type CellView } from './renderCell';
import { CONCAT_STROKE, CONCAT_STROKE_DARK, opColor, opColorIn } from './scales';

const SVG_NS = 'http://www.w3.org/2000/svg';
const OPS = ['none', 'conv_1x1', 'conv_3x3', 'conv_5x5'];
const views: CellView[] = [];

function mount(palette?: 'light' | 'dark') {
  const svg = document.createElementNS(SVG_NS, 'svg') as SVGSVGElement;
  document.body.appendChild(svg);
  const view = createCellView(svg, cellLayout({ steps: 2, ops: OPS, kind: 'normal' }), palette ? { palette } : {});
  views.push(view);
  return svg;
}
const strokeOf = (svg: SVGSVGElement, op: string) => svg.querySelector(`path.op[data-op="${op}"]`)!.getAttribute('stroke');

afterEach(() => {
  views.splice(0).forEach((v) => v.destroy());
  document.body.replaceChildren();
});

describe('cell views in the dark palette', () => {
  it('draw curves, arrowheads and concat arrows in the dark variants; light stays the default', () => {
    const light = mount();
    const dark = mount('dark');
    expect(strokeOf(light, 'conv_1x1')).toBe(opColor('conv_1x1'));
    expect(strokeOf(dark, 'conv_1x1')).toBe(opColorIn('dark', 'conv_1x1'));
    expect(strokeOf(dark, 'conv_1x1')).not.toBe(opColor('conv_1x1'));
    expect(light.querySelector('g.concat path')!.getAttribute('stroke')).toBe(CONCAT_STROKE);
    expect(dark.querySelector('g.concat path')!.getAttribute('stroke')).toBe(CONCAT_STROKE_DARK);
    const markerFills = [...dark.querySelectorAll('marker path')].map((p) => p.getAttribute('fill'));
    expect(markerFills).toContain(opColorIn('dark', 'conv_3x3'));
    expect(markerFills).not.toContain(opColor('conv_3x3'));
  });

  it('legend swatches follow the palette', () => {
    const box = document.createElement('div');
    renderLegend(box, OPS, 'dark');
    expect(box.querySelector('[data-legend-op="conv_3x3"] line')!.getAttribute('stroke')).toBe(opColorIn('dark', 'conv_3x3'));
    renderLegend(box, OPS, 'light');
    expect(box.querySelector('[data-legend-op="conv_3x3"] line')!.getAttribute('stroke')).toBe(opColor('conv_3x3'));
  });
});
