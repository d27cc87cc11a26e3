/**
 * Op legend: a swatch drawn with the op's colour AND dash pattern, then the op name, so the
 * key works without colour vision. HTML (a list), not SVG, so it wraps with the page.
 */
import { select } from 'd3';
import { edgeOpacity, edgeWidth, opColorIn, opDash, relativeEdgeOpacity, relativeEdgeWidth, type Palette } from './scales';

const SVG_NS = 'http://www.w3.org/2000/svg';

/** Render (or update, keyed by op) the legend into `container`; returns the <ul>. */
export function renderLegend(container: HTMLElement, ops: readonly string[], palette: Palette = 'light'): HTMLUListElement {
  const root = select(container);
  const list = root
    .selectAll<HTMLUListElement, null>(':scope > ul.darts-legend')
    .data([null])
    .join('ul')
    .attr('class', 'darts-legend')
    .attr('aria-label', 'candidate operations')
    .style('list-style', 'none')
    .style('margin', '0')
    .style('padding', '0')
    .style('display', 'flex')
    .style('flex-wrap', 'wrap')
    .style('gap', '4px 12px')
    .style('font', '12px system-ui, sans-serif');

  list
    .selectAll<HTMLLIElement, string>('li')
    .data(ops, (d) => d)
    .join((enter) => {
      const li = enter.append('li').style('display', 'flex').style('align-items', 'center').style('gap', '4px');
      const svg = li
        .append((): SVGSVGElement => container.ownerDocument.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
        .attr('width', 28)
        .attr('height', 10)
        .attr('aria-hidden', 'true');
      svg.append('line').attr('x1', 1).attr('x2', 27).attr('y1', 5).attr('y2', 5).attr('stroke-width', 3);
      li.append('span');
      return li;
    })
    .attr('data-legend-op', (d) => d)
    .call((li) => {
      li.select('line')
        .attr('stroke', (d) => opColorIn(palette, d))
        .attr('stroke-dasharray', (d) => opDash(d) || null);
      li.select('span').text((d) => d);
    });
  return list.node()!;
}

export type WidthScaleName = 'relative' | 'absolute';

/** The width key's samples: label and the weight (softmax) it stands for, given K ops. */
export function widthKeySamples(widths: WidthScaleName, ops: number): { label: string; weight: number }[] {
  if (widths === 'relative') return [0.25, 0.5, 1, 2, 4].map((r) => ({ label: r < 1 ? `${r === 0.5 ? '½' : '¼'}×` : `${r}×`, weight: r / ops }));
  return [0.1, 0.25, 0.5, 1].map((w) => ({ label: String(w), weight: w }));
}

/** The sentence under the legend that says which width scale is on. */
export function widthKeyCaption(widths: WidthScaleName, ops: number): string {
  return widths === 'relative'
    ? `Width: multiple of uniform (1/${ops}), log scale; faded below uniform`
    : 'Width: softmax(α), linear';
}

/**
 * Render (or update) the width key into `container`: the caption, then sample strokes drawn with
 * the same scale functions the cells use (scales.ts), so the key cannot drift from the drawing.
 */
export function renderWidthKey(container: HTMLElement, widths: WidthScaleName, ops: number, palette: Palette = 'light'): HTMLElement {
  const root = select(container);
  const box = root
    .selectAll<HTMLDivElement, null>(':scope > div.darts-width-key')
    .data([null])
    .join('div')
    .attr('class', 'darts-width-key')
    .attr('data-widths', widths)
    .style('display', 'flex')
    .style('flex-wrap', 'wrap')
    .style('align-items', 'center')
    .style('gap', '2px 8px')
    .style('font', '12px system-ui, sans-serif');
  box.selectAll<HTMLSpanElement, null>(':scope > span.caption').data([null]).join('span').attr('class', 'caption').text(widthKeyCaption(widths, ops));
  const stroke = palette === 'dark' ? '#D8DEE9' : '#333333';
  box
    .selectAll<HTMLSpanElement, { label: string; weight: number }>(':scope > span.sample')
    .data(widthKeySamples(widths, ops), (d) => d.label)
    .join((enter) => {
      const s = enter.append('span').attr('class', 'sample').style('display', 'inline-flex').style('align-items', 'center').style('gap', '3px');
      const svg = s
        .append((): SVGSVGElement => container.ownerDocument.createElementNS(SVG_NS, 'svg') as SVGSVGElement)
        .attr('width', 26)
        .attr('height', 12)
        .attr('aria-hidden', 'true');
      svg.append('line').attr('x1', 1).attr('x2', 25).attr('y1', 6).attr('y2', 6);
      s.append('span');
      return s;
    })
    .call((s) => {
      s.select('line')
        .attr('stroke', stroke)
        .attr('stroke-width', (d) => (widths === 'relative' ? relativeEdgeWidth(d.weight, ops) : edgeWidth(d.weight)))
        .attr('opacity', (d) => (widths === 'relative' ? relativeEdgeOpacity(d.weight, ops) : edgeOpacity(d.weight)));
      s.select(':scope > span').text((d) => d.label);
    });
  return box.node()!;
}
