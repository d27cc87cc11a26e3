/**
 * Named visual scales: every colour, dash pattern, width and opacity the cell views use comes
 * from here, so a restyle is one file and tests can pin the mapping.
 *
 * Colours are Okabe–Ito (Okabe & Ito 2008, "Color Universal Design") topped up with Paul Tol's
 * "muted" scheme for the three textbook convs; both are designed to stay distinguishable under
 * the common colour-vision deficiencies. Colour is never the only carrier: every op also has its
 * own dash pattern, and the legend shows both.
 */
import { scaleLinear } from 'd3';

interface OpStyle {
  color: string;
  /** SVG stroke-dasharray in px; '' = solid. */
  dash: string;
}

const OP_STYLES: Readonly<Record<string, OpStyle>> = {
  none: { color: '#999999', dash: '3 3' }, // grey and dashed: "this edge is switched off"
  max_pool_3x3: { color: '#E69F00', dash: '1 2' }, // Okabe–Ito orange, dotted
  avg_pool_3x3: { color: '#999933', dash: '1 2 4 2' }, // Tol olive, dot-dash
  skip_connect: { color: '#D55E00', dash: '8 3' }, // Okabe–Ito vermillion, long dash
  sep_conv_3x3: { color: '#0072B2', dash: '' }, // Okabe–Ito blue, solid
  sep_conv_5x5: { color: '#56B4E9', dash: '6 2 1 2' }, // Okabe–Ito sky blue
  dil_conv_3x3: { color: '#009E73', dash: '4 2' }, // Okabe–Ito bluish green
  dil_conv_5x5: { color: '#CC79A7', dash: '4 2 1 2 1 2' }, // Okabe–Ito reddish purple
  conv_1x1: { color: '#332288', dash: '2 2' }, // Tol indigo
  conv_3x3: { color: '#882255', dash: '10 2' }, // Tol wine
  conv_5x5: { color: '#44AA99', dash: '10 2 2 2' }, // Tol teal
};

/** Ops outside the search space (e.g. sep_conv_7x7 in an imported NASNet genotype). */
const UNKNOWN_STYLE: OpStyle = { color: '#555555', dash: '' };

/** Stroke colour of an op. */
export function opColor(op: string): string {
  return (OP_STYLES[op] ?? UNKNOWN_STYLE).color;
}

/**
 * The colour themes the views draw in (src/ui/appearance.ts). The dark theme keeps the palette
 * above except where a colour is too dark to see on the dark panel (DARK_PANEL): non-text
 * graphics need 3:1 (WCAG 1.4.11), and Tol's indigo and wine reach only 1.4 and 1.9 there. Their
 * replacements keep the hue family; the dash patterns, which also tell the ops apart, stay.
 */
export type Palette = 'light' | 'dark';

/** Background of the panels the cells and charts sit on, per palette (--panel in the CSS). */
export const PANEL_BG: Readonly<Record<Palette, string>> = { light: '#FFFFFF', dark: '#1A1E26' };

const DARK_OP_COLORS: Readonly<Record<string, string>> = {
  conv_1x1: '#A495F0', // lavender for indigo
  conv_3x3: '#E3607A', // rose for wine
};
const DARK_UNKNOWN = '#AAAAAA';

/** Stroke colour of an op in a palette (`opColor` is the light one). */
export function opColorIn(palette: Palette, op: string): string {
  if (palette === 'light') return opColor(op);
  return DARK_OP_COLORS[op] ?? (OP_STYLES[op] ? OP_STYLES[op].color : DARK_UNKNOWN);
}

/** stroke-dasharray of an op ('' = solid). */
export function opDash(op: string): string {
  return (OP_STYLES[op] ?? UNKNOWN_STYLE).dash;
}

/** Node fills of the quark0 graphviz figures (spec §4.5, anchors §4.1). */
export const NODE_FILL = { input: '#B4EEB4', intermediate: '#ADD8E6', output: '#EEE8AA' } as const;
export const NODE_STROKE = '#222222';
export const CONCAT_STROKE = '#666666';
/** The concat arrows on the dark panel (#666666 would be 2.9:1 there). */
export const CONCAT_STROKE_DARK = '#8A93A5';

/** Weight → stroke width: softmax 0…1 → 0.5…10 px, clamped (TF Playground's |w| → 1…10 px feel). */
export const edgeWidth = scaleLinear().domain([0, 1]).range([0.5, 10]).clamp(true);

/**
 * Weight → opacity. A uniform row over 8 ops (0.125 each) should still be visible, and anything
 * above one half is fully opaque; NNI's 0.2 + 0.8w made the start of a search almost invisible.
 */
export const edgeOpacity = scaleLinear().domain([0, 0.5]).range([0.3, 1]).clamp(true);

/**
 * "Relative to uniform" widths (the default; issue 10): r = softmax(α)·K is the weight as a
 * multiple of the uniform 1/K, and the width is linear in log₂ r: 3.5 px at uniform (r = 1),
 * 2 px more per doubling, 2 px less per halving, clamped to 0.5…11.5 px. At the start of a search
 * softmax moves from 0.125 to 0.11–0.15 (absolute widths 1.5–1.9 px, the same to the eye); here
 * 2× uniform (5.5 px) and ½× (1.5 px) are plainly different on a projector.
 */
export const REL_WIDTH_AT_UNIFORM = 3.5;
export const REL_WIDTH_PER_DOUBLING = 2;
export const REL_WIDTH_RANGE: readonly [number, number] = [0.5, 11.5];
export function relativeEdgeWidth(weight: number, ops: number): number {
  const r = Math.max(weight * ops, 1e-6);
  const w = REL_WIDTH_AT_UNIFORM + REL_WIDTH_PER_DOUBLING * Math.log2(r);
  return Math.min(REL_WIDTH_RANGE[1], Math.max(REL_WIDTH_RANGE[0], w));
}
/**
 * Opacity in the relative mode: ops at or above uniform are opaque, ops below it fade with r
 * (0.2 + 0.6·r: ½× uniform → 0.5), so the eye goes to what α prefers.
 */
export function relativeEdgeOpacity(weight: number, ops: number): number {
  const r = weight * ops;
  return r >= 1 ? 1 : 0.2 + 0.6 * Math.max(0, r);
}

/** Opacity of curves that derivation did not keep, when the derived cell is overlaid. */
export const FADED_OPACITY = 0.08;
/** Minimum width of a kept curve, so a kept edge with a small weight still reads as "chosen". */
export const KEPT_MIN_WIDTH = 2.5;
