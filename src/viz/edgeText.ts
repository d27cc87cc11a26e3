/**
 * Words for one edge: its accessible name and the rows of its tooltip. Pure, so the exact
 * strings are unit-testable and the renderer only places them.
 */
import type { LayoutEdge } from './cellLayout';
import { stateLabel } from './nodeLabel';

export interface EdgeOpReading {
  op: string;
  /** softmax(α) weight, or null where unknown (discrete drawing without α). */
  weight: number | null;
  /** raw α, or null where not given. */
  raw: number | null;
}

/** "c_{k-1} → node 0" */
export function edgeTitle(edge: LayoutEdge): string {
  return `${stateLabel(edge.from)} \u2192 node ${edge.to}`;
}

/**
 * "edge c_{k-1} to node 0: sep_conv_3x3 0.31, skip_connect 0.20, …", strongest op first so a
 * screen reader says what matters before the list gets long; "kept: …" is appended in derived mode.
 */
export function edgeAriaLabel(edge: LayoutEdge, readings: readonly EdgeOpReading[], kept: readonly string[]): string {
  const ordered = readings
    .map((r, i) => ({ ...r, i }))
    .sort((a, b) => (b.weight ?? -1) - (a.weight ?? -1) || a.i - b.i)
    .map((r) => (r.weight === null ? r.op : `${r.op} ${fmt(r.weight, 2)}`));
  const keptText = kept.length ? `; kept: ${kept.join(', ')}` : '';
  return `edge ${stateLabel(edge.from)} to node ${edge.to}: ${ordered.join(', ')}${keptText}`;
}

/** Tooltip table rows, in α column order (rows must not jump around while α is live). */
export function edgeTooltipRows(readings: readonly EdgeOpReading[]): string[][] {
  return readings.map((r) => [r.op, r.weight === null ? '–' : fmt(r.weight, 4), r.raw === null ? '–' : fmt(r.raw, 4)]);
}

function fmt(v: number, digits: number): string {
  return Number.isFinite(v) ? v.toFixed(digits) : String(v);
}
