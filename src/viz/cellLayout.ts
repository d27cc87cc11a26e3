/**
 * Pure layout of one DARTS cell (no DOM): where the nodes sit and the SVG path of every curve.
 *
 * Computed once per topology (search space or genotype) and never on α changes: the renderer
 * only restyles these paths (anchors §6.9, "never re-layout on weight change").
 *
 * Convention (anchors §4.1, §4.5): left to right, c_{k-2} above c_{k-1} on the left, the
 * intermediate nodes 0..N-1 one column each on a descending diagonal, c_{k} on the right.
 * Search mode draws every edge (i, j) of spec §1.5 as a bundle of |ops| curves; discrete mode
 * (`genotypeLayout`) draws one curve per genotype pair, like quark0 `visualize.py`.
 */
import { cellEdges, rowOffset, stateName } from '../core/searchSpace';
import { chordCubic, clipToBoxes, cubicAt, cubicPath, round2, type Cubic, type Point } from './bezier';
import type { CellKind, CellPairs } from './types';

export type NodeRole = 'input' | 'intermediate' | 'output';

export interface LayoutNode {
  /** 'c_{k-2}', 'c_{k-1}', '0'..'N-1', 'c_{k}' (the literal DARTS names, spec §4.5). */
  id: string;
  /** State index: 0, 1 = inputs, 2.. = intermediate node index + 2; the output gets steps + 2. */
  state: number;
  role: NodeRole;
  /** Centre of the node, and its size, in layout (viewBox) units. */
  x: number;
  y: number;
  w: number;
  h: number;
}

/** One candidate op drawn on one edge. */
export interface LayoutCurve {
  /** `${cell}:${from}->${to}:${op}`: the key of the data join. */
  id: string;
  op: string;
  /** Column of this op in the α matrix (index in `layout.ops`), or -1 if the op is not searched. */
  col: number;
  /** SVG path data. */
  d: string;
  /** The same curve as control points (label placement, hit testing). */
  bezier: Cubic;
  /** Midpoint of the curve. */
  label: Point;
}

/** One MixedOp edge: state `from` feeds intermediate node `to`. */
export interface LayoutEdge {
  /** `${cell}:${from}->${to}` */
  id: string;
  cell: CellKind;
  /** Input state index j: 0 = c_{k-2}, 1 = c_{k-1}, j ≥ 2 = node j-2. */
  from: number;
  /** Intermediate node index i (0-based). */
  to: number;
  /** α row of this edge: rowOffset(to) + from (spec §1.5). */
  row: number;
  /** Node ids of both ends. */
  source: string;
  target: string;
  /** Centre line of the bundle (hover/focus target). */
  d: string;
  label: Point;
  curves: LayoutCurve[];
}

/** Unlabelled edge from a concatenated state to c_{k}. */
export interface ConcatEdge {
  /** `${cell}:${from}->c_{k}` */
  id: string;
  from: number;
  source: string;
  d: string;
}

export interface CellLayout {
  kind: CellKind;
  mode: 'search' | 'discrete';
  steps: number;
  /** α column order (search) or the ops the genotype uses (discrete). */
  ops: string[];
  /** State indices concatenated into c_{k}. */
  concat: number[];
  width: number;
  height: number;
  nodes: LayoutNode[];
  edges: LayoutEdge[];
  concatEdges: ConcatEdge[];
}

export interface CellLayoutInput {
  steps: number;
  ops: readonly string[];
  kind: CellKind;
  /** State indices feeding c_{k}; default all intermediate nodes [2 .. steps+1]. */
  concat?: readonly number[];
}

export interface LayoutSize {
  width: number;
  height: number;
}

// Layout tunables (layout units ≈ px at 1:1 scale).
const PAD = 14;
const NODE_W = 66;
const NODE_H = 32;
/** Column pitch; leaves room for an op label (≈ 80 units at 11 px) between two columns. */
const COL_W = 150;
/** Distance between neighbouring curves of a bundle in the middle, and its cap. */
const CURVE_GAP = 3;
const MAX_FAN = 24;
/** Ends of a bundle are pinched to this fraction of its middle width. */
const PINCH = 0.3;
/** Clearance a curve keeps from nodes it does not touch. */
const CLEARANCE = 6;
const BOW_STEP = 6;
const BOW_TRIES = 40;
/** Vertical positions as fractions of the usable height: inputs, and the diagonal's two ends. */
const INPUT_Y = [0.15, 0.85] as const;
const DIAGONAL = [0.0, 1.0] as const;

/** Default size: one column per intermediate node plus inputs and output; taller for more nodes. */
export function defaultCellSize(steps: number): LayoutSize {
  return { width: 2 * PAD + NODE_W + COL_W * (steps + 1), height: 200 + 30 * steps };
}

/** Layout of the supernet cell drawn in search mode: every edge, one curve per candidate op. */
export function cellLayout(input: CellLayoutInput, size?: LayoutSize): CellLayout {
  const { steps, kind } = input;
  checkSteps(steps);
  if (input.ops.length === 0) throw new RangeError('cellLayout: at least one op is needed');
  if (new Set(input.ops).size !== input.ops.length) throw new RangeError('cellLayout: duplicate op names');
  const ops = [...input.ops];
  const spec = cellEdges(steps).map((e) => ({ ...e, ops: ops.map((op, col) => ({ op, col })) }));
  return build(kind, 'search', steps, ops, concatOrDefault(input.concat, steps), spec, size);
}

/**
 * Layout of a discrete cell (an imported or derived genotype): only the chosen (op, input) pairs,
 * two per node. `ops` (optional) is the search space's op list so that curves know their α column.
 */
export function genotypeLayout(
  pairs: CellPairs,
  options: { kind: CellKind; concat?: readonly number[]; ops?: readonly string[] },
  size?: LayoutSize,
): CellLayout {
  if (pairs.length === 0 || pairs.length % 2 !== 0) {
    throw new RangeError(`genotypeLayout: expected 2 pairs per node, got ${pairs.length}`);
  }
  const steps = pairs.length / 2;
  checkSteps(steps);
  const used = [...new Set(pairs.map(([op]) => op))];
  const ops = options.ops ? [...options.ops] : used;
  // Group pairs into (from → to) edges, keeping pair order inside an edge.
  const byRow = new Map<number, { row: number; to: number; from: number; ops: { op: string; col: number }[] }>();
  pairs.forEach(([op, from], p) => {
    const to = p >> 1;
    if (!Number.isInteger(from) || from < 0 || from > to + 1) {
      throw new RangeError(`genotypeLayout: pair ${p} (${op}, ${from}) of node ${to} needs 0 <= input <= ${to + 1}`);
    }
    const row = rowOffset(to) + from;
    const edge = byRow.get(row) ?? { row, to, from, ops: [] };
    edge.ops.push({ op, col: ops.indexOf(op) });
    byRow.set(row, edge);
  });
  const spec = [...byRow.values()].sort((a, b) => a.row - b.row);
  return build(options.kind, 'discrete', steps, ops, concatOrDefault(options.concat, steps), spec, size);
}

// ---------------------------------------------------------------------------------------------

interface EdgeSpec {
  row: number;
  to: number;
  from: number;
  ops: { op: string; col: number }[];
}

function checkSteps(steps: number): void {
  if (!Number.isInteger(steps) || steps < 1 || steps > 12) {
    throw new RangeError(`cell layout: steps must be an integer in 1..12, got ${steps}`);
  }
}

function concatOrDefault(concat: readonly number[] | undefined, steps: number): number[] {
  const list = concat ? [...concat] : Array.from({ length: steps }, (_, i) => i + 2);
  for (const s of list) {
    if (!Number.isInteger(s) || s < 0 || s > steps + 1) throw new RangeError(`concat state ${s} out of 0..${steps + 1}`);
  }
  return list;
}

function build(
  kind: CellKind,
  mode: 'search' | 'discrete',
  steps: number,
  ops: string[],
  concat: number[],
  spec: EdgeSpec[],
  size?: LayoutSize,
): CellLayout {
  const { width, height } = size ?? defaultCellSize(steps);
  const nodes = placeNodes(steps, width, height);
  const output = nodes[steps + 2];
  const others = (a: LayoutNode, b: LayoutNode) => nodes.filter((n) => n !== a && n !== b);

  const edges: LayoutEdge[] = spec.map((e) => {
    const src = nodes[e.from];
    const dst = nodes[e.to + 2];
    const n = e.ops.length;
    const fan = Math.min(MAX_FAN, CURVE_GAP * (n - 1));
    const gap = n > 1 ? fan / (n - 1) : 0;
    const bow = solveBow(src, dst, fan / 2, others(src, dst), height);
    const centre = clipToBoxes(chordCubic(src, dst, bow), src, dst);
    const seen = new Map<string, number>();
    const curves = e.ops.map(({ op, col }, i) => {
      const o = (i - (n - 1) / 2) * gap;
      const c = clipToBoxes(chordCubic(src, dst, bow, o * PINCH, o), src, dst);
      // The same op twice on one edge only happens in odd imported genotypes; keep ids unique.
      const dup = seen.get(op) ?? 0;
      seen.set(op, dup + 1);
      const id = `${kind}:${e.from}->${e.to}:${op}` + (dup ? `#${dup + 1}` : '');
      return { id, op, col, d: cubicPath(c), bezier: roundCubic(c), label: roundPoint(cubicAt(c, 0.5)) };
    });
    return {
      id: `${kind}:${e.from}->${e.to}`,
      cell: kind,
      from: e.from,
      to: e.to,
      row: e.row,
      source: src.id,
      target: dst.id,
      d: cubicPath(centre),
      label: roundPoint(cubicAt(centre, 0.5)),
      curves,
    };
  });
  const concatEdges: ConcatEdge[] = concat.map((s) => {
    const src = nodes[s];
    const bow = solveBow(src, output, 0, others(src, output), height);
    const c = clipToBoxes(chordCubic(src, output, bow), src, output);
    return { id: `${kind}:${s}->c_{k}`, from: s, source: src.id, d: cubicPath(c) };
  });
  return { kind, mode, steps, ops, concat, width, height, nodes, edges, concatEdges };
}

/** Inputs stacked on the left, intermediates on a descending diagonal, output centred right. */
function placeNodes(steps: number, width: number, height: number): LayoutNode[] {
  const colW = (width - 2 * PAD - NODE_W) / (steps + 1);
  const x = (col: number) => round2(PAD + NODE_W / 2 + col * colW);
  const top = PAD + NODE_H / 2;
  const span = height - 2 * top;
  const node = (id: string, state: number, role: NodeRole, col: number, fy: number): LayoutNode => ({
    id, state, role, x: x(col), y: round2(top + fy * span), w: NODE_W, h: NODE_H,
  });
  const nodes = [node(stateName(0), 0, 'input', 0, INPUT_Y[0]), node(stateName(1), 1, 'input', 0, INPUT_Y[1])];
  for (let i = 0; i < steps; i++) {
    const fy = steps === 1 ? 0.5 : DIAGONAL[0] + ((DIAGONAL[1] - DIAGONAL[0]) * i) / (steps - 1);
    nodes.push(node(stateName(i + 2), i + 2, 'intermediate', i + 1, fy));
  }
  nodes.push(node('c_{k}', steps + 2, 'output', steps + 1, 0.5));
  return nodes;
}

/**
 * Smallest sideways bow (BOW_STEP increments; away from the middle of the cell first) for
 * which the curve, widened by its half fan, clears every node it does not join and stays in
 * the drawing. Deterministic, and cheap: ≤ 27 edges × 81 candidates × 24 samples × 9 nodes.
 */
function solveBow(a: LayoutNode, b: LayoutNode, halfFan: number, obstacles: LayoutNode[], height: number): number {
  const normalY = (b.x - a.x) / (Math.hypot(b.x - a.x, b.y - a.y) || 1);
  const outward = ((a.y + b.y) / 2 <= height / 2 ? -1 : 1) * (normalY >= 0 ? 1 : -1);
  const clear = (bow: number) => {
    const c = chordCubic(a, b, bow);
    for (let s = 1; s < 24; s++) {
      const p = cubicAt(c, s / 24);
      if (p.y - halfFan < 2 || p.y + halfFan > height - 2) return false;
      for (const n of obstacles) {
        if (Math.abs(p.x - n.x) < n.w / 2 + CLEARANCE + halfFan && Math.abs(p.y - n.y) < n.h / 2 + CLEARANCE + halfFan) {
          return false;
        }
      }
    }
    return true;
  };
  for (let k = 0; k <= BOW_TRIES; k++) {
    for (const bow of k === 0 ? [0] : [outward * k * BOW_STEP, -outward * k * BOW_STEP]) if (clear(bow)) return bow;
  }
  return 0;
}

function roundPoint(p: Point): Point {
  return { x: round2(p.x), y: round2(p.y) };
}

/** Rounded like the path data, so `bezier` and `d` describe exactly the same curve. */
function roundCubic(c: Cubic): Cubic {
  return [roundPoint(c[0]), roundPoint(c[1]), roundPoint(c[2]), roundPoint(c[3])];
}
