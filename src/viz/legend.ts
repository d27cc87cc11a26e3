/**
 * Op legend: a swatch drawn with the op's colour AND dash pattern, then the op name, so the
 * key works without colour vision. HTML (a list), not SVG, so it wraps with the page.
 */
import { select } from 'd3';
import { opColorIn, opDash, type Palette } from './scales';

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
