/**
 * The static parts of a cell drawing, drawn once per layout: arrowhead markers, concat edges
 * and nodes. Nothing here changes with α, so `renderCell.update` never touches it.
 */
import { select, type Selection } from 'd3';
import type { CellLayout } from './cellLayout';
import { writeNodeLabel } from './nodeLabel';
import { NODE_FILL, NODE_STROKE } from './scales';

type Root = Selection<SVGGElement, unknown, null, undefined>;

const NODE_FONT = 15;

/**
 * One arrowhead marker per colour (a marker cannot inherit the stroke of the path using it).
 * Ids are derived from `prefix` and the colour only, so two renders are byte-identical; two
 * views of the same kind on one page define identical markers, which is harmless.
 * Returns the `url(#…)` reference for a colour.
 */
export function drawMarkers(root: Root, prefix: string, colours: readonly string[]): (colour: string) => string {
  const id = (c: string) => `${prefix}-arrow-${c.replace('#', '')}`;
  root
    .append('defs')
    .selectAll('marker')
    .data([...new Set(colours)])
    .join('marker')
    .attr('id', id)
    .attr('viewBox', '0 0 10 10')
    .attr('refX', 9)
    .attr('refY', 5)
    .attr('markerWidth', 9)
    .attr('markerHeight', 9)
    .attr('markerUnits', 'userSpaceOnUse') // fixed size, whatever the stroke width
    .attr('orient', 'auto')
    .append('path')
    .attr('d', 'M0,0L10,5L0,10Z')
    .attr('fill', (c) => c);
  return (c) => `url(#${id(c)})`;
}

/** Unlabelled arrows from the concatenated states to c_{k}. */
export function drawConcat(root: Root, layout: CellLayout, stroke: string, markerEnd: string): void {
  root
    .append('g')
    .attr('class', 'concat')
    .selectAll('path')
    .data(layout.concatEdges)
    .join('path')
    .attr('data-concat', (d) => d.id)
    .attr('d', (d) => d.d)
    .attr('fill', 'none')
    .attr('stroke', stroke)
    .attr('stroke-width', 1.5)
    .attr('marker-end', markerEnd);
}

/** Rectangles with a 2 px dark border, quark0 fills, typeset (or literal) names, <title> = literal id. */
export function drawNodes(root: Root, layout: CellLayout, literalLabels: boolean): void {
  const nodes = root
    .append('g')
    .attr('class', 'nodes')
    .selectAll('g')
    .data(layout.nodes)
    .join('g')
    .attr('class', 'node')
    .attr('data-node', (d) => d.id)
    .attr('data-role', (d) => d.role);
  nodes.append('title').text((d) => d.id);
  nodes
    .append('rect')
    .attr('x', (d) => d.x - d.w / 2)
    .attr('y', (d) => d.y - d.h / 2)
    .attr('width', (d) => d.w)
    .attr('height', (d) => d.h)
    .attr('fill', (d) => NODE_FILL[d.role])
    .attr('stroke', NODE_STROKE)
    .attr('stroke-width', 2);
  nodes.each(function (d) {
    const text = select(this)
      .append('text')
      .attr('x', d.x)
      .attr('y', d.y + NODE_FONT * 0.35) // ≈ vertical centre; dominant-baseline is unreliable with tspans
      .attr('text-anchor', 'middle')
      .attr('font-size', NODE_FONT)
      .attr('fill', '#000000');
    writeNodeLabel(text, d.id, NODE_FONT, literalLabels);
  });
}
