/**
 * Thin D3 renderer of a cell layout. React owns the <svg>; this module owns what is inside it.
 *
 * Built once per layout; `update()` then only restyles the existing curves through a keyed
 * data join (key = curve id `${cell}:${from}->${to}:${op}`): stroke width, opacity, dash,
 * data-weight, labels and accessible names. Nothing is ever re-laid out on α changes.
 *
 * Automation contract (tests and e2e rely on it, keep it exact): every op curve is a
 * `<path class="op">` with `data-cell` (normal|reduce), `data-from` (input state j),
 * `data-to` (intermediate node i), `data-op` and `data-weight` (softmax, 4 decimals).
 */
import { interrupt, select } from 'd3';
import { drawConcat, drawMarkers, drawNodes } from './cellParts';
import { numEdges } from '../core/searchSpace';
import type { CellLayout, LayoutCurve, LayoutEdge } from './cellLayout';
import { edgeAriaLabel, edgeTitle, edgeTooltipRows, type EdgeOpReading } from './edgeText';
import { placeLabels } from './labelPlacement';
import { matrixReader } from './matrix';
import * as S from './scales';
import { createTooltip, type Tooltip } from './tooltip';
import type { AlphaMatrix, CellPairs } from './types';

export interface CellViewOptions {
  /** Called on click, Enter or Space on an edge. */
  onEdgeSelect?: (edge: LayoutEdge) => void;
  /** Where the HTML tooltip goes (should be positioned); default the svg's parent. */
  tooltipParent?: HTMLElement | null;
  /** Force motion on/off; default follows `prefers-reduced-motion` (and no motion without matchMedia). */
  reducedMotion?: boolean;
  /** Width transition length; keep it near the snapshot interval. Default 90 ms. */
  transitionMs?: number;
  /** quark0 look: Times, black edges, literal 'c_{k-2}' labels. */
  paper?: boolean;
  /** Op colours for a light (default) or dark background (scales.ts `opColorIn`). */
  palette?: S.Palette;
  /** false: no focus, tooltip or events (export, thumbnails). Default true. */
  interactive?: boolean;
  /** Accessible name of the drawing; default 'normal cell' / 'reduction cell'. */
  title?: string;
}

export interface CellViewState {
  /** softmax(α) of this cell type, edges × ops (nested or flat row-major). */
  softmax?: AlphaMatrix | null;
  /** Raw α, same shape; shown in the tooltip only. */
  raw?: AlphaMatrix | null;
  /** Derived pairs of this cell type (e.g. `genotype.normal`), used when `showDerived`. */
  genotype?: CellPairs | null;
  /** Overlay the derived cell: kept curves solid and labelled, the rest faded. */
  showDerived?: boolean;
  /** Width encoding (scales.ts): 'absolute' (default here) or 'relative' to uniform, log scale. */
  widths?: 'absolute' | 'relative';
}

export interface CellView {
  readonly svg: SVGSVGElement;
  readonly layout: CellLayout;
  readonly options: Readonly<CellViewOptions>;
  update(state: CellViewState): void;
  /** The last state passed to `update` (exports re-render from it). */
  state(): CellViewState;
  destroy(): void;
}

interface CurveDatum {
  curve: LayoutCurve;
  edge: LayoutEdge;
  weight: number;
  raw: number | null;
  /** Kept by derivation (or part of a discrete cell): drawn solid, opaque and labelled. */
  labelled: boolean;
}

const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const PAPER_FONT = '"Times New Roman", Times, serif';
const WIDTH_TRANSITION = 'width';
const HIT_WIDTH = 14;
const ROOT_ATTRS = ['viewBox', 'role', 'aria-label', 'data-kind', 'data-mode', 'data-widths'];

export function createCellView(svgEl: SVGSVGElement, layout: CellLayout, options: CellViewOptions = {}): CellView {
  const paper = options.paper ?? false;
  const interactive = options.interactive ?? true;
  const discrete = layout.mode === 'discrete';
  const win = svgEl.ownerDocument.defaultView;
  const motion = win && typeof win.matchMedia === 'function' ? win.matchMedia('(prefers-reduced-motion: reduce)') : null;
  const reducedMotion = () => options.reducedMotion ?? (motion ? motion.matches : true);
  const ms = options.transitionMs ?? 90;
  const prefix = `darts-${layout.kind}-${layout.mode}${paper ? '-paper' : ''}`;
  const labelFont = paper ? 14 : 11;
  const palette = options.palette ?? 'light';
  const color = (op: string) => (paper ? '#000000' : S.opColorIn(palette, op));
  const concatStroke = paper ? '#000000' : palette === 'dark' ? S.CONCAT_STROKE_DARK : S.CONCAT_STROKE;

  const svg = select(svgEl)
    .attr('viewBox', `0 0 ${layout.width} ${layout.height}`)
    .attr('role', 'group')
    .attr('aria-label', options.title ?? (layout.kind === 'normal' ? 'normal cell' : 'reduction cell'))
    .attr('data-kind', layout.kind)
    .attr('data-mode', layout.mode);
  svg.selectAll(':scope > g.darts-cell').remove();
  const root = svg.append('g').attr('class', 'darts-cell').attr('font-family', paper ? PAPER_FONT : FONT);

  const marker = drawMarkers(root, prefix, [concatStroke, ...layout.ops.map(color)]);
  drawConcat(root, layout, concatStroke, marker(concatStroke));

  const edgeSel = root
    .append('g')
    .attr('class', 'edges')
    .selectAll<SVGGElement, LayoutEdge>('g')
    .data(layout.edges, (d) => d.id)
    .join('g')
    .attr('class', 'edge')
    .attr('data-edge', (d) => d.id);
  if (interactive) {
    edgeSel
      .append('path')
      .attr('class', 'hit')
      .attr('d', (d) => d.d)
      .attr('fill', 'none')
      .attr('stroke', 'transparent')
      .attr('stroke-width', HIT_WIDTH);
  }
  edgeSel
    .selectAll<SVGPathElement, CurveDatum>('path.op')
    .data((edge) => edge.curves.map((curve) => blank(curve, edge)))
    .join('path')
    .attr('class', 'op')
    .attr('d', (d) => d.curve.d)
    .attr('fill', 'none')
    .attr('stroke', (d) => color(d.curve.op))
    .attr('data-cell', (d) => d.edge.cell)
    .attr('data-from', (d) => d.edge.from)
    .attr('data-to', (d) => d.edge.to)
    .attr('data-op', (d) => d.curve.op);

  drawNodes(root, layout, paper);

  const labelSel = root
    .append('g')
    .attr('class', 'labels')
    .attr('pointer-events', 'none')
    .selectAll<SVGTextElement, CurveDatum>('text')
    .data(layout.edges.flatMap((edge) => edge.curves.map((curve) => blank(curve, edge))), (d) => d.curve.id)
    .join('text')
    .attr('class', 'op-label')
    .attr('x', (d) => d.curve.label.x)
    .attr('y', (d) => d.curve.label.y + labelFont * 0.35)
    .attr('text-anchor', 'middle')
    .attr('font-size', labelFont)
    .attr('fill', '#000000')
    .attr('stroke', '#ffffff')
    .attr('stroke-width', 3)
    .attr('stroke-linejoin', 'round')
    .attr('paint-order', 'stroke')
    .text((d) => d.curve.op);

  // Interaction: hover or focus shows the tooltip, click / Enter / Space selects.
  const tipParent = interactive ? (options.tooltipParent ?? svgEl.parentElement) : null;
  const tooltip: Tooltip | null = tipParent ? createTooltip(tipParent, `${prefix}-tooltip`) : null;
  let byEdge = new Map<string, CurveDatum[]>();
  let tipEdge: LayoutEdge | null = null;
  let tipAt = { x: 0, y: 0 };
  const showTip = (edge: LayoutEdge, at: { x: number; y: number }) => {
    if (!tooltip) return;
    tipEdge = edge;
    tipAt = at;
    const rows = edgeTooltipRows(readings(byEdge.get(edge.id) ?? []));
    tooltip.show(`${edgeTitle(edge)} (α row ${edge.row})`, ['op', 'softmax', 'α'], rows, at.x, at.y);
  };
  const hideTip = () => {
    tipEdge = null;
    tooltip?.hide();
  };
  if (interactive) {
    edgeSel
      .attr('tabindex', 0)
      .attr('role', 'button')
      .attr('cursor', 'pointer')
      .on('pointerenter', (ev: PointerEvent, d) => showTip(d, fromClient(tipParent, ev.clientX + 12, ev.clientY + 12)))
      .on('pointermove', (ev: PointerEvent) => {
        tipAt = fromClient(tipParent, ev.clientX + 12, ev.clientY + 12);
        tooltip?.move(tipAt.x, tipAt.y);
      })
      .on('pointerleave blur', hideTip)
      .on('focus', (_ev: FocusEvent, d) => showTip(d, fromViewBox(svgEl, tipParent, layout, d.label.x, d.label.y)))
      .on('click', (_ev: MouseEvent, d) => options.onEdgeSelect?.(d))
      .on('keydown', (ev: KeyboardEvent, d) => {
        if (ev.key === 'Enter' || ev.key === ' ') {
          ev.preventDefault();
          options.onEdgeSelect?.(d);
        } else if (ev.key === 'Escape') hideTip();
      });
  }

  let last: CellViewState = {};
  let first = true;
  /** The width each curve is at or animating to, so an unchanged one starts no transition. */
  const targetWidth = new WeakMap<Element, string>();
  let labelSignature: string | null = null;

  function update(next: CellViewState): void {
    const rows = numEdges(layout.steps);
    const cols = layout.ops.length;
    const sm = next.softmax ? matrixReader(next.softmax, rows, cols) : null;
    const rw = next.raw ? matrixReader(next.raw, rows, cols) : null;
    const derived = !discrete && !!next.showDerived && !!next.genotype;
    const kept = new Set<string>(derived ? next.genotype!.map(([op, from], p) => `${from}->${p >> 1}:${op}`) : []);
    // No α yet: uniform in search mode (α starts near 0), one-hot in a discrete cell.
    const fallback = discrete ? 1 : 1 / cols;
    // Relative widths need K ops per edge; a discrete cell (one op per edge) stays absolute.
    const relative = next.widths === 'relative' && !discrete && cols > 1;
    // Written only when it changes: re-setting a root attribute on every snapshot re-styles the
    // whole drawing (a 53 ms main-thread task at 20 snapshots/s in e2e/responsiveness.spec.ts).
    const widthsAttr = relative ? 'relative' : 'absolute';
    if (!discrete && svgEl.getAttribute('data-widths') !== widthsAttr) svg.attr('data-widths', widthsAttr);

    byEdge = new Map();
    const datums: CurveDatum[] = [];
    for (const edge of layout.edges) {
      const list = edge.curves.map((curve): CurveDatum => {
        const has = curve.col >= 0;
        return {
          curve,
          edge,
          weight: sm && has ? sm(edge.row, curve.col) : fallback,
          raw: rw && has ? rw(edge.row, curve.col) : null,
          labelled: discrete || kept.has(`${edge.from}->${edge.to}:${curve.op}`),
        };
      });
      byEdge.set(edge.id, list);
      datums.push(...list);
    }

    const width = (d: CurveDatum) => {
      if (paper) return 1.5;
      if (discrete && !sm) return 2;
      const w = relative ? S.relativeEdgeWidth(finite(d.weight), cols) : S.edgeWidth(finite(d.weight));
      return round3(d.labelled ? Math.max(w, S.KEPT_MIN_WIDTH) : w);
    };
    const opacity = (d: CurveDatum) =>
      d.labelled
        ? 1
        : derived
          ? S.FADED_OPACITY
          : round3(relative ? S.relativeEdgeOpacity(finite(d.weight), cols) : S.edgeOpacity(finite(d.weight)));

    const joined = root.selectAll<SVGPathElement, CurveDatum>('path.op').data(datums, (d) => d.curve.id);
    // Each attribute is written only when its text changes: Blink re-lays out and repaints an SVG
    // subtree on any attribute write, even one that sets the same value, and at 4 snapshots/s
    // that full-cell restyle was a 50–77 ms frame on a 2-core machine (e2e/responsiveness.spec.ts).
    joined.each(function (d) {
      setIfChanged(this, 'data-weight', Number.isFinite(d.weight) ? d.weight.toFixed(4) : String(d.weight));
      setIfChanged(this, 'opacity', String(opacity(d)));
      setIfChanged(this, 'stroke-dasharray', d.labelled || paper ? null : S.opDash(d.curve.op) || null);
      setIfChanged(this, 'marker-end', d.labelled ? marker(color(d.curve.op)) : null);
    });
    if (!first && !reducedMotion() && ms > 0) {
      joined
        .filter(function (d) {
          const w = String(width(d));
          if (targetWidth.get(this) === w) return false;
          targetWidth.set(this, w);
          return true;
        })
        .transition(WIDTH_TRANSITION)
        .duration(ms)
        .attr('stroke-width', width);
    } else {
      joined.each(function (d) {
        interrupt(this, WIDTH_TRANSITION);
        const w = String(width(d));
        targetWidth.set(this, w);
        setIfChanged(this, 'stroke-width', w);
      });
    }
    const shown = datums.filter((d) => d.labelled);
    const signature = shown.map((d) => d.curve.id).join('|');
    if (signature !== labelSignature) {
      // Only when the set of visible labels changes: re-place them so they do not collide.
      const at = placeLabels(
        shown.map((d) => ({ id: d.curve.id, text: d.curve.op, bezier: d.curve.bezier })),
        layout.nodes,
        labelFont,
      );
      labelSel
        .data(datums, (d) => d.curve.id)
        .attr('display', (d) => (d.labelled ? null : 'none'))
        .attr('x', (d) => (at.get(d.curve.id) ?? d.curve.label).x)
        .attr('y', (d) => round3((at.get(d.curve.id) ?? d.curve.label).y + labelFont * 0.35));
      labelSignature = signature;
    }
    edgeSel.each(function (e) {
      const list = byEdge.get(e.id) ?? [];
      setIfChanged(this, 'aria-label', edgeAriaLabel(e, readings(list), list.filter((d) => d.labelled).map((d) => d.curve.op)));
    });
    if (tipEdge) showTip(tipEdge, tipAt);
    last = next;
    first = false;
  }

  update({});
  return {
    svg: svgEl,
    layout,
    options,
    update,
    state: () => last,
    destroy() {
      root.selectAll('path.op').interrupt(WIDTH_TRANSITION);
      root.remove();
      tooltip?.destroy();
      for (const a of ROOT_ATTRS) svgEl.removeAttribute(a);
    },
  };
}

function blank(curve: LayoutCurve, edge: LayoutEdge): CurveDatum {
  return { curve, edge, weight: 0, raw: null, labelled: false };
}

function readings(list: readonly CurveDatum[]): EdgeOpReading[] {
  return list.map((d) => ({ op: d.curve.op, weight: d.weight, raw: d.raw }));
}

/** setAttribute / removeAttribute, skipped when the attribute already reads `value`. */
function setIfChanged(el: Element, name: string, value: string | null): void {
  if (el.getAttribute(name) === value) return;
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, value);
}

const finite = (v: number) => (Number.isFinite(v) ? v : 0);
const round3 = (v: number) => Math.round(v * 1000) / 1000;

/** Client coordinates → the tooltip parent's coordinates. */
function fromClient(parent: HTMLElement | null, cx: number, cy: number): { x: number; y: number } {
  if (!parent) return { x: cx, y: cy };
  const r = parent.getBoundingClientRect();
  return { x: cx - r.left + parent.scrollLeft, y: cy - r.top + parent.scrollTop };
}

/** A viewBox point → the tooltip parent's coordinates (keyboard focus has no pointer). */
function fromViewBox(svg: SVGSVGElement, parent: HTMLElement | null, layout: CellLayout, x: number, y: number) {
  const ctm = typeof svg.getScreenCTM === 'function' ? svg.getScreenCTM() : null;
  if (ctm) return fromClient(parent, ctm.a * x + ctm.c * y + ctm.e + 12, ctm.b * x + ctm.d * y + ctm.f + 12);
  const r = svg.getBoundingClientRect();
  const k = r.width > 0 ? r.width / layout.width : 1;
  return fromClient(parent, r.left + x * k + 12, r.top + y * k + 12);
}
