/**
 * Node names. Data, titles and accessible names use the literal DARTS strings ('c_{k-2}'),
 * which is what users search for; the drawing typesets them as c with a real subscript.
 */
import type { Selection } from 'd3';

/** 'c_{k-2}' → { base: 'c', sub: 'k−2' } (typographic minus); '3' → { base: '3', sub: null }. */
export function splitSubscript(id: string): { base: string; sub: string | null } {
  const m = /^(.*)_\{(.*)\}$/.exec(id);
  return m ? { base: m[1], sub: m[2].replace(/-/g, '\u2212') } : { base: id, sub: null };
}

/** Human name of a state index in sentences: 'c_{k-1}' for inputs, 'node 2' for intermediates. */
export function stateLabel(state: number): string {
  return state === 0 ? 'c_{k-2}' : state === 1 ? 'c_{k-1}' : `node ${state - 2}`;
}

/**
 * Fill a <text> with a node label. `literal` keeps the braces (paper style, like the graphviz
 * figures). The subscript is lowered with `dy` rather than `baseline-shift`, which Firefox
 * ignores on <tspan>; it is the last run of the text, so nothing needs shifting back.
 */
export function writeNodeLabel(
  text: Selection<SVGTextElement, unknown, null, undefined>,
  id: string,
  fontSize: number,
  literal: boolean,
): void {
  text.selectAll('*').remove();
  const { base, sub } = splitSubscript(id);
  if (literal || sub === null) {
    text.text(id);
    return;
  }
  text.text(base);
  text
    .append('tspan')
    .attr('dy', (fontSize * 0.3).toFixed(1))
    .attr('font-size', (fontSize * 0.72).toFixed(1))
    .text(sub);
}
